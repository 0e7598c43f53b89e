# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run select_mode on the controller, with the host's gathered facts.

The decision is pure computation, so it needs no round trip to the host;
running here also lets it see the facts already gathered for the host.
"""

from __future__ import annotations

from ansible_collections.redundant.interfaces.plugins.module_utils.decision import ARGUMENT_SPEC, INPUTS, decide
from ansible_collections.redundant.interfaces.plugins.module_utils.catalog import METHODS
from ansible_collections.redundant.interfaces.plugins.plugin_utils.controller_action import (
    ControllerAction,
    host_inputs,
    host_method,
)


class ActionModule(ControllerAction):
    ARGUMENT_SPEC = ARGUMENT_SPEC

    def host_args(self, task_vars):
        return host_inputs(task_vars, INPUTS, self._templar)

    def compute(self, args, task_vars):
        if task_vars.get("redundancy_mode") is not None and not self._task.args:
            # the inventory's choice wins over the tree (checked: an unknown method is refused)
            method = host_method(task_vars.get("inventory_hostname"), task_vars, self._templar)
            return dict(mode=method, bonding_mode=METHODS[method].mode, path=[], source="redundancy_mode")
        if args.get("facts") is None:
            args["facts"] = task_vars.get("ansible_facts") or None
        decision = decide(args)
        if not decision["warnings"]:
            del decision["warnings"]
        return decision
