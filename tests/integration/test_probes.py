"""Probes before confirm in the kernel lab. The controller stays on the guest's management NIC
vec0 while a bond is built over its data NICs eth0 and eth1 (layout plain: the switch side is a
bridge in the guest's namespace "sw", answering 203.0.113.1 in VLAN 100 only), so SSH never
breaks and only the probes can see the data path:

1. an 802.3ad bond where the switch side does not speak LACP: probe lacp fails, and the change
   rolls back at once, long before the timer;
2. active-backup in VLAN 100: the gateway answers, the change is confirmed;
3. the same bond moved to VLAN 200, which the switch does not carry: probe gateway fails, and
   the host is back on the VLAN-100 bond at once.
"""

from __future__ import annotations

import os
import time

import pytest

from tests.helpers import ROOT, lab_inventory, run

pytestmark = pytest.mark.integration
LAB = os.path.join(ROOT, "tests", "lab")
NAME = "pr"
TIMEOUT = 90  # the playbook's confirm timeout


def ssh(command):
    return run(os.path.join(LAB, "ssh"), NAME, command, timeout=30).stdout


def state():
    """The stack's files and the links the kernel holds."""
    return ssh("ls /etc/network/interfaces.d; ip -br link | awk '{sub(/@.*/, \"\", $1); print $1}' | sort; "
               "ip -br -4 addr | awk '$3 {sub(/@.*/, \"\", $1); print $1, $3}' | sort")


@pytest.fixture(scope="module")
def inventory(tmp_path_factory):
    run(os.path.join(LAB, "up"), NAME, "plain", timeout=300)
    yield lab_inventory(tmp_path_factory.mktemp(NAME) / "inventory.yml", NAME)
    run(os.path.join(LAB, "down"), NAME, check=False)


def bond(inventory, method, vlan):
    started = time.monotonic()
    proc = run("ansible-playbook", "-v", "-i", inventory, "tests/integration/playbooks/probes.yml",
               "-e", "method=%s vlan=%d" % (method, vlan), check=False, timeout=300)
    return proc, time.monotonic() - started


def rolled_back_by_probe(inventory, method, vlan, message):
    """The change fails naming its probe, and the host is back where it was long before the timer."""
    before = state()
    proc, took = bond(inventory, method, vlan)
    assert proc.returncode != 0
    assert message in proc.stdout and "rolled back to the previous configuration" in proc.stdout, proc.stdout[-3000:]
    assert took < TIMEOUT - 15, "rolled back by the timer, not by the probe"
    after = state()
    assert after == before
    return after


def test_1_an_lacp_bond_without_a_partner_rolls_back_by_probe(inventory):
    rolled_back_by_probe(inventory, "bond_lacp", 100,
                         "bond_lacp_links: bond0: probe lacp (partner, every port aggregated) failed: no LACP partner")


def test_2_a_change_whose_gateway_answers_is_confirmed(inventory):
    proc, dummy = bond(inventory, "bond_active_backup", 100)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert '"confirmed": true' in proc.stdout
    assert '"probe": "gateway"' in proc.stdout and '"what": "203.0.113.1 on bond0.100"' in proc.stdout
    assert "bond0.100 203.0.113.10/24" in state()


def test_3_a_vlan_the_switch_does_not_carry_rolls_back_by_probe(inventory):
    after = rolled_back_by_probe(inventory, "bond_active_backup", 200, "bond_active_backup_links: bond0: probe "
                                 "gateway (203.0.113.1 on bond0.200) failed: no answer")
    assert "bond0.100 203.0.113.10/24" in after and "bond0.200" not in after
