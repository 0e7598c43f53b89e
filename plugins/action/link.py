# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Validate links on the controller, before connecting, then run the module;
with confirm_timeout, carry the change through the commit-confirmed path.

Bad input fails here with the role variable and the rule named, and no host
is touched; the module validates again on the host as a guard.

Commit-confirmed: the module arms an on-host rollback and starts the change
in a process of its own, then returns. This plugin drops the SSH session it
came in on (the change may have cut it), reconnects over the new path and
asks the module to confirm: healthy -> disarmed; unhealthy -> rolled back at
once. When no new session comes up before the timer is due, the task fails
and the host restores itself.
"""

from __future__ import annotations

import time

from ansible.errors import AnsibleConnectionFailure
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display
from ansible_collections.redundant.interfaces.plugins.module_utils.errors import RedundantError
from ansible_collections.redundant.interfaces.plugins.module_utils.flows import MARGIN, check_request
from ansible_collections.redundant.interfaces.plugins.module_utils.roots import ROOT_PRIORITY, root_priority
from ansible_collections.redundant.interfaces.plugins.plugin_utils.controller_action import host_inputs

# the switch variables that decide which priority a switch takes as STP root
ROOT_VARIABLES = ["cisco_ios_stp_root"] + ["cisco_ios_" + key for key in ROOT_PRIORITY.values()]
MODULE = "redundant.interfaces.link"
display = Display()


class ActionModule(ActionBase):
    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = self._task.args
        try:
            check_request(args, self._roots(task_vars or {}))
        except RedundantError as exc:
            result.update(failed=True, msg=str(exc))
            return result
        started = time.monotonic()
        result.update(self._execute_module(module_name=MODULE, module_args=args, task_vars=task_vars))
        if not result.get("transaction") or result.get("failed"):
            return result
        display.v("%s: change applying under transaction %s; the host rolls back by itself unless it is "
                  "confirmed within %s s" % (task_vars.get("inventory_hostname"), result["transaction"],
                                             args.get("confirm_timeout")))
        return self._confirm(result, dict(args, transaction=result["transaction"]), task_vars,
                             started + int(args.get("confirm_timeout") or 0) - MARGIN)

    def _roots(self, task_vars):
        """{switch: (priority, variable)} of the inventory's switches that are STP roots."""
        hostvars = task_vars.get("hostvars") or {}
        roots = {}
        for name in (task_vars.get("groups") or {}).get("switches", []):
            found = root_priority(host_inputs(hostvars.get(name) or {}, ROOT_VARIABLES, self._templar))
            if found:
                roots[name] = found
        return roots

    def _confirm(self, armed, args, task_vars, deadline):
        last = None
        while True:
            self._reset()  # the old session may be dead; only a new one proves the new path
            try:
                confirmed = self._execute_module(module_name=MODULE, module_args=args, task_vars=task_vars)
                if not confirmed.get("unreachable"):
                    return dict(armed, **confirmed)
                last = confirmed.get("msg")
            except AnsibleConnectionFailure as exc:
                last = str(exc)
            if time.monotonic() >= deadline:
                return dict(armed, failed=True, unreachable=False, msg=(
                    "no new connection to the host after the change (transaction %s): %s. The host restores "
                    "its previous configuration by itself when the rollback timer fires (%s)"
                    % (armed["transaction"], last, armed.get("rollback_unit"))))
            time.sleep(2)

    def _reset(self):
        try:
            self._connection.reset()
        except Exception:  # a connection that cannot reset is reopened anyway; pylint: disable=broad-except
            pass
