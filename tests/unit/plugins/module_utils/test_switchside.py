"""Switch settings and the configuration derived from the server inventory; what they refuse
(the rendering: test_switch_render.py; the show output read against it: test_switch_checks.py)."""

from __future__ import annotations

import pytest

from ansible_collections.redundant.interfaces.plugins.module_utils.errors import RedundantError, SwitchError
from ansible_collections.redundant.interfaces.plugins.module_utils.switchside import derive, members_on_device, spanning_tree
from tests.unit.plugins.module_utils.switches import (
    MST1, SERVERS, SWITCHES, bridging, capture, lacp_server, numbers, up, with_server,
)


def test_seed_configuration_comes_out_of_the_inventory():
    cfg = derive("sw1", SERVERS, SWITCHES)
    assert cfg["stp"] == dict(vlans=[1], root="primary", priority=0, mode="pvst", pathcost="short", portfast_edge=False,
                              server_port_cost=100,
                              trees=[1], commands=["show spanning-tree vlan 1"])  # spanning-tree vlan 1 priority 0
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
        more["new%d" % i] = dict(method="bond_lacp", uplinks=[up("eth0", "sw1", "Gi2/0/%d" % (2 * i + 1)),
                                                              up("eth1", "sw1", "Gi2/0/%d" % (2 * i + 2))])
    after = derive("sw1", more, SWITCHES)
    assert after["ports"]["FastEthernet0/1"]["channel_group"] == before
    numbers = [p["channel_group"] for p in after["ports"].values() if p["channel_group"]]
    assert len(set(numbers)) == 21


def test_existing_and_pinned_groups_are_kept():
    cfg = derive("sw1", SERVERS, SWITCHES, existing_groups=numbers([{"name": "Port-channel7", "members": [{"member": "Fa0/1", "mode": "active"}]}]))
    assert cfg["ports"]["FastEthernet0/1"]["channel_group"] == 7
    pinned = derive("sw1", SERVERS, SWITCHES, settings=dict(port_channels={"lacp1": 12}))
    assert pinned["ports"]["FastEthernet0/2"]["channel_group"] == 12


def test_trunk_settings_reach_ports_and_port_channels():
    cfg = derive("sw1", SERVERS, SWITCHES, settings=dict(trunk_vlans=[10, 20]))
    assert cfg["ports"]["GigabitEthernet1/0/3"]["mode"] == "trunk"
    assert all(pc["trunk_vlans"] == [10, 20] for pc in cfg["port_channels"].values())


def test_two_servers_on_one_port():
    other = dict(method="bond_alb", uplinks=[up("eth0", "sw1", "GigabitEthernet1/0/3"), up("eth1", "sw2", "Gi1/0/9")])
    servers = dict(SERVERS, other=other)
    with pytest.raises(SwitchError, match=r"sw1 port GigabitEthernet1/0/3 is claimed by backup1 \(eth0\) and other"):
        derive("sw1", servers, SWITCHES)


def test_uplink_to_a_switch_not_in_the_inventory():
    lost = dict(method="bond_alb", uplinks=[up("eth0", "sw9", "Gi1/0/1"), up("eth1", "sw1", "Gi1/0/9")])
    servers = dict(SERVERS, lost=lost)
    with pytest.raises(SwitchError, match="lost uplink eth0 names switch 'sw9', which is not in the inventory"):
        derive("sw1", servers, SWITCHES)


def test_lacp_split_over_switches_that_are_not_one_stack():
    servers = {"split": dict(method="bond_lacp", uplinks=[up("eth0", "sw1", "Gi1/0/1"), up("eth1", "sw2", "Gi1/0/1")])}
    with pytest.raises(SwitchError, match="split runs bond_lacp with members on sw1 and sw2, which are not one stack"):
        derive("sw1", servers, SWITCHES)
    stacked = derive("sw1", servers, SWITCHES, settings=dict(stacked_with=["sw2"]))
    assert stacked["ports"]["GigabitEthernet1/0/1"]["channel_group"]


@pytest.mark.parametrize("settings, match", [
    (dict(stp_vlans=[4095]), r"cisco_ios_stp_vlans\[0\]: 4095 is out of range for a VLAN id \(1-4094\)"),
    (dict(access_vlan=0), "cisco_ios_access_vlan: 0 is out of range for a VLAN id"),
    (dict(stp_priority=1000), "cisco_ios_stp_priority: 1000 must be a multiple of 4096: 0 to 61440"),
    (dict(stp_priority=65536), "cisco_ios_stp_priority: 65536 is out of range: 0 to 61440, in steps of 4096"),
    (dict(server_port_cost=0), "cisco_ios_server_port_cost: 0 is out of range"),
    (dict(server_port_priority=20), "cisco_ios_server_port_priority: 20 must be a multiple of 16"),
    (dict(port_channels={"lacp1": 49}), "cisco_ios_port_channels.lacp1: channel-group 49 is out of range"),
    (dict(lacp_mode="on"), "cisco_ios_lacp_mode"),
    (dict(stp_root="backup"), "cisco_ios_stp_root: 'backup' must be one of primary, secondary, none"),
    (dict(stp_priority=8192), "cisco_ios_stp_secondary_priority: 4096 must be above cisco_ios_stp_priority"),
    (dict(ports=[dict(port="Fa0/9")]), r"cisco_ios_ports\[0\]: \{'port': 'Fa0/9'\} needs at least port and server"),
    (dict(ports=[dict(port="Fa0/9", server="db1", mode="lacp")]), r"cisco_ios_ports\[0\].mode: 'lacp' must be one of"),
    (dict(ports=[dict(port="Fa0/9", server="db1", mode="bond_alb", vlan=3)]), "unknown keys vlan"),
    (dict(ports=[dict(port="Fa0/9", server="stp1", mode="bond_alb")]), "stp1 is also in the inventory"),
    (dict(ports=[dict(port="Fa0/9", server="db1", mode="bond_alb"), dict(port="Fa0/10", server="db1", mode="bond_lacp")]),
     r"cisco_ios_ports\[1\]: server db1 is given two methods \(bond_alb, bond_lacp\)"),
    # every setting is checked against its catalog entry
    (dict(stp_vlans=[1, "x"]), r"cisco_ios_stp_vlans\[1\]: 'x' is not a VLAN id"),
    (dict(stp_vlans=[10.5]), r"cisco_ios_stp_vlans\[0\]: 10.5 is not a VLAN id: a whole number"),
    (dict(stp_vlans=[]), r"cisco_ios_stp_vlans: \[\] lists no VLAN for the primary root"),
    (dict(channel_group_max=0), "cisco_ios_channel_group_max: 0 is out of range: 1 to 4096"),
    (dict(server_port_cost="high"), "cisco_ios_server_port_cost: 'high' is not a whole number; give 1 to 200000000"),
    (dict(stp_priority=True), "cisco_ios_stp_priority: True is not a whole number.*, got bool"),
    (dict(stacked_with="sw2"), "cisco_ios_stacked_with: 'sw2' must be a list of switch names, got str"),
    (dict(stacked_with=[2]), r"cisco_ios_stacked_with\[0\]: 2 must be text \(a switch's inventory name\), got int"),
    (dict(port_channels=[1]), r"cisco_ios_port_channels: \[1\] must be a mapping \(key: value\), got list"),
    (dict(ports=[dict(port="Gi1/0/9.100", server="db1", mode="bond_alb")]), r"cisco_ios_ports\[0\].port: 'Gi1/0/9.100' is a sub-interface"),
    (dict(ports=[dict(port="Ap1/0/1", server="db1", mode="bond_alb")]), r"cisco_ios_ports\[0\].port: 'Ap1/0/1' is a switch-internal port"),
    (dict(lacp_rate="slow"), "cisco_ios_lacp_rate: 'slow' must be one of fast, normal"),
    (dict(stp_vlan=[1]), "switch_config: unknown settings stp_vlan; known: stp_vlans"),
])
def test_bad_switch_settings(settings, match):
    with pytest.raises(RedundantError, match=match):
        derive("sw1", SERVERS, SWITCHES, settings=settings)


def test_explicit_ports_for_servers_the_inventory_does_not_model():
    ports = [dict(port="Gi1/0/1", server="db1", nic="eno1", mode="bond_lacp"),
             dict(port="Gi1/0/2", server="db1", nic="eno2", mode="bond_lacp"),
             dict(port="Fa0/9", server="vmhost", mode="bridge_stp")]
    cfg = derive("sw1", SERVERS, SWITCHES, settings=dict(ports=ports))
    first, second = cfg["ports"]["GigabitEthernet1/0/1"], cfg["ports"]["GigabitEthernet1/0/2"]
    assert first["channel_group"] and first["channel_group"] == second["channel_group"]
    assert first["description"] == "db1 eno1 (bond_lacp)"
    assert cfg["ports"]["FastEthernet0/9"]["stp_cost"] == 100
    with pytest.raises(SwitchError, match="sw1 port FastEthernet0/23 is claimed by stp1"):
        derive("sw1", SERVERS, SWITCHES, settings=dict(ports=[dict(port="Fa0/23", server="x", mode="bond_alb")]))


def test_members_on_device_reads_gathered_lag_interfaces():
    gathered = [{"name": "Port-channel3", "members": [{"member": "GigabitEthernet1/0/1", "mode": "active"},
                                                      {"member": "Gi1/0/2", "mode": "passive"}]},
                {"name": "Port-channel9", "members": [{}]}]
    assert members_on_device(gathered) == {"GigabitEthernet1/0/1": (3, "active"), "GigabitEthernet1/0/2": (3, "passive")}


@pytest.mark.parametrize("settings, device, match", [
    (dict(stp_mode="mst"), dict(mode="rapid-pvst", pathcost="short", mst=None),
     "cisco_ios_stp_mode: sw1 expects mst, but the switch runs rapid-pvst .* never changes the spanning-tree mode"),
    (dict(server_port_cost=100), MST1,
     r"cisco_ios_server_port_cost: 100 is not above a 1 Gb/s port's cost \(20000\) in the long path-cost method"),
    (dict(server_port_cost=4), None, r"cisco_ios_server_port_cost: 4 is not above .* \(4\) in the short"),
    (dict(stp_mode="spanning"), None, "cisco_ios_stp_mode: 'spanning' must be one of detect, pvst, rapid-pvst, mst"),
    # IOS refuses `spanning-tree cost 100000` in the short method: never rendered
    (dict(server_port_cost=100000), None,
     r"cisco_ios_server_port_cost: 100000 is out of range for the short path-cost method sw1 uses \(1-65535\)"),
])
def test_a_mode_or_cost_the_switch_contradicts_is_refused(settings, device, match):
    with pytest.raises(RedundantError, match=match):
        derive("sw1", bridging("Gi1/0/4"), SWITCHES, settings=settings, device=device)


def test_offline_plans_follow_the_expected_mode():
    cfg = derive("sw1", bridging("Gi1/0/4"), SWITCHES, settings=dict(stp_mode="mst"))
    assert (cfg["stp"]["mode"], cfg["stp"]["server_port_cost"], cfg["stp"]["trees"]) == ("mst", 2000000, [0])
    assert derive("sw1", bridging("Gi1/0/4"), SWITCHES)["stp"]["server_port_cost"] == 100


def test_the_switch_answers_are_read():
    shown = {"show spanning-tree summary": capture("stp_summary/mst_two_instances.txt"),
             "show spanning-tree mst configuration": capture("stp_mst_configuration/two_instances.txt")}
    stp = spanning_tree(shown)
    assert (stp["mode"], stp["pathcost"], sorted(stp["mst"])) == ("mst", "long", [0, 10])
    assert spanning_tree({"show spanning-tree summary": capture("stp_summary/pvst.txt")})["mst"] is None
    with pytest.raises(SwitchError, match="^switch_config: show spanning-tree mst configuration: output is NoneType"):
        spanning_tree({"show spanning-tree summary": capture("stp_summary/mst_single.txt")})


def test_a_rapid_pvst_switch_with_long_costs_gets_a_long_server_cost():
    """The real capture says "Configured Pathcost method used is long" on Rapid-PVST+: the server
    port's cost is planned in long terms, and a pinned short-method 100 is refused."""
    device = spanning_tree({"show spanning-tree summary": capture("stp_summary/rapid_pvst_long.txt")})
    assert derive("sw1", bridging("Gi1/0/4"), SWITCHES, device=device)["stp"]["server_port_cost"] == 2000000
    with pytest.raises(SwitchError, match=r"server_port_cost: 100 is not above a 1 Gb/s port's cost \(20000\)"):
        derive("sw1", bridging("Gi1/0/4"), SWITCHES, settings=dict(server_port_cost=100), device=device)


def test_a_summary_whose_method_line_is_unknown_fails_the_derivation_naming_it():
    text = capture("stp_summary/rapid_pvst_long.txt")
    text = text.replace("Configured Pathcost method used is long", "Pathcost method configured: long")
    with pytest.raises(SwitchError, match="^switch_config: show spanning-tree summary: line 'Pathcost method "
                                          "configured: long' is a path-cost method line in a wording"):
        spanning_tree({"show spanning-tree summary": text})


def test_a_device_name_the_table_does_not_know_never_breaks_the_derivation():
    warnings = []
    existing = numbers([{"name": "Port-channel5", "members": [{"member": "Nve1/0/1"}, {"member": "Tw1/0/1"}]}],
                       warnings)
    assert existing == {"Nve1/0/1": 5, "TwoGigabitEthernet1/0/1": 5} and "'Nve1/0/1'" in warnings[0]
    cfg = derive("sw1", lacp_server("Tw1/0/1", "Tw1/0/2"), SWITCHES, existing_groups=existing)
    assert cfg["ports"]["TwoGigabitEthernet1/0/1"]["channel_group"] == 5


@pytest.mark.parametrize("servers, settings, match", [
    # command injection into the IOS CLI through a description
    (with_server(uplinks=[up("eth0\nshutdown", "sw1", "Gi1/0/9"), up("eth1", "sw2", "Gi1/0/9")]), {},
     r"web1 uplink interface 'eth0\\nshutdown' may only contain"),
    (with_server("web1\nshutdown"), {}, r"server 'web1\\nshutdown' may only contain .* IOS interface descriptions"),
    (with_server("web 1"), {}, "server 'web 1' may only contain"),
    (SERVERS, dict(ports=[dict(port="Fa0/9", server="db1", nic="eno1\r\nreload", mode="bond_alb")]),
     r"cisco_ios_ports\[0\].nic: 'eno1\\r\\nreload' may only contain"),
    (with_server(uplinks=[up("eth0", "sw1", "Gi1/0/9\nshutdown"), up("eth1", "sw2", "Gi1/0/9")]), {},
     "is not an IOS interface name"),
    # shapes that used to end in a Python exception
    (with_server(uplinks={"eth0": "sw1"}), {}, r"web1: uplinks must be a list of \{interface, switch, port\}"),
    (with_server(uplinks=["eth0"]), {}, "web1: uplinks must be a list"),
    # references that silently meant nothing
    (with_server(method="bond_lcap"), {}, "web1: redundancy_mode 'bond_lcap' is not a method"),
    (with_server(method=None), {}, "web1: redundancy_mode None is not a method"),
    (SERVERS, dict(stacked_with=["sw9"]), "cisco_ios_stacked_with: sw9 is not a switch of the inventory"),
    (SERVERS, dict(port_channels={"lacp9": 5}), "cisco_ios_port_channels: lacp9 is not a server of the inventory"),
    # logical interfaces are no cable
    (with_server(uplinks=[up("eth0", "sw1", "Port-channel1"), up("eth1", "sw2", "Gi1/0/9")]), {},
     "'Port-channel1' is a logical interface"),
    (with_server(uplinks=[up("eth0", "sw1", "Vlan10"), up("eth1", "sw2", "Gi1/0/9")]), {}, "is a logical interface"),
    (SERVERS, dict(ports=[dict(port="Loopback0", server="db1", mode="bond_alb")]), "is a logical interface"),
])
def test_inventory_mistakes_are_refused_naming_them(servers, settings, match):
    with pytest.raises(RedundantError, match=match):
        derive("sw1", servers, SWITCHES, settings=settings)


def test_link_ports_without_an_uplink_are_refused_and_unused_uplinks_left_alone():
    servers = with_server(ports=["eth0", "eth2"])
    with pytest.raises(SwitchError, match="web1: redundancy_links port eth2 has no uplink"):
        derive("sw1", servers, SWITCHES)
    servers = with_server(uplinks=[up("eth0", "sw1", "Gi1/0/9"), up("eth1", "sw2", "Gi1/0/9"),
                                   up("eno9", "sw1", "Gi1/0/10")], ports=["eth0", "eth1"])
    cfg = derive("sw1", servers, SWITCHES)
    assert "GigabitEthernet1/0/9" in cfg["ports"] and "GigabitEthernet1/0/10" not in cfg["ports"]
    assert cfg["warnings"] == ["web1 uplink eno9 (sw1 Gi1/0/10) is in no redundant link: left unconfigured"]
    lacp = dict(SERVERS, lacp1=dict(SERVERS["lacp1"], ports=["eth0"]))  # eth1's port gets no channel-group
    ports = derive("sw1", lacp, SWITCHES)["ports"]
    assert ports["FastEthernet0/1"]["channel_group"] and "FastEthernet0/2" not in ports


@pytest.mark.parametrize("settings, priority, match", [
    ({}, 0, "stp1: redundancy_links: priority 0 ties switch sw1's STP priority 0 .cisco_ios_stp_priority."),
    (dict(stp_root="secondary"), 4096, "priority 4096 ties switch sw1's STP priority 4096 .cisco_ios_stp_secondary"),
    (dict(stp_priority=8192, stp_secondary_priority=12288), 4096, "priority 4096 beats switch sw1's STP priority 8192"),
])
def test_a_bridging_server_that_could_become_root_is_refused(settings, priority, match):
    servers = dict(SERVERS, stp1=dict(SERVERS["stp1"], priority=priority))
    with pytest.raises(SwitchError, match=match):
        derive("sw1", servers, SWITCHES, settings=settings)


def test_the_default_bridge_priority_never_ties_a_switch():
    servers = dict(SERVERS, stp1=dict(SERVERS["stp1"], priority=61440))
    tight = dict(stp_root="secondary", stp_priority=53248, stp_secondary_priority=57344)
    for settings in ({}, dict(stp_root="secondary"), tight):
        assert derive("sw1", servers, SWITCHES, settings=settings)["stp"]["priority"] < 61440
    assert derive("sw1", servers, SWITCHES, settings=dict(stp_root="none"))["stp"]["priority"] is None
    with pytest.raises(SwitchError, match="priority 61440 ties switch sw1's STP priority 61440"):
        derive("sw1", servers, SWITCHES, settings=dict(stp_root="secondary", stp_secondary_priority=61440))
