"""`ansible-playbook site.yml` against the embedded lab, as the README runs it:
the lab comes up, every server gets its selected method, the switches their
config, everything verifies, the report is written; a second run changes
nothing."""

from __future__ import annotations

import os
import re
import time

import pytest

from tests.helpers import ROOT, run

pytestmark = pytest.mark.integration
SERVERS = ("lacp1", "backup1", "alb1", "stp1")


def recap(out):
    return {host: dict(ok=int(ok), changed=int(changed), failed=int(failed))
            for host, ok, changed, failed in re.findall(
                r"^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)", out, re.M)}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    report = tmp_path_factory.mktemp("site") / "redundancy.html"
    out = []
    try:
        for dummy in ("first", "again"):
            started = time.monotonic()
            proc = run("ansible-playbook", "site.yml", "-e", "site_report=%s" % report, check=False, timeout=1500)
            proc.seconds = time.monotonic() - started
            out.append(proc)
        yield out, report
    finally:
        run(os.path.join(ROOT, "tests", "lab", "site-down"), check=False)


def test_first_run_configures_everything(runs, timings):
    (first, again), report = runs
    timings.append("site.yml first %5.0f s, again %5.0f s" % (first.seconds, again.seconds))
    assert first.returncode == 0, first.stdout[-6000:] + first.stderr[-2000:]
    hosts = recap(first.stdout)
    for server in SERVERS:
        assert hosts[server]["changed"] > 0 and hosts[server]["failed"] == 0
    assert hosts["sw1"]["changed"] > 0 and hosts["sw2"]["changed"] > 0
    assert "VLAN 1: this switch is root" in first.stdout  # sw1 verified through its show output
    for line in ("lacp1: bond0: 802.3ad bond, redundant", "backup1: bond0: active-backup bond, redundant",
                 "alb1: bond0: balance-alb bond, redundant", "stp1: br0: stp bridge, redundant"):
        assert line in first.stdout


def test_the_report_shows_every_server_redundant(runs):
    dummy, report = runs
    page = report.read_text()
    assert page.count("<svg") == 1
    for server in SERVERS:
        assert re.search(r"<tr><td>%s</td><td>\w+</td><td>[^<]*</td><td class=\"redundant\">redundant</td>" % server,
                         page), server


def test_a_second_run_changes_nothing(runs):
    (dummy, again), report = runs
    assert again.returncode == 0, again.stdout[-6000:]
    assert {host: n["changed"] for host, n in recap(again.stdout).items() if n["changed"]} == {}
