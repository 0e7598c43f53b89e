"""Failover benchmark in the kernel lab: the packet-loss window, in ms, when a
server port's far end fails and when it returns, per redundancy method, with
the collection's defaults (configured by the role) and with the kernel's
defaults (a bare `ip link add ... type bond mode X`), plus STP with 802.1D
default and tuned switch timers, and RSTP on both ends.

A probe stream from the switch side pings the server every 10 ms
(tests/lab/guest/failover_probe.py in the one-guest layouts; in the layout
rstp, a fabric of three guests - the server and two switches in Rapid-PVST+
under mstpd - sw1 pings while tests/lab/fabric.py pulls the cable of the
server's root port, carrier lost at both ends). Every row is REPEAT cuts and
returns (default 5) and reports the median and the worst. Not a test: it
prints one table.

    .venv/bin/python benchmarks/failover.py               # everything
    .venv/bin/python benchmarks/failover.py lacp rstp     # some layouts only
    REPEAT=9 .venv/bin/python benchmarks/failover.py rstp
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [ROOT, os.path.join(ROOT, "tests")]
import conftest  # noqa: E402,F401  pylint: disable=wrong-import-position,unused-import

from ansible_collections.redundant.interfaces.plugins.module_utils import drill  # noqa: E402
from tests.helpers import lab_ssh_args  # noqa: E402
from tests.lab import fabric  # noqa: E402

LAB = os.path.join(ROOT, "tests", "lab")
REPEAT = int(os.environ.get("REPEAT", "5"))
BIN = os.path.dirname(sys.executable)
SERVER = "198.51.100.10"
ADDR = {"ipv4": {"addresses": [SERVER + "/24"]}}
TARGETS = {"active-backup": 250, "802.3ad": 250, "balance-alb": 250, "stp": 10000, "rstp": 1000}

# (layout, method, label, how, switch timers) - how: "role" or a bonding mode for the bare kernel
RUNS = [
    ("plain", "bond_active_backup", "active-backup", "role", None),
    ("plain", "bond_active_backup", "active-backup", "active-backup", None),
    ("plain", "bond_alb", "balance-alb", "role", None),
    ("plain", "bond_alb", "balance-alb", "balance-alb", None),
    ("lacp", "bond_lacp", "802.3ad", "role", None),
    ("lacp", "bond_lacp", "802.3ad", "802.3ad", None),
    ("stp", "bridge_stp", "stp", "role", (4, 1, 6)),
    ("stp", "bridge_stp", "stp", "role", (15, 2, 20)),
    ("rstp", "bridge_stp", "rstp", "role", None),
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


def configure(name, method, how, timers):
    if timers:  # the switches' timers rule the server's bridge too: set them first
        fd, hello, age = (t * 100 for t in timers)
        for bridge in ("sw1", "sw2"):
            guest(name, "ip -n sw link set %s type bridge forward_delay %d hello_time %d max_age %d"
                  % (bridge, fd, hello, age))
    if how == "role":
        link = dict(name="br0" if method == "bridge_stp" else "bond0", ports=["eth0", "eth1"], **ADDR)
        if name == "bench-rstp":
            link["protocol"] = "rstp"
        apply_role(name, method, link)
    else:
        guest(name, "ip link add bond0 type bond mode %s && ip link set eth0 master bond0 && "
                    "ip link set eth1 master bond0 && ip addr add %s/24 dev bond0 && ip link set bond0 up"
              % (how, SERVER))


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
        elif guest(name, "grep -c 'MII Status: up' /proc/net/bonding/bond0 || true").strip() == "3":
            time.sleep(2)  # LACP: let the partner settle
            return
        time.sleep(1)
    raise RuntimeError("%s never became healthy" % method)


def port_to_cut(name, method):
    """The far end of the port carrying traffic: the active slave, or the bridge's root port (the path
    to the root switch, where the probe is). Not merely a forwarding port: a server port that forwards
    may face a switch port that blocks, and cutting it would measure nothing."""
    if method == "bond_active_backup":
        active = guest(name, "cat /sys/class/net/bond0/bonding/active_slave").strip()
    elif method == "bridge_stp":
        root = int(guest(name, "cat /sys/class/net/br0/bridge/root_port").strip(), 0)
        active = next(nic for nic in ("eth0", "eth1")
                      if int(guest(name, "cat /sys/class/net/%s/brport/port_no" % nic).strip(), 0) == root)
    else:
        active = "eth0"
    return "sp" + active[-1]


def measure(name, method, timers):
    if name == "bench-rstp":
        return measure_cable(name)
    if method == "bridge_stp":
        hold = 3 * timers[0] + timers[2] + 5
        cut_at, restore_at, end = 2, 2 + hold, 2 + 2 * hold
    else:
        cut_at, restore_at, end = 2, 5, 9
    out = json.loads(guest(name, "python3 /usr/local/lib/lab/failover_probe.py %s %s %s %s %s"
                           % (SERVER, port_to_cut(name, method), cut_at, restore_at, end)))
    times = drill.replies(out["ping"])
    return dict(fail_ms=drill.loss_window(times, out["cut"], out["restored"], out["interval"]),
                return_ms=drill.loss_window(times, out["restored"], out["end"], out["interval"]))


def measure_cable(name, hold=4.0, interval=0.01):
    """sw1 pings the server every 10 ms while the fabric pulls the cable of the server's root port
    (eth0, to sw1) and plugs it back; the events are marked on sw1's own clock, just before each."""
    switch = "bench-sw1"
    guest(switch, "ping -c 3 -i 0.2 -W 1 %s >/dev/null; ping -D -n -i %s -W 1 %s >/tmp/probe.txt 2>&1 & "
                  "echo $! >/tmp/probe.pid" % (SERVER, interval, SERVER))
    time.sleep(1)

    def now():
        return float(guest(switch, "date +%s.%N"))

    cut = now()
    fabric.cut(name, "eth0", "down")
    time.sleep(hold)
    restored = now()
    fabric.cut(name, "eth0", "up")
    time.sleep(hold)
    end = now()
    times = drill.replies(guest(switch, "kill $(cat /tmp/probe.pid); sleep 0.2; cat /tmp/probe.txt"))
    return dict(fail_ms=drill.loss_window(times, cut, restored, interval),
                return_ms=drill.loss_window(times, restored, end, interval))


def summary(values):
    """'median / worst' of one column's runs; a run without recovery is the worst there is."""
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


def main(layouts):
    rows = []
    for layout in ("plain", "lacp", "stp", "rstp"):
        if layouts and layout not in layouts:
            continue
        started = time.monotonic()
        name, down = boot(layout)
        boot_s = time.monotonic() - started
        try:
            for run_layout, method, label, how, timers in RUNS:
                if run_layout != layout:
                    continue
                reset(name)
                configure(name, method, how, timers)
                runs = []
                for dummy in range(REPEAT):
                    wait_healthy(name, method, 180, timers)
                    runs.append(measure(name, method, timers))
                defaults = "collection" if how == "role" else "kernel"
                if timers:
                    defaults = "switch timers %d/%d/%d" % timers
                if layout == "rstp":
                    defaults = "collection; switches Rapid-PVST+"
                fails, backs = [r["fail_ms"] for r in runs], [r["return_ms"] for r in runs]
                rows.append((label, defaults, summary(fails), summary(backs), len(runs)))
                print("%s (%s): port lost %s ms, port back %s ms" % (
                    label, defaults, " ".join(map(fmt, fails)), " ".join(map(fmt, backs))), file=sys.stderr)
        finally:
            down()
        print("lab %s: boot %.1f s" % (layout, boot_s), file=sys.stderr)
    print("| method | defaults | loss when a port fails, median / worst (ms) | loss when it returns, median / worst (ms) "
          "| runs | target (ms) |")
    print("|---|---|---|---|---|---|")
    for label, defaults, fail, back, count in rows:
        target = TARGETS[label] if defaults.startswith("collection") or defaults == "switch timers 4/1/6" else ""
        print("| %s | %s | %s | %s | %d | %s |" % (label, defaults, fail, back, count, target))


if __name__ == "__main__":
    main(sys.argv[1:])
