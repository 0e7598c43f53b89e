"""Show output from real switches read against the derived configuration (tests/fixtures/ios/SOURCES.yml):
bundles, spanning trees and edge ports after a push, the switch's own uplinks before one, and the
archive IOS's revert timer restores from."""

from __future__ import annotations

import pytest

from ansible_collections.redundant.interfaces.plugins.module_utils import cabling
from ansible_collections.redundant.interfaces.plugins.module_utils.errors import SwitchError
from ansible_collections.redundant.interfaces.plugins.module_utils.switch_checks import check_archive, check_shown, check_uplinks, spanning
from ansible_collections.redundant.interfaces.plugins.module_utils.switchside import derive
from tests.unit.plugins.module_utils.switches import (
    MST1, RPVST, SERVERS, SWITCHES, bridging, capture, lacp_server, up,
)

ACCIDENT = "VLAN 10: the bridge priority is 32768, not the 0 pushed (cisco_ios_stp_priority): root by accident, not by the plan"


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


@pytest.mark.parametrize("servers, expected", [
    # rapid_pvst_vlan10: Gi1/0/4 "P2p Edge", Po1 "P2p"
    (dict(web1=dict(method="bond_active_backup", uplinks=[up("eth0", "sw1", "Gi1/0/4")])), []),
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


@pytest.mark.parametrize("servers, settings, device, name, expected", [
    # rapid-PVST+: this switch is root of VLAN 10 at priority 32768 (sys-id-ext 10), the server port Gi1/0/4 costs 20000
    (bridging("Gi1/0/4"), dict(access_vlan=10, stp_vlans=[10], stp_priority=32768, stp_secondary_priority=36864,
                               server_port_cost=20000), RPVST, "stp_tree/rapid_pvst_vlan10", []),
    # root, but by the lowest MAC at the default priority where the plan pushed 0: not the guarantee
    (bridging("Gi1/0/4"), dict(access_vlan=10, stp_vlans=[10], server_port_cost=20000), RPVST,
     "stp_tree/rapid_pvst_vlan10", [ACCIDENT]),
    (bridging("Gi1/0/4"), dict(access_vlan=10, stp_vlans=[10], server_port_cost=30000), RPVST,
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
    (bridging("Tw1/0/2"), dict(access_vlan=10, stp_vlans=[10], stp_root="none"), MST1,
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
    cfg = derive("sw1", bridging("Gi1/0/4"), SWITCHES, settings=dict(access_vlan=10, stp_vlans=[10]), device=RPVST)
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


# --- the switch's own uplinks, on real neighbour tables (tests/fixtures/ios/SOURCES.yml) ---------------------
def rows(name):
    protocol = "lldp" if name.startswith("lldp") else "cdp"
    return cabling.switch_rows([capture(name)] if protocol == "lldp" else [None, capture(name)], pytest.fail)


def ports_on(switch, **cabled):
    """derive() for one switch whose given ports (IOS names) each take server NIC eth0 of the server named."""
    servers = {server: dict(method="bond_active_backup", uplinks=[up("eth0", switch, port), up("eth1", "other", "Gi9/9")])
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


def test_a_push_under_the_revert_timer_needs_the_switchs_archive():
    cfg = derive("sw1", SERVERS, SWITCHES)
    assert cfg["revert_timer"] == 5  # on by default
    check_archive(cfg, {"show archive": capture("archive/ten_saved.txt")})
    check_archive(cfg, {})  # offline: nothing to read, nothing pushed
    check_archive(derive("sw1", SERVERS, SWITCHES, dict(revert_timer=0)),
                  {"show archive": capture("archive/not_enabled.txt")})
    with pytest.raises(SwitchError, match=r"cisco_ios_revert_timer: 5 min, but sw1 has no configuration archive, which "
                                          r"IOS's revert timer restores from .* or set cisco_ios_revert_timer: 0"):
        check_archive(cfg, {"show archive": capture("archive/not_enabled.txt")})
