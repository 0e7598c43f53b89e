"""Failover benchmark in the kernel lab: the packet-loss window, in ms, when a
server port's far end fails and when it returns, per redundancy method, with
the collection's defaults (configured by the role) and with the kernel's
defaults (a bare `ip link add ... type bond mode X`), plus STP with 802.1D
default and tuned switch timers.

A probe stream from the switch side pings the server every 10 ms
(tests/lab/guest/failover_probe.py). Not a test: it prints one table.

    .venv/bin/python benchmarks/failover.py            # everything (~6 min)
    .venv/bin/python benchmarks/failover.py lacp stp   # some layouts only
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [ROOT, os.path.join(ROOT, "tests")]
import conftest  # noqa: E402,F401  pylint: disable=wrong-import-position,unused-import

from ansible_collections.redundant.interfaces.plugins.module_utils import drill  # noqa: E402
from tests.helpers import lab_ssh_args  # noqa: E402
LAB = os.path.join(ROOT, "tests", "lab")
BIN = os.path.dirname(sys.executable)
SERVER = "198.51.100.10"
ADDR = {"ipv4": {"addresses": [SERVER + "/24"]}}
TARGETS = {"active-backup": 250, "802.3ad": 250, "balance-alb": 250, "stp": 10000}

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
]


def sh(*argv, **kw):
    return subprocess.run(argv, check=True, capture_output=True, text=True, **kw)


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
        if method == "bridge_stp":
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
    """The far end of the port carrying traffic: the active slave, or the bridge's root port."""
    if method == "bond_active_backup":
        active = guest(name, "cat /sys/class/net/bond0/bonding/active_slave").strip()
    elif method == "bridge_stp":
        active = "eth0" if guest(name, "cat /sys/class/net/eth0/brport/state").strip() == "3" else "eth1"
    else:
        active = "eth0"
    return "sp" + active[-1]


def measure(name, method, timers):
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


def fmt(ms):
    return "no recovery" if ms is None else "%.0f" % ms


def main(layouts):
    rows = []
    for layout in ("plain", "lacp", "stp"):
        if layouts and layout not in layouts:
            continue
        name = "bench-" + layout
        started = time.monotonic()
        sh(os.path.join(LAB, "up"), name, layout)
        boot = time.monotonic() - started
        try:
            for run_layout, method, label, how, timers in RUNS:
                if run_layout != layout:
                    continue
                reset(name)
                configure(name, method, how, timers)
                wait_healthy(name, method, 180, timers)
                result = measure(name, method, timers)
                defaults = "collection" if how == "role" else "kernel"
                if timers:
                    defaults = "switch timers %d/%d/%d" % timers
                rows.append((label, defaults, result["fail_ms"], result["return_ms"]))
                print("%s (%s): port lost %s ms, port back %s ms" % (label, defaults, fmt(result["fail_ms"]),
                                                                     fmt(result["return_ms"])), file=sys.stderr)
        finally:
            sh(os.path.join(LAB, "down"), name)
        print("lab %s: boot %.1f s" % (layout, boot), file=sys.stderr)
    print("| method | defaults | loss when a port fails (ms) | loss when it returns (ms) | target (ms) |")
    print("|---|---|---|---|---|")
    for label, defaults, fail, back in rows:
        target = TARGETS[label] if defaults in ("collection", "switch timers 4/1/6") else ""
        print("| %s | %s | %s | %s | %s |" % (label, defaults, fmt(fail), fmt(back), target))


if __name__ == "__main__":
    main(sys.argv[1:])
