# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check a host's variables for a playbook against the contract, on the controller, before any
task of the play reaches the host (module_utils/preflight.py)."""

from __future__ import annotations

from ansible_collections.redundant.interfaces.plugins.module_utils.catalog import HOST, SERVER, SWITCH_SCOPE
from ansible_collections.redundant.interfaces.plugins.module_utils.preflight import problems, read_by
from ansible_collections.redundant.interfaces.plugins.module_utils.arguments import argument_spec
from ansible_collections.redundant.interfaces.plugins.plugin_utils.controller_action import (
    ControllerAction,
    inventory,
)

SCOPES = {"server": SERVER, "switch": SWITCH_SCOPE, "controller": HOST}


class ActionModule(ControllerAction):
    ARGUMENT_SPEC = argument_spec("contract")

    def compute(self, args, task_vars):
        host = task_vars["inventory_hostname"]
        groups = task_vars.get("groups") or {}
        scope = args["scope"] or ("switch" if host in groups.get("switches", []) else
                                  "server" if host in groups.get("servers", []) else "controller")
        found = problems(host, SCOPES[scope], args["playbook"], inventory(task_vars, self._templar))
        if found:
            return dict(failed=True, problems=found,
                        msg="%s: refused before any change (%s): %s" % (host, args["playbook"], "; ".join(found)))
        return dict(problems=[], checked=sorted(var.name for var in read_by(args["playbook"], SCOPES[scope])))
