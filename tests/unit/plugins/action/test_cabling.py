"""The cabling action on the controller: a server's neighbours against its inventory uplinks,
the switch tables it reads from what the playbook registered, discovery, and what strict and warn
do with a disagreement (the logic itself: tests/unit/plugins/module_utils/test_cabling.py)."""

from __future__ import annotations

from ansible_collections.redundant.interfaces.plugins.action import cabling as action
from tests.unit.plugins.action.actions import run_action
from tests.unit.plugins.module_utils.test_cabling import heard

UPLINKS = [dict(interface="eth0", switch="sw1", port="GigabitEthernet1/0/3"),
           dict(interface="eth1", switch="sw2", port="GigabitEthernet1/0/3")]
WIRE = {"eth0": [heard("sw1", "Gi1/0/3")], "eth1": [heard("sw2", "Gi1/0/3", chassis="x")]}
SWAPPED = {"eth0": WIRE["eth1"], "eth1": WIRE["eth0"]}


def run(neighbors, web1=None, mode="strict", switches=None):
    hostvars = dict(web1=web1 if web1 is not None else dict(uplinks=UPLINKS), sw1=switches or {}, sw2={})
    return run_action(action.ActionModule, "cabling", dict(neighbors=neighbors, mode=mode), "web1", hostvars)


def test_a_wire_that_agrees_passes_and_keeps_the_inventorys_uplinks():
    result = run(WIRE)
    assert not result.get("failed") and result["problems"] == [] and not result["refused"]
    facts = result["ansible_facts"]
    assert facts["redundancy_cabling"] == dict(refused=False, problems=[], discovered=False, wire=result["uplinks"])
    assert "uplinks" not in facts  # the inventory's stay


def test_a_server_without_uplinks_takes_the_wires_as_its_own():
    result = run(WIRE, web1={})
    assert result["discovered"] and result["ansible_facts"]["uplinks"] == UPLINKS


def test_strict_refuses_a_disagreement_naming_each_nic_and_warn_only_says_it(monkeypatch):
    result = run(SWAPPED)
    assert result["refused"] and result["ansible_facts"]["redundancy_cabling"]["refused"]
    assert result["msg"].startswith("cabling: web1 is refused before any change, the wire disagrees")
    assert "eth0" in result["msg"] and "eth1" in result["msg"]
    said = []
    monkeypatch.setattr(action.display, "warning", said.append)
    result = run(SWAPPED, mode="warn")
    assert not result["refused"] and len(said) == len(result["problems"]) >= 2
    assert all(line.startswith("cabling: web1: ") for line in said)


def test_discovery_that_sees_no_switch_of_the_inventory_says_so():
    result = run({"eth0": [heard("printer", "port 1")], "eth1": []}, web1={})
    assert "web1: no cable to a switch of the inventory was seen" in result["problems"] and result["refused"]
    assert "uplinks" not in result["ansible_facts"]  # a refused discovery gives the host no uplinks


def test_the_switch_tables_the_playbook_registered_are_read_and_a_bad_one_only_warned_about(monkeypatch):
    said = []
    monkeypatch.setattr(action.display, "warning", said.append)
    registered = {action.SHOWN_VAR: dict(stdout=["% LLDP is not enabled", ""])}  # lldp run is off on sw1
    result = run(WIRE, switches=registered)
    assert result["problems"] == []  # the server's own view still counts
    assert said and all(line.startswith("cabling: sw1: ") for line in said)
