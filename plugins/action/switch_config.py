# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Derive a switch's configuration from the servers cabled to it (controller only).

Each server's mode is its `redundancy_mode` variable when set, else the
decision tree run on its inventory answers (as select_mode does).
"""

from __future__ import annotations

from ansible_collections.redundant.interfaces.plugins.module_utils.catalog import SWITCH_SETTINGS
from ansible_collections.redundant.interfaces.plugins.module_utils.specs import argument_spec
from ansible_collections.redundant.interfaces.plugins.module_utils.switchside import (
    derive,
    groups_on_device,
    resources,
)
from ansible_collections.redundant.interfaces.plugins.plugin_utils.controller_action import (
    ControllerAction,
    host_inputs,
    host_method,
)

# the cisco_ios role's variables the derivation reads (settings without the prefix)
SETTINGS = {s.variable: s.name for s in SWITCH_SETTINGS if not s.role}


class ActionModule(ControllerAction):
    ARGUMENT_SPEC = argument_spec("switch_config")

    def compute(self, args, task_vars):
        hostvars = task_vars["hostvars"]
        servers = {name: dict(mode=host_method(name, hostvars[name], self._templar),
                              uplinks=self._templar.template(hostvars[name].get("uplinks") or []))
                   for name in args["servers"]}
        own = host_inputs(task_vars, SETTINGS, self._templar)
        settings = dict({SETTINGS[var]: value for var, value in own.items()}, **args["settings"])
        cfg = derive(task_vars["inventory_hostname"], servers, args["switches"], settings,
                     groups_on_device(args["existing"]))
        return dict(config=cfg, **resources(cfg))
