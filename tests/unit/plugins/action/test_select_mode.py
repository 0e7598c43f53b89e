"""select_mode's action: runs on the controller and reads the host's gathered facts."""

from __future__ import annotations

from unittest.mock import MagicMock

from ansible.playbook.task import Task
from ansible.template import Templar
from ansible.parsing.dataloader import DataLoader

from ansible_collections.redundant.interfaces.plugins.action.select_mode import ActionModule

UPLINKS = [dict(interface="eth0", switch="sw1"), dict(interface="eth1", switch="sw1")]


def run_action(args, task_vars):
    task = Task()
    task.args = args
    task.action = "redundant.interfaces.select_mode"
    loader = DataLoader()
    action = ActionModule(task, MagicMock(), MagicMock(check_mode=False), loader, Templar(loader=loader), None)
    return action.run(task_vars=task_vars)


def test_decides_without_touching_the_connection():
    result = run_action(dict(switch_managed=True, share_bandwidth=True, uplinks=UPLINKS), {})
    assert result["mode"] == "bond_lacp"
    assert result["changed"] is False
    assert ActionModule._requires_connection is False


def test_uses_gathered_facts_when_no_facts_option():
    facts = {"interfaces": ["lo", "eth0"], "eth0": {"speed": 1000}}
    result = run_action(dict(switch_managed=True, share_bandwidth=True, uplinks=UPLINKS),
                        {"ansible_facts": facts})
    assert result["failed"] is True
    assert "interface eth1 does not exist on this host" in result["msg"]


def test_explicit_facts_option_wins():
    gathered = {"interfaces": ["lo"]}
    given = {"interfaces": ["eth0", "eth1"], "eth0": {"speed": 1000, "duplex": "full"},
             "eth1": {"speed": 1000, "duplex": "full"}}
    result = run_action(dict(switch_managed=True, share_bandwidth=True, uplinks=UPLINKS, facts=given),
                        {"ansible_facts": gathered})
    assert result["mode"] == "bond_lacp"
    assert "warnings" not in result


def test_warnings_are_returned():
    result = run_action(dict(switch_managed=True, share_bandwidth=True, uplinks=UPLINKS),
                        {"ansible_facts": {"interfaces": ["eth0", "eth1"]}})
    assert result["mode"] == "bond_lacp"
    assert any("unknown" in w for w in result["warnings"])


def test_the_inventorys_method_wins_and_is_checked():
    result = run_action({}, dict(inventory_hostname="web1", redundancy_mode="bridge_stp"))
    assert (result["mode"], result["bonding_mode"], result["path"]) == ("bridge_stp", None, [])
    result = run_action({}, dict(inventory_hostname="web1", redundancy_mode="bond_lcap"))
    assert result["failed"] and result["msg"].startswith("web1: redundancy_mode 'bond_lcap' is not a method")


def test_the_hosts_variables_answer_the_tree():
    result = run_action({}, dict(inventory_hostname="web1", switch_managed=True, share_bandwidth=True, uplinks=UPLINKS))
    assert result["mode"] == "bond_lacp"
