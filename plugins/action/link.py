# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Validate links on the controller, before connecting, then run the module;
with confirm_timeout, carry the change through the commit-confirmed path.

Bad input fails here with the role variable and the rule named, and no host
is touched; the module validates again on the host as a guard.

Commit-confirmed: the module arms an on-host rollback and a process of its
own that waits for a go, then returns. Holding the transaction id, this
plugin gives the go (a file the module named), drops the SSH session it came
in on (the change may have cut it), reconnects over the new path and asks the
module to confirm: healthy -> disarmed; unhealthy -> rolled back at once; still
being applied -> asked again over a new session (one that came up before the
change finished may have come over the path the change cuts).
When no new session comes up before the timer is due, the task fails and the
host restores itself. The go may be lost with the session the change cuts:
it is given again, harmlessly, before every confirmation attempt.
"""

from __future__ import annotations

import shlex
import time

from ansible.errors import AnsibleConnectionFailure
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display
from ansible_collections.redundant.interfaces.plugins.module_utils.errors import RedundantError
from ansible_collections.redundant.interfaces.plugins.module_utils.flows import MARGIN, check_request
from ansible_collections.redundant.interfaces.plugins.module_utils.preflight import expectations, roots
from ansible_collections.redundant.interfaces.plugins.plugin_utils.controller_action import inventory

MODULE = "redundant.interfaces.link"
display = Display()


class ActionModule(ActionBase):
    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        task_vars = task_vars or {}
        try:
            hosts = inventory(task_vars, self._templar)
            found = roots(hosts)
            expect = expectations(task_vars.get("inventory_hostname"), hosts, found)
            args = dict(self._task.args, expect=expect)
            check_request(args, found, expect)
        except RedundantError as exc:
            result.update(failed=True, msg=str(exc))
            return result
        started = time.monotonic()
        result.update(self._execute_module(module_name=MODULE, module_args=args, task_vars=task_vars))
        if not result.get("transaction") or result.get("failed"):
            return result
        return self._confirm(result, dict(args, transaction=result["transaction"]), task_vars,
                             started + int(args.get("confirm_timeout") or 0) - MARGIN)

    def _confirm(self, armed, args, task_vars, deadline):
        last, started = None, False
        while True:
            try:
                started = started or self._go(armed, task_vars)
                self._reset()  # the old session may be dead; only a new one proves the new path
                confirmed = self._execute_module(module_name=MODULE, module_args=args, task_vars=task_vars)
                if not confirmed.get("unreachable") and not confirmed.get("pending"):
                    return dict(armed, **confirmed)
                last = confirmed.get("msg")  # pending: this session may predate the change; ask again
            except AnsibleConnectionFailure as exc:
                last = str(exc)
            if time.monotonic() >= deadline:
                return dict(armed, failed=True, unreachable=False, msg=self._lost(armed, last, started))
            time.sleep(2)
            self._reset()

    def _go(self, armed, task_vars):
        """Start the armed change. Until the host has answered, the go is given again on the next
        attempt: an answer lost with the session does not say whether the go arrived."""
        done = self._low_level_execute_command("touch %s" % shlex.quote(armed["go"]), sudoable=True)
        if done.get("rc") != 0:
            raise AnsibleConnectionFailure("cannot start the change: %s" % (done.get("stderr") or "").strip())
        display.v("%s: change applying under transaction %s; the host rolls back by itself unless it is "
                  "confirmed within %s s" % (task_vars.get("inventory_hostname"), armed["transaction"],
                                             self._task.args.get("confirm_timeout")))
        return True

    @staticmethod
    def _lost(armed, last, started):
        if not started:
            return ("the change was armed but could not be started (transaction %s): %s. Nothing was changed; "
                    "the host disarms its rollback timer by itself" % (armed["transaction"], last))
        return ("no new connection to the host after the change (transaction %s): %s. The host restores its "
                "previous configuration by itself when the rollback timer fires (%s)"
                % (armed["transaction"], last, armed.get("rollback_unit")))

    def _reset(self):
        try:
            self._connection.reset()
        except Exception:  # a connection that cannot reset is reopened anyway; pylint: disable=broad-except
            pass
