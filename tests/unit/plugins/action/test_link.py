"""The link action: refusal on the controller, and the confirm loop that
reconnects after a commit-confirmed change until it confirms or time runs out."""

from __future__ import annotations

from unittest.mock import MagicMock

import pytest
from ansible.errors import AnsibleConnectionFailure
from ansible.parsing.dataloader import DataLoader
from ansible.playbook.task import Task
from ansible.template import Templar

from ansible_collections.redundant.interfaces.plugins.action import link as action

ARGS = dict(method="bond_lacp", links=[dict(name="bond0", ports=["eth0", "eth1"])], confirm_timeout=120)


class Clock:
    def __init__(self):
        self.now = 1.0  # just after boot: nothing may assume a large clock

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def run(args, answers, monkeypatch, gos=None, **task_vars):
    """Run the action; each module execution takes the next answer (a dict, or an exception to raise),
    each go command the next of `gos` (an exception to raise; None or none left: rc 0)."""
    clock = Clock()
    monkeypatch.setattr(action.time, "monotonic", clock.monotonic)
    monkeypatch.setattr(action.time, "sleep", clock.sleep)
    task = Task()
    task.args = args
    task.action = "redundant.interfaces.link"
    loader = DataLoader()
    plugin = action.ActionModule(task, MagicMock(), MagicMock(check_mode=False), loader, Templar(loader=loader), None)
    calls = []

    def execute(module_name, module_args, task_vars):
        calls.append(dict(module_args))
        answer = answers.pop(0) if answers else dict(unreachable=True, msg="still no route")
        clock.now += 5  # a connection attempt takes time
        if isinstance(answer, Exception):
            raise answer
        return answer

    def command(cmd, sudoable):
        calls.append(dict(command=cmd))
        answer = gos.pop(0) if gos else None
        if answer is not None:
            raise answer
        return dict(rc=0, stdout="", stderr="")

    plugin._execute_module = execute
    plugin._low_level_execute_command = command
    return plugin.run(task_vars=dict(task_vars, inventory_hostname="web1")), calls, plugin._connection


def modules(calls):
    return [c for c in calls if "command" not in c]


ARMED = dict(changed=True, transaction="t1", rollback_unit="unit-t1", go="/tx/t1/go")


def test_bad_input_is_refused_before_any_connection(monkeypatch):
    result, calls, dummy = run(dict(ARGS, links=[dict(name="bond0", ports=["eth0"])]), [], monkeypatch)
    assert result["failed"] and "bond_lacp_links[bond0]" in result["msg"]
    assert calls == []


def test_without_a_transaction_the_result_is_the_modules(monkeypatch):
    result, calls, connection = run(ARGS, [dict(changed=False, actions=[])], monkeypatch)
    assert result["changed"] is False and len(calls) == 1
    connection.reset.assert_not_called()


def test_the_change_starts_only_after_the_armed_answer_is_in_then_it_reconnects_until_confirmed(monkeypatch):
    answers = [dict(ARMED), dict(unreachable=True, msg="timed out"), AnsibleConnectionFailure("refused"),
               dict(pending=True, changed=False, transaction="t1", msg="still being applied"),
               dict(changed=True, confirmed=True, transaction="t1")]
    result, calls, connection = run(ARGS, answers, monkeypatch)
    assert result["confirmed"] and result["rollback_unit"] == "unit-t1"
    # the go follows the armed answer, over the session it came by, and is given once
    assert calls[1] == dict(command="touch /tx/t1/go")
    assert [c.get("transaction") for c in modules(calls)] == [None, "t1", "t1", "t1", "t1"]
    assert connection.reset.call_count >= 4  # only a new session, after the change, proves the new path
    assert "command" not in calls[0] and len(calls) == 6


def test_a_go_whose_answer_is_lost_is_given_again(monkeypatch):
    gos = [AnsibleConnectionFailure("closed"), None]
    result, calls, dummy = run(ARGS, [dict(ARMED), dict(changed=True, confirmed=True, transaction="t1")],
                               monkeypatch, gos=gos)
    assert result["confirmed"]
    assert [list(c) for c in calls] == [["method", "links", "confirm_timeout", "expect"], ["command"], ["command"],
                                        ["method", "links", "confirm_timeout", "expect", "transaction"]]


def test_it_gives_up_before_the_host_rolls_back_and_says_so(monkeypatch):
    result, calls, dummy = run(ARGS, [dict(ARMED)], monkeypatch)
    assert result["failed"] and result["unreachable"] is False
    assert result["msg"].startswith("no new connection to the host after the change (transaction t1): still no route")
    assert "unit-t1" in result["msg"]
    # the last attempt started before the timer (120 s) less the margin the module needs
    assert 2 < len(modules(calls)) <= (120 - action.MARGIN) // 7 + 2


def test_a_change_that_was_never_started_says_nothing_changed(monkeypatch):
    gos = [AnsibleConnectionFailure("closed")] * 100
    result, calls, dummy = run(ARGS, [dict(ARMED)], monkeypatch, gos=gos)
    assert result["failed"] and len(modules(calls)) == 1
    assert result["msg"].startswith("the change was armed but could not be started (transaction t1): closed. "
                                    "Nothing was changed")


@pytest.mark.parametrize("answer", [dict(failed=True, msg="rolled back", transaction="t1")])
def test_a_failed_confirmation_is_the_result(monkeypatch, answer):
    result, dummy, dummy2 = run(ARGS, [dict(ARMED), answer], monkeypatch)
    assert result["failed"] and result["msg"] == "rolled back"


def test_a_bridge_that_could_win_against_an_inventory_switch_is_refused(monkeypatch):
    args = dict(method="bridge_stp", links=[dict(name="br0", ports=["eth0", "eth1"], priority=4096)])
    switches = dict(groups=dict(switches=["sw1", "sw2"]),
                    hostvars=dict(sw1=dict(), sw2=dict(cisco_ios_stp_root="secondary")))
    result, calls, dummy = run(args, [], monkeypatch, **switches)
    assert result["failed"] and calls == []
    assert result["msg"].startswith("bridge_stp_links[br0]: priority 4096 ties switch sw2's STP priority 4096 "
                                    "(cisco_ios_stp_secondary_priority)")
    switches["hostvars"]["sw2"]["cisco_ios_stp_root"] = "none"  # a switch that is no root takes no part
    result, calls, dummy = run(args, [dict(changed=False)], monkeypatch, **switches)
    assert "failed" not in result and len(calls) == 1


def test_the_probes_expect_what_the_inventory_says(monkeypatch):
    """The root switches' priorities, and each uplink's switch (every name it advertises) and port."""
    uplinks = [dict(interface="eth0", switch="sw1", port="Gi1/0/1"), dict(interface="eth1", switch="sw2", port="Gi1/0/1")]
    hostvars = dict(sw1=dict(cisco_ios_stp_root="primary", redundancy_lldp_names=["core-a.example.net"]),
                    sw2=dict(cisco_ios_stp_root="secondary"))
    result, calls, dummy = run(dict(ARGS, confirm_timeout=0), [dict(changed=True)], monkeypatch,
                               uplinks=uplinks, hostvars=hostvars, groups=dict(switches=["sw1", "sw2"]))
    assert not result.get("failed"), result
    assert calls[0]["expect"] == dict(roots=[0, 4096], uplinks=dict(
        eth0=dict(names=["core-a", "sw1"], port="GigabitEthernet1/0/1"),
        eth1=dict(names=["sw2"], port="GigabitEthernet1/0/1")))


def test_an_lldp_probe_without_uplinks_is_refused_before_connecting(monkeypatch):
    args = dict(ARGS, links=[dict(ARGS["links"][0], probes=dict(lldp=True))])
    result, calls, dummy = run(args, [], monkeypatch)
    assert result["failed"] and "probes.lldp: no uplink of this server names eth0, eth1" in result["msg"]
    assert calls == []
