"""The Molecule scenarios form a matrix <where>-<stack>-<role>[-<release>] (scripts/scenarios.py)."""

from __future__ import annotations

import importlib.util
import os

import yaml

from tests.helpers import ROOT

_SPEC = importlib.util.spec_from_file_location("scenarios", os.path.join(ROOT, "scripts", "scenarios.py"))
scenarios = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(scenarios)


def test_every_scenario_is_named_in_the_matrix():
    assert [name for name in scenarios.scenarios() if scenarios.parse(name) is None] == []


def test_every_stack_converges_every_role_somewhere_and_every_bond_mode_is_live_in_the_lab():
    cells = scenarios.matrix(scenarios.scenarios())
    for release in scenarios.RELEASES:
        for stack in ("ifupdown", "networkd", "nm", "netplan"):
            assert {role for where, s, role, r in cells if s == stack and r == release} == set(scenarios.METHODS), \
                (stack, release)
    assert {role for where, s, role, r in cells if where == "lab"} == set(scenarios.METHODS)


def test_a_twin_runs_its_scenarios_playbooks_on_the_debian13_image_of_its_stack_under_a_name_of_its_own():
    twin = yaml.safe_load(scenarios.variant("container-nm-all"))
    assert twin["platforms"][0]["image"] == "localhost/redundant-interfaces/debian13-nm"
    assert twin["platforms"][0]["name"] == "ri-stack-nm-13"
    assert twin["provisioner"]["playbooks"]["prepare"] == "../container-nm-all/prepare.yml"
    assert twin["provisioner"]["playbooks"]["verify"] == "../container-nm-all/verify.yml"
    assert twin["provisioner"]["playbooks"]["converge"] == "../resources/converge_stack.yml"
    plain = yaml.safe_load(scenarios.variant("container-ifupdown-bond_lacp"))
    assert plain["provisioner"]["playbooks"]["converge"] == "../container-ifupdown-bond_lacp/converge.yml"
    for path in scenarios.variants():
        assert os.path.isfile(os.path.join(ROOT, path)), path


def test_names_that_are_not_in_the_matrix_are_found():
    assert scenarios.parse("stack_nm") is None
    assert scenarios.parse("lab-openvswitch-bond_lacp") is None
    assert scenarios.parse("lab-nm-bond_lacp") == ("lab", "nm", "bond_lacp", "debian12")
    assert scenarios.parse("container-nm-all-debian13") == ("container", "nm", "all", "debian13")
    assert scenarios.parse("container-nm-all-debian11") is None
    assert scenarios.parse("container-nm-all-debian13-x") is None
