"""Runs inside a lab guest: try each (mode, option, value) case on a fresh bond
or bridge through sysfs and report whether the kernel took it.

stdin: JSON list of cases {kind, mode, option, sysfs (its file), values}; stdout: JSON list of
{..., accepted, error}. Bridges get STP on first (the kernel checks timer
ranges only then).
"""

import json
import subprocess
import sys

SYS = "/sys/class/net"


def sh(*argv):
    return subprocess.run(argv, capture_output=True, text=True, check=False)


def write(path, value):
    try:
        with open(path, "w") as handle:
            handle.write(value)
        return True, ""
    except OSError as exc:
        return False, exc.strerror


def probe(case):
    """Bonds through sysfs alone (a subprocess per case is slow on one UML CPU)."""
    name = "probe0"
    if case["kind"] == "bond":
        write("%s/bonding_masters" % SYS, "+" + name)
        write("%s/%s/bonding/mode" % (SYS, name), case["mode"])
        folder = "%s/%s/bonding" % (SYS, name)
    else:
        sh("ip", "link", "add", name, "type", "bridge", "stp_state", "1")
        folder = "%s/%s/bridge" % (SYS, name)
    error = ""
    for option, values in case["before"]:  # what the option needs set first (the table's `requires`)
        for value in values:
            ok, err = write("%s/%s" % (folder, option), value)
            error = error or (err and "%s: %s" % (option, err))
    accepted = not error
    for value in case["values"]:
        ok, err = write("%s/%s" % (folder, case["sysfs"]), value)
        accepted, error = accepted and ok, error or err
    if case["kind"] == "bond":
        write("%s/bonding_masters" % SYS, "-" + name)
    else:
        sh("ip", "link", "del", name)
    return dict(case, accepted=accepted, error=error)


sh("modprobe", "bonding")
sh("modprobe", "bridge")
print(json.dumps([probe(case) for case in json.load(sys.stdin)]))
