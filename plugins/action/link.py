# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Validate links on the controller, before connecting, then run the module.

Bad input fails here with the role variable and the rule named, and no
host is touched; the module validates again on the host as a guard.
"""

from __future__ import annotations

from ansible.plugins.action import ActionBase
from ansible_collections.redundant.interfaces.plugins.module_utils.model import LinkError, build_links


class ActionModule(ActionBase):
    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = self._task.args
        try:
            build_links(args.get("method"), args.get("links"), args.get("variable"))
        except LinkError as exc:
            result.update(failed=True, msg=str(exc))
            return result
        result.update(self._execute_module(module_name="redundant.interfaces.link", module_args=args,
                                           task_vars=task_vars))
        return result
