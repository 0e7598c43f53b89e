"""The switch_config action on the controller: which servers a switch is derived from (a server
whose cabling or variables were refused is left out, with a warning naming why), each server's
method (its redundancy_mode, else the decision tree) and the NICs and bridge priority its
redundancy_links give (the derivation itself: tests/unit/plugins/module_utils/test_switchside.py)."""

from __future__ import annotations

import pytest

from ansible_collections.redundant.interfaces.plugins.action import switch_config as action
from tests.unit.plugins.action.actions import run_action


def uplinks(port0, port1, switch1="sw1"):
    return [dict(interface="eth0", switch="sw1", port=port0), dict(interface="eth1", switch=switch1, port=port1)]


LACP = dict(redundancy_mode="bond_lacp", uplinks=uplinks("Gi1/0/1", "Gi1/0/2"),
            redundancy_links=[dict(name="bond0", ports=["eth0", "eth1"])])
# no redundancy_mode: the tree decides (managed, separate switches, may bridge -> bridge_stp)
STP = dict(switch_managed=True, bridge_fallback=True, uplinks=uplinks("Gi1/0/3", "Gi1/0/3", "sw2"),
           redundancy_links=[dict(name="br0", ports=["eth0", "eth1"], priority=57344)])


@pytest.fixture
def said(monkeypatch):
    lines = []
    monkeypatch.setattr(action.display, "warning", lines.append)
    return lines


def run(servers, **sw1):
    hostvars = dict(servers, sw1=sw1, sw2={})
    return run_action(action.ActionModule, "switch_config", dict(servers=sorted(servers), switches=["sw1", "sw2"]),
                      "sw1", hostvars)


def test_each_server_by_its_method_on_the_ports_its_uplinks_name(said):
    result = run(dict(lacp1=LACP, stp1=STP))
    assert not result.get("failed"), result.get("msg")
    ports = result["config"]["ports"]
    assert {name: port["server"] for name, port in ports.items()} == {
        "GigabitEthernet1/0/1": "lacp1", "GigabitEthernet1/0/2": "lacp1", "GigabitEthernet1/0/3": "stp1"}
    assert ports["GigabitEthernet1/0/1"]["channel_group"] and not ports["GigabitEthernet1/0/3"]["channel_group"]
    assert said == []


def test_a_server_whose_cabling_or_variables_were_refused_is_left_out_naming_why(said):
    miscabled = dict(LACP, redundancy_cabling=dict(refused=True))
    one_port = dict(STP, redundancy_links=[dict(name="br0", ports=["eth0"])])
    result = run(dict(lacp1=miscabled, stp1=one_port))
    assert not result.get("failed") and result["config"]["ports"] == {}  # they fail on their own, not the switch
    assert said == ["sw1: lacp1 is left out: its cabling was refused",
                    "sw1: stp1 is left out: its variables were refused (redundancy_links[br0]: ports lists 1 "
                    "interface(s); a redundant link needs at least two)"]


def test_a_server_the_tree_cannot_decide_for_is_left_out_naming_the_question(said):
    undecided = dict(STP)
    del undecided["bridge_fallback"]
    result = run(dict(stp1=undecided, lacp1=LACP))
    assert sorted(port["server"] for port in result["config"]["ports"].values()) == ["lacp1", "lacp1"]
    assert said == ["sw1: stp1 is left out: its variables were refused (select_mode: question 3 'Should the server "
                    "take over bridging as a last resort?' has no answer; set bridge_fallback)"]
