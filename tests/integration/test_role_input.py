"""Bad role input is refused before the host is touched, with the variable and rule named."""

from __future__ import annotations

import json

import pytest

from tests.helpers import run

pytestmark = pytest.mark.integration


def apply(role, links):
    extra = json.dumps({"role_under_test": role, "%s_links" % role: links})
    return run("ansible-playbook", "--check", "tests/integration/playbooks/role_input.yml", "-e", extra, check=False)


@pytest.mark.parametrize("role, links, message", [
    ("bond_alb", [dict(name="bond0", ports=["eth0", "eth1"], arp_interval=500, arp_ip_target=["192.0.2.1"])],
     "bond_alb_links[bond0]: arp_interval is not supported in balance-alb mode; use miimon"),
    ("bond_lacp", [dict(name="bond0", ports=["eth0"])],
     "bond_lacp_links[bond0]: ports lists 1 interface(s); a redundant link needs at least two"),
    ("bridge_stp", [dict(name="br0", ports=["eth0", "eth1"], stp=False)],
     "bridge_stp_links[br0]: stp must be on for a bridge over 2 uplinks"),
    ("bond_active_backup", [dict(name="bond0", ports=["eth0", "eth1; reboot"])],
     "bond_active_backup_links[bond0]: port 'eth1; reboot' may only contain"),
    ("bond_lacp", [dict(name="bond0", ports=["eth0", "eth1"], ipv4=dict(addresses=["192.0.2.300/24"]))],
     "is not a valid IPv4 address/prefix"),
])
def test_bad_input_fails_on_the_controller(role, links, message):
    proc = apply(role, links)
    assert proc.returncode != 0
    assert " ".join(message.split()) in " ".join(proc.stdout.split()), proc.stdout  # output is wrapped


def test_wrong_type_is_caught_by_the_role_argument_spec():
    proc = apply("bond_lacp", [dict(name="bond0", ports=["eth0", "eth1"], miimon="often")])
    assert proc.returncode != 0
    assert "bond_lacp_links" in proc.stdout and "miimon" in proc.stdout
