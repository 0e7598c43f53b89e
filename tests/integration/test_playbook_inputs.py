"""Each of the collection's playbooks stops a bad variable before its first task reaches a host:
the contract's check names the variable, its value and the rule, on the controller. The inventory
points every host at a loopback port where nothing listens, so a task that reached one would say
UNREACHABLE."""

from __future__ import annotations

import json
import os

import pytest

from tests.helpers import ROOT, run

pytestmark = pytest.mark.integration

INVENTORY = os.path.join(ROOT, "tests", "integration", "inventory", "unreachable.yml")


def playbook(name, *extra, inventories=(INVENTORY,)):
    return run("ansible-playbook", *[arg for path in inventories for arg in ("-i", path)],
               os.path.join(ROOT, "playbooks", name), *extra, check=False,
               timeout=300)


@pytest.mark.parametrize("name, extra, message", [
    ("site.yml", {"site_serial": 0}, "site_serial: 0 is a batch of no server, which Ansible reads as every server at once"),
    ("site.yml", {"redundancy_cabling_mode": "strcit"}, "redundancy_cabling_mode: 'strcit' must be one of strict, "
                                                        "warn, off; did you mean 'strict'?"),
    ("cabling.yml", {"redundancy_lldp_wait": "35s"}, "redundancy_lldp_wait: '35s' is not a whole number of seconds"),
    ("discover.yml", {"discover_dest": ""}, "discover_dest: '' is empty: name a folder"),
    ("failover_drill.yml", {"drill_confirm": True, "drill_target": "-f"}, "drill_target: '-f' begins with '-'"),
    ("report.yml", {"site_report": "reports/"}, "site_report: 'reports/' names a folder"),
    ("verify.yml", {"redundancy_mode": "bond_lcap"}, "redundancy_mode: 'bond_lcap' must be one of"),
    ("select.yml", {"share_bandwidth": "maybe"}, "share_bandwidth: 'maybe' must be true or false"),
    ("switches.yml", {"cisco_ios_stp_root": "Primary"},
     "cisco_ios_stp_root: 'Primary' must be one of primary, secondary, none"),
])
def test_one_bad_variable_stops_the_playbook_before_its_first_host_task(name, extra, message):
    proc = playbook(name, "-e", json.dumps(extra))
    out = " ".join(proc.stdout.split())  # messages are wrapped
    assert proc.returncode != 0, proc.stdout
    assert message in out, proc.stdout
    assert "refused before any change" in out, proc.stdout
    assert "UNREACHABLE" not in proc.stdout, proc.stdout  # no task reached a host


def test_a_host_with_a_bad_value_fails_and_the_others_go_on():
    """web1's share_bandwidth is bad: web1 is refused, web2 is decided (select runs on the controller)."""
    proc = playbook("select.yml", inventories=(INVENTORY, os.path.join(os.path.dirname(INVENTORY), "web1_maybe.yml")))
    out = " ".join(proc.stdout.split())
    assert "web1: refused before any change (select): share_bandwidth: 'maybe' must be true or false" in out
    assert '"web2: bond_lacp (' in proc.stdout
    assert "UNREACHABLE" not in proc.stdout
