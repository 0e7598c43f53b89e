"""site.yml benchmark on the embedded lab: wall time of a first run (lab
already up, nothing configured) and of a no-op re-run, module executions
(tasks) per host, and time per host. Not a test: it prints one table.

    .venv/bin/python benchmarks/site.py
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.dirname(sys.executable)
LAB = os.path.join(ROOT, "tests", "lab")


def site():
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_NOCOLOR="1",
               PATH=BIN + os.pathsep + os.environ.get("PATH", ""))
    started = time.monotonic()
    proc = subprocess.run(["ansible-playbook", "site.yml"], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=False)
    wall = time.monotonic() - started
    if proc.returncode != 0:
        sys.exit(proc.stdout[-4000:] + proc.stderr[-2000:])
    hosts = {h: (int(ok), int(changed)) for h, ok, changed in
             re.findall(r"^(\S+)\s+: ok=(\d+)\s+changed=(\d+)", proc.stdout, re.M) if h != "localhost"}
    return wall, hosts


def main():
    subprocess.run([os.path.join(LAB, "site-down")], check=False, capture_output=True)
    subprocess.run([os.path.join(LAB, "site-up")], check=True, capture_output=True)
    try:
        rows = [("first run",) + site(), ("no-op re-run",) + site()]
    finally:
        subprocess.run([os.path.join(LAB, "site-down")], check=False, capture_output=True)
    print("%-14s %9s %7s %16s %14s %9s" % ("run", "wall (s)", "hosts", "tasks per host", "per host (s)", "changed"))
    for label, wall, hosts in rows:
        tasks = sum(ok for ok, dummy in hosts.values()) / len(hosts)
        changed = sum(c for dummy, c in hosts.values())
        print("%-14s %9.1f %7d %16.1f %14.1f %9d" % (label, wall, len(hosts), tasks, wall / len(hosts), changed))
    print("no-op / first: %.2f" % (rows[1][1] / rows[0][1]))


if __name__ == "__main__":
    main()
