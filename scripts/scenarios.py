"""The Molecule scenarios as a matrix: molecule/<where>-<stack>-<role>, where is
`container` (systemd containers, bonds persisted only: this kernel has no
bonding driver) or `lab` (a guest kernel: every bond live), stack one of the
catalog's stacks, role one of its methods or `all`. Prints which combinations
exist, so a missing one shows; exits 1 when a scenario's name is not of that form.

    python scripts/scenarios.py
"""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))
import conftest  # noqa: E402,F401  pylint: disable=wrong-import-position,unused-import

from ansible_collections.redundant.interfaces.plugins.module_utils.catalog import METHODS, STACKS  # noqa: E402

WHERE = ("container", "lab")
SHARED = "resources"  # playbooks and tasks the scenarios share


def scenarios():
    folder = os.path.join(ROOT, "molecule")
    return sorted(d for d in os.listdir(folder) if os.path.isfile(os.path.join(folder, d, "molecule.yml")))


def parse(name):
    """(where, stack, role) of a scenario name, or None when it is not of the matrix's form."""
    parts = name.split("-", 2)
    if len(parts) != 3:
        return None
    where, stack, role = parts
    ok = where in WHERE and stack in STACKS and (role in METHODS or role == "all")
    return (where, stack, role) if ok else None


def matrix(names):
    """{(where, stack, role): scenario} with `all` spread over every role."""
    out = {}
    for name in names:
        where, stack, role = parse(name)
        for each in METHODS if role == "all" else [role]:
            out[(where, stack, each)] = name
    return out


def main():
    names = scenarios()
    bad = [n for n in names if parse(n) is None]
    for name in bad:
        print("not <where>-<stack>-<role>: molecule/%s" % name)
    cells = matrix([n for n in names if n not in bad])
    roles = list(METHODS)
    print("| where | stack | %s |" % " | ".join(roles))
    print("|---|---|%s" % ("---|" * len(roles)))
    for where in WHERE:
        for stack in STACKS:
            print("| %s | %s | %s |" % (where, stack, " | ".join(
                cells.get((where, stack, role), "-") for role in roles)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
