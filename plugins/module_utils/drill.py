# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Failover drill arithmetic: the loss window around an event, whether the
link's state flipped as its method should, whether traffic passes every port
again, and the results table; the last drill's result kept on the host, so
that later reports can show it."""

from __future__ import annotations

import json
import os
import re
import select
import signal
import socket
import struct
import tempfile
import time

FAILS_OVER = ("active-backup", "balance-tlb", "balance-alb")  # bond modes with one active port
RECORD = "/var/lib/redundant-interfaces/last-drill.json"
# A switch port that comes back listens and learns (802.1D: twice the forward delay) before it
# forwards, and the server cannot see that. The drill sends broadcasts of the IEEE's local
# experimental EtherType through the link: every switch floods them and no host answers them. A
# port passes traffic again once it hears them (or sent them: the port the link chose to send by).
# Where a bridge server forwards on every port, the loop breaks at a switch's end and nothing can
# come round: then the time such a port needs is what the drill can wait for.
FLOOD_TYPE = 0x88B5
ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
RESEND = 0.1  # seconds between broadcasts while waiting


def save(rows, path=RECORD, now=None):
    """Keep a drill's rows with its time (UTC), replacing the previous drill's."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    record = dict(time=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(now)), ok=all(r["ok"] for r in rows),
                  rows=rows)
    with open(path + ".tmp", "w") as handle:
        json.dump(record, handle)
    os.replace(path + ".tmp", path)
    return record


def last(path=RECORD):
    """The last drill kept on this host, or None."""
    try:
        with open(path) as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


class Probe:
    """A ping stream to `target` every `interval` s, running while the drill cuts ports. Started
    through `run` (AnsibleModule.run_command, which waits for what it runs): a shell starts ping in
    the background and says its pid. Into a file, not a pipe: nothing reads until stop(), and a full
    pipe (64 KiB: about 9 s of replies at 10 ms) would block ping, so a cut longer than that would
    read as traffic that stopped."""

    def __init__(self, run, target, interval):
        handle, self.path = tempfile.mkstemp(prefix="redundant-drill-")
        os.close(handle)
        rc, out, err = run(["sh", "-c", 'ping -D -n -i "$1" -W 1 "$2" >"$3" 2>/dev/null </dev/null & echo $!',
                            "probe", str(interval), target, self.path])
        if rc or not out.strip().isdigit():
            os.unlink(self.path)
            raise OSError("the probe's ping did not start: %s" % (err or out).strip())
        self.pid = int(out)

    def stop(self):
        """Reply times (s) seen."""
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + 5
        while _running(self.pid) and time.monotonic() < deadline:  # the last lines written first
            time.sleep(0.01)
        try:
            with open(self.path) as handle:
                return replies(handle.read())
        finally:
            os.unlink(self.path)


def _running(pid):
    """Whether process `pid` still runs (a zombie, ended and not yet reaped by init, does not)."""
    try:
        with open("/proc/%d/stat" % pid) as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def replies(ping_output):
    """`ping -D` output -> reply times (s)."""
    return [float(t) for t in re.findall(r"^\[(\d+\.\d+)\] \d+ bytes from", ping_output, re.M)]


def loss_window(times, event, until, interval):
    """Longest silence (ms) between consecutive replies around `event`, before
    `until`, less one probe interval; None when no reply came after the event."""
    after = [t for t in times if event < t <= until]
    if not after:
        return None
    points = [t for t in times if t <= event][-1:] + after
    gap = max((b - a for a, b in zip(points, points[1:])), default=0.0)
    return round(max(0.0, gap - interval) * 1000.0, 1)


def flipped(before, after, port):
    """Problems with the state after `port` went down (empty: it flipped as expected)."""
    problems = []
    if before["kind"] == "bond":
        if after["mii_status"] != "up":
            problems.append("the bond went down")
        if after["ports"].get(port, {}).get("mii_status") not in (None, "down"):
            problems.append("%s still reports MII up" % port)
        if before["mode"] in FAILS_OVER and before.get("active_port") == port and after.get("active_port") in (None, port):
            problems.append("no other port took over from %s" % port)
    else:
        cut = after["ports"].get(port, {})
        if cut.get("state") not in (None, "disabled") and cut.get("role") != "disabled":  # RSTP: role disabled
            problems.append("%s is still %s" % (port, after["ports"][port]["state"]))
        if not any(p["state"] == "forwarding" for name, p in after["ports"].items() if name != port):
            problems.append("no other port forwards")
    return problems


def silence(port):
    """Commands that make `port` drop every frame, both ways, while it keeps its carrier (a far end that
    stops forwarding: a hung switch port, a pruned VLAN), and the command that ends it."""
    drop = [["tc", "filter", "add", "dev", port, way, "matchall", "action", "drop"] for way in ("ingress", "egress")]
    return [["tc", "qdisc", "add", "dev", port, "clsact"]] + drop, ["tc", "qdisc", "del", "dev", port, "clsact"]


def detected(before, after, port):
    """Whether the link stopped relying on `port`, which keeps its carrier but passes nothing: its
    monitor marked it down (ARP), it left the active aggregator (LACP), another port became active,
    or (a bridge) the root port moved off it or the port's STP state or role changed."""
    if before["kind"] == "bond":
        now = after["ports"].get(port, {})
        if now.get("mii_status") == "down":
            return True
        if before["mode"] == "802.3ad":
            return now.get("aggregator_id") != (after.get("aggregator") or {}).get("id")
        return before.get("active_port") == port and after.get("active_port") not in (None, port)
    if before.get("root_port") == port:
        return after.get("root_port") not in (None, port)
    old, new = before["ports"].get(port, {}), after["ports"].get(port, {})
    return (old.get("state"), old.get("role")) != (new.get("state"), new.get("role"))


def floods(link):
    """Whether a broadcast through the link reaches its other ports by the switches (one path at a
    time: a failover bond or a bridge); an aggregate never sends a frame back into itself."""
    return link["kind"] == "bridge" or link.get("mode") in FAILS_OVER


def frame(mac, token):
    """A broadcast of FLOOD_TYPE from `mac` carrying `token` (padded to Ethernet's minimum)."""
    return b"\xff" * 6 + mac + struct.pack("!H", FLOOD_TYPE) + token.ljust(46, b"\0")


def passed(seen, ports):
    """Every port sent or heard the broadcast, and one heard it (a switch carried it)."""
    return set(ports) <= set(seen) and "heard" in seen.values()


def passes(seen, ports, elapsed, quiet):
    """How traffic is known to pass every port: "heard" (a switch carried the broadcast back),
    "timer" (every port sends, none can hear: after `quiet` seconds, when given), else None."""
    if passed(seen, ports):
        return "heard"
    if quiet is not None and elapsed >= quiet and set(ports) <= set(seen) and set(seen.values()) == {"sent"}:
        return "timer"
    return None


def learning_time(bridge, sys_root="/sys/class/net"):
    """Seconds a legacy switch port needs on coming back: twice the forward delay in force (a bridge
    that is not root runs with the root's, which sysfs shows, in hundredths of a second), and one
    more for the carrier to reach the far end; 802.1D's default (15 s) when it cannot be read."""
    try:
        with open("%s/%s/bridge/forward_delay" % (sys_root, bridge)) as handle:
            delay = int(handle.read()) / 100.0
    except (OSError, ValueError):
        delay = 15.0
    return 2 * delay + 1


def forwarding(master, ports, timeout, quiet=None):
    """(seconds, how) once broadcasts sent through `master` pass every one of its `ports` (how:
    passes()), or None when that is not known within `timeout` seconds."""
    token = b"redundant.interfaces drill " + os.urandom(8).hex().encode()
    listeners = {}
    sender = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    try:
        for port in ports:
            sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
            listeners[sock] = port
            sock.bind((port, 0))
            sock.setblocking(False)
        sender.bind((master, 0))
        message = frame(sender.getsockname()[4], token)
        started = time.monotonic()
        seen, resend = {}, started
        while True:
            now = time.monotonic()
            if now >= resend:
                sender.send(message)
                resend = now + RESEND
            for sock in select.select(list(listeners), [], [], 0.02)[0]:
                while True:
                    try:
                        data, address = sock.recvfrom(2048)
                    except BlockingIOError:
                        break
                    if token in data and seen.get(listeners[sock]) != "heard":
                        seen[listeners[sock]] = "sent" if address[2] == PACKET_OUTGOING else "heard"
            how = passes(seen, ports, now - started, quiet)
            if how:
                return time.monotonic() - started, how
            if now - started >= timeout:
                return None
    finally:
        sender.close()
        for sock in listeners:
            sock.close()


def settled(link):
    """Redundant, and (a bridge) done with listening and learning, one port forwarding."""
    if link["verdict"] != "redundant":
        return False
    if link["kind"] == "bridge":
        states = [p["state"] for p in link["ports"].values()]
        return "forwarding" in states and not {"listening", "learning"} & set(states)
    return True


def active(link):
    """The port carrying traffic: the bond's active port, the forwarding bridge
    ports (with their RSTP role), or every port of an aggregating bond."""
    if link["kind"] == "bond":
        return link.get("active_port") or "all"
    return ",".join(sorted(n + ("(%s)" % p["role"] if p.get("role") else "")
                           for n, p in link["ports"].items() if p["state"] == "forwarding")) or "none"


def row(name, before, port, **values):
    """A drill row for `port` of link `name` (state `before`), nothing measured yet: the one shape
    table() prints, save() keeps and the report reads."""
    out = dict(link=name, mode=before.get("mode") or before.get("protocol") or "stp", port=port,
               active_before=active(before), active_after="-", loss_cut_ms=None, loss_back_ms=None,
               passes_after_ms=None, passes_by=None, ok=True, problems=[])
    out.update(values)
    return out


def measured(value):
    """A figure of a row, or "-" when nothing was measured."""
    return "-" if value is None else value


COLUMNS = (("link", 8), ("mode", 14), ("port cut", 9), ("active before", 14), ("active after", 14),
           ("loss cut ms", 12), ("loss back ms", 13), ("passes after ms", 16), ("result", 0))


def table(rows):
    """The drill's results as text lines, one row per port cut."""
    def line(values):
        return "  ".join(str(v).ljust(width) for v, (dummy, width) in zip(values, COLUMNS)).rstrip()
    out = [line(name for name, dummy in COLUMNS)]
    for one in rows:
        port = one["port"] + (" silent" if one.get("failure") == "silent" else "")
        out.append(line([one["link"], one["mode"], port, one["active_before"], one["active_after"],
                         measured(one["loss_cut_ms"]), measured(one["loss_back_ms"]),
                         "-" if one.get("passes_after_ms") is None else
                         "%s%s" % (one["passes_after_ms"], " timer" if one.get("passes_by") == "timer" else ""),
                         "ok" if one["ok"] else "FAILED: " + "; ".join(one["problems"])]))
    return out
