"""The lab's fabric of guests: what it boots for an inventory, how it wires and cuts."""

from __future__ import annotations

import json
import os

import pytest

from tests.helpers import ROOT
from tests.lab import fabric

INVENTORY = os.path.join(ROOT, "inventory", "lab.yml")


def test_every_server_and_switch_is_a_guest_of_its_own():
    guests, dummy = fabric.plan(INVENTORY)
    assert [(g.name, g.layout, g.suite) for g in guests] == [
        ("lacp1", "server", "bookworm"), ("backup1", "server", "bookworm"), ("stp1", "server", "trixie"),
        ("alb1", "server", "bookworm"), ("sw1", "switch", "trixie"), ("sw2", "switch", "trixie")]
    by_name = {g.name: g for g in guests}
    assert by_name["lacp1"].command_line() == "lab.glue=eth0,eth1"
    # each switch: its cabled ports in the order of its wires, the inter-switch port last; the first
    # switch carries the lab's addresses; the spanning tree its inventory mode says
    assert by_name["sw1"].command_line() == (
        "lab.glue=Fa0-1,Fa0-2,Gi1-0-3,Fa0-23,Fa0-5,Gi1-0-4 lab.stp=rapid-pvst lab.address=1")
    assert by_name["sw2"].command_line() == "lab.glue=Twe1-1-3,Tw1-0-23,Tw1-0-5,Twe1-1-4 lab.stp=mst"


def test_each_uplink_is_a_cable_and_the_switches_are_chained():
    dummy, cables = fabric.plan(INVENTORY)
    assert fabric.Cable("backup1", "eth1", "sw2", "Twe1-1-3") in cables
    assert cables[-1] == fabric.Cable("sw1", "Gi1-0-4", "sw2", "Twe1-1-4")
    assert len(cables) == 9  # eight server NICs, one inter-switch link
    ends = [end for cable in cables for end in cable.ends()]
    assert len(ends) == len(set(ends))  # no device at two cables


def test_a_servers_debian_release_comes_from_its_lab_suite(tmp_path):
    with open(INVENTORY) as handle:
        text = handle.read()
    assert "          lab_suite: trixie\n" in text  # stp1's, for mstpd
    path = tmp_path / "lab.yml"
    path.write_text(text.replace("          lab_suite: trixie\n", ""))
    guests, dummy = fabric.plan(str(path))
    assert {g.name: g.suite for g in guests}["stp1"] == "bookworm"  # the default


def test_each_wire_end_is_glued_both_ways_to_a_tap_its_guest_opens(monkeypatch):
    calls = []
    monkeypatch.setattr(fabric, "_run", lambda *argv, **kw: calls.append(argv))
    fabric._glue("ri-lab-sw1", "Fa0-2")
    assert calls[0] == ("ip", "-n", "ri-lab-sw1", "tuntap", "add", "dev", "tFa0-2", "mode", "tap")
    redirects = [(c[6], c[-1]) for c in calls if c[:3] == ("tc", "-n", "ri-lab-sw1") and "mirred" in c]
    assert sorted(redirects) == [("Fa0-2", "tFa0-2"), ("tFa0-2", "Fa0-2")]  # every frame, each way
    assert {c[6] for c in calls if "ethtool" in c} == {"Fa0-2", "tFa0-2"}  # no offloads on either


def test_a_guest_opens_its_wires_as_taps_in_cable_order(monkeypatch):
    seen = {}

    def run(argv, env, **kw):
        seen.update(env)
        return type("Proc", (), dict(returncode=0, stdout="", stderr=""))()

    monkeypatch.setattr(fabric.subprocess, "run", run)
    guests, dummy = fabric.plan(INVENTORY)
    switch = next(g for g in guests if g.layout == "switch")
    assert fabric._boot(switch)[0]
    nics = seen["LAB_NICS"].split()
    assert nics == ["vec%d:transport=tap,ifname=t%s" % (i, d) for i, d in enumerate(switch.devices, 1)]
    assert all(len(fabric.tap(d)) <= 15 for g in guests for d in g.devices)  # IFNAMSIZ


@pytest.fixture
def saved_lab(tmp_path, monkeypatch):
    guests, cables = fabric.plan(INVENTORY)
    monkeypatch.setattr(fabric, "STATE", str(tmp_path / "fabric.json"))
    monkeypatch.setattr(fabric, "CACHE", str(tmp_path))
    with open(fabric.STATE, "w") as handle:
        json.dump(fabric._as_saved(guests, cables), handle)
    calls = []
    monkeypatch.setattr(fabric, "_run", lambda *argv, **kw: calls.append(("host",) + argv))
    monkeypatch.setattr(fabric, "ssh", lambda guest, command: calls.append((guest, command)))
    return guests, cables, calls


@pytest.mark.parametrize("verb", ["down", "up"])
def test_a_cut_or_a_mend_is_at_both_ends_of_the_cable(saved_lab, verb):
    dummy, dummy, calls = saved_lab
    cable = fabric.cut("sw1", "Fa0-2", verb)  # either end names the cable
    assert cable == fabric.Cable("lacp1", "eth1", "sw1", "Fa0-2")
    # the plugs only: the wire on the host stays up (a host device that went down is lost to UML)
    assert sorted(calls[:2]) == [("lacp1", "true"), ("sw1", "true")]  # both connections up before either end moves
    assert sorted(calls[2:]) == [("lacp1", "ip link set c-eth1 %s" % verb), ("sw1", "ip link set c-Fa0-2 %s" % verb)]


def test_no_cable_there_is_said_so(saved_lab):
    with pytest.raises(SystemExit, match="no cable at lacp1 eth7"):
        fabric.cut("lacp1", "eth7")


def test_a_lab_is_up_only_when_it_is_that_lab_and_every_guest_lives(saved_lab, tmp_path):
    guests, cables, dummy = saved_lab
    assert not fabric.running(guests, cables)  # no guest runs
    for guest in guests:
        (tmp_path / ("%s.pid" % guest.name)).write_text(str(os.getpid()))
    assert fabric.running(guests, cables)
    assert not fabric.running(guests, cables[:-1])  # cabled otherwise: boot again


def test_the_simulator_serves_each_switch_at_its_inventory_port():
    assert fabric.switches(INVENTORY) == ["sw1=22201", "sw2=22202"]
