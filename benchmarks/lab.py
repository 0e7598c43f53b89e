"""The lab's footprint: a fabric of N servers and S switches (tests/lab/fabric.py) booted on this
machine, every server cabled to two switches, the switches chained. Prints the boot time, the
memory and the idle CPU per guest, and proves that every server is a kernel of its own whose
bonding driver takes its two NICs. Not a test: it prints one table.

    .venv/bin/python benchmarks/lab.py                                   # 50 servers, 4 switches
    .venv/bin/python benchmarks/lab.py --servers 10 --switches 2 --server-mem 512M
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [ROOT, os.path.join(ROOT, "tests")]
import conftest  # noqa: E402,F401  pylint: disable=wrong-import-position,unused-import

from tests.ios_sim.switch import MODELS  # noqa: E402
from tests.lab import fabric  # noqa: E402

LAB = os.path.join(ROOT, "tests", "lab")
MODES = ("rapid-pvst", "mst")  # the switches start in these, in turn
# the bonding driver takes both NICs of the server, then lets them go
BOND = ("modprobe bonding && ip link add fp0 type bond mode active-backup miimon 100 && "
        "ip link set eth0 down && ip link set eth1 down && ip link set eth0 master fp0 && "
        "ip link set eth1 master fp0 && ip link set fp0 up && cat /sys/class/net/fp0/bonding/slaves && "
        "ip link del fp0")


def inventory(servers, switches):
    """A lab inventory: server i cabled to switch i and switch i+1 (mod S), ports in order."""
    names = ["fp-sw%d" % n for n in range(1, switches + 1)]
    free = {name: list(MODELS["access"][:-2]) for name in names}  # the last two: the chain
    hosts = {}
    for index in range(servers):
        uplinks = []
        for nic, switch in (("eth0", names[index % switches]), ("eth1", names[(index + 1) % switches])):
            if not free[switch]:
                raise SystemExit("%d servers do not fit on %d switches of %d ports" % (
                    servers, switches, len(MODELS["access"]) - 2))
            uplinks.append(dict(interface=nic, switch=switch, port=free[switch].pop(0)))
        hosts["fp%03d" % (index + 1)] = dict(uplinks=uplinks)
    return {"all": {"children": {
        "switches": {"hosts": {name: {"ios_sim_stp_mode": MODES[n % len(MODES)]} for n, name in enumerate(names)}},
        "servers": {"hosts": hosts}}}}


def meminfo(key):
    with open("/proc/meminfo") as handle:
        return int(re.search(r"^%s:\s+(\d+) kB" % key, handle.read(), re.M).group(1)) * 1024


def pids(guest):
    proc = subprocess.run(["ip", "netns", "pids", fabric.namespace(guest)], capture_output=True, text=True,
                          check=False)
    return [int(pid) for pid in proc.stdout.split()]


def pss(guest):
    """Bytes of the host's memory the guest's processes hold (shared pages split among them)."""
    total = 0
    for pid in pids(guest):
        with contextlib.suppress(OSError), open("/proc/%d/smaps_rollup" % pid) as handle:
            total += int(re.search(r"^Pss:\s+(\d+) kB", handle.read(), re.M).group(1)) * 1024
    return total


def cpu_ticks(guest):
    total = 0
    for pid in pids(guest):
        with contextlib.suppress(OSError), open("/proc/%d/stat" % pid) as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total


def busy():
    with open("/proc/stat") as handle:
        values = [int(v) for v in handle.readline().split()[1:]]
    return sum(values) - values[3] - values[4], sum(values)


def bonded(server):
    proc = subprocess.run([os.path.join(LAB, "ssh"), server, BOND], capture_output=True, text=True, check=False,
                          timeout=120)
    return proc.returncode == 0 and proc.stdout.split() == ["eth0", "eth1"]


def mib(value):
    return "%.0f MiB" % (value / 2 ** 20)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--servers", type=int, default=50)
    parser.add_argument("--switches", type=int, default=4)
    parser.add_argument("--server-mem", default="256M")
    parser.add_argument("--switch-mem", default=fabric.MEMORY["switch"])
    parser.add_argument("--boots", type=int, default=8, help="guests booting at once")
    parser.add_argument("--idle", type=float, default=30.0, help="seconds of idle CPU measured")
    args = parser.parse_args()

    fabric.STATE = os.path.join(fabric.CACHE, "fabric-footprint.json")  # beside the embedded lab
    fabric.MEMORY.update(server=args.server_mem, switch=args.switch_mem)
    fabric.BOOTS = args.boots
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as handle:
        yaml.safe_dump(inventory(args.servers, args.switches), handle)
    guests, cables = fabric.plan(handle.name)
    available = meminfo("MemAvailable")
    started = time.monotonic()
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            fabric.up(handle.name)
        boot = time.monotonic() - started
        sshd = [float(s) for s in re.findall(r"sshd after ([0-9.]+) s", out.getvalue())]
        time.sleep(20)  # the last guests' boot jobs finish
        servers = [g.name for g in guests if g.layout == "server"]
        switches = [g.name for g in guests if g.layout == "switch"]
        ticks, (busy0, total0) = {g.name: cpu_ticks(g.name) for g in guests}, busy()
        time.sleep(args.idle)
        busy1, total1 = busy()
        idle_cpu = {g.name: (cpu_ticks(g.name) - ticks[g.name]) / os.sysconf("SC_CLK_TCK") / args.idle
                    for g in guests}
        memory = {g.name: pss(g.name) for g in guests}
        used = available - meminfo("MemAvailable")
        with ThreadPoolExecutor(8) as pool:
            bonds = sum(pool.map(bonded, servers))
    finally:
        fabric.down()
        os.unlink(handle.name)

    def per(names, values, show):
        picked = [values[n] for n in names]
        return "%s median, %s worst" % (show(statistics.median(picked)), show(max(picked)))

    rows = [
        ("lab", "%d servers (%s), %d switches (%s), %d cables" % (
            len(servers), args.server_mem, len(switches), args.switch_mem, len(cables))),
        ("boot, whole lab", "%.0f s, %d at a time" % (boot, args.boots)),
        ("boot, one guest to sshd", "%.1f s median, %.1f s worst" % (statistics.median(sshd), max(sshd))),
        ("host memory used by the lab", "%s (%s per guest)" % (mib(used), mib(used / len(guests)))),
        ("memory per server (PSS)", per(servers, memory, mib)),
        ("memory per switch (PSS)", per(switches, memory, mib)),
        ("idle CPU, whole machine",
         "%.0f %% of %d cores" % (100.0 * (busy1 - busy0) / (total1 - total0), os.cpu_count())),
        ("idle CPU per server", per(servers, idle_cpu, lambda v: "%.1f %% of a core" % (100 * v))),
        ("idle CPU per switch", per(switches, idle_cpu, lambda v: "%.1f %% of a core" % (100 * v))),
        ("servers whose bonding driver took eth0 and eth1", "%d of %d" % (bonds, len(servers))),
    ]
    width = max(len(name) for name, dummy in rows)
    for name, value in rows:
        print("%s  %s" % (name.ljust(width), value))
    return 0 if bonds == len(servers) else 1


if __name__ == "__main__":
    sys.exit(main())
