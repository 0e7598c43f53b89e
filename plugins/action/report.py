# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write the redundancy report (HTML with an SVG topology) on the controller,
from what the play gathered in hostvars."""

from __future__ import annotations

import os

from ansible_collections.redundant.interfaces.plugins.module_utils import contract
from ansible_collections.redundant.interfaces.plugins.module_utils.arguments import argument_spec
from ansible_collections.redundant.interfaces.plugins.module_utils.errors import RedundantError
from ansible_collections.redundant.interfaces.plugins.plugin_utils.controller_action import ControllerAction
from ansible_collections.redundant.interfaces.plugins.module_utils.report import UNKNOWN, html, verdict


class ActionModule(ControllerAction):
    ARGUMENT_SPEC = argument_spec("report")

    def _valid(self, name, raw):
        """A server's variable as the contract reads it; None when it breaks its rule (that server was
        refused by its plays' first check: the report draws what it can of the others)."""
        try:
            return contract.check(name, self._templar.template(raw))
        except RedundantError:
            return None

    def compute(self, args, task_vars):
        hostvars = task_vars["hostvars"]
        servers = {}
        for name in args["servers"]:
            hv = hostvars[name]
            decision = hv.get("redundancy_decision") or {}
            facts = hv.get("ansible_facts") or {}
            uplinks = self._valid("uplinks", hv.get("uplinks"))
            servers[name] = dict(
                method=self._valid("redundancy_mode", hv.get("redundancy_mode")) or decision.get("mode"),
                path=decision.get("path"), uplinks=uplinks if isinstance(uplinks, list) else [],
                links=facts.get("redundant_links") or {}, drill=facts.get("redundant_drill"),
                cabling=hv.get("redundancy_cabling"))
        verified = {name: hostvars[name].get("cisco_ios_verified") or {} for name in args["switches"]}
        switches = {name: dict(notes=shown.get("notes") or [], blocking=shown.get("blocking") or [],
                               root_of=shown.get("root_of") or []) for name, shown in verified.items()}
        contract.check("site_report", args["dest"], "report: dest")  # a path, never an embedded NUL byte
        text = html(servers, switches, args["title"])
        try:
            os.makedirs(os.path.dirname(os.path.abspath(args["dest"])), exist_ok=True)
            with open(args["dest"], "w") as handle:
                handle.write(text)
        except OSError as exc:
            raise RedundantError("report: dest %s cannot be written: %s" % (args["dest"], exc)) from exc
        return dict(dest=args["dest"], summary=["%s: %s, %s" % (n, s["method"] or UNKNOWN, verdict(s["links"]))
                                                for n, s in sorted(servers.items())])
