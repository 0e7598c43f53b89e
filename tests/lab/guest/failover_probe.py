"""Runs inside a lab guest: measure the packet-loss window of a failover.

From the switch side (namespace "sw") a probe stream pings the server every
INTERVAL; at CUT_AT the far end of one server port fails, at RESTORE_AT it
comes back. MODE carrier (the default): the far end goes down, so the server
port loses carrier, as when a cable is pulled; silent: the far end stops
forwarding in both directions and carrier stays up on both ends (tc drops
every frame there, LACPDUs and BPDUs too), as a switch port that hangs or a
pruned VLAN. Prints JSON: the ping output and the times of the cut, the
restore and the end; the controller computes the loss windows with the
failover drill's own function (module_utils/drill.py), so both measure alike.
usage: failover_probe.py TARGET PORT CUT_AT RESTORE_AT END [INTERVAL [MODE]]
"""

import json
import subprocess
import sys
import tempfile
import time


def sw(*argv):
    subprocess.run(["ip", "-n", "sw"] + list(argv), check=True)


def fail(port, mode):
    if mode == "silent":
        subprocess.run(["ip", "netns", "exec", "sw", "tc", "qdisc", "add", "dev", port, "clsact"], check=True)
        for direction in ("ingress", "egress"):
            subprocess.run(["ip", "netns", "exec", "sw", "tc", "filter", "add", "dev", port, direction, "matchall",
                            "action", "drop"], check=True)
    else:
        sw("link", "set", port, "down")


def mend(port, mode):
    if mode == "silent":
        subprocess.run(["ip", "netns", "exec", "sw", "tc", "qdisc", "del", "dev", port, "clsact"], check=True)
    else:
        sw("link", "set", port, "up")


def main():
    target, port = sys.argv[1], sys.argv[2]
    cut_at, restore_at, end = (float(v) for v in sys.argv[3:6])
    interval = float(sys.argv[6]) if len(sys.argv) > 6 else 0.01
    mode = sys.argv[7] if len(sys.argv) > 7 else "carrier"
    subprocess.run(["ip", "netns", "exec", "sw", "ping", "-c", "3", "-i", "0.2", "-W", "1", target],
                   capture_output=True, check=False)  # warm the ARP caches
    # No -w: with a deadline, ping exits at its first error, and an outage longer than the peer's
    # neighbour entry lasts (802.1D's 30 s) brings "Destination Host Unreachable"; stopped at END.
    # Into a file: a pipe nobody reads fills up (64 KiB) and blocks ping (the drill's Probe alike).
    output = tempfile.TemporaryFile(mode="w+")
    probe = subprocess.Popen(["ip", "netns", "exec", "sw", "ping", "-D", "-n", "-i", str(interval), "-W", "1",
                              target], stdout=output, text=True)
    start = time.time()
    time.sleep(cut_at)
    cut = time.time()
    fail(port, mode)
    if mode == "silent":  # three tc commands: the silence starts when the last one is in
        cut = time.time()
    time.sleep(max(0.0, restore_at - (time.time() - start)))
    restored = time.time()
    mend(port, mode)
    time.sleep(max(0.0, end - (time.time() - start)))
    probe.terminate()
    probe.wait()
    output.seek(0)
    out = output.read()
    print(json.dumps(dict(ping=out, cut=cut, restored=restored, end=start + end, interval=interval)))


main()
