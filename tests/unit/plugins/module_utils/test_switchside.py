"""Switch config derived from the server inventory; what it refuses."""

from __future__ import annotations

import pytest

from ansible_collections.redundant.interfaces.plugins.module_utils import cabling
from ansible_collections.redundant.interfaces.plugins.module_utils.errors import RedundantError
from ansible_collections.redundant.interfaces.plugins.module_utils.errors import SwitchError
from ansible_collections.redundant.interfaces.plugins.module_utils.ios_names import normalize as normalize_interface
from ansible_collections.redundant.interfaces.plugins.module_utils.switch_checks import (
    check_archive,
    check_shown,
    check_uplinks,
    spanning,
)
from ansible_collections.redundant.interfaces.plugins.module_utils.switch_render import resources
from ansible_collections.redundant.interfaces.plugins.module_utils.switchside import (
    channel_numbers,
    derive,
    members_on_device,
    spanning_tree,
)
from tests import helpers

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
        more["new%d" % i] = dict(mode="bond_lacp", uplinks=[up("eth0", "sw1", "Gi2/0/%d" % (2 * i + 1)),
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


@pytest.mark.parametrize("name, full", [
    ("Gi1/0/1", "GigabitEthernet1/0/1"), ("gi1/0/1", "GigabitEthernet1/0/1"), ("Fa0/23", "FastEthernet0/23"),
    ("Te1/1/1", "TenGigabitEthernet1/1/1"), ("Po3", "Port-channel3"), ("FastEthernet0/1", "FastEthernet0/1"),
    ("Twe1/0/1", "TwentyFiveGigE1/0/1"), ("Hu1/0/49", "HundredGigE1/0/49"),
    ("Tw1/0/1", "TwoGigabitEthernet1/0/1"), ("Fi1/0/5", "FiveGigabitEthernet1/0/5"), ("Fo1/1/1", "FortyGigabitEthernet1/1/1"),
])
def test_interface_names_are_normalized(name, full):
    assert normalize_interface(name) == full


@pytest.mark.parametrize("name", ["G1/0/1", "Serial0/0", "xe-0/0/0", "Gi", "1/0/1", "", "Twen1/0/1", "T1/0/1"])
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


def test_secondary_root_and_no_root():
    secondary = derive("sw2", SERVERS, SWITCHES, settings=dict(stp_root="secondary"))
    assert resources(secondary)["global_lines"] == ["spanning-tree vlan 1 priority 4096"]
    untouched = derive("sw2", SERVERS, SWITCHES, settings=dict(stp_root="none"))
    assert resources(untouched)["global_lines"] == []


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


def numbers(gathered, warnings=None):
    """{member port: channel-group number} of ios_lag_interfaces' gathered state, as the action hands it on."""
    return channel_numbers(members_on_device(gathered, warnings))


def test_members_on_device_reads_gathered_lag_interfaces():
    gathered = [{"name": "Port-channel3", "members": [{"member": "GigabitEthernet1/0/1", "mode": "active"},
                                                      {"member": "Gi1/0/2", "mode": "passive"}]},
                {"name": "Port-channel9", "members": [{}]}]
    assert members_on_device(gathered) == {"GigabitEthernet1/0/1": (3, "active"), "GigabitEthernet1/0/2": (3, "passive")}


# ios_lag_interfaces (cisco.ios 11.6) gathered from a device that lists each Port-channel interface
# after its members: every channel a second time without members (the lab's fleet of 25 servers
# showed it, two LACP servers on one switch: the no-op run sent both channels again)
TWICE = [{"name": "Port-channel12", "members": [{"member": "FastEthernet0/9", "mode": "active"},
                                                {"member": "FastEthernet0/10", "mode": "active"}]},
         {"name": "Port-channel42", "members": [{"member": "FastEthernet0/1", "mode": "active"},
                                                {"member": "FastEthernet0/2", "mode": "active"}]},
         {"name": "Port-channel12", "members": [{}]}, {"name": "Port-channel42", "members": [{}]}]


def test_a_channel_the_switch_has_whole_is_not_sent_again():
    servers = dict(lacp_server("Fa0/9", "Fa0/10", name="db1"), **lacp_server("Fa0/1", "Fa0/2", name="db2"))
    existing = members_on_device(TWICE)
    cfg = derive("sw1", servers, SWITCHES, existing_groups=numbers(TWICE))
    assert {p["channel_group"] for p in cfg["ports"].values()} == {12, 42}  # the device's numbers kept
    assert resources(cfg, existing)["lag_interfaces"] == []
    assert len(resources(cfg)["lag_interfaces"]) == 2  # nothing known of the device: both sent
    # a member missing, or in another mode: that channel is sent, whole; the other is not
    partly = dict(existing, **{"FastEthernet0/10": (12, "passive")})
    del partly["FastEthernet0/2"]
    assert [pc["name"] for pc in resources(cfg, partly)["lag_interfaces"]] == ["Port-channel12", "Port-channel42"]
    assert [pc["name"] for pc in resources(cfg, dict(existing, **{"FastEthernet0/10": (12, "passive")}))[
        "lag_interfaces"]] == ["Port-channel12"]


def capture(name):
    return helpers.capture("ios", name)


def lacp_server(*ports, switch="sw1", name="db1"):
    return {name: dict(mode="bond_lacp", uplinks=[up("eth%d" % i, switch, p) for i, p in enumerate(ports)])}


def verdict(servers, capture_name, settings=None, device=None, partners=True):
    settings = dict(dict(portfast=False), **settings or {}, stp_root="none")  # portfast: its own tests
    cfg = derive("sw1", servers, SWITCHES, settings=settings, device=device)
    shown = {"show etherchannel summary": capture(capture_name)} if capture_name.startswith("etherchannel") else {
        command: capture(capture_name) for command in cfg["stp"]["commands"]}
    return check_shown(cfg, shown, partners=partners)


# (servers, Port-channel pinned, capture, the problems expected: none means the switch is healthy)
@pytest.mark.parametrize("ports, group, name, expected", [
    (("Te5/4", "TenGigabitEthernet6/4"), 1, "c6500_lacp_wrapped", []),  # Te6/4 sits on a wrapped line
    (("Te2/0/1", "Te3/0/3"), 3, "cat9k_stack_states", []),  # stack members of one switch
    (("Te2/0/1", "Te2/0/3"), 3, "cat9k_stack_states",
     ["Port-channel3: TenGigabitEthernet2/0/3 is not bundled (suspended, flag s)"]),
    (("Gi4", "Gi6"), 2, "iosxe_hot_sby", []),  # Gi6 follows a hyphenated flag
    (("Gi5", "Gi6"), 2, "iosxe_hot_sby", ["Port-channel2: GigabitEthernet5 is not bundled (hot-standby, flag hot-sby)"]),
    (("Te0/0/2", "Te0/0/3"), 10, "iosxe_bndl_tabs", []),
    (("Gi1/0/15", "Gi1/0/16"), 10, "cat_pagp", ["Port-channel10 is bundled by PAgP, not LACP (the server runs 802.3ad)"]),
    (("Gi2", "Gi3"), 2, "iosxe_no_members",
     ["Port-channel2 is bundled by no protocol (mode on), not LACP (the server runs 802.3ad)",
      "Port-channel2: GigabitEthernet2 is not bundled (not a member)",
      "Port-channel2: GigabitEthernet3 is not bundled (not a member)"]),
    (("Fi1/0/5", "Te2/0/4"), 4, "cat9k_stack_states",
     ["Port-channel4 is not in use (flags RD)", "Port-channel4: FiveGigabitEthernet1/0/5 is not bundled (down, flag D)",
      "Port-channel4: TenGigabitEthernet2/0/4 is not bundled (not a member)"]),
])
def test_bundles_on_real_captures(ports, group, name, expected):
    problems, notes = verdict(lacp_server(*ports), "etherchannel/%s.txt" % name, dict(port_channels={"db1": group}))
    assert problems == expected
    assert any(note.startswith("Port-channel%d " % group) for note in notes)


def test_a_member_waiting_for_the_server_right_after_a_push():
    servers = lacp_server("Fi1/0/5", "Gi4/0/5")
    assert verdict(servers, "etherchannel/cat9k_stack_states.txt", dict(port_channels={"db1": 4}), partners=False) \
        == ([], ["Port-channel4 (db1 bond (LACP)): FiveGigabitEthernet1/0/5, GigabitEthernet4/0/5 waiting for the "
                 "server's LACP", "Port-channel4 RD LACP: Fi1/0/5(D) Gi4/0/5(D)"])


def test_a_bonds_ports_are_edge_ports_and_a_bridging_servers_never():
    servers = dict(bridging("Twe1/0/1", 1), **lacp_server("Tw1/0/1", "Tw1/0/2"),
                   web1=dict(mode="bond_active_backup", uplinks=[up("eth0", "sw1", "Gi1/0/7")]))

    def lines(settings=None, device=None):
        cfg = derive("sw1", servers, SWITCHES, settings=dict(settings or {}, port_channels={"db1": 4}), device=device)
        return {entry["parents"][0]: entry["lines"] for entry in resources(cfg)["port_lines"]}

    offline = lines()
    assert offline["interface GigabitEthernet1/0/7"] == ["spanning-tree portfast"]
    assert offline["interface Port-channel4"] == ["spanning-tree portfast"]
    assert offline["interface TwoGigabitEthernet1/0/1"] == ["channel-protocol lacp", "lacp rate fast"]  # STP runs on its Port-channel
    assert "interface TwentyFiveGigE1/0/1" not in offline  # a bridging server: never portfast
    assert lines(dict(trunk_vlans=[10, 20]))["interface GigabitEthernet1/0/7"] == ["spanning-tree portfast trunk"]
    # a switch whose summary names "Portfast Edge" defaults takes the `edge` wording
    xe = lines(dict(trunk_vlans=[10]), dict(RPVST, portfast_edge=True))
    assert xe["interface Port-channel4"] == ["spanning-tree portfast edge trunk"]
    assert not [line for entry in lines(dict(portfast=False)).values() for line in entry if "portfast" in line]


@pytest.mark.parametrize("servers, expected", [
    # rapid_pvst_vlan10: Gi1/0/4 "P2p Edge", Po1 "P2p"
    (dict(web1=dict(mode="bond_active_backup", uplinks=[up("eth0", "sw1", "Gi1/0/4")])), []),
    (lacp_server("Gi1/0/5", "Gi1/0/6"),
     ["VLAN 10: Port-channel1 (db1 bond (LACP)) is not an edge port (no Edge in its row), though it has portfast "
      "(cisco_ios_portfast): it heard BPDUs, so a bridge is behind it, or the switch ignores the line; it listens "
      "and learns for twice the forward delay whenever its link returns"]),
])
def test_an_edge_port_is_read_from_the_type_column_of_a_real_capture(servers, expected):
    pinned = {"db1": 1} if "db1" in servers else {}
    cfg = derive("sw1", servers, SWITCHES, settings=dict(access_vlan=10, stp_root="none", port_channels=pinned))
    assert cfg["stp"]["commands"] == ["show spanning-tree vlan 10"]
    problems, notes = check_shown(cfg, {"show spanning-tree vlan 10": capture("stp_tree/rapid_pvst_vlan10.txt"),
                                        "show etherchannel summary": "Group  Port-channel  Protocol    Ports\n"
                                        "------+-------------+-----------+------\n1      Po1(SU)         LACP      "
                                        "Gi1/0/5(P)     Gi1/0/6(P)\n"})
    assert problems == expected, notes


def bridging(port, vlan):
    return dict(stp1=dict(mode="bridge_stp", uplinks=[up("eth0", "sw1", port), up("eth1", "sw2", "Gi1/0/9")]))


MST1 = dict(mode="mst", pathcost="long", mst={0: [1] + list(range(26, 4095)), 1: list(range(2, 26))})


RPVST = dict(mode="rapid-pvst", pathcost="short", mst=None)
ACCIDENT = "VLAN 10: the bridge priority is 32768, not the 0 pushed (cisco_ios_stp_priority): root by accident, not by the plan"


@pytest.mark.parametrize("servers, settings, device, name, expected", [
    # rapid-PVST+: this switch is root of VLAN 10 at priority 32768 (sys-id-ext 10), the server port Gi1/0/4 costs 20000
    (bridging("Gi1/0/4", 10), dict(access_vlan=10, stp_vlans=[10], stp_priority=32768, stp_secondary_priority=36864,
                                   server_port_cost=20000), RPVST, "stp_tree/rapid_pvst_vlan10", []),
    # root, but by the lowest MAC at the default priority where the plan pushed 0: not the guarantee
    (bridging("Gi1/0/4", 10), dict(access_vlan=10, stp_vlans=[10], server_port_cost=20000), RPVST,
     "stp_tree/rapid_pvst_vlan10", [ACCIDENT]),
    (bridging("Gi1/0/4", 10), dict(access_vlan=10, stp_vlans=[10], server_port_cost=30000), RPVST,
     "stp_tree/rapid_pvst_vlan10", [ACCIDENT, "VLAN 10: GigabitEthernet1/0/4 has STP cost 20000, not 30000"]),
    ({}, dict(stp_vlans=[200], stp_root="primary"), RPVST, "stp_tree/rapid_pvst_two_vlans",
     ["VLAN 200: the bridge priority is 28672, not the 0 pushed (cisco_ios_stp_priority)",
      "VLAN 200: this switch should be the STP root, but the root is 58bf.eaff.e5b6 (priority 24776) via "
      "Port-channel14"]),
    # MST: VLAN 10 is in instance 1, whose root is elsewhere; the server's 2.5G port shows 20000
    ({}, dict(stp_vlans=[10], stp_root="primary"), MST1, "stp_mst/mst1_two_gig",
     ["MST1: the bridge priority is 32768, not the 0 pushed (cisco_ios_stp_priority)",
      "MST1: this switch should be the STP root, but the root is 40b5.c11e.e000 (priority 4097) via "
      "TwoGigabitEthernet1/0/23"]),
    # a secondary whose 4096 was never pushed: it would not take over when the primary goes
    ({}, dict(stp_vlans=[10], stp_root="secondary"), MST1, "stp_mst/mst1_two_gig",
     ["MST1: the bridge priority is 32768, not the 4096 pushed (cisco_ios_stp_secondary_priority)"]),
    ({}, dict(stp_vlans=[10], stp_root="secondary", stp_priority=28672, stp_secondary_priority=32768), MST1,
     "stp_mst/mst1_two_gig", []),
    (bridging("Tw1/0/2", 10), dict(access_vlan=10, stp_vlans=[10], stp_root="none"), MST1,
     "stp_mst/mst1_two_gig", ["MST1: TwoGigabitEthernet1/0/2 has STP cost 20000, not 2000000"]),
])
def test_spanning_trees_on_real_captures(servers, settings, device, name, expected):
    cfg = derive("sw1", servers, SWITCHES, settings=settings, device=device)
    problems, dummy = check_shown(cfg, {command: capture(name + ".txt") for command in cfg["stp"]["commands"]})
    assert problems == expected


def test_the_ports_a_real_switch_blocks_and_the_trees_it_is_root_of():
    cfg = derive("sw1", {}, SWITCHES, settings=dict(stp_vlans=[10], stp_root="primary"), device=MST1)
    shown = {command: capture("stp_mst/mst1_two_gig.txt") for command in cfg["stp"]["commands"]}
    # "Tw1/0/2 Altn BLK" in the capture; MST1's root is 40b5.c11e.e000, another switch
    assert spanning(cfg, shown) == dict(blocking=["TwoGigabitEthernet1/0/2"], root_of=[])
    cfg = derive("sw1", bridging("Gi1/0/4", 10), SWITCHES, settings=dict(access_vlan=10, stp_vlans=[10]), device=RPVST)
    shown = {command: capture("stp_tree/rapid_pvst_vlan10.txt") for command in cfg["stp"]["commands"]}
    assert spanning(cfg, shown) == dict(blocking=[], root_of=["VLAN 10"])  # "This bridge is the root"
    with pytest.raises(SwitchError, match="^switch_verify: the output of .* is missing"):
        spanning(cfg, {})


def test_what_the_verification_cannot_read_is_refused_naming_the_line():
    cfg = derive("sw1", lacp_server("Gi5", "Gi6"), SWITCHES, settings=dict(port_channels={"db1": 2}, stp_root="none"))
    text = capture("etherchannel/iosxe_hot_sby.txt").replace("Gi6(bndl)", "Gi6[bndl]")
    with pytest.raises(SwitchError, match=r"^switch_verify: show etherchannel summary: line .*Gi6\[bndl\]"):
        check_shown(cfg, {"show etherchannel summary": text})
    with pytest.raises(SwitchError, match="^switch_verify: the output of 'show etherchannel summary' is missing"):
        check_shown(cfg, {})


def test_the_mode_decides_the_commands():
    servers = dict(bridging("Twe1/0/1", 1), **lacp_server("Tw1/0/1", "Tw1/0/2"))
    pvst = resources(derive("sw1", servers, SWITCHES))
    assert pvst["global_lines"] == ["spanning-tree vlan 1 priority 0"]
    assert {"name": "TwentyFiveGigE1/0/1", "mode": "access", "access": {"vlan": 1},
            "spanning_tree": {"cost": 100}} in pvst["l2_interfaces"]
    region = dict(mode="mst", pathcost="long", mst={0: list(range(1, 10)) + list(range(21, 4095)),
                                                    1: list(range(10, 21))})
    cfg = derive("sw1", servers, SWITCHES, settings=dict(stp_vlans=[1, 10], access_vlan=10), device=region)
    mst = resources(cfg)
    assert mst["global_lines"] == ["spanning-tree mst 0 priority 0", "spanning-tree mst 1 priority 0"]
    assert dict(parents=["interface TwentyFiveGigE1/0/1"], lines=["spanning-tree mst 1 cost 2000000"]) \
        in mst["port_lines"]
    assert not any("spanning_tree" in entry for entry in mst["l2_interfaces"])  # no PVST cost in MST mode
    assert cfg["stp"]["commands"] == ["show spanning-tree mst 0", "show spanning-tree mst 1"]
    assert dict(parents=["interface TwoGigabitEthernet1/0/1"], lines=["channel-protocol lacp", "lacp rate fast"]) in mst["port_lines"]


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
        derive("sw1", bridging("Gi1/0/4", 1), SWITCHES, settings=settings, device=device)


def test_offline_plans_follow_the_expected_mode():
    cfg = derive("sw1", bridging("Gi1/0/4", 1), SWITCHES, settings=dict(stp_mode="mst"))
    assert (cfg["stp"]["mode"], cfg["stp"]["server_port_cost"], cfg["stp"]["trees"]) == ("mst", 2000000, [0])
    assert derive("sw1", bridging("Gi1/0/4", 1), SWITCHES)["stp"]["server_port_cost"] == 100


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
    assert derive("sw1", bridging("Gi1/0/4", 1), SWITCHES, device=device)["stp"]["server_port_cost"] == 2000000
    with pytest.raises(SwitchError, match=r"server_port_cost: 100 is not above a 1 Gb/s port's cost \(20000\)"):
        derive("sw1", bridging("Gi1/0/4", 1), SWITCHES, settings=dict(server_port_cost=100), device=device)


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


def with_server(name="web1", **info):
    entry = dict(dict(mode="bond_alb", uplinks=[up("eth0", "sw1", "Gi1/0/9"), up("eth1", "sw2", "Gi1/0/9")]), **info)
    return dict(SERVERS, **{name: entry})


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
    (with_server(mode="bond_lcap"), {}, "web1: redundancy_mode 'bond_lcap' is not a method"),
    (with_server(mode=None), {}, "web1: redundancy_mode None is not a method"),
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


def test_descriptions_are_safe_by_construction():
    commands = resources(derive("sw1", with_server("web-1.example"), SWITCHES))
    text = repr(commands)
    assert "web-1.example eth0 (bond_alb)" in text
    assert not any(ord(c) < 32 for c in str(commands))


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


# --- the switch's own uplinks, on real neighbour tables (tests/fixtures/ios/SOURCES.yml) ---------------------
def rows(name):
    protocol = "lldp" if name.startswith("lldp") else "cdp"
    return cabling.switch_rows([helpers.capture("ios", name)] if protocol == "lldp" else
                               [None, helpers.capture("ios", name)], pytest.fail)


def ports_on(switch, **cabled):
    """derive() for one switch whose given ports (IOS names) each take server NIC eth0 of the server named."""
    servers = {server: dict(mode="bond_active_backup", uplinks=[up("eth0", switch, port), up("eth1", "other", "Gi9/9")])
               for port, server in cabled.items()}
    return derive(switch, servers, [switch, "other"])


def test_a_server_port_the_switch_sees_a_switch_on_is_refused():
    # c2960: desktop-switch (CDP: Switch IGMP) on Gi1/0/16, a Linux server on Gi1/0/19
    found = rows("cdp_neighbors_detail/c2960_server_eth0.txt")
    check_uplinks(ports_on("c2960", **{"GigabitEthernet1/0/19": "server"}), found, ["c2960", "other"])
    with pytest.raises(SwitchError, match=r"cisco_ios: c2960 GigabitEthernet1/0/16 leads to desktop-switch \(advertising "
                                          r"switch, CDP\), not to web1's eth0: a link to another switch is never "
                                          r"configured as a server port .*; correct web1's uplinks"):
        check_uplinks(ports_on("c2960", **{"GigabitEthernet1/0/16": "web1"}), found, ["c2960", "other"])


def test_a_switch_of_the_inventory_is_known_by_its_names_whatever_it_advertises():
    found = rows("lldp_neighbors_detail/juniper_hp_aruba.txt")  # HpSwitch on Gi1/0/1
    cfg = ports_on("core", **{"GigabitEthernet1/0/1": "web1"})
    with pytest.raises(SwitchError, match=r"leads to HpSwitch \(a switch of the inventory, LLDP\)"):
        check_uplinks(cfg, found, {"core": {}, "access-7": dict(names=["HpSwitch"])})


def test_a_server_that_bridges_or_routes_is_its_own_neighbour_not_a_switch():
    # SW-MGMT.cisco.com advertises B,R on Ethernet0/0: a server of that name may (a bridge_stp server does)
    found = rows("lldp_neighbors_detail/iosxe_fqdn_vlan.txt")
    check_uplinks(ports_on("sw1", **{"Ethernet0/0": "sw-mgmt"}), found, ["sw1", "other"])
    with pytest.raises(SwitchError, match="advertising bridge, router, LLDP"):
        check_uplinks(ports_on("sw1", **{"Ethernet0/0": "web9"}), found, ["sw1", "other"])


def test_a_neighbour_table_the_switch_cannot_give_is_only_warned_about():
    warned = []
    assert cabling.switch_rows(["% LLDP is not enabled\n", "% CDP is not enabled\n"], warned.append) == []
    assert len(warned) == 2 and "LLDP is not enabled" in warned[0]


def test_a_push_under_the_revert_timer_needs_the_switchs_archive():
    cfg = derive("sw1", SERVERS, SWITCHES)
    assert cfg["revert_timer"] == 5  # on by default
    check_archive(cfg, {"show archive": helpers.capture("ios", "archive", "ten_saved.txt")})
    check_archive(cfg, {})  # offline: nothing to read, nothing pushed
    check_archive(derive("sw1", SERVERS, SWITCHES, dict(revert_timer=0)),
                  {"show archive": helpers.capture("ios", "archive", "not_enabled.txt")})
    with pytest.raises(SwitchError, match=r"cisco_ios_revert_timer: 5 min, but sw1 has no configuration archive, which "
                                          r"IOS's revert timer restores from .* or set cisco_ios_revert_timer: 0"):
        check_archive(cfg, {"show archive": helpers.capture("ios", "archive", "not_enabled.txt")})
