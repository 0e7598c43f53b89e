# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Derive a switch's configuration from the servers cabled to it (controller only).

Each server's mode is its `redundancy_mode` variable when set, else the
decision tree run on its inventory answers (as select_mode does).
"""

from __future__ import annotations

from ansible.plugins.action import ActionBase
from ansible_collections.redundant.interfaces.plugins.module_utils.decision import (
    ARGUMENT_SPEC as DECISION_SPEC,
    DecisionError,
    decide,
)
from ansible_collections.redundant.interfaces.plugins.module_utils.switchside import SwitchError, derive, resources

ARGUMENT_SPEC = dict(
    servers=dict(type="list", elements="str", required=True),
    switches=dict(type="list", elements="str", required=True),
    settings=dict(type="dict", default={}),
    existing_groups=dict(type="dict", default={}),
)


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        dummy, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        hostvars = task_vars["hostvars"]
        try:
            servers = {name: self._server(name, hostvars[name]) for name in args["servers"]}
            cfg = derive(task_vars["inventory_hostname"], servers, args["switches"], args["settings"],
                         args["existing_groups"])
        except (DecisionError, SwitchError) as exc:
            result.update(failed=True, msg=str(exc))
            return result
        result.update(changed=False, config=cfg, **resources(cfg))
        return result

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
