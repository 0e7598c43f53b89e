"""Cables from the wire against the inventory, on real lldpd and IOS captures
(tests/fixtures/lldpd, tests/fixtures/ios) and on neighbours shaped as the lab's switches send them."""

from __future__ import annotations

import re

import pytest

from ansible_collections.redundant.interfaces.plugins.module_utils import cabling, ios_names, ios_show, lldp
from tests.helpers import capture

SWITCHES = ["sw1", "sw2"]


def heard(system_name, port_id, port_type="local", descr=None, chassis="00:00:0c:00:00:01"):
    """One neighbour as lldp.parse returns it (a switch of the lab: the port id is the IOS short name)."""
    return dict(via="LLDP", system_name=system_name, system_descr=None, chassis_id=chassis, chassis_id_type="mac",
                port_id=port_id, port_id_type=port_type, port_descr=descr, mgmt=[], vlan=1, capabilities=["bridge"])


INVENTORY = [dict(interface="eth0", switch="sw1", port="GigabitEthernet1/0/3"),
             dict(interface="eth1", switch="sw2", port="Twe1/1/3")]
RIGHT = {"eth0": [heard("sw1", "Gi1/0/3")], "eth1": [heard("sw2.lab.example", "Twe1/1/3", chassis="x")]}


def checked(neighbours, inventory=tuple(INVENTORY), shown=None, nics=()):
    return cabling.check(None if inventory is None else list(inventory),
                         cabling.wire("backup1", neighbours, shown, SWITCHES), nics)


def test_the_wire_agrees_with_the_inventory():
    result = checked(RIGHT)
    assert result["problems"] == []
    assert result["summary"] == ["eth0: sw1 GigabitEthernet1/0/3 (inventory agrees)",
                                 "eth1: sw2 TwentyFiveGigE1/1/3 (inventory agrees)"]
    assert cabling.verdict("backup1", result, "strict") == []


def test_swapped_cables_name_each_nic_and_refuse_the_host():
    result = checked({"eth0": RIGHT["eth1"], "eth1": RIGHT["eth0"]})
    assert result["problems"] == [
        "eth0: inventory sw1 GigabitEthernet1/0/3, wire sw2 TwentyFiveGigE1/1/3",
        "eth1: inventory sw2 TwentyFiveGigE1/1/3, wire sw1 GigabitEthernet1/0/3"]
    with pytest.raises(cabling.CablingError) as refused:
        cabling.verdict("backup1", result, "strict")
    assert str(refused.value) == (
        "cabling: backup1 is refused before any change, the wire disagrees with the inventory:\n"
        "  eth0: inventory sw1 GigabitEthernet1/0/3, wire sw2 TwentyFiveGigE1/1/3\n"
        "  eth1: inventory sw2 TwentyFiveGigE1/1/3, wire sw1 GigabitEthernet1/0/3")
    assert cabling.verdict("backup1", result, "warn") == [
        "cabling: backup1: eth0: inventory sw1 GigabitEthernet1/0/3, wire sw2 TwentyFiveGigE1/1/3",
        "cabling: backup1: eth1: inventory sw2 TwentyFiveGigE1/1/3, wire sw1 GigabitEthernet1/0/3"]


def test_another_port_on_the_same_switch():
    result = checked(dict(RIGHT, eth0=[heard("sw1", "Gi1/0/4")]))
    assert result["problems"] == ["eth0: inventory sw1 GigabitEthernet1/0/3, wire sw1 GigabitEthernet1/0/4"]


def test_a_nic_with_no_neighbour():
    result = checked({"eth0": RIGHT["eth0"]})
    assert result["problems"] == ["eth1: inventory sw2 TwentyFiveGigE1/1/3, wire no LLDP or CDP neighbour"]
    assert result["summary"][1] == "eth1: no LLDP or CDP neighbour (inventory: sw2 TwentyFiveGigE1/1/3)"


def test_a_neighbour_that_is_no_switch_of_the_inventory():
    """A real H3C access switch's capture on the NIC the inventory puts on sw1."""
    seen = lldp.parse(capture("lldpd", "h3c_and_hosts.json0"))
    result = checked({"eth0": seen["enp129s0f0"], "eth1": RIGHT["eth1"]})
    assert result["problems"] == [
        "eth0: inventory sw1 GigabitEthernet1/0/3, wire 'DaoCloud_ShangPu_H3C_D01_AccessSwitch' (not a switch of the "
        "inventory) port GigabitEthernet1/0/17"]
    assert result["uplinks"] == [dict(interface="eth1", switch="sw2", port="TwentyFiveGigE1/1/3")]


def test_both_nics_on_one_switch_where_the_inventory_says_two():
    result = checked({"eth0": RIGHT["eth0"], "eth1": [heard("sw1", "Gi1/0/4")]})
    assert result["problems"] == [
        "eth1: inventory sw2 TwentyFiveGigE1/1/3, wire sw1 GigabitEthernet1/0/4",
        "eth0, eth1: the wire has them all on sw1; the inventory says 2 switches (sw1, sw2)"]


def test_a_bond_member_reporting_its_siblings_neighbour():
    """The real Juniper neighbour of eno1, reported again on the second NIC (as lldpd lists a
    neighbour a bond member hears through its sibling): one cable cannot end on two NICs."""
    neighbour, = lldp.parse(capture("lldpd", "junos_vlan.json"))["eno1"]
    neighbour = dict(neighbour, system_name="sw1", port_id="Gi1/0/1")
    result = checked({"eth0": [neighbour], "eth1": [neighbour]})
    assert result["problems"] == [
        "eth1: reports the same neighbour as eth0 (sw1 GigabitEthernet1/0/1): a bond member hearing its sibling's "
        "neighbour; read the NICs before they join a bond, or check the cables"]
    assert [c["wire"] for c in result["cables"]] == ["ambiguous", "ambiguous"]
    assert result["uplinks"] == []


def test_two_nics_on_one_host_with_their_own_ports_are_no_siblings():
    """The real capture of two NICs cabled to one Ubuntu host: one chassis, two port ids."""
    seen = lldp.parse(capture("lldpd", "h3c_and_hosts.json0"))
    result = cabling.check(None, cabling.wire("h", seen, None, ["10-20-1-50"]))
    assert [line for line in result["problems"] if "same neighbour" in line] == []
    # and a MAC port id is no IOS port: never an uplink
    assert result["problems"] == ["enp11s0f0np0: wire 10-20-1-50 port 'b8:3f:d2:9f:09:42' is no IOS interface name",
                                  "enp5s0f0np0: wire 10-20-1-50 port 'e8:eb:d3:93:ae:10' is no IOS interface name"]
    assert result["uplinks"] == []


def test_several_switches_on_one_nic():
    result = checked(dict(RIGHT, eth0=[heard("sw1", "Gi1/0/3"), heard("sw2", "Tw1/0/9")]))
    assert result["problems"] == [
        "eth0: the wire shows several switches (sw1 GigabitEthernet1/0/3, sw2 TwoGigabitEthernet1/0/9): a hub or an "
        "unmanaged switch is between"]


def test_discovery_takes_the_wire_with_names_normalised():
    """No inventory uplinks: the cables become them; an FQDN and IOS short names are the inventory's names."""
    result = checked({"eth0": [heard("SW1.lab.example", "Fa0/1")], "eth1": [heard("sw1", "Fa0/2", chassis="y")],
                      "vec0": []}, inventory=None)
    assert result["problems"] == []
    assert result["uplinks"] == [dict(interface="eth0", switch="sw1", port="FastEthernet0/1"),
                                 dict(interface="eth1", switch="sw1", port="FastEthernet0/2")]
    assert result["summary"] == ["eth0: sw1 FastEthernet0/1", "eth1: sw1 FastEthernet0/2",
                                 "vec0: no LLDP or CDP neighbour"]


def test_a_port_of_the_hosts_links_must_have_a_cable():
    result = checked({"eth0": [heard("sw1", "Fa0/1")]}, inventory=None, nics=["eth0", "eth1"])
    assert result["problems"] == ["eth1: a port of the host's links, wire no LLDP or CDP neighbour"]


def test_a_mac_port_id_gives_way_to_an_ios_description():
    result = checked({"eth0": [heard("sw1", "00:11:22:33:44:55", "mac", descr="GigabitEthernet1/0/3")],
                      "eth1": RIGHT["eth1"]})
    assert result["problems"] == []


def test_the_switch_view_fills_a_nic_the_server_heard_nothing_on():
    """A real Catalyst 2960's CDP table names a server and its eth0 on Gi1/0/19."""
    rows = ios_show.neighbors_detail(capture("ios", "cdp_neighbors_detail", "c2960_server_eth0.txt"), "cdp")
    seen = cabling.wire("server.example.net", {"eth1": [heard("sw2", "Twe1/1/3")]}, {"sw1": rows}, SWITCHES)
    result = cabling.check([dict(interface="eth0", switch="sw1", port="Gi1/0/19"),
                            dict(interface="eth1", switch="sw2", port="Twe1/1/3")], seen)
    assert result["problems"] == []
    assert seen["eth0"][0]["via"] == "CDP"


def test_an_unknown_mode_is_refused():
    with pytest.raises(cabling.RedundantError,
                       match="redundancy_cabling_mode: 'loose' must be one of strict, warn, off"):
        cabling.verdict("h", checked(RIGHT), "loose")


def test_a_nic_a_dry_run_could_not_read_is_said_not_counted_as_a_missing_cable():
    result = cabling.check([dict(interface="eth0", switch="sw1", port="GigabitEthernet1/0/3"),
                            dict(interface="eth1", switch="sw2", port="GigabitEthernet1/0/3")],
                           cabling.wire("h", {"eth0": [heard("sw1", "Gi1/0/3")]}, None, SWITCHES),
                           unread={"eth1": "down, and a dry run ..."})
    assert result["problems"] == []
    assert "eth1: not read: down, and a dry run ... (inventory: sw2 GigabitEthernet1/0/3)" in result["summary"]


def test_a_switch_known_by_another_name_or_its_management_address():
    """Real neighbours whose names are not the inventory's: an H3C switch named by an alias, and
    HpSwitch (seen from IOS) by the management address the inventory reaches it at."""
    h3c, = lldp.parse(capture("lldpd", "h3c_and_hosts.json0"))["enp129s0f0"]
    by_address = dict(h3c, system_name="HpSwitch", mgmt=["192.168.1.81"])
    switches = {"sw1": dict(names=["DaoCloud_ShangPu_H3C_D01_AccessSwitch"]), "sw2": dict(addresses=["192.168.1.81"])}
    seen = cabling.wire("h", {"eth0": [h3c], "eth1": [by_address]}, None, switches)
    assert [(c[0]["switch"], c[0]["port"]) for c in seen.values()] == [
        ("sw1", "GigabitEthernet1/0/17"), ("sw2", "GigabitEthernet1/0/17")]
    assert cabling.wire("h", {"eth0": [h3c]}, None, ["sw1"])["eth0"][0]["switch"] is None


def test_a_port_no_ios_name_names_is_never_an_uplink():
    """A wire port id with CLI syntax riding along never becomes an uplink (nor an IOS line)."""
    result = checked({"eth0": [heard("sw1", "Gi1/0/1\nshutdown")], "eth1": [heard("sw1", "Gi1/0/2", chassis="y")]},
                     inventory=None)
    assert result["problems"] == ["eth0: wire sw1 port 'Gi1/0/1\\nshutdown' is no IOS interface name"]
    assert result["uplinks"] == [dict(interface="eth1", switch="sw1", port="GigabitEthernet1/0/2")]


@pytest.mark.parametrize("raw, message", [
    ("eth0", "cabling: web1: uplinks: 'eth0' is not a list of {interface, switch, port}, nor 'discover'"),
    ("discovr", "cabling: web1: uplinks: 'discovr' is not a list of {interface, switch, port}, nor 'discover' "
                "(did you mean 'discover'?)"),
    ([{"interface": "eth0", "switch": "sw1"}], "cabling: web1: uplinks: [{'interface': 'eth0', 'switch': 'sw1'}] "
                                               "lists 1 uplink(s); a redundant server needs at least two"),
    ([{"interface": "eth0", "switch": "sw1"}, {"interface": "eth1", "switch": "sw2", "port": "Gi1/0/1"}],
     "cabling: web1: uplinks[0]: {'interface': 'eth0', 'switch': 'sw1'} must have exactly the keys interface, "
     "switch and port (missing: port)"),
])
def test_inventory_uplinks_of_the_wrong_shape_are_refused(raw, message):
    with pytest.raises(cabling.RedundantError, match="^" + re.escape(message)):
        cabling.inventory_uplinks("web1", raw)
    assert cabling.inventory_uplinks("web1", "discover") is None and cabling.inventory_uplinks("web1", None) is None


def test_neighbours_of_the_wrong_shape_are_refused():
    with pytest.raises(cabling.RedundantError, match=r"^cabling: neighbors must be \{nic: \[neighbour\]\}"):
        cabling.wire("web1", {"eth0": "sw1"}, None, SWITCHES)


def switch_rows(name):
    """A captured show lldp neighbors table as the switch's rows (its columns read by position)."""
    rows, column = [], None
    for line in capture("ios", name).splitlines():
        if line.startswith("Device ID"):
            column = line.index("Port ID")
        elif column and line.strip() and not line.startswith("Total"):
            device, local = line.split()[:2]
            rows.append(dict(device=device, local=ios_names.full(local), port_id=line[column:].strip(), via="LLDP"))
    return rows


def test_several_neighbours_on_one_switch_port_are_a_cabling_problem_of_that_nic():
    """A real stack's table: Gi2/0/16 hears LLDP from two ports (6 and 3) of ABC-Ultra-210W: whatever
    sits there, no NIC is cabled straight to it. A server whose wire leads there is told so."""
    shown = {"sw1": switch_rows("lldp_neighbors/stack_te.txt")}
    ports = ["abc-ultra-210w Port 3", "abc-ultra-210w Port 6"]
    assert cabling.crowded(shown) == {("sw1", "GigabitEthernet2/0/16"): ports}
    seen = cabling.wire("web1", {"eth0": [heard("sw1", "Gi2/0/16")], "eth1": [heard("sw2", "Gi1/0/3", chassis="x")]},
                        None, SWITCHES)
    result = cabling.check(None, seen, crowd=cabling.crowded(shown))
    assert result["problems"] == ["eth0: sw1 GigabitEthernet2/0/16 shows 2 neighbours (abc-ultra-210w Port 3, "
                                  "abc-ultra-210w Port 6): " + cabling.BETWEEN]
    assert [u["interface"] for u in result["uplinks"]] == ["eth1"]


def test_a_nic_that_hears_two_neighbours_has_something_between():
    seen = cabling.wire("web1", {"eth0": [heard("sw1", "Gi1/0/3"), dict(heard("web7", "eth0"), chassis_id="y")]},
                        None, SWITCHES)
    assert cabling.check(None, seen)["problems"] == ["eth0: hears 2 neighbours (sw1, web7): " + cabling.BETWEEN]


def test_one_switch_heard_by_lldp_and_cdp_under_two_spellings_is_one_neighbour():
    cdp = dict(heard("SW1.example.net", "Gi1/0/3"), via="CDPv2")
    seen = cabling.wire("web1", {"eth0": [heard("sw1", "Gi1/0/3"), cdp], "eth1": [heard("sw2", "Gi1/0/3", chassis="x")]},
                        None, SWITCHES)
    assert cabling.check(None, seen)["problems"] == []


def test_a_neighbour_table_the_switch_cannot_give_is_only_warned_about():
    warned = []
    assert cabling.switch_rows(["% LLDP is not enabled\n", "% CDP is not enabled\n"], warned.append) == []
    assert len(warned) == 2 and "LLDP is not enabled" in warned[0]
