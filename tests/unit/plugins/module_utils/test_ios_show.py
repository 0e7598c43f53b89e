"""The show-output readers on captures from real Catalyst and IOS-XE devices
(tests/fixtures/ios; each file's source is in SOURCES.yml)."""

from __future__ import annotations

import os
import re

import pytest
from ntc_templates.parse import parse_output

from ansible_collections.redundant.interfaces.plugins.module_utils import ios_show
from tests import helpers
from tests.helpers import FIXTURES

IOS = os.path.join(FIXTURES, "ios")


def capture(name):
    return helpers.capture("ios", name)


def test_every_capture_names_its_source():
    files = {os.path.relpath(os.path.join(d, f), IOS) for d, dummy, names in os.walk(IOS) for f in names
             if f.endswith(".txt")}
    assert files == set(helpers.sources("ios"))


# --- show etherchannel summary -------------------------------------------------------------------
def test_wrapped_member_lines_belong_to_their_group():
    groups = ios_show.etherchannel(capture("etherchannel/c6500_lacp_wrapped.txt"))
    assert sorted(groups) == [1, 3, 7, 13, 14, 51]
    assert list(groups[1]["members"]) == ["TenGigabitEthernet5/4", "TenGigabitEthernet5/5",
                                          "TenGigabitEthernet6/4", "TenGigabitEthernet6/5"]
    assert all(state == "bundled" for g in groups.values() for state in g["members"].values())


def test_a_member_after_a_hyphenated_flag_is_kept():
    text = capture("etherchannel/iosxe_hot_sby.txt")
    groups = ios_show.etherchannel(text)
    assert groups[2]["members"] == {"GigabitEthernet4": "bundled", "GigabitEthernet5": "hot-standby",
                                    "GigabitEthernet6": "bundled"}
    # why the parse is owned: the public template loses Gi6 here
    (dummy, row) = parse_output(platform="cisco_ios", command="show etherchannel summary", data=text)
    assert "Gi6" not in row["member_interface"]


def test_the_legend_ios_xe_prints_under_the_table_ends_it():
    groups = ios_show.etherchannel(capture("etherchannel/iosxe_legend_after.txt"))
    assert sorted(groups) == [1, 2] and groups[2]["members"]["GigabitEthernet5"] == "hot-standby"


def test_an_empty_table_with_the_legend_after_it_reads_as_no_port_channel():
    assert ios_show.etherchannel(capture("etherchannel/iosxe_legend_after_no_groups.txt")) == {}


def test_iosxe_words_and_tabs():
    groups = ios_show.etherchannel(capture("etherchannel/iosxe_bndl_tabs.txt"))
    assert groups == {10: dict(name="Port-channel10", flags="RU", protocol="lacp",
                               members={"TenGigabitEthernet0/0/2": "bundled", "TenGigabitEthernet0/0/3": "bundled"},
                               raw={"TenGigabitEthernet0/0/2": "bndl", "TenGigabitEthernet0/0/3": "bndl"})}


def test_protocols_and_member_states_of_a_stack():
    groups = ios_show.etherchannel(capture("etherchannel/cat9k_stack_states.txt"))
    assert groups[1]["protocol"] == "none" and groups[1]["members"] == {} and groups[1]["flags"] == "SD"
    assert groups[3]["members"] == {"TenGigabitEthernet2/0/1": "bundled", "TenGigabitEthernet2/0/2": "down",
                                    "TenGigabitEthernet2/0/3": "suspended", "TenGigabitEthernet3/0/1": "suspended",
                                    "TenGigabitEthernet3/0/2": "down", "TenGigabitEthernet3/0/3": "bundled"}
    assert list(groups[4]["members"]) == ["FiveGigabitEthernet1/0/5", "GigabitEthernet4/0/5"]
    assert ios_show.etherchannel(capture("etherchannel/cat_pagp.txt"))[10]["protocol"] == "pagp"
    assert ios_show.etherchannel(capture("etherchannel/iosxe_no_members.txt"))[2]["protocol"] == "none"


@pytest.mark.parametrize("change, message", [
    (lambda t: t.replace("Gi6(bndl)", "Gi6 bndl"), r"Gi5\(hot-sby\) Gi6 bndl' has 'Gi6 bndl', which is no member"),
    (lambda t: t.replace("in use: 2", "in use: 3"), "says 3 channel-groups are in use, 2 were read"),
    (lambda t: t.replace("LACP\t Gi4", "LAXP\t Gi4"), "has protocol 'LAXP'"),
    (lambda t: t.replace("------+", "======"), "no table"),
    (lambda t: t.replace("2\tPo2(RU)", "2\tPo3(RU)"), "pairs group 2 with Po3"),
])
def test_what_cannot_be_read_fails_the_read_never_drops_a_member(change, message):
    with pytest.raises(ios_show.ShowError, match=message):
        ios_show.etherchannel(change(capture("etherchannel/iosxe_hot_sby.txt")))


# --- spanning tree ----------------------------------------------------------------------------------
# edge: the defaults named "Portfast Edge BPDU Guard Default" (the releases that say `portfast edge`), or
# "PortFast BPDU Guard Default"
@pytest.mark.parametrize("name, mode, pathcost, edge", [
    ("pvst", "pvst", "short", False), ("rapid_pvst", "rapid-pvst", "short", True),
    ("mst_two_instances", "mst", "long", False), ("mst_single", "mst", "long", True),  # "short (Operational value is long)"
    ("rapid_pvst_padded_short", "rapid-pvst", "short", True),  # "Pathcost method used       is short"
    ("mst_long_without_configured", "mst", "long", True),  # "Pathcost method used is long", "(IEEE Standard)"
    ("rapid_pvst_long", "rapid-pvst", "long", False),  # Rapid-PVST+ with long costs: short would be the wrong guess
])
def test_the_summary_names_the_mode_the_operational_cost_method_and_the_portfast_wording(name, mode, pathcost, edge):
    expected = dict(mode=mode, pathcost=pathcost, portfast_edge=edge)
    assert ios_show.stp_summary(capture("stp_summary/%s.txt" % name)) == expected


@pytest.mark.parametrize("change, message", [
    (("Configured Pathcost method used is long", "Pathcost method in use: long"),
     r"line 'Pathcost method in use: long' is a path-cost method line in a wording this collection does not know"),
    (("Configured Pathcost method used is long", "Configured Pathcost method used is longer"), "is longer'"),
    (("Configured Pathcost method used is long", ""), "no 'Pathcost method used is short|long' line: the path-cost "
                                                      "method of a rapid-pvst switch cannot be known"),
])
def test_a_path_cost_line_that_is_not_read_fails_never_falls_back(change, message):
    with pytest.raises(ios_show.ShowError, match=message):
        ios_show.stp_summary(capture("stp_summary/rapid_pvst_long.txt").replace(*change))


def test_a_summary_without_a_mode_is_refused():
    with pytest.raises(ios_show.ShowError, match="no 'Switch is in ... mode' line"):
        ios_show.stp_summary("Extended system ID is enabled\n")
    with pytest.raises(ios_show.ShowError, match="names a mode"):
        ios_show.stp_summary("Switch is in mstp mode\n")


def test_the_mst_region_maps_vlans_to_instances():
    mapping = ios_show.mst_configuration(capture("stp_mst_configuration/two_instances.txt"))
    assert sorted(mapping) == [0, 10] and mapping[10] == list(range(100, 201))
    assert 99 in mapping[0] and 201 in mapping[0] and 150 not in mapping[0]


def test_a_vlan_tree_with_this_bridge_as_root():
    (tree,) = ios_show.stp_trees(capture("stp_tree/rapid_pvst_vlan10.txt"))
    assert (tree["vlan"], tree["is_root"], tree["root_priority"], tree["bridge_priority"]) == (10, True, 32778, 32778)
    assert tree["ports"]["GigabitEthernet1/0/4"]["cost"] == 20000 and tree["ports"]["Port-channel1"]["cost"] == 10000
    # the Type column: "P2p Edge" (portfast) and "P2p"
    assert tree["ports"]["GigabitEthernet1/0/4"]["edge"] and not tree["ports"]["Port-channel1"]["edge"]


def test_a_vlan_tree_rooted_over_a_port_channel():
    trees = ios_show.stp_trees(capture("stp_tree/rapid_pvst_two_vlans.txt"))
    assert [t["vlan"] for t in trees] == [200, 201]
    assert trees[0]["is_root"] is False and trees[0]["root_port"] == "Port-channel14"
    assert trees[0]["root_address"] == "58bf.eaff.e5b6"


def test_mst_instances_and_a_state_glued_to_its_cost():
    trees = ios_show.stp_trees(capture("stp_tree/mst_pvst_inconsistent.txt"))
    assert [(t["mst"], t["is_root"]) for t in trees] == [(0, False), (10, True)]
    assert trees[0]["ports"]["Port-channel14"] == dict(role="Desg", state="BKN", cost=6660, priority=128,
                                                       inconsistent=True, edge=False)


def test_show_spanning_tree_mst_on_two_gigabit_ports():
    (tree,) = ios_show.stp_trees(capture("stp_mst/mst1_two_gig.txt"))
    assert (tree["mst"], tree["vlans"][0], tree["vlans"][-1], tree["is_root"]) == (1, 2, 25, False)
    assert tree["root_port"] == "TwoGigabitEthernet1/0/23" and tree["root_priority"] == 4097
    assert tree["ports"]["TwoGigabitEthernet1/0/2"]["state"] == "BLK"


def test_a_port_row_that_cannot_be_read_fails_the_read():
    text = capture("stp_tree/rapid_pvst_vlan10.txt").replace("128.4 ", "128-4 ")
    with pytest.raises(ios_show.ShowError, match="Gi1/0/4.* is no Interface Role Sts Cost Prio.Nbr row"):
        ios_show.stp_trees(text, "show spanning-tree vlan 10")


# --- show lldp|cdp neighbors detail ---------------------------------------------------------------
def test_lldp_detail_neighbours_by_port_with_what_they_advertise():
    rows = ios_show.neighbors_detail(capture("lldp_neighbors_detail/juniper_hp_aruba.txt"), "lldp")
    assert [(r["local"], r["device"], r["port_id"], r["port_descr"]) for r in rows] == [
        ("GigabitEthernet1/0/2", None, "502", "ge-0/0/0.0"),  # System Name - not advertised
        ("GigabitEthernet1/0/1", "HpSwitch", "94f1.2879.5555", "13"),
        ("GigabitEthernet1/0/9", "44:48:c1:c4:dd:dd", "4448.c1c4.dddd", "eth0")]
    assert rows[1]["mgmt"] == "192.168.1.81" and rows[0]["mgmt"] is None and rows[0]["via"] == "LLDP"


def test_lldp_detail_from_ios_xe_with_an_fqdn():
    row, = ios_show.neighbors_detail(capture("lldp_neighbors_detail/iosxe_fqdn_vlan.txt"), "lldp")
    assert (row["local"], row["device"], row["port_id"], row["chassis"]) == (
        "Ethernet0/0", "SW-MGMT.cisco.com", "Et0/1", "aabb.cc00.0300")


def test_cdp_detail_names_the_servers_nic_as_its_port():
    rows = ios_show.neighbors_detail(capture("cdp_neighbors_detail/cat4500_fqdn_linux_host.txt"), "cdp")
    assert len(rows) == 9 and {r["via"] for r in rows} == {"CDP"}
    host, = [r for r in rows if r["device"] == "Linux-host"]
    assert (host["local"], host["port_id"], host["port_descr"]) == ("GigabitEthernet1/0/11", "eth0", "eth0")
    assert rows[1]["local"] == "GigabitEthernet1/1" and rows[-1]["port_id"] == "Port 1"


def test_a_cdp_entry_without_a_version_block_is_read():
    text = capture("cdp_neighbors_detail/c9500_entry_without_version.txt")
    rows = ios_show.neighbors_detail(text, "cdp")
    spines = [("GigabitEthernet1/0/33", "Spine-01"), ("GigabitEthernet1/0/34", "Spine-01")]
    assert [(r["local"], r["device"]) for r in rows][2:4] == spines
    assert len(rows) == 5 and rows[3]["port_id"] == "TenGigabitEthernet1/0/34" and rows[3]["mgmt"] == "172.16.23.2"
    # why the reader is owned: the public template drops the entry without "Version :", and a cable with it
    public = parse_output(platform="cisco_ios", command="show cdp neighbors detail", data=text)
    assert "GigabitEthernet1/0/34" not in [row["local_interface"] for row in public]


@pytest.mark.parametrize("text, protocol, first", [
    (capture("stp_summary/pvst.txt"), "lldp", "Switch is in pvst mode"),  # another command's answer
    (capture("etherchannel/iosxe_hot_sby.txt"), "cdp", None),
])
def test_an_answer_that_is_no_neighbour_table_is_refused_naming_how_it_begins(text, protocol, first):
    """Text with neither an entry nor the total line is not read as "no neighbours" (the cabling step would
    see nothing of the switch without a word); an empty answer still is."""
    said = [line.strip() for line in text.splitlines() if line.strip()]
    with pytest.raises(ios_show.ShowError, match="^show %s neighbors detail: no neighbour entry and no 'Total entries "
                                                 "displayed' line in the answer \\(it begins '%s'\\)"
                                                 % (protocol, re.escape(first or said[0]))):
        ios_show.neighbors_detail(text, protocol)
    assert ios_show.neighbors_detail("", protocol) == [] and ios_show.neighbors_detail("\n\n", protocol) == []


def test_cdp_detail_after_the_summary_table_and_prompts():
    row, = ios_show.neighbors_detail(capture("cdp_neighbors_detail/vios_with_summary.txt"), "cdp")
    assert (row["local"], row["device"], row["port_id"], row["mgmt"]) == (
        "GigabitEthernet0/3", "vIOS-L2-1", "GigabitEthernet0/3", None)


def test_cdp_detail_without_dashes_first_and_a_port_id_with_a_space():
    rows = ios_show.neighbors_detail(capture("cdp_neighbors_detail/meraki_port_0.txt"), "cdp")
    expected = [("GigabitEthernet3/0/29", "Port 0"), ("GigabitEthernet1/0/47", "GigabitEthernet0/0/2")]
    assert [(r["local"], r["port_id"]) for r in rows] == expected


@pytest.mark.parametrize("protocol, name, change, message", [
    ("cdp", "cdp_neighbors_detail/c9500_entry_without_version.txt",
     ("Interface: GigabitEthernet1/0/34,  Port ID (outgoing port): TenGigabitEthernet1/0/34", "Interface: Gi1/0/34"),
     "show cdp neighbors detail: entry 'Device ID: Spine-01' cannot be read"),
    ("cdp", "cdp_neighbors_detail/c9500_entry_without_version.txt", ("displayed : 5", "displayed : 6"),
     "the switch says 6 entries, 5 were read"),
    ("lldp", "lldp_neighbors_detail/juniper_hp_aruba.txt", ("Port id: 502", "Port id - not advertised"),
     "show lldp neighbors detail: entry 'Local Intf: Gi1/0/2' cannot be read"),
])
def test_a_neighbour_entry_that_cannot_be_read_fails_the_read_quoting_it(protocol, name, change, message):
    with pytest.raises(ios_show.ShowError, match=re.escape(message)):
        ios_show.neighbors_detail(capture(name).replace(*change), protocol)


@pytest.mark.parametrize("protocol, answer", [
    ("lldp", "% LLDP is not enabled\n"),
    ("cdp", "% CDP is not enabled\n"),
    ("lldp", "                   ^\n% Invalid input detected at '^' marker.\n"),
])
def test_a_switch_without_the_protocol_is_named(protocol, answer):
    with pytest.raises(ios_show.ShowError, match="show %s neighbors detail: the switch answered .* run`" % protocol):
        ios_show.neighbors_detail(answer, protocol)


def test_no_neighbours():
    assert ios_show.neighbors_detail("\nTotal entries displayed: 0\n\n", "lldp") == []
    assert ios_show.neighbors_detail("", "cdp") == []


def test_what_each_neighbour_advertises_is_read_in_words():
    lldp = ios_show.neighbors_detail(capture("lldp_neighbors_detail/juniper_hp_aruba.txt"), "lldp")
    # "Enabled Capabilities: B,R" and so on; not the LLDP-MED block's own "Capabilities: NP, LI, PS"
    assert [r["capabilities"] for r in lldp] == [["bridge", "router"], ["bridge"], ["wlan"]]
    cdp = ios_show.neighbors_detail(capture("cdp_neighbors_detail/c2960_server_eth0.txt"), "cdp")
    assert [(r["device"], r["capabilities"]) for r in cdp] == [
        ("desktop-switch", ["igmp", "switch"]), ("ce-router", ["igmp", "router", "switch"]), ("server", ["host"])]


def test_the_archive_a_revert_timer_needs_is_read_from_show_archive():
    assert ios_show.archive_path(capture("archive/ten_saved.txt")) == "flash:002-rtr-1-Mar-18-20-30-52.969-CDT-10"
    assert ios_show.archive_path(capture("archive/not_enabled.txt")) is None
