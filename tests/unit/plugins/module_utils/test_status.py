"""/proc/net/bonding texts captured in the kernel lab, parsed; verdicts; bridge STP state."""

from __future__ import annotations

import os
import shutil

import pytest

from ansible_collections.redundant.interfaces.plugins.module_utils.status import (
    bond_verdict,
    bridge_verdict,
    collect,
    monitor,
    mstp_id,
    mstpctl,
    parse_bonding,
    read_bridge,
)
from ansible_collections.redundant.interfaces.plugins.module_utils.health import health
from tests.helpers import FIXTURES
from tests.unit.plugins.module_utils.fakes import fake_bridge

BONDING = os.path.join(FIXTURES, "bonding")


def bond(name):
    with open(os.path.join(BONDING, "bonding_%s.txt" % name)) as handle:
        return parse_bonding(handle.read())


def test_lacp_with_partner():
    b = bond("802.3ad")
    assert b["mode"] == "802.3ad"
    assert b["aggregator"] == dict(id=1, ports=2, partner_mac="3e:cf:38:b6:eb:22")
    assert sorted(b["ports"]) == ["eth0", "eth1"]
    assert b["ports"]["eth0"] == dict(mii_status="up", speed=10000, duplex="full", link_failures=0, aggregator_id=1,
                                      partner_mac="3e:cf:38:b6:eb:22", permanent_mac="d6:2b:46:10:8e:fa")
    assert bond_verdict(b) == ("redundant", [])


def test_lacp_member_lost():
    b = bond("802.3ad_degraded")
    assert b["aggregator"]["ports"] == 1
    assert b["ports"]["eth0"]["mii_status"] == "down" and b["ports"]["eth0"]["link_failures"] == 1
    assert bond_verdict(b) == ("degraded", ["eth0 MII down"])


def test_lacp_without_partner_is_degraded():
    b = bond("802.3ad")
    b["aggregator"]["partner_mac"] = "00:00:00:00:00:00"
    assert bond_verdict(b) == ("degraded", ["no LACP partner"])


def test_lacp_port_outside_the_active_aggregator():
    b = bond("802.3ad")
    b["ports"]["eth1"]["aggregator_id"] = 2
    assert bond_verdict(b) == ("degraded", ["eth1 not in the active aggregator"])


def test_active_backup():
    b = bond("active-backup")
    assert (b["mode"], b["active_port"], b["primary"]) == ("active-backup", "eth0", "eth0")
    assert bond_verdict(b) == ("redundant", [])


def test_active_backup_failed_over():
    b = bond("active-backup_failed_over")
    assert b["active_port"] == "eth1"
    assert bond_verdict(b) == ("degraded", ["eth0 MII down"])


def test_active_backup_arp_monitor():
    b = bond("active-backup_arp")
    assert b["mode"] == "active-backup"
    assert b["active_port"] in ("eth0", "eth1")
    assert bond_verdict(b)[0] == "redundant"


def test_balance_alb():
    b = bond("balance-alb")
    assert b["mode"] == "balance-alb" and len(b["ports"]) == 2
    assert bond_verdict(b) == ("redundant", [])


def test_single_port_is_not_redundant():
    b = bond("balance-alb")
    del b["ports"]["eth1"]
    assert bond_verdict(b) == ("not redundant", ["1 port(s) enslaved"])


def test_bridge_read_and_redundant(tmp_path):
    br = read_bridge("br0", fake_bridge(tmp_path))
    assert br["stp"] is True and br["is_root"] is False
    assert br["ports"] == {"eth0": dict(state="forwarding", path_cost=100, port_priority=32),
                           "eth1": dict(state="blocking", path_cost=100, port_priority=32)}
    assert bridge_verdict(br) == ("redundant", [])


def mstp_capture():
    """mstpd's own answer in the lab (tests/fixtures/mstpd/SOURCES.yml)."""
    with open(os.path.join(FIXTURES, "mstpd", "showbridge.json")) as bridge, \
            open(os.path.join(FIXTURES, "mstpd", "showport.json")) as ports:
        return bridge.read(), ports.read()


def test_mstpd_ids_read_like_the_kernels():
    assert mstp_id("0.000.6E:E1:96:6A:A6:53") == "0000.6ee1966aa653"
    assert mstp_id("F.001.AA:25:3D:6A:AE:4F") == "f001.aa253d6aae4f"  # priority 61440, system id extension 1


def test_an_rstp_bridge_is_read_from_mstpd_not_from_the_kernels_stale_ids(tmp_path):
    # user-space STP: the kernel keeps its own id as root; mstpd knows the real one
    br = read_bridge("br0", fake_bridge(tmp_path, stp="2", root_id="f000.aa"), mstp=lambda name: mstp_capture())
    assert (br["protocol"], br["root_id"], br["is_root"]) == ("rstp", "0000.6ee1966aa653", False)
    assert br["ports"]["eth0"] == dict(state="forwarding", role="root", point_to_point=True, edge=False,
                                       path_cost=100, port_priority=32)
    assert (br["ports"]["eth1"]["role"], br["ports"]["eth1"]["state"]) == ("alternate", "discarding")
    assert bridge_verdict(br) == ("redundant", [])
    health_line = health("bridge_stp", {"br0": dict(kind="bridge", verdict="redundant", reasons=[], **br)})[1][0]
    assert health_line == ("br0: rstp bridge, redundant (eth0 root forwarding, eth1 alternate discarding; "
                           "root 0000.6ee1966aa653)")


def test_mstpd_is_asked_through_the_modules_run_command(monkeypatch):
    bridge, ports = mstp_capture()
    asked = []

    def run(argv):  # AnsibleModule.run_command's (rc, stdout, stderr)
        asked.append(argv)
        return (0, bridge, "") if argv[3] == "showbridge" else (0, ports, "")

    monkeypatch.setattr(shutil, "which", lambda name: "/usr/sbin/" + name)
    assert mstpctl(run)("br0") == (bridge, ports)
    assert asked == [["mstpctl", "-f", "json", "showbridge", "br0"], ["mstpctl", "-f", "json", "showport", "br0"]]
    assert mstpctl(lambda argv: (1, "", "no such bridge"))("br0") is None
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert mstpctl(run)("br0") is None  # not installed: never run (run_command fails the module on a missing binary)


def test_an_rstp_bridge_mstpd_does_not_answer_for_is_degraded(tmp_path):
    br = read_bridge("br0", fake_bridge(tmp_path, stp="2"), mstp=lambda name: None)
    assert bridge_verdict(br) == ("degraded", ["mstpd does not answer for this bridge (user-space STP)"])


@pytest.mark.parametrize("kw, verdict", [
    (dict(stp="0"), ("not redundant", ["STP is off"])),
    (dict(root_id="f000.aa"), ("degraded", ["this server is the STP root"])),
    (dict(ports=(("eth0", 3, 100), ("eth1", 0, 100))), ("degraded", ["eth1 is disabled"])),
    (dict(ports=(("eth0", 3, 100),)), ("not redundant", ["1 port(s) in the bridge"])),
])
def test_bridge_verdicts(tmp_path, kw, verdict):
    assert bridge_verdict(read_bridge("br0", fake_bridge(tmp_path, **kw))) == verdict


def test_timers_of_a_bridge_that_is_not_root_are_not_compared(tmp_path):
    """sysfs shows the root's timers on a non-root bridge; they must not count as drift."""
    from ansible_collections.redundant.interfaces.plugins.module_utils.live import drift, read_link
    from ansible_collections.redundant.interfaces.plugins.module_utils.model import build_links

    sys_root = fake_bridge(tmp_path)
    (tmp_path / "br0" / "bridge" / "forward_delay").write_text("1500\n")  # the root's 15 s
    state = read_link("br0", sys_root)
    assert state["options"]["forward_delay"] is None
    link = build_links("bridge_stp", [dict(name="br0", ports=["eth0", "eth1"], forward_delay=5, hello_time=1,
                                           max_age=8, port_options=dict(eth0=dict(path_cost=100),
                                                                        eth1=dict(path_cost=100)))])[0]
    assert drift(link, state) == []
    (tmp_path / "br0" / "bridge" / "root_id").write_text("f000.aa\n")  # now it is root: its own timers show
    assert [str(d) for d in drift(link, read_link("br0", sys_root))] == ["forward_delay is 15, want 5"]


def test_collects_bonds_and_bridges(tmp_path):
    proc = tmp_path / "bonding"
    proc.mkdir()
    shutil.copy("%s/bonding_802.3ad_degraded.txt" % BONDING, proc / "bond0")
    sys_root = fake_bridge(tmp_path / "sys")
    links = collect(proc=str(proc), sys_root=sys_root)
    assert sorted(links) == ["bond0", "br0"]
    assert links["bond0"]["kind"] == "bond" and links["bond0"]["verdict"] == "degraded"
    assert links["bond0"]["reasons"] == ["eth0 MII down"]
    assert links["br0"]["kind"] == "bridge" and links["br0"]["verdict"] == "redundant"
    assert collect(["br0"], proc=str(proc), sys_root=sys_root).keys() == {"br0"}


def test_nothing_to_report(tmp_path):
    assert collect(proc=str(tmp_path / "none"), sys_root=str(tmp_path)) == {}


def test_recreate_is_decided_on_fields_not_on_words():
    """A link or port named like an option, or a reworded message, changes nothing."""
    from ansible_collections.redundant.interfaces.plugins.module_utils.backends.common import Change
    from ansible_collections.redundant.interfaces.plugins.module_utils.live import Drift

    device = dict(kind="bond")
    assert Change(drift=[Drift("mode", "balance-rr", "802.3ad", "mode")], device=device).recreate
    assert Change(drift=[Drift("miimon", 0, 100, "bond0")], device=device).recreate
    assert Change(drift=[Drift("kind", "bridge", "bond", "bond0")], device=device).recreate
    assert not Change(drift=[Drift("exists", False, True, "miimon")], device=device).recreate
    assert not Change(drift=[Drift("priority", 32, 16, "br0", "priority")], device=device).recreate
    assert not Change(drift=[Drift("mtu", 1500, 9000, "bond0")], device=device).recreate
    assert not Change(drift=[Drift("mode", "balance-rr", "802.3ad", "bond0")], device=None).recreate
    assert str(Drift("path_cost", 100, 200, "br0", "eth0")) == "eth0 path_cost is 100, want 200"
    assert str(Drift("addresses", ["192.0.2.1/24"], ["192.0.2.1/24", "192.0.2.2/24"], "br0")) == (
        "addresses 192.0.2.2/24 missing")


@pytest.mark.parametrize("capture, watched, sees", [
    ("802.3ad", "LACP fast", True),
    ("active-backup_arp", "ARP every 100 ms (198.51.100.1)", True),
    ("active-backup", "MII every 100 ms, carrier only", False),
    ("balance-alb", "MII every 100 ms, carrier only", False),
])
def test_what_watches_a_bond_and_whether_it_sees_a_far_end_that_goes_silent(capture, watched, sees):
    assert monitor(dict(kind="bond", **bond(capture))) == (watched, sees)


def test_a_link_blind_to_a_silent_far_end_is_marked_redundant_only_against_cable_loss(tmp_path):
    proc = tmp_path / "bonding"
    proc.mkdir()
    shutil.copy("%s/bonding_active-backup.txt" % BONDING, proc / "bond0")
    shutil.copy("%s/bonding_active-backup_arp.txt" % BONDING, proc / "bond1")
    links = collect(proc=str(proc), sys_root=fake_bridge(tmp_path / "sys"))
    assert [links[n]["protection"] for n in ("bond0", "bond1", "br0")] == [
        "redundant only against cable loss", "cable loss and a silent far end", "cable loss and a silent far end"]
    healthy, lines = health("bond_active_backup", links, ["bond0"])
    assert healthy  # still redundant: a pulled cable fails over
    assert lines[0].endswith(" - redundant only against cable loss (MII every 100 ms, carrier only)")
