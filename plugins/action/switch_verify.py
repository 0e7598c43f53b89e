# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Compare a switch's derived config with its parsed show output (controller only)."""

from __future__ import annotations

from ansible_collections.redundant.interfaces.plugins.module_utils.arguments import argument_spec
from ansible_collections.redundant.interfaces.plugins.plugin_utils.controller_action import ControllerAction
from ansible_collections.redundant.interfaces.plugins.module_utils.switch_checks import check_shown, spanning


class ActionModule(ControllerAction):
    ARGUMENT_SPEC = argument_spec("switch_verify")

    def compute(self, args, task_vars):
        problems, notes = check_shown(args["config"], args["shown"], partners=args["partners"])
        result = dict(problems=problems, notes=notes, healthy=not problems, **spanning(args["config"], args["shown"]))
        if problems:
            result.update(failed=True, msg="%s: %s" % (task_vars.get("inventory_hostname"), "; ".join(problems)))
        return result
