"""Every Molecule scenario, run as CI runs it (`molecule test -s NAME`).

The scenarios boot systemd containers and wire them with veth pairs in
network namespaces they create; they need root and podman (scripts/setup).
"""

from __future__ import annotations

import os
import re
import time

import pytest

from tests.helpers import ROOT, run

pytestmark = pytest.mark.integration
SCENARIOS = sorted(d for d in os.listdir(os.path.join(ROOT, "molecule"))
                   if os.path.isfile(os.path.join(ROOT, "molecule", d, "molecule.yml")))


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_scenario(scenario, timings):
    started = time.monotonic()
    proc = run("molecule", "test", "-s", scenario, check=False, timeout=1200,
               env={"CONTAINERS_CONF": os.path.join(ROOT, "tests", "images", "containers.conf"),
                    "ANSI_COLORS_DISABLED": "1", "NO_COLOR": "1"})
    boot = re.search(r"sshd after ([0-9.]+) s", proc.stdout)
    note = "  (lab guest boot %s s)" % boot.group(1) if boot else ""
    timings.append("molecule %-24s %5.0f s%s" % (scenario, time.monotonic() - started, note))
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-3000:]
