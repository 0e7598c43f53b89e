# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Derive a switch's configuration from the servers cabled to it (controller only).

Each server's mode is its `redundancy_mode` variable when set, else the
decision tree run on its inventory answers (as select_mode does).
"""

from __future__ import annotations

from ansible_collections.redundant.interfaces.plugins.module_utils.controller import SPECS
from ansible_collections.redundant.interfaces.plugins.plugin_utils.controller_action import ControllerAction
from ansible_collections.redundant.interfaces.plugins.module_utils.decision import (
    ARGUMENT_SPEC as DECISION_SPEC,
    DecisionError,
    decide,
)
from ansible_collections.redundant.interfaces.plugins.module_utils.switchside import (
    derive,
    groups_on_device,
    resources,
)


class ActionModule(ControllerAction):
    ARGUMENT_SPEC = SPECS["switch_config"]

    def compute(self, args, task_vars):
        hostvars = task_vars["hostvars"]
        servers = {name: self._server(name, hostvars[name]) for name in args["servers"]}
        cfg = derive(task_vars["inventory_hostname"], servers, args["switches"], args["settings"],
                     groups_on_device(args["existing"]))
        return dict(config=cfg, **resources(cfg))

    def _server(self, name, hv):
        uplinks = self._templar.template(hv.get("uplinks") or [])
        mode = hv.get("redundancy_mode")
        if not mode:
            params = {key: self._templar.template(hv.get(key)) for key in DECISION_SPEC if key != "facts"}
            params["switches_stacked"] = bool(params.get("switches_stacked"))
            try:
                mode = decide(params)["mode"]
            except DecisionError as exc:
                raise DecisionError("%s: %s" % (name, exc))
        return dict(mode=mode, uplinks=uplinks)
