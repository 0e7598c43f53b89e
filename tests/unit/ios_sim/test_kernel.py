"""The simulator's kernel fabric: cabling from the lab inventory, the commands a switch's
configuration turns into, and show output built from kernel state. The fixtures are the
fabric's own reads of the lab's two switch guests after site.yml ran: sw1 in Rapid-PVST+
(mstpd's RSTP) with the Port-channel over Fa0/1-2, sw2 in MST (mstpd's MSTP), and sw1 in
PVST+ (the kernel's 802.1D) from a run with sw1 in that mode."""

from __future__ import annotations

import copy
import os

import pytest
from ntc_templates.parse import parse_output

from ansible_collections.redundant.interfaces.plugins.module_utils import ios_show
from tests.helpers import FIXTURES, ROOT
from tests.ios_sim.kernel import (READ, KernelFabric, cabling, commands, inter_switch, models, parse_state,
                                  wanted)
from tests.ios_sim.switch import MODELS, FabricError, Session, Switch

KERNEL_FABRIC = os.path.join(FIXTURES, "kernel_fabric")
INVENTORY = os.path.join(ROOT, "inventory", "lab.yml")
SWITCHES, SERVERS = cabling(INVENTORY)
DEVICES = models(INVENTORY)
ISLS = inter_switch(SWITCHES, DEVICES)
PORTS = MODELS["access"]
# what the cisco_ios role pushes for the lab inventory (the lines that reach the kernel)
PUSHED = {
    "sw1": ["spanning-tree vlan 1 priority 0", "interface FastEthernet0/23", "spanning-tree cost 100",
            "interface FastEthernet0/1", "channel-group 19 mode active", "channel-protocol lacp",
            "interface FastEthernet0/2", "channel-group 19 mode active", "channel-protocol lacp"],
    "sw2": ["spanning-tree mst 0 priority 4096", "interface TwoGigabitEthernet1/0/23", "spanning-tree mst 0 cost 50000"],
}


def read(switch):
    with open(os.path.join(KERNEL_FABRIC, switch + ".txt")) as handle:
        return handle.read()


class Guests:
    """Stands in for ssh: answers READ from the fixtures, records every other script."""

    def __init__(self, texts):
        self.texts, self.scripts, self.reads = texts, [], 0

    def __call__(self, guest, script):
        if script == READ:
            self.reads += 1
            return self.texts[guest]
        self.scripts.append((guest, script))
        return ""


class Clock:
    """A monotonic clock standing still at `now` seconds since boot until moved."""

    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now


# Every fabric here runs on a clock just after boot (where a fresh machine is), with a ttl
# far longer than the test: the state must be read because it was never read or was
# invalidated, never because time passed.
def lab(pushed=True, clock=None, pvst=False):
    """The lab's two switches over the fixtures; with pvst, sw1 in PVST+ over the kernel's 802.1D."""
    runner = Guests({"sw1": read("sw1-pvst" if pvst else "sw1"), "sw2": read("sw2")})
    fabric = KernelFabric(SWITCHES, SERVERS, ISLS, run=runner, ttl=3600, clock=clock or Clock(0.5))
    modes = dict({name: DEVICES[name][1] for name in SWITCHES}, **({"sw1": "pvst"} if pvst else {}))
    switches = {name: Switch(name, DEVICES[name][0], number, fabric, mode=modes[name], style=DEVICES[name][2])
                for number, name in enumerate(SWITCHES, 1)}
    sessions = {name: Session(switch) for name, switch in switches.items()}
    for name, lines in PUSHED.items() if pushed else ():
        sessions[name].execute("configure terminal")
        for line in lines + ["end"]:
            assert sessions[name].execute(line) == "", line
    return runner, sessions


def test_cabling_comes_from_the_lab_inventory():
    assert SWITCHES == ["sw1", "sw2"]
    assert SERVERS["lacp1"] == [("eth0", "sw1", "FastEthernet0/1"), ("eth1", "sw1", "FastEthernet0/2")]
    assert DEVICES["sw2"] == (MODELS["c9300"], "mst", "iosxe")
    assert DEVICES["sw1"] == (PORTS, "rapid-pvst", "catalyst")
    assert ISLS == [("sw1", "GigabitEthernet1/0/4", "sw2", "TwentyFiveGigE1/1/4")]


def test_a_switch_starts_in_the_mode_of_its_group_unless_it_names_its_own(tmp_path):
    inventory = tmp_path / "lab.yml"
    inventory.write_text("""
all:
  children:
    switches:
      vars: {ios_sim_stp_mode: rapid-pvst}
      hosts:
        a: {}
        b: {ios_sim_stp_mode: mst, ios_sim_model: c9300}
""")
    assert models(str(inventory)) == {"a": (PORTS, "rapid-pvst", "catalyst"), "b": (MODELS["c9300"], "mst", "iosxe")}


def test_a_chain_of_switches_takes_two_ports_of_each_switch_in_the_middle():
    devices = {name: (PORTS, "pvst", "catalyst") for name in ("a", "b", "c")}
    assert inter_switch(["a", "b", "c"], devices) == [
        ("a", "GigabitEthernet1/0/4", "b", "GigabitEthernet1/0/4"),
        ("b", "GigabitEthernet1/0/3", "c", "GigabitEthernet1/0/4")]


def test_each_switch_holds_its_cabled_ports_and_its_inter_switch_port():
    dummy, sessions = lab(pushed=False)
    fabric = sessions["sw2"].switch.fabric
    assert fabric.ports(sessions["sw2"].switch) == {
        "TwentyFiveGigE1/1/3": "Twe1-1-3", "TwoGigabitEthernet1/0/23": "Tw1-0-23",
        "TwoGigabitEthernet1/0/5": "Tw1-0-5", "TwentyFiveGigE1/1/4": "Twe1-1-4"}


@pytest.mark.parametrize("since_boot", [0.0, 0.5, 59.0, 3599.0, 400 * 86400.0])
def test_the_state_is_read_on_first_use_whatever_the_clock(since_boot):
    clock = Clock(since_boot)
    runner, sessions = lab(pushed=False, clock=clock)
    fabric, sw1, sw2 = sessions["sw1"].switch.fabric, sessions["sw1"].switch, sessions["sw2"].switch
    assert runner.reads == 0
    assert "Po19" in fabric.state(sw1)["bonds"] and runner.reads == 1  # first use: that switch's kernel only
    fabric.state(sw1)
    assert runner.reads == 1  # within the ttl: cached
    fabric.state(sw2)
    assert runner.reads == 2  # each switch reads its own kernel
    fabric.sync(sw2)
    fabric.state(sw1)
    assert runner.reads == 2
    fabric.state(sw2)
    assert runner.reads == 3  # a sync invalidates that switch's state, whatever the clock says
    clock.now += 3601
    fabric.state(sw1)
    assert runner.reads == 4  # older than the ttl


@pytest.mark.parametrize("pvst", [False, True])
def test_the_pushed_configuration_is_what_the_kernel_has(pvst):
    runner, dummy = lab(pvst=pvst)
    assert runner.scripts == []  # nothing to change: the fixtures were read after this push


def emptied(name, pvst=False):
    """The script that gives switch `name`'s kernel an empty configuration, as lines."""
    runner, sessions = lab(pushed=False, pvst=pvst)
    sessions[name].switch.dirty = True
    sessions[name].switch.settle()
    (guest, script), = runner.scripts
    assert guest == name  # that switch's own kernel, no other
    return script.splitlines()


def test_an_empty_configuration_takes_the_port_channel_apart():
    lines = emptied("sw1", pvst=True)
    assert "ip link set vlan1 type bridge priority 32768" in lines
    assert "ip link del Po19" in lines
    assert lines.index("ip link del Po19") < lines.index("ip link set Fa0-1 master vlan1")
    assert "ip link set Fa0-1 type bridge_slave cost 19 priority 32" in lines  # IOS's default for Fa
    assert "ip link set Fa0-23 type bridge_slave cost 19 priority 32" in lines


@pytest.mark.parametrize("name, cost", [("sw2", 8000), ("sw1", 19)])
def test_mstpd_takes_the_priority_and_costs_of_a_switch_in_mst_or_rapid_pvst(name, cost):
    lines = emptied(name)
    assert "mstpctl settreeprio vlan1 0 8" in lines  # 32768 / 4096
    # IOS's default cost of the port (long method in MST: 2.5 Gb/s; short in Rapid-PVST+: Fast Ethernet),
    # as RSTP's external cost and the CIST's internal one
    port = {"sw2": "Tw1-0-23", "sw1": "Fa0-23"}[name]
    start = lines.index("mstpctl setportpathcost vlan1 %s %d" % (port, cost))
    assert lines[start:start + 4] == [
        "mstpctl setportpathcost vlan1 %s %d" % (port, cost), "mstpctl settreeportcost vlan1 %s 0 %d" % (port, cost),
        "mstpctl settreeportprio vlan1 %s 0 8" % port, "mstpctl setportautoedge vlan1 %s no" % port]
    assert not [line for line in lines if "bridge_slave" in line or "type bridge priority" in line]


def test_a_new_lacp_rate_recreates_the_switch_bond():
    runner, sessions = lab()
    for line in ("configure terminal", "interface Fa0/1", "lacp rate fast", "interface Fa0/2", "lacp rate fast",
                 "end"):
        sessions["sw1"].execute(line)
    (guest, script), = runner.scripts
    lines = script.splitlines()
    assert lines[:3] == ["set -e", "ip link del Po19",
                         "ip link add Po19 type bond mode 802.3ad miimon 100 lacp_rate fast lacp_active on "
                         "ad_actor_system 00:00:0c:00:00:01"]
    assert "ip link set Fa0-1 master Po19" in lines and "ip link set Po19 master vlan1 up" in lines


def test_a_port_new_to_mstpd_is_waited_for_before_its_settings():
    have = parse_state(read("sw2"))
    have["mstp"]["ports"].pop("Tw1-0-5")
    switch = Switch("sw2", DEVICES["sw2"][0], 2, mode="mst")
    lines = commands(wanted(switch, {"TwoGigabitEthernet1/0/5": "Tw1-0-5"}), have)
    wait = lines.index("for _ in $(seq 50); do mstpctl showport vlan1 Tw1-0-5 >/dev/null 2>&1 && break; "
                       "sleep 0.1; done")
    assert lines[wait + 1] == "mstpctl setportpathcost vlan1 Tw1-0-5 8000"


def test_portfast_is_an_edge_port_in_mstpd_and_nothing_in_the_kernels_8021d():
    runner, sessions = lab()
    for line in ("configure terminal", "interface Gi1/0/3", "spanning-tree portfast", "end"):
        sessions["sw1"].execute(line)
    (guest, script), = runner.scripts
    assert guest == "sw1" and "mstpctl setportadminedge vlan1 Gi1-0-3 yes" in script.splitlines()
    assert "mstpctl setportautoedge vlan1 Gi1-0-3 no" in script.splitlines()  # edge only with portfast
    runner, sessions = lab(pvst=True)
    for line in ("configure terminal", "interface Gi1/0/3", "spanning-tree portfast", "end"):
        sessions["sw1"].execute(line)
    assert runner.scripts == []  # 802.1D has no edge port: the kernel keeps listening and learning


def test_an_edge_port_is_what_mstpd_says_it_is():
    dummy, sessions = lab()
    sw1 = sessions["sw1"].switch
    state = copy.deepcopy(sw1.fabric.state(sw1))
    state["mstp"]["ports"]["Gi1-0-3"]["oper-edge-port"] = "yes"
    sw1.fabric.cache["sw1"] = (sw1.fabric.clock(), state)
    tree, = ios_show.stp_trees(sessions["sw1"].execute("show spanning-tree vlan 1"), "show spanning-tree vlan 1")
    assert tree["ports"]["GigabitEthernet1/0/3"]["edge"] and not tree["ports"]["FastEthernet0/5"]["edge"]


def test_shutdown_takes_the_port_down():
    runner, sessions = lab()
    for line in ("configure terminal", "interface Tw1/0/23", "shutdown", "end"):
        sessions["sw2"].execute(line)
    assert runner.scripts == [("sw2", "set -e\nip link set Tw1-0-23 down\n")]


def test_etherchannel_summary_reports_the_bonds():
    dummy, sessions = lab()
    rows = parse_output(platform="cisco_ios", command="show etherchannel summary",
                        data=sessions["sw1"].execute("show etherchannel summary"))
    assert [(r["group"], r["bundle_status"], r["member_interface"], r["member_interface_status"]) for r in rows] == [
        ("19", "SU", ["Fa0/1", "Fa0/2"], ["P", "P"])]


@pytest.mark.parametrize("change, flags", [
    (lambda bond: bond["ports"]["Fa0-2"].update(mii_status="down"), ("SU", "P", "D")),
    (lambda bond: [p.update(partner_mac="00:00:00:00:00:00") for p in bond["ports"].values()], ("SD", "I", "I")),
    (lambda bond: bond["ports"]["Fa0-2"].update(aggregator_id=2), ("SU", "P", "s")),
])
def test_member_flags_follow_the_bond(change, flags):
    dummy, sessions = lab()
    sw1 = sessions["sw1"].switch
    fabric = sw1.fabric
    state = copy.deepcopy(fabric.state(sw1))
    change(state["bonds"]["Po19"])
    fabric.cache["sw1"] = (fabric.clock(), state)
    pc, members = fabric.bundle(sw1, 19, ["FastEthernet0/1", "FastEthernet0/2"])
    assert (pc, members["FastEthernet0/1"], members["FastEthernet0/2"]) == flags


@pytest.mark.parametrize("pvst, protocol", [(False, "rstp"), (True, "ieee")])
def test_spanning_tree_is_the_kernels_or_mstpds(pvst, protocol):
    dummy, sessions = lab(pvst=pvst)
    # sw1 in Rapid-PVST+ (mstpd) or PVST+ (the kernel's 802.1D), read by the public template
    shown = sessions["sw1"].execute("show spanning-tree vlan 1")
    rows = parse_output(platform="cisco_ios", command="show spanning-tree vlan 1", data=shown)
    assert {r["interface"]: (r["role"], r["status"], r["cost"]) for r in rows} == {
        "Fa0/5": ("Desg", "FWD", "19"), "Gi1/0/3": ("Desg", "FWD", "4"), "Gi1/0/4": ("Desg", "FWD", "4"),
        "Fa0/23": ("Desg", "FWD", "100"), "Po19": ("Desg", "FWD", "3")}
    assert "This bridge is the root" in shown and "Spanning tree enabled protocol %s" % protocol in shown


def test_an_mst_switch_reports_the_cist_as_mstpd_sees_it():
    dummy, sessions = lab()
    # sw2 in MST (mstpd), read by the collection's own reader; the server's RSTP bridge blocks the loop
    tree, = ios_show.stp_trees(sessions["sw2"].execute("show spanning-tree mst 0"), "show spanning-tree mst 0")
    assert (tree["mst"], tree["is_root"], tree["root_address"], tree["root_port"]) == (
        0, False, "0000.0c00.0001", "TwentyFiveGigE1/1/4")
    assert {name: (port["role"], port["state"], port["cost"]) for name, port in tree["ports"].items()} == {
        "TwentyFiveGigE1/1/4": ("Root", "FWD", 800), "TwoGigabitEthernet1/0/23": ("Desg", "FWD", 50000),
        "TwoGigabitEthernet1/0/5": ("Desg", "FWD", 8000), "TwentyFiveGigE1/1/3": ("Desg", "FWD", 800)}


def test_a_port_that_is_down_is_not_in_the_tree():
    have = parse_state(read("sw2"))
    have["mstp"]["ports"]["Tw1-0-23"].update(role="Disabled", state="discarding")
    runner, sessions = lab()
    sw2 = sessions["sw2"].switch
    sw2.fabric.cache["sw2"] = (sw2.fabric.clock(), have)
    assert "TwoGigabitEthernet1/0/23" not in [row[0] for row in sw2.fabric.spanning_tree(sw2, 0)["ports"]]


def test_a_switch_that_does_not_answer_fails_the_command_like_ios():
    def down(guest, script):
        raise FabricError("lab guest %s: connection refused" % guest)

    switch = Switch("sw1", PORTS, 1, KernelFabric(SWITCHES, SERVERS, ISLS, run=down))
    cli = Session(switch)
    for line in ("configure terminal", "spanning-tree vlan 1 priority 0"):
        cli.execute(line)
    assert cli.execute("end") == "% Error: lab guest sw1: connection refused\n"
    assert switch.dirty  # tried again on the next command


def test_parse_state_reads_the_kernel_and_mstpd():
    sw1, sw2 = parse_state(read("sw1-pvst")), parse_state(read("sw2"))
    assert sw1["mstp"] is None and sw1["bridge"]["bridge_id"] == "0000.00000c000001"
    assert sw1["links"]["Fa0-23"]["linkinfo"]["info_slave_data"]["cost"] == 100
    assert sw2["bridge"]["stp_state"] == "2"  # user-space STP: mstpd's view is the one that counts
    assert sw2["mstp"]["bridge"]["force-protocol-version"] == "mstp"
    assert sw2["mstp"]["ports"]["Twe1-1-4"]["role"] == "Root"
    assert wanted(Switch("sw9", PORTS, 9), {})["mac"] == "00:00:0c:00:00:09"
    assert commands(wanted(Switch("sw1", PORTS, 1), {}), sw1)[0] == "ip link set vlan1 type bridge priority 32768"


def test_a_switchs_lldpd_gives_each_cabled_port_its_neighbour():
    dummy, sessions = lab()
    sw1 = sessions["sw1"].switch
    assert [(n["local"], n["system_name"], n["port_descr"]) for n in sw1.fabric.neighbors(sw1)] == [
        ("FastEthernet0/1", "lacp1", "eth0"), ("FastEthernet0/2", "lacp1", "eth1"), ("FastEthernet0/5", "alb1", "eth0"),
        ("FastEthernet0/23", "stp1", "eth0"), ("GigabitEthernet1/0/3", "backup1", "eth0"),
        ("GigabitEthernet1/0/4", "sw2", "Twe1-1-4")]
