"""The Molecule scenarios form a matrix <where>-<stack>-<role> (scripts/scenarios.py)."""

from __future__ import annotations

import importlib.util
import os

from tests.helpers import ROOT

_SPEC = importlib.util.spec_from_file_location("scenarios", os.path.join(ROOT, "scripts", "scenarios.py"))
scenarios = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(scenarios)


def test_every_scenario_is_named_in_the_matrix():
    assert [name for name in scenarios.scenarios() if scenarios.parse(name) is None] == []


def test_every_stack_converges_every_role_somewhere_and_every_bond_mode_is_live_in_the_lab():
    cells = scenarios.matrix(scenarios.scenarios())
    for stack in ("ifupdown", "networkd", "nm", "netplan"):
        assert {role for where, s, role in cells if s == stack} == set(scenarios.METHODS), stack
    assert {role for where, s, role in cells if where == "lab"} == set(scenarios.METHODS)


def test_names_that_are_not_in_the_matrix_are_found():
    assert scenarios.parse("stack_nm") is None
    assert scenarios.parse("lab-openvswitch-bond_lacp") is None
    assert scenarios.parse("lab-nm-bond_lacp") == ("lab", "nm", "bond_lacp")
