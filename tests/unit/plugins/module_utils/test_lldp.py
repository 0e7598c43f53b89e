"""lldpd's JSON, both forms, read on captures of real lldpd (tests/fixtures/lldpd, SOURCES.yml)."""

from __future__ import annotations

import json
import os

import pytest

from ansible_collections.redundant.interfaces.plugins.module_utils import lldp
from tests import helpers
from tests.helpers import FIXTURES


def capture(name):
    return helpers.capture("lldpd", name)


def test_every_capture_names_its_source():
    assert set(helpers.sources("lldpd")) == set(os.listdir(os.path.join(FIXTURES, "lldpd"))) - {"SOURCES.yml"}


def test_json0_with_several_nics_and_neighbours():
    seen = lldp.parse(capture("h3c_and_hosts.json0"))
    assert sorted(seen) == ["enp11s0f0np0", "enp129s0f0", "enp5s0f0np0"]
    switch, = seen["enp129s0f0"]
    assert switch == dict(
        via="LLDP", system_name="DaoCloud_ShangPu_H3C_D01_AccessSwitch", system_descr=switch["system_descr"],
        chassis_id="58:c7:ac:5f:2d:2c", chassis_id_type="mac", port_id="GigabitEthernet1/0/17",
        port_id_type="ifname", port_descr="GigabitEthernet1/0/17 Interface", mgmt=[], vlan=None,
        capabilities=["bridge", "router"])
    assert switch["system_descr"].startswith("H3C Comware Platform Software")
    host, = seen["enp5s0f0np0"]
    assert (host["system_name"], host["port_id_type"], host["port_id"], host["mgmt"]) == (
        "10-20-1-50", "mac", "e8:eb:d3:93:ae:10", ["10.20.1.50", "fe80::ae1f:6bff:fe25:8664"])
    # Station and Wlan are advertised but not enabled
    assert host["capabilities"] == ["bridge", "router"]


def test_json_names_the_chassis_by_its_key_and_reads_the_port_vlan():
    neighbour, = lldp.parse(capture("junos_vlan.json"))["eno1"]
    assert (neighbour["system_name"], neighbour["port_id"], neighbour["port_id_type"], neighbour["vlan"],
            neighbour["mgmt"]) == ("router", "ge-1/0/1", "ifname", 42, ["192.0.2.1"])


def test_json_with_one_interface_and_no_system_name():
    neighbour, = lldp.parse(capture("single_no_name.json"))["enp3s0"]
    assert neighbour["system_name"] is None and neighbour["port_descr"] is None
    assert (neighbour["chassis_id"], neighbour["port_id"], neighbour["mgmt"], neighbour["capabilities"]) == (
        "44:94:fc:9d:55:0a", "g17", ["192.168.178.21"], [])


def test_no_neighbour_at_all():
    assert lldp.parse(capture("empty.json")) == {}
    assert lldp.parse('{"lldp": [{"interface": []}]}') == {}


def test_both_forms_read_alike():
    """The json0 capture turned into json's shape (lone items unwrapped, the chassis keyed by its
    name) reads to the same neighbours."""
    json0 = json.loads(capture("sonic_leaves.json0"))
    interfaces = []
    for entry in json0["lldp"][0]["interface"]:
        chassis = {k: (v[0]["value"] if k in ("name", "descr") else v) for k, v in entry["chassis"][0].items()}
        name = chassis.pop("name")
        port = entry["port"][0]
        interfaces.append({entry["name"]: dict(
            via=entry["via"], chassis={name: dict(chassis, id=chassis["id"][0], **{"mgmt-ip": [
                m["value"] for m in chassis["mgmt-ip"]]})},
            port=dict(id=port["id"][0], descr=port["descr"][0]["value"]))})
    assert lldp.parse({"lldp": {"interface": interfaces}}) == lldp.parse(json0)
    assert [n[0]["system_name"] for n in lldp.parse(json0).values()] == [
        "StorageSW", "LEAF03", "LEAF04", "LEAF02", "LEAF01"]


@pytest.mark.parametrize("text, message", [
    ("not json", "lldpcli: output is not JSON"),
    ("[1]", "lldpcli: output is list, not a JSON object"),
    ('{"lldp": ["x"]}', "lldpcli: 'lldp' holds str, not an object"),
    ('{"lldp": {"interface": {"eth0": "x"}}}', "lldpcli: interface eth0 is str, not an object"),
])
def test_output_that_is_not_lldpds_is_refused(text, message):
    with pytest.raises(lldp.LldpError, match="^" + message):
        lldp.parse(text)


def test_a_vlan_id_is_ascii_digits():
    entry = {"name": "eth0", "vlan": [{"vlan-id": "\u00b2", "pvid": True}, {"vlan-id": "12"}]}
    assert lldp.parse({"lldp": [{"interface": [entry]}]})["eth0"][0]["vlan"] == 12
