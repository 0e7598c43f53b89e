"""Switch config derived from the server inventory; what it refuses."""

from __future__ import annotations

import pytest

from ansible_collections.redundant.interfaces.plugins.module_utils.switchside import (
    SwitchError,
    derive,
    normalize_interface,
)

SWITCHES = ["sw1", "sw2"]


def up(nic, switch, port):
    return dict(interface=nic, switch=switch, port=port)


SERVERS = {
    "lacp1": dict(mode="bond_lacp", uplinks=[up("eth0", "sw1", "FastEthernet0/1"), up("eth1", "sw1", "Fa0/2")]),
    "stp1": dict(mode="bridge_stp", uplinks=[up("eth0", "sw1", "FastEthernet0/23"), up("eth1", "sw2", "Fa0/23")]),
    "backup1": dict(mode="bond_active_backup", uplinks=[up("eth0", "sw1", "Gi1/0/3"), up("eth1", "sw2", "Gi1/0/3")]),
}


def test_seed_configuration_comes_out_of_the_inventory():
    cfg = derive("sw1", SERVERS, SWITCHES)
    assert cfg["stp"] == dict(vlans=[1], priority=0)  # spanning-tree vlan 1 priority 0
    stp_port = cfg["ports"]["FastEthernet0/23"]  # interface FastEthernet0/23 / spanning-tree cost 100
    assert stp_port["stp_cost"] == 100 and stp_port["channel_group"] is None
    member = cfg["ports"]["FastEthernet0/1"]  # channel-protocol lacp / channel-group N mode active
    assert member["channel_mode"] == "active"
    number = member["channel_group"]
    assert cfg["ports"]["FastEthernet0/2"]["channel_group"] == number
    assert cfg["port_channels"][number]["name"] == "Port-channel%d" % number
    plain = cfg["ports"]["GigabitEthernet1/0/3"]  # active-backup: a plain port
    assert plain["channel_group"] is None and plain["stp_cost"] is None
    assert plain["description"] == "backup1 eth0 (bond_active_backup)"


def test_only_this_switch_ports():
    assert sorted(derive("sw2", SERVERS, SWITCHES)["ports"]) == ["FastEthernet0/23", "GigabitEthernet1/0/3"]


def test_adding_a_server_never_renumbers_the_others():
    before = derive("sw1", SERVERS, SWITCHES)["ports"]["FastEthernet0/1"]["channel_group"]
    more = dict(SERVERS)
    for i in range(20):
        more["new%d" % i] = dict(mode="bond_lacp", uplinks=[up("eth0", "sw1", "Gi2/0/%d" % (2 * i + 1)),
                                                            up("eth1", "sw1", "Gi2/0/%d" % (2 * i + 2))])
    after = derive("sw1", more, SWITCHES)
    assert after["ports"]["FastEthernet0/1"]["channel_group"] == before
    numbers = [p["channel_group"] for p in after["ports"].values() if p["channel_group"]]
    assert len(set(numbers)) == 21


def test_existing_and_pinned_groups_are_kept():
    cfg = derive("sw1", SERVERS, SWITCHES, existing_groups={"FastEthernet0/1": 7})
    assert cfg["ports"]["FastEthernet0/1"]["channel_group"] == 7
    pinned = derive("sw1", SERVERS, SWITCHES, settings=dict(port_channels={"lacp1": 12}))
    assert pinned["ports"]["FastEthernet0/2"]["channel_group"] == 12


def test_trunk_settings_reach_ports_and_port_channels():
    cfg = derive("sw1", SERVERS, SWITCHES, settings=dict(trunk_vlans=[10, 20]))
    assert cfg["ports"]["GigabitEthernet1/0/3"]["mode"] == "trunk"
    assert all(pc["trunk_vlans"] == [10, 20] for pc in cfg["port_channels"].values())


@pytest.mark.parametrize("name, full", [
    ("Gi1/0/1", "GigabitEthernet1/0/1"), ("gi1/0/1", "GigabitEthernet1/0/1"), ("Fa0/23", "FastEthernet0/23"),
    ("Te1/1/1", "TenGigabitEthernet1/1/1"), ("Po3", "Port-channel3"), ("FastEthernet0/1", "FastEthernet0/1"),
    ("Twe1/0/1", "TwentyFiveGigE1/0/1"), ("Hu1/0/49", "HundredGigE1/0/49"),
])
def test_interface_names_are_normalized(name, full):
    assert normalize_interface(name) == full


@pytest.mark.parametrize("name", ["G1/0/1", "Serial0/0", "xe-0/0/0", "Gi", "1/0/1", ""])
def test_unknown_interface_names_are_refused(name):
    with pytest.raises(SwitchError, match="cannot be normalized|not an IOS interface"):
        normalize_interface(name)


def test_two_servers_on_one_port():
    other = dict(mode="bond_alb", uplinks=[up("eth0", "sw1", "GigabitEthernet1/0/3"), up("eth1", "sw2", "Gi1/0/9")])
    servers = dict(SERVERS, other=other)
    with pytest.raises(SwitchError, match=r"sw1 port GigabitEthernet1/0/3 is claimed by backup1 \(eth0\) and other"):
        derive("sw1", servers, SWITCHES)


def test_uplink_to_a_switch_not_in_the_inventory():
    lost = dict(mode="bond_alb", uplinks=[up("eth0", "sw9", "Gi1/0/1"), up("eth1", "sw1", "Gi1/0/9")])
    servers = dict(SERVERS, lost=lost)
    with pytest.raises(SwitchError, match="lost uplink eth0 names switch 'sw9', which is not in the inventory"):
        derive("sw1", servers, SWITCHES)


def test_lacp_split_over_switches_that_are_not_one_stack():
    servers = {"split": dict(mode="bond_lacp", uplinks=[up("eth0", "sw1", "Gi1/0/1"), up("eth1", "sw2", "Gi1/0/1")])}
    with pytest.raises(SwitchError, match="split runs bond_lacp with members on sw1 and sw2, which are not one stack"):
        derive("sw1", servers, SWITCHES)
    stacked = derive("sw1", servers, SWITCHES, settings=dict(stacked_with=["sw2"]))
    assert stacked["ports"]["GigabitEthernet1/0/1"]["channel_group"]


@pytest.mark.parametrize("settings, match", [
    (dict(stp_vlans=[4095]), "VLAN 4095 is out of range"),
    (dict(access_vlan=0), "VLAN 0 is out of range"),
    (dict(stp_priority=1000), "cisco_ios_stp_priority: 1000 must be a multiple of 4096"),
    (dict(stp_priority=65536), "must be a multiple of 4096 from 0 to 61440"),
    (dict(server_port_cost=0), "cisco_ios_server_port_cost: 0 is out of range"),
    (dict(server_port_priority=20), "cisco_ios_server_port_priority: 20 must be a multiple of 16"),
    (dict(port_channels={"lacp1": 49}), "cisco_ios_port_channels.lacp1: channel-group 49 is out of range"),
    (dict(lacp_mode="on"), "cisco_ios_lacp_mode"),
])
def test_bad_switch_settings(settings, match):
    with pytest.raises(SwitchError, match=match):
        derive("sw1", SERVERS, SWITCHES, settings=settings)
