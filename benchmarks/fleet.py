"""site.yml against fleets of N servers (default 6, 25 and 50) and their switches, every server a
guest kernel of its own in the lab (tests/lab/fabric.py), the four methods mixed, the switches
behind the IOS simulator over their own kernels. Per N: the wall time of a first run and of a run
with nothing to change, per host, the controller's CPU (ansible-playbook and everything it ran)
apart from the simulator's, tasks per host, forks; then the ratio of the per-host cost at the
largest N to that at the smallest. Not a test: it prints one table.

    .venv/bin/python benchmarks/fleet.py                  # 6, 25 and 50 servers
    .venv/bin/python benchmarks/fleet.py 6 --forks 10
    .venv/bin/python benchmarks/fleet.py --lab            # the embedded lab (inventory/lab.yml) itself

Servers are cloned from the embedded lab's four (inventory/lab.yml: one per method) in turn; each
pod of two switches (one like sw1, an access switch in Rapid-PVST+, one like sw2, a Catalyst 9300
in MST) takes up to 25 servers, the pods chained; the first pod's switches are the STP roots.
A task that changed something in the run with nothing to change is named, with its hosts.
"""

from __future__ import annotations

import argparse
import copy
import os
import re
import resource
import sys
import time

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAB = os.path.join(ROOT, "tests", "lab")
sys.path[:0] = [ROOT, os.path.join(ROOT, ".collections")]
from tests.helpers import recap, run  # noqa: E402  pylint: disable=wrong-import-position
from tests.ios_sim.switch import MODELS  # noqa: E402  pylint: disable=wrong-import-position

PER_POD = 25  # servers per pair of switches: 2 x 26 server ports, 50 NICs (802.3ad pairs alternate sides)
SERVER_PORTS = {"access": MODELS["access"][:-2], "c9300": MODELS["c9300"][:-2]}  # the last two: the chain
PORT_BASE = 22301  # the simulator's ports for the fleet's switches, on 127.0.0.1
STATE = os.path.join(ROOT, ".cache", "lab", "ios-sim.pid")  # the simulator's session (site-up, default LAB_FABRIC)


def lab_inventory():
    with open(os.path.join(ROOT, "inventory", "lab.yml")) as handle:
        return yaml.safe_load(handle)


def inventory(count):
    """The fleet's inventory: `count` servers cloned from the lab's in turn, two switches per pod."""
    lab = lab_inventory()["all"]["children"]
    templates = lab["servers"]["hosts"]
    kinds = list(templates)  # lacp1, backup1, stp1, alb1: one per method
    pods = (count + PER_POD - 1) // PER_POD
    switches, free = {}, {}
    for pod in range(1, pods + 1):
        for side, template in (("a", "sw1"), ("b", "sw2")):
            name = "f%s%d" % (side, pod)
            hostvars = copy.deepcopy(lab["switches"]["hosts"][template])
            hostvars["ansible_port"] = PORT_BASE + len(switches)
            if pod > 1:
                hostvars["cisco_ios_stp_root"] = "none"  # one root pair for the whole chain: the first pod's
            switches[name] = hostvars
            free[name] = list(SERVER_PORTS[hostvars.get("ios_sim_model", "access")])
    servers = {}
    for index in range(count):
        template = templates[kinds[index % len(kinds)]]
        pod = index // PER_POD + 1
        hostvars = copy.deepcopy({key: value for key, value in template.items() if key != "uplinks"})
        uplinks = []
        for uplink in template["uplinks"]:
            # same switch in the template -> same switch here; an 802.3ad pair alternates between a and b
            side = "a" if uplink["switch"] == "sw1" else "b"
            if len({u["switch"] for u in template["uplinks"]}) == 1 and (index // len(kinds)) % 2:
                side = "b"
            switch = "f%s%d" % (side, pod)
            uplinks.append(dict(interface=uplink["interface"], switch=switch, port=free[switch].pop(0)))
        hostvars["uplinks"] = uplinks
        for link in hostvars.get("redundancy_links", []):  # a template's own links: an address of this clone's
            link["ipv4"] = dict(addresses=["198.51.100.%d/24" % (11 + index)])
        servers["f%02d" % (index + 1)] = hostvars
    fleet = copy.deepcopy(lab_inventory())
    children = fleet["all"]["children"]
    fleet["all"]["vars"]["redundancy_lab"] = False  # this benchmark brings its own lab up
    children["switches"]["hosts"] = switches
    children["servers"]["hosts"] = servers
    server_vars = children["servers"]["vars"]
    server_vars["ansible_ssh_private_key_file"] = os.path.join(ROOT, ".cache", "lab", "id_ed25519")
    server_vars["ansible_ssh_common_args"] = server_vars["ansible_ssh_common_args"].replace(
        "{{ inventory_dir }}/..", ROOT)
    return fleet


def simulator_cpu():
    """CPU seconds of the simulator's session (it runs in one of its own, setsid by site-up): the
    simulator, the ssh clients it reads the switches' kernels with, and those it waited for."""
    with open(STATE) as handle:
        session = int(handle.read())
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session:  # the session id
            total += sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
    return total / os.sysconf("SC_CLK_TCK")


def changed_tasks(stdout):
    """{task name: [hosts it changed]} from ansible-playbook's default output."""
    found, task = {}, None
    for line in stdout.splitlines():
        head = re.match(r"TASK \[(.*)\] \*", line)
        if head:
            task = head.group(1)
        hit = re.match(r"changed: \[([^\]]+)\]", line)
        if hit and task:
            found.setdefault(task, []).append(hit.group(1))
    return found


def rollout(path, forks):
    """One `ansible-playbook site.yml` (against the inventory `path`, or the default one): wall,
    controller CPU, simulator CPU, {host: (ok, changed)} from the recap and the changed tasks."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    sim_before = simulator_cpu()
    started = time.monotonic()
    proc = run("ansible-playbook", *(["-i", path] if path else []), "site.yml", "--forks", str(forks),
               "-e", "site_report=%s" % os.path.join(ROOT, ".cache", "bench", "fleet.html"),
               check=False, timeout=4 * 3600)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(proc.stdout[-6000:] + proc.stderr[-2000:])
    hosts = {h: (n["ok"], n["changed"]) for h, n in recap(proc.stdout).items() if h != "localhost"}
    controller = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return dict(wall=wall, controller=controller, simulator=simulator_cpu() - sim_before, hosts=hosts,
                changes=changed_tasks(proc.stdout))


def lab_up(lab):
    """Take down the lab of the environment `lab` (LAB_WIRE; none: the embedded one) and boot it; seconds."""
    run(os.path.join(LAB, "site-down"), env=lab, check=False)
    started = time.monotonic()
    proc = run(os.path.join(LAB, "site-up"), env=lab, check=False, timeout=3600)
    if proc.returncode:
        run(os.path.join(LAB, "site-down"), env=lab, check=False)
        sys.exit("the lab did not come up:\n%s%s" % (proc.stdout[-3000:], proc.stderr[-3000:]))
    return time.monotonic() - started


def fleet(count, forks, boots, memory):
    """Boot the fleet of `count` servers (0: the embedded lab as it is), roll out twice, take it
    down: (rows, boot seconds)."""
    path = None
    if count:
        folder = os.path.join(ROOT, ".cache", "bench")
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, "fleet-%d.yml" % count)
        with open(path, "w") as handle:
            yaml.safe_dump(inventory(count), handle, sort_keys=False)
    lab = dict(LAB_WIRE=path, LAB_BOOTS=str(boots), LAB_MEM_SERVER=memory) if count else {}
    boot = lab_up(lab)
    try:
        return [rollout(path, forks), rollout(path, forks)], boot
    finally:
        run(os.path.join(LAB, "site-down"), env=lab, check=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("servers", type=int, nargs="*", default=[6, 25, 50])
    parser.add_argument("--lab", action="store_true", help="the embedded lab (inventory/lab.yml) instead")
    parser.add_argument("--forks", type=int, default=5, help="ansible-playbook --forks (Ansible's default: 5)")
    parser.add_argument("--boots", type=int, default=8, help="guests booting at once")
    parser.add_argument("--server-mem", default="256M")
    args = parser.parse_args()
    head = ("servers", "switches", "run", "wall (s)", "per host (s)", "controller CPU per host (s)",
            "simulator CPU (s)", "tasks per host", "forks", "changed")
    print(" | ".join(head), flush=True)
    per_host = {}
    for count in [0] if args.lab else args.servers:  # each N's rows as soon as they are measured
        rows, boot = fleet(count, args.forks, args.boots, args.server_mem)
        servers = count or len(lab_inventory()["all"]["children"]["servers"]["hosts"])
        for label, row in zip(("first", "no-op"), rows):
            hosts = row["hosts"]
            tasks = sum(ok for ok, dummy in hosts.values()) / len(hosts)
            per_host[servers, label] = row["wall"] / len(hosts)
            print(" | ".join(str(cell) for cell in (
                servers, len(hosts) - servers, label, "%.1f" % row["wall"], "%.1f" % per_host[servers, label],
                "%.2f" % (row["controller"] / len(hosts)), "%.1f" % row["simulator"], "%.1f" % tasks, args.forks,
                sum(changed for dummy, changed in hosts.values()))), flush=True)
        for task, names in rows[1]["changes"].items():
            print("  changed with nothing to change: %s on %s" % (task, ", ".join(names)), file=sys.stderr)
        print("%d servers booted in %.0f s" % (servers, boot), file=sys.stderr, flush=True)
    results = sorted({count for count, dummy in per_host})
    smallest, largest = results[0], results[-1]
    for label in ("first", "no-op") if largest != smallest else ():
        print("per-host cost, %s run, %d servers / %d servers: %.2f" % (
            label, largest, smallest, per_host[largest, label] / per_host[smallest, label]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
