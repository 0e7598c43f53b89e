"""The execution environment: its definition uses the same pins as requirements.txt, and the
image scripts/setup built from it (scripts/ee) runs the main ansible-core with the same collections
as the main virtualenv and the collection's offline plan of the switch side, with no network."""

from __future__ import annotations

import json
import os
import re

import pytest
import yaml

from tests.helpers import ROOT, in_ee, run

pytestmark = pytest.mark.integration


def pins(path):
    with open(os.path.join(ROOT, path)) as handle:
        return dict(re.match(r"^([A-Za-z0-9_.\[\]-]+)==(\S+)", line).groups()
                    for line in handle if re.match(r"^[A-Za-z0-9]", line))


def test_ansible_builder_create_accepts_it(tmp_path):
    run("ansible-builder", "create", "-f", os.path.join(ROOT, "execution-environment.yml"),
        "-c", str(tmp_path / "context"))
    containerfile = (tmp_path / "context" / "Containerfile").read_text()
    assert "ansible-core==%s" % pins("requirements.txt")["ansible-core"] in containerfile
    assert (tmp_path / "context" / "_build" / "requirements.txt").exists()


def test_ee_pins_agree_with_requirements_txt():
    main = pins("requirements.txt")
    for name, version in pins("requirements-ee.txt").items():
        assert main.get(name) == version, name
    with open(os.path.join(ROOT, "execution-environment.yml")) as handle:
        ee = yaml.safe_load(handle)
    assert ee["dependencies"]["ansible_core"]["package_pip"] == "ansible-core==" + main["ansible-core"]


def test_galaxy_dependencies_agree_with_requirements_yml():
    with open(os.path.join(ROOT, "galaxy.yml")) as handle:
        galaxy = yaml.safe_load(handle)["dependencies"]
    with open(os.path.join(ROOT, "requirements.yml")) as handle:
        listed = {c["name"]: c["version"] for c in yaml.safe_load(handle)["collections"]}
    assert galaxy == listed


def collections(out):
    """{name: version} of `ansible-galaxy collection list --format json`'s answer, every path."""
    found = {}
    for listed in json.loads(out).values():
        found.update((name, info["version"]) for name, info in listed.items())
    return found


def test_the_image_runs_the_main_ansible_core_with_the_main_collections():
    frozen = in_ee("python3", "-m", "pip", "freeze").stdout.lower().splitlines()  # pip says Jinja2
    for name, version in pins("requirements-ee.txt").items():
        assert "%s==%s" % (name.lower(), version) in frozen, name
    assert re.search(r"core %s\]" % re.escape(pins("requirements.txt")["ansible-core"]),
                     in_ee("ansible", "--version").stdout)
    image = collections(in_ee("ansible-galaxy", "collection", "list", "--format", "json").stdout)
    main = collections(run("ansible-galaxy", "collection", "list", "--format", "json").stdout)
    needed = ("ansible.netcommon", "ansible.utils", "cisco.ios", "community.general", "redundant.interfaces")
    assert {name: image.get(name) for name in needed} == {name: main.get(name) for name in needed}


def test_the_offline_plan_of_the_switch_side_runs_inside_the_image():
    proc = in_ee("ansible-playbook", "playbooks/switches.yml", "-e", "cisco_ios_state=rendered")
    assert "spanning-tree vlan 1 priority 0" in proc.stdout  # sw1's root priority, rendered with no device
    assert re.search(r"sw1\s+: ok=\d+\s+changed=0\s+unreachable=0\s+failed=0", proc.stdout), proc.stdout[-3000:]
