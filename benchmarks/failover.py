"""Failover benchmark in the kernel lab: the packet-loss window, in ms, when a
server port's far end fails and when it returns, per redundancy method and link
monitor, with the collection's defaults (configured by the role) and with the
kernel's defaults (a bare `ip link add ... type bond mode X`), plus STP with
802.1D default and tuned switch timers, and RSTP on both ends.

Two failures: the far end goes down (carrier lost, a pulled cable), and the far
end stops forwarding while the carrier stays up on both ends (silent: every
frame dropped there, LACPDUs and BPDUs too; a hung switch port, a pruned VLAN).
A monitor that cannot see the silent one never fails over: its row says "never
detected" (no reply came back before the far end returned).

A probe stream from the switch side pings the server every 10 ms
(tests/lab/guest/failover_probe.py in the one-guest layouts; in the layout
rstp, a fabric of three guests - the server and two switches in Rapid-PVST+
under mstpd - sw1 pings while the server's root port fails: tests/lab/fabric.py
pulls its cable, or sw1's port drops every frame). Every row is REPEAT
failures and returns (default 5) and reports the median and the worst. Not a
test: it prints one table.

    .venv/bin/python benchmarks/failover.py               # everything
    .venv/bin/python benchmarks/failover.py lacp rstp     # some layouts only
    REPEAT=9 .venv/bin/python benchmarks/failover.py rstp
    SILENT=only .venv/bin/python benchmarks/failover.py   # the silent failures only (SILENT=no: none)
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [ROOT, os.path.join(ROOT, "tests")]
import conftest  # noqa: E402,F401  pylint: disable=wrong-import-position,unused-import

from ansible_collections.redundant.interfaces.plugins.module_utils import drill, status  # noqa: E402
from tests.helpers import lab_ssh_args  # noqa: E402
from tests.lab import fabric  # noqa: E402

LAB = os.path.join(ROOT, "tests", "lab")
REPEAT = int(os.environ.get("REPEAT", "5"))
BIN = os.path.dirname(sys.executable)
SERVER = "198.51.100.10"
ADDR = {"ipv4": {"addresses": [SERVER + "/24"]}}
GATEWAY = "198.51.100.1"  # the switch side's address: an active-backup bond with it as gateway ARP-monitors it
SILENT = os.environ.get("SILENT", "yes")  # yes: every row; only: the silent failures; no: none


@dataclass(frozen=True)
class Run:
    layout: str
    method: str
    label: str  # the table's method column
    monitor: str  # what watches the ports
    how: str = "role"  # the role, or a bonding mode for a bare kernel bond
    timers: tuple | None = None  # the switches' STP forward delay, hello time, max age (layout stp)
    failure: str = "carrier"  # carrier: the far end goes down; silent: it stops forwarding, carrier up
    options: dict = field(default_factory=dict)  # the link's options beside name, ports and address
    hold: float = 3.0  # seconds the far end stays failed (a bridge's: from its timers)
    target: str = ""  # the loss window the collection promises where it fails, ms


RUNS = [
    Run("plain", "bond_active_backup", "active-backup", "MII 100 ms", target="250"),
    Run("plain", "bond_active_backup", "active-backup", "none (the kernel's miimon 0)", how="active-backup"),
    Run("plain", "bond_active_backup", "active-backup", "ARP 200 ms (the bond's gateway)",
        options=dict(ipv4=dict(addresses=[SERVER + "/24"], gateway=GATEWAY))),
    Run("plain", "bond_alb", "balance-alb", "MII 100 ms", target="250"),
    Run("plain", "bond_alb", "balance-alb", "MII 100 ms", how="balance-alb"),
    Run("lacp", "bond_lacp", "802.3ad", "LACP fast, MII 100 ms", target="250"),
    Run("lacp", "bond_lacp", "802.3ad", "LACP slow, MII 100 ms", how="802.3ad"),
    Run("stp", "bridge_stp", "stp", "STP", timers=(4, 1, 6), target="10000"),
    Run("stp", "bridge_stp", "stp", "STP", timers=(15, 2, 20)),
    Run("rstp", "bridge_stp", "rstp", "RSTP", target="1000"),
    # a far end that stops forwarding, carrier up: what each monitor sees
    Run("plain", "bond_active_backup", "active-backup", "MII 100 ms", failure="silent", hold=10),
    Run("plain", "bond_active_backup", "active-backup", "ARP 200 ms (the bond's gateway)", failure="silent",
        options=dict(ipv4=dict(addresses=[SERVER + "/24"], gateway=GATEWAY)), target="1400"),
    Run("plain", "bond_alb", "balance-alb", "MII 100 ms", failure="silent", hold=10),
    Run("lacp", "bond_lacp", "802.3ad", "LACP fast", failure="silent", hold=8, target="3000"),
    Run("lacp", "bond_lacp", "802.3ad", "LACP slow", failure="silent", options=dict(lacp_rate="slow"), hold=100),
    Run("stp", "bridge_stp", "stp", "STP (max age)", timers=(4, 1, 6), failure="silent", hold=25),
    Run("rstp", "bridge_stp", "rstp", "RSTP (3 missed hellos)", failure="silent", hold=12, target="6000"),
]
# the layout rstp: a server (Debian 13, mstpd) cabled to sw1 (root) and sw2, both in Rapid-PVST+
RSTP_LAB = {"all": {"children": {
    "switches": {"hosts": {"bench-sw1": {"ios_sim_stp_mode": "rapid-pvst"},
                           "bench-sw2": {"ios_sim_stp_mode": "rapid-pvst"}}},
    "servers": {"hosts": {"bench-rstp": {"lab_suite": "trixie", "uplinks": [
        {"interface": "eth0", "switch": "bench-sw1", "port": "FastEthernet0/1"},
        {"interface": "eth1", "switch": "bench-sw2", "port": "FastEthernet0/1"}]}}}}}}


def sh(*argv, **kw):
    proc = subprocess.run(argv, check=False, capture_output=True, text=True, **kw)
    if proc.returncode:  # what failed, with its own words (a playbook's recap and error)
        raise RuntimeError("%s failed (%d):\n%s\n%s" % (" ".join(argv[:3]), proc.returncode, proc.stdout[-4000:],
                                                        proc.stderr[-2000:]))
    return proc


def guest(name, command):
    return sh(os.path.join(LAB, "ssh"), name, command).stdout


def apply_role(name, method, link):
    key = os.path.join(ROOT, ".cache", "lab", "id_ed25519")
    inventory = {"all": {"hosts": {name: {
        "ansible_host": name, "ansible_user": "root", "ansible_ssh_private_key_file": key,
        "ansible_ssh_common_args": lab_ssh_args()}}}}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(inventory, handle)
    extra = json.dumps({"role_under_test": method, "%s_links" % method: [link]})
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), PATH=BIN + ":" + os.environ["PATH"])
    started = time.monotonic()
    sh(os.path.join(BIN, "ansible-playbook"), "-i", handle.name, os.path.join(ROOT, "benchmarks", "apply_role.yml"),
       "-e", extra, env=env)
    os.unlink(handle.name)
    return time.monotonic() - started


def reset(name):
    guest(name, "ifdown --force bond0 br0 >/dev/null 2>&1; rm -f /etc/network/interfaces.d/*; "
                "ip link del bond0 2>/dev/null; ip link del br0 2>/dev/null; "
                "ip addr flush dev eth0; ip addr flush dev eth1; true")


def configure(name, run):
    if run.timers:  # the switches' timers rule the server's bridge too: set them first
        fd, hello, age = (t * 100 for t in run.timers)
        for bridge in ("sw1", "sw2"):
            guest(name, "ip -n sw link set %s type bridge forward_delay %d hello_time %d max_age %d"
                  % (bridge, fd, hello, age))
    if run.how == "role":
        link = dict(dict(name="br0" if run.method == "bridge_stp" else "bond0", ports=["eth0", "eth1"], **ADDR),
                    **run.options)
        if name == "bench-rstp":
            link["protocol"] = "rstp"
        apply_role(name, run.method, link)
    else:
        guest(name, "ip link add bond0 type bond mode %s && ip link set eth0 master bond0 && "
                    "ip link set eth1 master bond0 && ip addr add %s/24 dev bond0 && ip link set bond0 up"
              % (run.how, SERVER))


def wait_healthy(name, method, timeout, timers=None):
    """Until the bond has both ports up (or the bridge has one port blocking
    and the topology has settled for a max_age)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if name == "bench-rstp":
            roles = {p["port"]: (p["role"], p["state"]) for p in json.loads(guest(name, "mstpctl -f json showport br0"))}
            if roles == {"eth0": ("Root", "forwarding"), "eth1": ("Alternate", "discarding")}:
                return
        elif method == "bridge_stp":
            states = guest(name, "cat /sys/class/net/eth0/brport/state /sys/class/net/eth1/brport/state").split()
            if sorted(states) == ["3", "4"]:
                time.sleep(timers[2])
                if sorted(guest(name, "cat /sys/class/net/eth0/brport/state "
                                      "/sys/class/net/eth1/brport/state").split()) == ["3", "4"]:
                    return
        elif all(status.bond_verdict(status.parse_bonding(text))[0] == "redundant" for text in bonds(name, method)):
            return  # every port up and, 802.3ad, in the active aggregator on both ends (not merely carrier up)
        time.sleep(1)
    raise RuntimeError("%s never became healthy" % method)


def bonds(name, method):
    """/proc/net/bonding of the server's bond and, in the layout lacp, of the switch side's."""
    texts = [guest(name, "cat /proc/net/bonding/bond0 2>/dev/null || true")]
    if method == "bond_lacp":
        texts.append(guest(name, "ip netns exec sw cat /proc/net/bonding/swbond 2>/dev/null || true"))
    return texts


def port_to_cut(name, method):
    """The far end of the port carrying traffic: the active slave, the aggregate's port the probe's
    requests come in by, or the bridge's root port (the path to the root switch, where the probe is).
    Not merely a forwarding port: a server port that forwards may face a switch port that blocks, and
    cutting it would measure nothing; nor an aggregate's eth0, which the hash may leave idle."""
    if method == "bond_active_backup":
        active = guest(name, "cat /sys/class/net/bond0/bonding/active_slave").strip()
    elif method == "bridge_stp":
        root = int(guest(name, "cat /sys/class/net/br0/bridge/root_port").strip(), 0)
        active = next(nic for nic in ("eth0", "eth1")
                      if int(guest(name, "cat /sys/class/net/%s/brport/port_no" % nic).strip(), 0) == root)
    elif method == "bond_lacp":  # the port the switch side's hash sends the probe's requests by
        counters = "cat /sys/class/net/eth0/statistics/rx_packets /sys/class/net/eth1/statistics/rx_packets"
        before = [int(n) for n in guest(name, counters).split()]
        guest(name, "ip netns exec sw ping -c 20 -i 0.01 -W 1 %s >/dev/null" % SERVER)
        grown = [int(n) - b for n, b in zip(guest(name, counters).split(), before)]
        active = "eth%d" % grown.index(max(grown))
    else:
        active = "eth0"  # balance-alb: see benchmarks.rst on which port the peer is served by
    return "sp" + active[-1]


def measure(name, run):
    if name == "bench-rstp":
        return measure_fabric(name, run)
    if run.method == "bridge_stp":
        hold = max(run.hold, 3 * run.timers[0] + run.timers[2] + 5)
        cut_at, restore_at, end = 2, 2 + hold, 2 + 2 * hold
    else:
        cut_at, restore_at, end = 2, 2 + run.hold, 2 + run.hold + 4
    out = json.loads(guest(name, "python3 /usr/local/lib/lab/failover_probe.py %s %s %s %s %s 0.01 %s"
                           % (SERVER, port_to_cut(name, run.method), cut_at, restore_at, end, run.failure)))
    times = drill.replies(out["ping"])
    return dict(fail_ms=drill.loss_window(times, out["cut"], out["restored"], out["interval"]),
                return_ms=drill.loss_window(times, out["restored"], out["end"], out["interval"]))


def measure_fabric(name, run, interval=0.01):
    """sw1 pings the server every 10 ms while the server's root port (eth0, to sw1) fails and comes back:
    the fabric pulls its cable and plugs it back, or (silent) sw1's port drops every frame, carrier up;
    the events are marked on sw1's own clock, just before each."""
    switch, hold = "bench-sw1", max(run.hold, 4.0)
    port = next(device for guest_name, device in fabric.find(name, "eth0").ends() if guest_name == switch)
    guest(switch, "ping -c 3 -i 0.2 -W 1 %s >/dev/null; ping -D -n -i %s -W 1 %s >/tmp/probe.txt 2>&1 & "
                  "echo $! >/tmp/probe.pid" % (SERVER, interval, SERVER))
    time.sleep(1)

    def now():
        return float(guest(switch, "date +%s.%N"))

    cut = now()
    drop, undrop = drill.silence(port)
    if run.failure == "silent":  # marked once the drop is in: an ssh round trip would read as loss
        cut = float(guest(switch, " && ".join([" ".join(argv) for argv in drop] + ["date +%s.%N"])))
    else:
        fabric.cut(name, "eth0", "down")
    time.sleep(hold)
    restored = now()
    if run.failure == "silent":
        guest(switch, " ".join(undrop))
    else:
        fabric.cut(name, "eth0", "up")
    time.sleep(hold)
    end = now()
    times = drill.replies(guest(switch, "kill $(cat /tmp/probe.pid); sleep 0.2; cat /tmp/probe.txt"))
    return dict(fail_ms=drill.loss_window(times, cut, restored, interval),
                return_ms=drill.loss_window(times, restored, end, interval))


def summary(values, hold=None):
    """'median / worst' of one column's runs; a run without recovery is the worst there is, and a
    failure no run recovered from before the far end returned was never detected."""
    if hold is not None and all(v is None for v in values):
        return "never detected (%.0f s)" % hold
    if any(v is None for v in values):
        return "%s / no recovery" % fmt(statistics.median([v for v in values if v is not None] or [None]))
    return "%.0f / %.0f" % (statistics.median(values), max(values))


def fmt(ms):
    return "no recovery" if ms is None else "%.0f" % ms


def boot(layout):
    """The guest(s) of a layout, up; returns the server's name and how to take them down."""
    if layout != "rstp":
        name = "bench-" + layout
        sh(os.path.join(LAB, "up"), name, layout)
        return name, lambda: sh(os.path.join(LAB, "down"), name)
    fabric.STATE = os.path.join(fabric.CACHE, "fabric-bench.json")  # beside the embedded lab, if it is up
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as handle:
        yaml.safe_dump(RSTP_LAB, handle)
    fabric.up(handle.name)
    os.unlink(handle.name)
    guest("bench-sw1", "mstpctl settreeprio vlan1 0 0")  # the root, as the collection's switch side makes it
    guest("bench-sw2", "mstpctl settreeprio vlan1 0 1")
    return "bench-rstp", fabric.down


def wanted(run):
    return SILENT == "yes" or (SILENT == "only") == (run.failure == "silent")


def main(layouts):
    rows = []
    for layout in ("plain", "lacp", "stp", "rstp"):
        runs_here = [run for run in RUNS if run.layout == layout and wanted(run)]
        if layouts and layout not in layouts or not runs_here:
            continue
        started = time.monotonic()
        name, down = boot(layout)
        boot_s = time.monotonic() - started
        try:
            for run in runs_here:
                reset(name)
                configure(name, run)
                runs = []
                for dummy in range(REPEAT):
                    wait_healthy(name, run.method, 180, run.timers)
                    runs.append(measure(name, run))
                defaults = "collection" if run.how == "role" else "kernel"
                if run.timers:
                    defaults = "switch timers %d/%d/%d" % run.timers
                if layout == "rstp":
                    defaults = "collection; switches Rapid-PVST+"
                failure = "far end silent, carrier up" if run.failure == "silent" else "carrier lost"
                fails, backs = [r["fail_ms"] for r in runs], [r["return_ms"] for r in runs]
                rows.append((run.label, run.monitor, defaults, failure,
                             summary(fails, run.hold if run.failure == "silent" else None), summary(backs), len(runs),
                             run.target))
                print("%s, %s (%s, %s): port lost %s ms, port back %s ms" % (
                    run.label, run.monitor, defaults, failure, " ".join(map(fmt, fails)), " ".join(map(fmt, backs))),
                    file=sys.stderr)
        finally:
            down()
        print("lab %s: boot %.1f s" % (layout, boot_s), file=sys.stderr)
    print("| method | monitor | defaults | failure | loss when a port fails, median / worst (ms) | loss when it "
          "returns, median / worst (ms) | runs | target (ms) |")
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        print("| %s | %s | %s | %s | %s | %s | %d | %s |" % row)


if __name__ == "__main__":
    main(sys.argv[1:])
