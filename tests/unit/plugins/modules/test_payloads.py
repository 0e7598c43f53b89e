"""What each module takes to a host: Ansible packs a module with every module_utils file it
imports, and everything those import. Computed here from the sources' import statements, as
Ansible's own scanner follows them; controller-only code must never enter a host's payload
(benchmarks/payloads.py measures the real packed sizes)."""

from __future__ import annotations

import ast
import os

import pytest

from ansible_collections.redundant.interfaces.plugins.module_utils import arguments, module_specs
from tests.helpers import ROOT

UTILS = os.path.join(ROOT, "plugins", "module_utils")
MODULES = os.path.join(ROOT, "plugins", "modules")
PREFIX = "ansible_collections.redundant.interfaces.plugins.module_utils"
# what only the controller runs: module docs, role specs, the inventory contract, the switch side,
# cabling, the preflight, the report and the health verdict
CONTROLLER_ONLY = {"module_specs", "role_specs", "contract", "cabling", "switchside", "switch_checks", "switch_render",
                   "ios_show", "preflight", "report", "health"}
# modules that only read links: sysfs.py (generated) tells them how the kernel shows each option
READERS = ("link_facts", "failover_drill", "lldp_neighbors")


def _path(name):
    base = os.path.join(UTILS, *name.split("."))
    return base + ".py" if os.path.exists(base + ".py") else os.path.join(base, "__init__.py")


def imported(path):
    """The module_utils (dotted, below module_utils) a file imports, directly."""
    found = set()
    for node in ast.walk(ast.parse(open(path).read())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(PREFIX):
            below = node.module[len(PREFIX):].lstrip(".")
            if below in ("", "backends"):  # from ...module_utils import engine / from ...backends import nm
                found.update((below + "." + alias.name).lstrip(".") for alias in node.names)
            else:
                found.add(below)
        elif isinstance(node, ast.Import):
            found.update(alias.name[len(PREFIX) + 1:] for alias in node.names if alias.name.startswith(PREFIX + "."))
    return {name for name in found if os.path.exists(_path(name))}


def payload(module):
    """Every module_utils file the module's payload carries."""
    todo, seen = imported(os.path.join(MODULES, module + ".py")), set()
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo |= imported(_path(name))
    return seen


def controller_only(module):
    return "refuse_on_host" in open(os.path.join(MODULES, module + ".py")).read()


ALL = sorted(name[:-3] for name in os.listdir(MODULES) if name.endswith(".py") and name != "__init__.py")


@pytest.mark.parametrize("module", ALL)
def test_no_controller_only_code_enters_a_hosts_payload(module):
    carried = payload(module)
    if controller_only(module):  # it only ever refuses: its argument_spec, nothing else
        assert carried == {"arguments"}
    else:
        assert not carried & CONTROLLER_ONLY, sorted(carried & CONTROLLER_ONLY)


@pytest.mark.parametrize("module", READERS)
def test_a_module_that_only_reads_carries_no_catalog(module):
    assert "catalog" not in payload(module)


def test_the_scan_sees_what_a_module_pulls_in():
    assert {"engine", "backends.networkd", "catalog", "announce", "probes", "lldp"} <= payload("link")
    assert payload("lldp_neighbors") == {"arguments", "errors", "ios_names", "lldp", "names"}


def test_the_generated_argument_specs_are_the_documented_ones():
    assert arguments.SPECS == {name: module_specs.argument_spec(name) for name in module_specs.SPECS}
    assert arguments.argument_spec("link") is not arguments.SPECS["link"]  # a copy to fill in
