# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Base of the actions that only compute on the controller (no connection)."""

from __future__ import annotations

from ansible.plugins.action import ActionBase
from ansible_collections.redundant.interfaces.plugins.module_utils.errors import RedundantError


class ControllerAction(ActionBase):
    """Validate the task's arguments against ARGUMENT_SPEC, call compute(), and
    turn the collection's error into a failed result carrying its message."""

    TRANSFERS_FILES = False
    _requires_connection = False
    ARGUMENT_SPEC: dict = {}

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        dummy, args = self.validate_argument_spec(argument_spec=self.ARGUMENT_SPEC)
        try:
            result.update(changed=False, **self.compute(args, task_vars or {}))
        except RedundantError as exc:
            result.update(failed=True, msg=str(exc))
        return result

    def compute(self, args, task_vars):
        raise NotImplementedError
