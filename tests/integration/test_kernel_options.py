"""The catalog's kernel options against a real bonding driver and bridge (kernel lab guest).

Every mode/option combination the catalog allows must be accepted by the
kernel; every one it refuses must be rejected by the kernel too, unless the
catalog documents why it is stricter (`stricter`). Range ends likewise.
"""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from ansible_collections.redundant.interfaces.plugins.module_utils.catalog import (
    BOND_MODES,
    BOND_OPTIONS,
    BRIDGE_OPTIONS,
    INT_MAX,
    OPTIONS,
)
from tests.helpers import ROOT

pytestmark = pytest.mark.integration
LAB = os.path.join(ROOT, "tests", "lab")
NAME = "kernel-rules"


def sysfs_values(opt, value):
    """What to write to sysfs for one table value (lists are added one by one)."""
    if opt.type == "list":
        return ["+" + v for v in value]
    if opt.type == "bool":
        return ["1" if value else "0"]
    return [str(value * opt.scale)]  # the catalog's scale: sysfs counts bridge timers in centiseconds


def sample(opt):
    if opt.type == "list":
        return ["198.51.100.1"]
    if opt.choices:
        return opt.choices[-1]
    if opt.name == "primary":
        return "eth0"
    if opt.type == "bool":
        return True
    return opt.default if opt.default is not None else max(opt.min or 0, 1 if opt.name != "packets_per_slave" else 2)


def before(opt):
    """Options this one needs set first, with sample values (arp_interval <-> arp_ip_target)."""
    return [(OPTIONS[name].sysfs_name, sysfs_values(OPTIONS[name], sample(OPTIONS[name]))) for name in opt.requires]


def cases():
    out = []
    for opt in BOND_OPTIONS:
        for mode in BOND_MODES:
            out.append(dict(kind="bond", mode=mode, option=opt.name, sysfs=opt.sysfs_name, check="mode", before=before(opt),
                            legal=mode in opt.modes, values=sysfs_values(opt, sample(opt))))
    for opt in BOND_OPTIONS + BRIDGE_OPTIONS:
        if opt.type != "int":
            continue
        mode = opt.modes[0] if opt.kind == "bond" else None
        ends = [(opt.min, True), (opt.max, True)]
        if opt.max < INT_MAX:
            ends.append((opt.max + 1, False))
        if opt.min > 0:
            ends.append((opt.min - 1, False))
        for value, legal in ends:
            out.append(dict(kind=opt.kind, mode=mode, option=opt.name, sysfs=opt.sysfs_name, check="range %s" % value,
                            before=before(opt), legal=legal, values=sysfs_values(opt, value)))
    return out


@pytest.fixture(scope="module")
def kernel_answers():
    subprocess.run([os.path.join(LAB, "up"), NAME, "plain"], check=True)
    try:
        # guest/probe_options.py, installed in the guest image by tests/lab/build
        proc = subprocess.run([os.path.join(LAB, "ssh"), NAME, "python3", "/usr/local/lib/lab/probe_options.py"],
                              input=json.dumps(ALL), capture_output=True, text=True, check=True, timeout=600)
        return {(a["kind"], a["mode"], a["option"], a["check"]): a for a in json.loads(proc.stdout)}
    finally:
        subprocess.run([os.path.join(LAB, "down"), NAME], check=False)


ALL = cases()


@pytest.mark.parametrize("case", ALL, ids=lambda c: "%s-%s-%s-%s" % (c["kind"], c["mode"], c["option"], c["check"]))
def test_table_agrees_with_the_kernel(case, kernel_answers):
    answer = kernel_answers[(case["kind"], case["mode"], case["option"], case["check"])]
    opt = next(o for o in BOND_OPTIONS + BRIDGE_OPTIONS if o.name == case["option"] and o.kind == case["kind"])
    if case["legal"]:
        assert answer["accepted"], "table allows it, kernel refused: %s" % answer["error"]
    elif answer["accepted"]:
        assert opt.stricter, "table refuses what the kernel accepts, without saying why"
