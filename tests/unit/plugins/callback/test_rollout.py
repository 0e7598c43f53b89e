"""The rollout callback on a rollout as site.yml runs it: the contract's check refuses one server's
variables, the cabling another, a canary batch, then the rest, one of which rolls back."""

from __future__ import annotations

from ansible_collections.redundant.interfaces.plugins.callback.rollout import CallbackModule, batch_line, table


class Host:
    def __init__(self, name):
        self.name = name

    def get_name(self):
        return self.name


class Task:
    def __init__(self, action):
        self.action = action


class Result:
    def __init__(self, host, action="redundant.interfaces.link", **result):
        self._host, self._result, self._task = Host(host), result, Task(action)


class Inventory:
    def get_hosts(self, pattern, ignore_restrictions=False):
        assert pattern == "servers" and ignore_restrictions
        return [Host(n) for n in ("web1", "web2", "web3", "web4", "web5")]


class Play:
    hosts = "servers"

    def __init__(self, rollout):
        self.vars = {"redundancy_rollout": True} if rollout else {}

    def get_variable_manager(self):
        manager = type("VariableManager", (), {})()
        manager._inventory = Inventory()  # pylint: disable=protected-access
        return manager


class Display:
    def __init__(self):
        self.lines = []

    def display(self, text):
        self.lines.append(text)

    def banner(self, text):
        self.lines.append("== %s" % text)


def test_a_line_per_batch_and_a_table_at_the_end():
    callback = CallbackModule()
    callback._display = Display()  # pylint: disable=protected-access
    callback.v2_playbook_on_play_start(Play(False))  # the contract's check refuses web5's variables
    callback.v2_runner_on_failed(Result("web5", action="redundant.interfaces.contract", failed=True,
                                        problems=["site_serial: 0 is a batch of no server"], msg="web5: refused"))
    callback.v2_playbook_on_play_start(Play(False))  # select: each method kept
    for name in ("web1", "web2", "web3", "web4"):
        callback.v2_runner_on_ok(Result(name, ansible_facts=dict(redundancy_mode="bond_lacp")))
    callback.v2_runner_on_ok(Result("web4", ansible_facts=dict(redundancy_cabling=dict(refused=True))))
    callback.v2_runner_on_failed(Result("web4", failed=True, msg="cabling: web4 is refused before any change"))
    callback.v2_playbook_on_play_start(Play(True))  # the canary batch
    callback.v2_runner_on_ok(Result("web1", changed=True))
    callback.v2_playbook_on_play_start(Play(True))  # the rest
    callback.v2_runner_on_ok(Result("web2", changed=False))
    callback.v2_runner_on_failed(Result("web3", failed=True, rolled_back=True, transaction="t1", changed=True,
                                        msg="bond0 not healthy; rolled back to the previous configuration"))
    callback.v2_playbook_on_play_start(Play(False))  # verify
    callback.v2_runner_on_ok(Result("web1", healthy=True, summary=["bond0: redundant"]))
    callback.v2_runner_on_ok(Result("web2", healthy=False, summary=["bond0: degraded"]))
    callback.v2_playbook_on_stats(None)
    assert callback._display.lines == [  # pylint: disable=protected-access
        "rollout: batch 1 (1 servers): 1 done, 0 rolled back, 0 failed, 2 left",
        "rollout: batch 2 (2 servers): 1 done, 1 rolled back, 0 failed, 0 left",
        "== ROLLOUT SUMMARY",
        "server  method     changed  rolled back  verdict",
        "web1    bond_lacp  yes      no           redundant",
        "web2    bond_lacp  no       no           not healthy",
        "web3    bond_lacp  yes      yes          failed: bond0 not healthy; rolled back to the previous configuration",
        "web4    bond_lacp  no       no           refused: cabling",
        "web5    -          no       no           refused: variables"]


def test_the_pieces():
    assert batch_line(3, ["a"], {"a": "failed", "b": "done"}, 5) == (
        "rollout: batch 3 (1 servers): 0 done, 0 rolled back, 1 failed, 3 left")
    assert table([]) == ["server  method  changed  rolled back  verdict"]
