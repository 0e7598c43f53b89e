# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: rollout
type: aggregate
short_description: A line per finished rollout batch, and a summary table at the end
version_added: 0.1.0
description:
  - For the play that rolls the servers out (the one whose vars set C(redundancy_rollout), as the
    collection's C(site.yml) does), prints a line after each finished batch - servers done,
    rolled back, failed and left - and at the end of the playbook one table, a row per server
    - method, changed, rolled back, verdict - beside the HTML report.
  - A server refused earlier (its variables, by the contract's check; its cables, by the cabling
    check) or failed before the rollout counts as failed, with its reason.
  - Enable it with C(callbacks_enabled = redundant.interfaces.rollout) in C(ansible.cfg).
requirements:
  - Enabled in ansible.cfg (C(callbacks_enabled)).
"""

from ansible.plugins.callback import CallbackBase

ROLLOUT_VAR = "redundancy_rollout"
CONTRACT_ACTIONS = ("redundant.interfaces.contract", "contract")  # the first check of every play
FINISHED = ("done", "rolled back", "failed")  # what a server of a batch ends as


def rolled_back(result):
    """A link result that rolled back (at once, or left to the host's timer after a lost path)."""
    return bool(result.get("rolled_back")) or bool(result.get("failed") and result.get("transaction"))


def batch_line(number, batch, states, total):
    """'rollout: batch 2 of web: 10 done, 1 rolled back, 0 failed, 39 left'."""
    counts = {state: sum(1 for host in batch if states.get(host) == state) for state in FINISHED}
    finished = sum(1 for state in states.values() if state in FINISHED)
    return "rollout: batch %d (%d servers): %d done, %d rolled back, %d failed, %d left" % (
        number, len(batch), counts["done"], counts["rolled back"], counts["failed"], max(total - finished, 0))


def table(rows):
    """The summary: a row per server, columns sized to their text."""
    head = ("server", "method", "changed", "rolled back", "verdict")
    keys = ("host", "method", "changed", "rolled_back", "verdict")
    lines = [head] + [tuple(str(row.get(key, "-")) for key in keys) for row in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip() for line in lines]


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "redundant.interfaces.rollout"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self.hosts = {}  # host -> {"method", "changed", "rolled_back", "verdict", "state"}
        self.in_rollout, self.batch, self.batches, self.total = False, [], 0, 0

    def _host(self, name):
        return self.hosts.setdefault(name, dict(host=name, method="-", changed=False, rolled_back=False,
                                                verdict="-", state=None))

    # --- plays and batches -------------------------------------------------------------------------
    def v2_playbook_on_play_start(self, play):
        self._end_batch()
        self.in_rollout = bool((getattr(play, "vars", None) or {}).get(ROLLOUT_VAR))
        if self.in_rollout and not self.batches:  # the servers still in the play (not refused before it)
            self.total = len([name for name in self._play_hosts(play) if not self._out(name)])
        self.batch = []

    @staticmethod
    def _play_hosts(play):
        try:
            inventory = play.get_variable_manager()._inventory  # pylint: disable=protected-access
            return [h.name for h in inventory.get_hosts(play.hosts, ignore_restrictions=True)]
        except Exception:  # an unresolved pattern: the count is only for the progress line; pylint: disable=broad-except
            return []

    def _end_batch(self):
        if self.in_rollout and self.batch:
            self.batches += 1
            states = {name: info["state"] for name, info in self.hosts.items() if name in self._rollout_hosts}
            self._display.display(batch_line(self.batches, self.batch, states, self.total))
        self.batch = []

    def _out(self, name):
        return self.hosts.get(name, {}).get("verdict", "-").startswith(("refused", "failed"))

    @property
    def _rollout_hosts(self):
        return {name for name, info in self.hosts.items() if info.get("in_rollout")}

    # --- task results ---------------------------------------------------------------------------------
    def _seen(self, result, state):
        name = result._host.get_name()  # pylint: disable=protected-access
        info, data = self._host(name), result._result  # pylint: disable=protected-access
        facts = data.get("ansible_facts") or {}
        if facts.get("redundancy_mode"):
            info["method"] = facts["redundancy_mode"]
        if (facts.get("redundancy_cabling") or {}).get("refused"):
            info["verdict"] = "refused: cabling"
        if state == "failed" and result._task.action in CONTRACT_ACTIONS:  # pylint: disable=protected-access
            info["verdict"] = "refused: variables"
        if "healthy" in data and "summary" in data:  # link_health: the verify step's verdict
            info["verdict"] = "redundant" if data["healthy"] else "not healthy"
        if self.in_rollout:
            info["in_rollout"] = True
            if name not in self.batch:
                self.batch.append(name)
            info["changed"] = info["changed"] or bool(data.get("changed"))
            if rolled_back(data):
                info["rolled_back"], info["state"] = True, "rolled back"
            elif state == "failed":
                info["state"] = "failed"
            elif info["state"] is None:
                info["state"] = "done"
        if state == "failed" and info["verdict"] in ("-", "redundant"):
            message = str(data.get("msg") or "").strip()
            info["verdict"] = "failed: %s" % message.splitlines()[0][:80] if message else "failed"

    def v2_runner_on_ok(self, result):
        self._seen(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._seen(result, "ok" if ignore_errors else "failed")

    def v2_runner_on_unreachable(self, result):
        self._seen(result, "failed")

    # --- the end --------------------------------------------------------------------------------------
    def v2_playbook_on_stats(self, stats):
        self._end_batch()
        rows = [info for name, info in sorted(self.hosts.items())
                if info.get("in_rollout") or info["verdict"].startswith(("refused", "failed"))]
        if not rows:
            return
        self._display.banner("ROLLOUT SUMMARY")
        for line in table([dict(row, changed="yes" if row["changed"] else "no",
                                rolled_back="yes" if row["rolled_back"] else "no") for row in rows]):
            self._display.display(line)
