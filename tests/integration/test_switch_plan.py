"""The cisco_ios role's offline plan (state rendered, no device) for the lab inventory:
the seed's commands come out of the server inventory."""

from __future__ import annotations

import json
import re

import pytest

from tests.helpers import run

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def plans():
    proc = run("ansible-playbook", "playbooks/switches.yml", "-e", "cisco_ios_state=rendered",
               env={"ANSIBLE_STDOUT_CALLBACK": "ansible.posix.json", "ANSIBLE_DEPRECATION_WARNINGS": "false"})
    tasks = json.loads(proc.stdout)["plays"][0]["tasks"]
    shown = next(t for t in tasks if t["task"]["name"].endswith("Show the offline plan"))
    return {host: result["msg"] for host, result in shown["hosts"].items()}


def block(commands, interface):
    """The lines under every `interface X` header of the plan."""
    lines, inside = [], False
    for line in commands:
        if line.startswith("interface "):
            inside = line == "interface " + interface
        elif inside:
            lines.append(line)
    return lines


def test_root_priority_primary_and_secondary(plans):
    assert "spanning-tree vlan 1 priority 0" in plans["sw1"]
    assert "spanning-tree mst 0 priority 4096" in plans["sw2"]  # sw2 runs MST (cisco_ios_stp_mode)


def test_bridging_server_ports_get_the_seed_cost_and_no_portfast(plans):
    for switch, port, cost in (("sw1", "FastEthernet0/23", "spanning-tree cost 100"),
                               ("sw2", "TwoGigabitEthernet1/0/23", "spanning-tree mst 0 cost 50000")):
        lines = block(plans[switch], port)
        assert cost in lines
        assert "description stp1 eth%d (bridge_stp)" % (0 if switch == "sw1" else 1) in lines
        assert not [line for line in lines if "portfast" in line or "bpduguard" in line]


def test_lacp_server_gets_a_port_channel_with_lacp_members(plans):
    members = [block(plans["sw1"], "FastEthernet0/%d" % n) for n in (1, 2)]
    groups = {re.match(r"channel-group (\d+) mode active", line).group(1)
              for lines in members for line in lines if line.startswith("channel-group")}
    assert len(groups) == 1
    assert all("channel-protocol lacp" in lines for lines in members)
    assert all("spanning-tree portfast" not in lines for lines in members)  # STP runs on the Port-channel...
    assert "spanning-tree portfast" in block(plans["sw1"], "Port-channel%s" % groups.pop())  # ...an edge port
    assert not [line for line in plans["sw2"] if "channel-group" in line or "Port-channel" in line]


def test_active_backup_and_alb_servers_get_plain_ports(plans):
    for port in ("GigabitEthernet1/0/3", "FastEthernet0/5"):
        lines = block(plans["sw1"], port)
        assert "switchport mode access" in lines and "spanning-tree portfast" in lines  # a bond's port: edge
        assert not [line for line in lines if line.startswith(("channel-group", "spanning-tree cost"))]


def test_bad_switch_setting_fails_before_any_command():
    proc = run("ansible-playbook", "playbooks/switches.yml", "-e", "cisco_ios_state=rendered",
               "-e", "cisco_ios_stp_priority=1000", check=False)
    assert proc.returncode != 0
    out = " ".join(proc.stdout.split())
    assert "cisco_ios_stp_priority: 1000 must be a multiple of 4096" in out
    assert "Show the offline plan" not in out
