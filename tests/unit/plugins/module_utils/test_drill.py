"""Failover drill arithmetic: loss windows, the expected state flips, the table."""

from __future__ import annotations

import os
import subprocess
import time

import pytest

from ansible_collections.redundant.interfaces.plugins.module_utils import drill

PING = """PING 198.51.100.1 (198.51.100.1) 56(84) bytes of data.
[100.000] 64 bytes from 198.51.100.1: icmp_seq=1 ttl=64 time=0.1 ms
[100.010] 64 bytes from 198.51.100.1: icmp_seq=2 ttl=64 time=0.1 ms
[100.200] 64 bytes from 198.51.100.1: icmp_seq=21 ttl=64 time=0.1 ms
[100.210] 64 bytes from 198.51.100.1: icmp_seq=22 ttl=64 time=0.1 ms
"""


def test_loss_window_is_the_longest_silence_around_the_event_less_one_interval():
    times = drill.replies(PING)
    assert times == [100.0, 100.01, 100.2, 100.21]
    assert drill.loss_window(times, 100.015, 101.0, 0.01) == 180.0
    assert drill.loss_window(times, 100.3, 101.0, 0.01) is None  # nothing came back


def bond(active, eth0="up", eth1="up", mode="active-backup", mii="up"):
    return dict(kind="bond", mode=mode, mii_status=mii, active_port=active,
                ports=dict(eth0=dict(mii_status=eth0), eth1=dict(mii_status=eth1)))


def bridge(eth0, eth1):
    return dict(kind="bridge", ports=dict(eth0=dict(state=eth0), eth1=dict(state=eth1)))


def test_active_backup_must_move_to_the_other_port():
    assert drill.flipped(bond("eth0"), bond("eth1", eth0="down"), "eth0") == []
    assert drill.flipped(bond("eth0"), bond("eth0", eth0="down"), "eth0") == ["no other port took over from eth0"]
    assert drill.flipped(bond("eth0"), bond(None, "down", "down", mii="down"), "eth0")[0] == "the bond went down"


def test_lacp_only_needs_the_port_down_and_the_bond_up():
    lacp = bond(None, mode="802.3ad")
    assert drill.flipped(lacp, bond(None, eth0="down", mode="802.3ad"), "eth0") == []
    assert drill.flipped(lacp, bond(None, mode="802.3ad"), "eth0") == ["eth0 still reports MII up"]


def test_stp_needs_the_other_port_forwarding():
    assert drill.flipped(bridge("forwarding", "blocking"), bridge("disabled", "forwarding"), "eth0") == []
    assert drill.flipped(bridge("forwarding", "blocking"), bridge("disabled", "blocking"), "eth0") == [
        "no other port forwards"]
    assert drill.active(bridge("forwarding", "blocking")) == "eth0"
    rstp = bridge("forwarding", "discarding")
    rstp["ports"]["eth0"]["role"] = "root"
    assert drill.active(rstp) == "eth0(root)"


def test_a_bridge_is_settled_only_when_one_port_forwards_and_none_is_learning():
    ok = dict(bridge("forwarding", "blocking"), verdict="redundant")
    assert drill.settled(ok)
    assert not drill.settled(dict(bridge("learning", "blocking"), verdict="redundant"))
    assert not drill.settled(dict(ok, verdict="degraded"))


def test_table_has_a_header_and_a_row_per_cut():
    rows = [drill.row("bond0", bond("eth0"), "eth0", active_after="eth1", loss_cut_ms=92.0, ok=False, problems=["x"])]
    lines = drill.table(rows)
    assert lines[0].startswith("link") and "loss cut ms" in lines[0]
    assert lines[1].split()[:7] == ["bond0", "active-backup", "eth0", "eth0", "eth1", "92.0", "-"]
    assert lines[1].endswith("FAILED: x")


def test_a_row_starts_with_the_link_as_it_was_and_nothing_measured():
    assert drill.row("bond0", bond(None, mode="802.3ad"), "eth1") == dict(
        link="bond0", mode="802.3ad", port="eth1", active_before="all", active_after="-", loss_cut_ms=None,
        loss_back_ms=None, passes_after_ms=None, passes_by=None, ok=True, problems=[])
    stp = dict(bridge("forwarding", "blocking"), protocol="rstp")
    assert drill.row("br0", stp, "-", ok=False)["mode"] == "rstp" and drill.row("br0", stp, "-")["active_before"] == "eth0"
    assert drill.table([drill.row("br0", stp, "-", ok=False, problems=["not redundant"])])[1].split()[4:9] == [
        "-", "-", "-", "-", "FAILED:"]


def test_the_last_drill_is_kept_for_the_report(tmp_path):
    path = str(tmp_path / "state" / "last-drill.json")
    assert drill.last(path) is None
    rows = [dict(link="bond0", port="eth0", ok=True), dict(link="bond0", port="eth1", ok=False)]
    drill.save(rows, path, now=0)
    assert drill.last(path) == dict(time="1970-01-01 00:00 UTC", ok=False, rows=rows)
    drill.save(rows[:1], path, now=86400)
    assert drill.last(path)["time"] == "1970-01-02 00:00 UTC" and drill.last(path)["ok"]


def test_only_links_with_one_path_at_a_time_wait_for_a_broadcast_to_come_round():
    assert drill.floods(dict(kind="bond", mode="active-backup"))
    assert drill.floods(dict(kind="bond", mode="balance-alb"))
    assert drill.floods(dict(kind="bridge"))
    # an aggregate never sends a frame back into itself: its partner's state is the proof there
    assert not drill.floods(dict(kind="bond", mode="802.3ad"))
    assert not drill.floods(dict(kind="bond", mode="balance-xor"))


def test_the_broadcast_is_a_minimum_ethernet_frame_of_the_local_experimental_ethertype():
    mac = bytes.fromhex("020000000001")
    data = drill.frame(mac, b"token")
    assert len(data) == 60 and data[:6] == b"\xff" * 6 and data[6:12] == mac
    assert data[12:14] == b"\x88\xb5" and data[14:19] == b"token"


def test_traffic_passes_when_every_port_sent_or_heard_it_and_a_switch_carried_it():
    assert drill.passed({"eth0": "sent", "eth1": "heard"}, ["eth0", "eth1"])
    assert drill.passed({"eth0": "heard", "eth1": "heard"}, ["eth0", "eth1"])  # a bridge's blocked port
    assert not drill.passed({"eth0": "sent"}, ["eth0", "eth1"])  # the restored port still listens
    assert not drill.passed({"eth0": "sent", "eth1": "sent"}, ["eth0", "eth1"])  # nothing came round


def test_where_the_loop_breaks_at_a_switch_the_port_passes_once_its_learning_time_is_over():
    both = {"eth0": "sent", "eth1": "sent"}  # a bridge server forwarding on both ports: nothing comes round
    assert drill.passes(both, ["eth0", "eth1"], 3.0, None) is None  # a bond: only hearing proves it
    assert drill.passes(both, ["eth0", "eth1"], 3.0, 9.0) is None  # the switch port may still learn
    assert drill.passes(both, ["eth0", "eth1"], 9.0, 9.0) == "timer"
    assert drill.passes({"eth0": "sent", "eth1": "heard"}, ["eth0", "eth1"], 0.5, 9.0) == "heard"
    # a port the bridge does not send by (blocking) must still hear: no timer for it
    assert drill.passes({"eth0": "sent"}, ["eth0", "eth1"], 60.0, 9.0) is None


def test_the_learning_time_is_twice_the_forward_delay_in_force_and_a_second(tmp_path):
    (tmp_path / "br0" / "bridge").mkdir(parents=True)
    (tmp_path / "br0" / "bridge" / "forward_delay").write_text("399\n")  # the root's 4 s, in 1/100 s
    assert drill.learning_time("br0", str(tmp_path)) == 2 * 3.99 + 1
    assert drill.learning_time("gone", str(tmp_path)) == 31.0  # 802.1D's default forward delay


def test_a_row_passed_by_the_timer_says_so_in_the_table():
    row = drill.row("br0", bridge("forwarding", "forwarding"), "eth1", active_after="eth0", loss_cut_ms=0.0,
                    loss_back_ms=0.0, passes_after_ms=9012, passes_by="timer")
    assert "9012 timer" in drill.table([row])[1]
    assert "9012 timer" not in drill.table([dict(row, passes_by="heard")])[1]


def test_the_probe_keeps_every_reply_of_a_long_cut(tmp_path, monkeypatch):
    # a stand-in ping writes far more than a pipe holds (64 KiB) before its last reply; read only at
    # stop(), a pipe would block it there, and the replies after that would never be written
    fake = tmp_path / "ping"
    fake.write_text("#!/bin/sh\n"
                    "i=0; while [ $i -lt 2000 ]; do echo \"[1.$i] 64 bytes from 192.0.2.1: icmp_seq=$i\"; i=$((i+1)); done\n"
                    "echo '[9.5] 64 bytes from 192.0.2.1: icmp_seq=last'\n"
                    "exec sleep 60\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", "%s:%s" % (tmp_path, os.environ["PATH"]))
    probe = drill.Probe(run_command, "192.0.2.1", 0.01)
    deadline = time.monotonic() + 20
    while b"icmp_seq=last" not in open(probe.path, "rb").read():
        assert time.monotonic() < deadline, "the stand-in ping never wrote its last reply"
        time.sleep(0.05)
    times = probe.stop()
    assert len(times) == 2001 and times[-1] == 9.5
    assert not os.path.exists(probe.path) and not drill._running(probe.pid)  # ping ended, its file gone


def run_command(argv):
    """AnsibleModule.run_command's contract: waits for the command, (rc, stdout, stderr)."""
    proc = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=30)
    return proc.returncode, proc.stdout, proc.stderr


def test_a_probe_that_cannot_start_says_why(tmp_path, monkeypatch):
    with pytest.raises(OSError, match="the probe's ping did not start: no sh here"):
        drill.Probe(lambda argv: (127, "", "no sh here"), "192.0.2.1", 0.01)


def test_a_silent_port_is_dropped_both_ways_and_given_back():
    fail, mend = drill.silence("eth0")
    assert fail == [["tc", "qdisc", "add", "dev", "eth0", "clsact"],
                    ["tc", "filter", "add", "dev", "eth0", "ingress", "matchall", "action", "drop"],
                    ["tc", "filter", "add", "dev", "eth0", "egress", "matchall", "action", "drop"]]
    assert mend == ["tc", "qdisc", "del", "dev", "eth0", "clsact"]


def test_a_silent_port_is_detected_only_when_the_link_stops_relying_on_it():
    # active-backup: the MII monitor keeps the silent active port (carrier is up); ARP marks it down
    assert not drill.detected(bond("eth0"), bond("eth0"), "eth0")
    assert drill.detected(bond("eth0"), bond("eth1", eth0="down"), "eth0")
    assert drill.detected(bond("eth1"), bond("eth1", eth0="down"), "eth0")  # a backup port, by ARP
    assert not drill.detected(bond("eth1"), bond("eth1"), "eth0")
    # 802.3ad: the port leaves the active aggregator when its partner's LACPDUs stop
    lacp = dict(bond(None, mode="802.3ad"), aggregator=dict(id=1))
    lacp["ports"]["eth0"]["aggregator_id"] = lacp["ports"]["eth1"]["aggregator_id"] = 1
    left = dict(lacp, ports=dict(lacp["ports"], eth0=dict(mii_status="up", aggregator_id=2)))
    assert drill.detected(lacp, left, "eth0") and not drill.detected(lacp, lacp, "eth0")
    # a bridge: the root port moves off the silent one (which may well go on forwarding, as designated)
    stp = dict(bridge("forwarding", "blocking"), root_port="eth0")
    assert drill.detected(stp, dict(bridge("forwarding", "forwarding"), root_port="eth1"), "eth0")
    assert not drill.detected(stp, stp, "eth0")
    assert drill.detected(stp, dict(bridge("forwarding", "forwarding"), root_port="eth0"), "eth1")  # its state moved


def test_a_silent_row_says_so_in_the_table():
    row = drill.row("bond0", bond("eth0"), "eth0", failure="silent", active_after="eth0", loss_back_ms=0.0, ok=False,
                    problems=["never detected within 45 s: the link still relies on eth0 (MII every 100 ms, carrier only)"])
    assert drill.table([row])[1].startswith("bond0     active-backup   eth0 silent")
