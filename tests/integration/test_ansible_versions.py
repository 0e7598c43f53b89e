"""The collection on every ansible-core release it is tested with (README, "Supported Ansible"):
the main one of requirements.txt runs everything in the test run; each release beside it
(requirements.txt's "beside" lines, the last the oldest meta/runtime.yml claims) gets ansible-test
sanity, the unit tests and the fuzzer, ansible-doc of every plugin and role and a syntax check of
every playbook, in the virtualenvs scripts/setup made for it (.cache/ansible-VERSION,
.cache/sanity-VERSION)."""

from __future__ import annotations

import glob
import json
import os
import re

import pytest
import yaml

from tests.helpers import ROOT, run

pytestmark = pytest.mark.integration


def pinned(name):
    with open(os.path.join(ROOT, "requirements.txt")) as handle:
        return re.search(r"^%s==(\S+)$" % re.escape(name), handle.read(), re.M).group(1)


def beside():
    """[(ansible-core, ansible)] of the releases tested beside the main one, the oldest last."""
    with open(os.path.join(ROOT, "requirements.txt")) as handle:
        return re.findall(r"^# beside: ansible-core==(\S+) ansible==(\S+)$", handle.read(), re.M)


def claimed_oldest():
    with open(os.path.join(ROOT, "meta", "runtime.yml")) as handle:
        return re.fullmatch(r">=\s*([0-9.]+)", yaml.safe_load(handle)["requires_ansible"]).group(1)


MAIN = pinned("ansible-core")
BESIDE = [core for core, dummy in beside()]


def venv(core):
    """The bin folder of the virtualenv that runs `core`."""
    return os.path.join(ROOT, ".venv" if core == MAIN else os.path.join(".cache", "ansible-" + core), "bin")


def on(core, *argv, **kwargs):
    """Run one of `core`'s commands, its bin folder first on PATH (ansible-playbook, ansible-doc)."""
    env = dict(PATH=venv(core) + os.pathsep + os.environ["PATH"], PYTHONDONTWRITEBYTECODE="1")
    env.update(kwargs.pop("env", {}))
    return run(os.path.join(venv(core), argv[0]), *argv[1:], env=env, **kwargs)


def test_the_releases_beside_are_the_previous_one_and_the_oldest_claimed():
    assert BESIDE[-1] == claimed_oldest()
    assert [tuple(map(int, core.split(".")[:2])) for core in [MAIN] + BESIDE] == [(2, 21), (2, 20), (2, 19)]


@pytest.mark.parametrize("core", [MAIN] + BESIDE)
def test_each_virtualenv_runs_its_release(core):
    assert on(core, "python", "-c", "import ansible; print(ansible.__version__)").stdout.strip() == core


@pytest.mark.parametrize("core", BESIDE)
def test_unit_tests_and_the_fuzzer_pass(core):
    out = on(core, "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/unit", timeout=900).stdout
    last = out.strip().splitlines()[-1]
    assert re.match(r"^\d+ passed(, \d+ warnings?)? in ", last) and int(last.split()[0]) > 900, out[-3000:]


def documented(core, kind):
    """The collection's plugins of one kind that ansible-doc lists on `core`."""
    listing = json.loads(on(core, "ansible-doc", "-t", kind, "-l", "redundant.interfaces", "--json").stdout)
    return sorted(listing)


@pytest.mark.parametrize("core", [MAIN] + BESIDE)
def test_ansible_doc_shows_every_plugin_and_role(core):
    for kind, folder in (("module", "modules"), ("callback", "callback"), ("lookup", "lookup")):
        names = sorted("redundant.interfaces." + os.path.basename(path)[:-3]
                       for path in glob.glob(os.path.join(ROOT, "plugins", folder, "*.py")))
        assert documented(core, kind) == names, kind
        docs = json.loads(on(core, "ansible-doc", "-t", kind, "--json", *names).stdout)
        assert sorted(docs) == names and all(doc["doc"]["short_description"] for doc in docs.values()), kind
    roles = sorted("redundant.interfaces." + name for name in os.listdir(os.path.join(ROOT, "roles")))
    for role in roles:
        doc = json.loads(on(core, "ansible-doc", "-t", "role", "--json", role).stdout)
        assert doc[role]["entry_points"]["main"]["short_description"], role


@pytest.mark.parametrize("core", [MAIN] + BESIDE)
def test_every_playbook_passes_the_syntax_check(core):
    playbooks = ["site.yml"] + sorted(glob.glob("playbooks/*.yml", root_dir=ROOT))
    proc = on(core, "ansible-playbook", "--syntax-check", "-i", "inventory/lab.yml", *playbooks, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]


@pytest.mark.parametrize("core", BESIDE)
def test_sanity_passes_with_every_test(core):
    proc = run(os.path.join(ROOT, "scripts", "sanity"), env=dict(SANITY_CORE=core), check=False, timeout=1500)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-3000:]
    assert 'Required program "shellcheck" not found' not in proc.stdout + proc.stderr  # every test ran
