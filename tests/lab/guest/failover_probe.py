"""Runs inside a lab guest: measure the packet-loss window of a failover.

From the switch side (namespace "sw") a probe stream pings the server every
INTERVAL; at CUT_AT the far end of one server port goes down, at RESTORE_AT
it comes back. The loss window of an event is the longest silence between two
replies spanning it, less one interval. Prints JSON: fail_ms, return_ms
(null when no reply came back before the end).
usage: failover_probe.py TARGET PORT CUT_AT RESTORE_AT END [INTERVAL]
"""

import json
import re
import subprocess
import sys
import time


def sw(*argv):
    subprocess.run(["ip", "-n", "sw"] + list(argv), check=True)


def window(replies, event, until, interval):
    """Longest gap between consecutive replies around `event` (before `until`), in ms."""
    after = [t for t in replies if t > event]
    if not after or after[0] > until:
        return None
    before = [t for t in replies if t <= event]
    points = before[-1:] + [t for t in after if t <= until]
    gap = max(b - a for a, b in zip(points, points[1:])) if len(points) > 1 else 0.0
    return max(0.0, (gap - interval) * 1000.0)


def main():
    target, port = sys.argv[1], sys.argv[2]
    cut_at, restore_at, end = (float(v) for v in sys.argv[3:6])
    interval = float(sys.argv[6]) if len(sys.argv) > 6 else 0.01
    subprocess.run(["ip", "netns", "exec", "sw", "ping", "-c", "3", "-i", "0.2", "-W", "1", target],
                   capture_output=True, check=False)  # warm the ARP caches
    probe = subprocess.Popen(["ip", "netns", "exec", "sw", "ping", "-D", "-n", "-i", str(interval), "-W", "1",
                              "-w", str(int(end) + 1), target], stdout=subprocess.PIPE, text=True)
    start = time.time()
    time.sleep(cut_at)
    cut = time.time()
    sw("link", "set", port, "down")
    time.sleep(max(0.0, restore_at - (time.time() - start)))
    restored = time.time()
    sw("link", "set", port, "up")
    out, dummy = probe.communicate()
    replies = [float(m.group(1)) for m in re.finditer(r"^\[(\d+\.\d+)\] \d+ bytes from", out, re.M)]
    print(json.dumps(dict(fail_ms=window(replies, cut, restored, interval),
                          return_ms=window(replies, restored, start + end, interval),
                          replies=len(replies))))


main()
