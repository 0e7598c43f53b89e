"""The simulator's kernel fabric: cabling from the lab inventory, the ip commands
a switch's configuration turns into, and show output built from kernel state.
The fixtures are the fabric's own reads of two lab guests after site.yml ran
(lacp1: sw1's Port-channel over Fa0/1-2; stp1: sw1 Fa0/23 and sw2 Tw1/0/23, sw2 in MST)."""

from __future__ import annotations

import copy
import os

import pytest
from ntc_templates.parse import parse_output

from ansible_collections.redundant.interfaces.plugins.module_utils import ios_show
from tests.helpers import FIXTURES, ROOT
from tests.ios_sim.kernel import READ, KernelFabric, cabling, commands, guest_params, models, parse_state, wanted
from tests.ios_sim.switch import MODELS, FabricError, Session, Switch

KERNEL_FABRIC = os.path.join(FIXTURES, "kernel_fabric")
INVENTORY = os.path.join(ROOT, "inventory", "lab.yml")
SWITCHES, GUESTS = cabling(INVENTORY)
DEVICES = models(INVENTORY)
PORTS = MODELS["access"]
# what the cisco_ios role pushes for the lab inventory (the lines that reach the kernel)
PUSHED = {
    "sw1": ["spanning-tree vlan 1 priority 0", "interface FastEthernet0/23", "spanning-tree cost 100",
            "interface FastEthernet0/1", "channel-group 19 mode active", "channel-protocol lacp",
            "interface FastEthernet0/2", "channel-group 19 mode active", "channel-protocol lacp"],
    "sw2": ["spanning-tree mst 0 priority 4096", "interface TwoGigabitEthernet1/0/23", "spanning-tree mst 0 cost 50000"],
}


def read(guest):
    with open(os.path.join(KERNEL_FABRIC, guest + ".txt")) as handle:
        return handle.read()


class Guests:
    """Stands in for ssh: answers READ from the fixtures, records every other script."""

    def __init__(self, texts):
        self.texts, self.scripts, self.reads = texts, [], 0

    def __call__(self, guest, script):
        if script.startswith(READ.split("%")[0]):
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
def lab(guests=("lacp1", "stp1"), pushed=True, texts=None, clock=None):
    runner = Guests(texts or {g: read(g) for g in guests})
    fabric = KernelFabric(SWITCHES, {g: GUESTS[g] for g in guests}, run=runner, ttl=3600,
                          clock=clock or Clock(0.5))
    switches = {name: Switch(name, DEVICES[name][0], number, fabric, mode=DEVICES[name][1], style=DEVICES[name][2])
                for number, name in enumerate(SWITCHES, 1)}
    sessions = {name: Session(switch) for name, switch in switches.items()}
    for name, lines in PUSHED.items() if pushed else ():
        sessions[name].execute("configure terminal")
        for line in lines + ["end"]:
            assert sessions[name].execute(line) == "", line
    return runner, sessions


def test_cabling_comes_from_the_lab_inventory():
    assert SWITCHES == ["sw1", "sw2"]
    assert GUESTS["lacp1"] == [("eth0", "sw1", "FastEthernet0/1"), ("eth1", "sw1", "FastEthernet0/2")]
    assert DEVICES["sw2"] == (MODELS["c9300"], "mst", "iosxe") and DEVICES["sw1"] == (PORTS, "pvst", "catalyst")
    assert guest_params(SWITCHES, GUESTS["backup1"], ["GigabitEthernet1/0/4", "TwentyFiveGigE1/1/4"]) == (
        "lab.switches=sw1,sw2 lab.isl=Gi1-0-4,Twe1-1-4 lab.cables=eth0:sw1:Gi1-0-3,eth1:sw2:Twe1-1-3")


@pytest.mark.parametrize("since_boot", [0.0, 0.5, 59.0, 3599.0, 400 * 86400.0])
def test_the_state_is_read_on_first_use_whatever_the_clock(since_boot):
    clock = Clock(since_boot)
    runner, sessions = lab(pushed=False, clock=clock)
    fabric = sessions["sw1"].switch.fabric
    assert runner.reads == 0
    assert sorted(fabric.state()["lacp1"]) == ["sw1", "sw2"] and runner.reads == 2  # first use: both guests read
    fabric.state()
    assert runner.reads == 2  # within the ttl: cached
    fabric.sync(sessions["sw2"].switch)
    fabric.state()
    assert runner.reads == 4  # a sync invalidates, whatever the clock says
    clock.now += 3601
    fabric.state()
    assert runner.reads == 6  # older than the ttl


def test_the_pushed_configuration_is_what_the_kernel_has():
    runner, dummy = lab()
    assert runner.scripts == []  # nothing to change: the fixtures were read after this push


def test_an_empty_configuration_takes_the_port_channel_apart():
    runner, sessions = lab(pushed=False)
    sessions["sw1"].switch.dirty = True
    sessions["sw1"].switch.settle()
    scripts = dict(runner.scripts)
    lines = scripts["lacp1"].splitlines()
    assert "ip -n sw1 link set vlan1 type bridge priority 32768" in lines
    assert "ip -n sw1 link del Po19" in lines
    assert lines.index("ip -n sw1 link del Po19") < lines.index("ip -n sw1 link set Fa0-1 master vlan1")
    assert "ip -n sw1 link set Fa0-1 type bridge_slave cost 19 priority 32" in lines  # IOS's default for Fa
    assert "ip -n sw1 link set Fa0-23 type bridge_slave cost 19 priority 32" in scripts["stp1"].splitlines()


def test_a_new_lacp_rate_recreates_the_switch_bond():
    runner, sessions = lab()
    for line in ("configure terminal", "interface Fa0/1", "lacp rate fast", "interface Fa0/2", "lacp rate fast",
                 "end"):
        sessions["sw1"].execute(line)
    lines = dict(runner.scripts)["lacp1"].splitlines()
    assert lines[:3] == ["set -e", "ip -n sw1 link del Po19",
                         "ip -n sw1 link add Po19 type bond mode 802.3ad miimon 100 lacp_rate fast lacp_active on "
                         "ad_actor_system 00:00:0c:00:00:01"]
    assert "ip -n sw1 link set Fa0-1 master Po19" in lines and "ip -n sw1 link set Po19 master vlan1 up" in lines


def test_shutdown_takes_the_port_down():
    runner, sessions = lab()
    for line in ("configure terminal", "interface Tw1/0/23", "shutdown", "end"):
        sessions["sw2"].execute(line)
    assert runner.scripts == [("stp1", "set -e\nip -n sw2 link set Tw1-0-23 down\n")]


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
    fabric = sessions["sw1"].switch.fabric
    state = copy.deepcopy(fabric.state())
    change(state["lacp1"]["sw1"]["bonds"]["Po19"])
    fabric.cache = state
    pc, members = fabric.bundle(sessions["sw1"].switch, 19, ["FastEthernet0/1", "FastEthernet0/2"])
    assert (pc, members["FastEthernet0/1"], members["FastEthernet0/2"]) == flags


def test_spanning_tree_is_the_kernels():
    dummy, sessions = lab()
    # sw1 in PVST+, read by the public template; sw2 in MST, by the collection's own reader
    rows = parse_output(platform="cisco_ios", command="show spanning-tree vlan 1",
                        data=sessions["sw1"].execute("show spanning-tree vlan 1"))
    assert {r["interface"]: (r["role"], r["status"], r["cost"]) for r in rows} == {
        "Gi1/0/4": ("Desg", "FWD", "4"), "Fa0/23": ("Desg", "FWD", "100"), "Po19": ("Desg", "FWD", "3")}
    assert "This bridge is the root" in sessions["sw1"].execute("show spanning-tree vlan 1")
    tree, = ios_show.stp_trees(sessions["sw2"].execute("show spanning-tree mst 0"), "show spanning-tree mst 0")
    assert (tree["mst"], tree["is_root"], tree["root_address"], tree["root_port"]) == (
        0, False, "0000.0c00.0001", "TwentyFiveGigE1/1/4")
    assert {name: (port["role"], port["state"], port["cost"]) for name, port in tree["ports"].items()} == {
        "TwentyFiveGigE1/1/4": ("Root", "FWD", 800), "TwoGigabitEthernet1/0/23": ("Altn", "BLK", 50000)}


def test_a_guest_that_does_not_answer_fails_the_command_like_ios():
    def down(guest, script):
        raise FabricError("lab guest %s: connection refused" % guest)

    switch = Switch("sw1", PORTS, 1, KernelFabric(SWITCHES, {"lacp1": GUESTS["lacp1"]}, run=down))
    cli = Session(switch)
    for line in ("configure terminal", "spanning-tree vlan 1 priority 0"):
        cli.execute(line)
    assert cli.execute("end") == "% Error: lab guest lacp1: connection refused\n"
    assert switch.dirty  # tried again on the next command


def test_parse_state_reads_each_namespace():
    state = parse_state(read("stp1"))
    assert sorted(state) == ["sw1", "sw2"]
    assert state["sw2"]["bridge"]["bridge_id"] == "1000.00000c000002"
    assert state["sw2"]["links"]["Tw1-0-23"]["linkinfo"]["info_slave_data"]["state"] == "blocking"
    assert wanted(Switch("sw9", PORTS, 9), {})["mac"] == "00:00:0c:00:00:09"
    assert commands("sw2", wanted(Switch("sw2", PORTS, 2), {}), state["sw2"])[0] == (
        "ip -n sw2 link set vlan1 type bridge priority 32768")


def test_the_slices_lldpd_give_each_port_its_neighbour_once():
    """lldpd's answer in two guests' sw1 slices: the server on its port, the inter-switch link seen twice."""
    heard = ('{"lldp": [{"interface": [{"name": "%s", "via": "LLDP", "chassis": [{"id": [{"type": "mac", '
             '"value": "46:c0:b1:d2:83:8a"}], "name": [{"value": "%s"}]}], "port": [{"id": [{"type": "mac", '
             '"value": "3e:96:6b:75:9e:83"}], "descr": [{"value": "%s"}]}]}]}]}')
    texts = {"lacp1": read("lacp1") + "@@lldp sw1\n" + heard % ("Fa0-1", "lacp1", "eth0") + "\n",
             "stp1": read("stp1") + "@@lldp sw1\n" + heard % ("Gi1-0-4", "sw2", "Twe1-1-4") + "\n"}
    texts["lacp1"] += "@@lldp sw2\n{}\n"
    fabric = KernelFabric(SWITCHES, {g: GUESTS[g] for g in texts}, run=lambda guest, script: texts[guest])
    sw1 = Switch("sw1", DEVICES["sw1"][0], 1, fabric)
    assert [(n["local"], n["system_name"], n["port_descr"]) for n in fabric.neighbors(sw1)] == [
        ("FastEthernet0/1", "lacp1", "eth0"), ("GigabitEthernet1/0/4", "sw2", "Twe1-1-4")]
