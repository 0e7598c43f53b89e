# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Judge a host's links against its selected method (controller only)."""

from __future__ import annotations

from ansible_collections.redundant.interfaces.plugins.module_utils.arguments import argument_spec
from ansible_collections.redundant.interfaces.plugins.plugin_utils.controller_action import ControllerAction
from ansible_collections.redundant.interfaces.plugins.module_utils.health import health


class ActionModule(ControllerAction):
    ARGUMENT_SPEC = argument_spec("link_health")

    def compute(self, args, task_vars):
        healthy, summary = health(args["method"], args["links"], args["names"])
        return dict(healthy=healthy, summary=["%s: %s" % (task_vars.get("inventory_hostname"), line)
                                              for line in summary])
