# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A server's cables as LLDP and CDP see them, against its inventory uplinks (controller only)."""

from __future__ import annotations

from ansible.utils.display import Display
from ansible_collections.redundant.interfaces.plugins.module_utils import cabling
from ansible_collections.redundant.interfaces.plugins.module_utils.contract import check
from ansible_collections.redundant.interfaces.plugins.module_utils.arguments import argument_spec
from ansible_collections.redundant.interfaces.plugins.plugin_utils.controller_action import (
    ControllerAction,
    switch_identities,
)

display = Display()
# where the playbooks register each switch's neighbour tables (ios_command, lldp then cdp)
SHOWN_VAR = "redundancy_switch_neighbors"


class ActionModule(ControllerAction):
    ARGUMENT_SPEC = argument_spec("cabling")

    def host_args(self, task_vars):
        return dict(switches=list(task_vars.get("groups", {}).get("switches", [])))

    def compute(self, args, task_vars):
        host = task_vars["inventory_hostname"]
        inventory = self._uplinks(host, task_vars)
        shown = self._shown(args, task_vars)
        seen = cabling.wire(host, args["neighbors"], shown, switch_identities(args["switches"], task_vars, self._templar))
        result = cabling.check(inventory, seen, self._link_ports(task_vars), args["unread"], cabling.crowded(shown))
        if inventory is None and not result["uplinks"]:
            result["problems"].append("%s: no cable to a switch of the inventory was seen" % host)
        result.update(discovered=inventory is None, refused=False)
        try:
            for warning in cabling.verdict(host, result, args["mode"]):
                display.warning(warning)
        except cabling.CablingError as exc:
            result.update(refused=True, msg=str(exc))
        facts = dict(redundancy_cabling=dict(refused=result["refused"], problems=result["problems"],
                                             discovered=inventory is None, wire=result["uplinks"]))
        if inventory is None and not result["refused"]:
            facts["uplinks"] = result["uplinks"]
        return dict(result, ansible_facts=facts)

    def _uplinks(self, host, task_vars):
        """The inventory's uplinks, or None to discover them (absent, or `discover`)."""
        return cabling.inventory_uplinks(host, self._templar.template(task_vars.get("uplinks")))

    def _link_ports(self, task_vars):
        links = check("redundancy_links", self._templar.template(task_vars.get("redundancy_links"))) or []
        return sorted({port for link in links if link.get("state", "present") == "present"
                       for port in link.get("ports") or []})

    def _shown(self, args, task_vars):
        """{switch: [neighbour rows]} from the texts given, or each switch's registered answers. A
        switch whose tables cannot be read only loses its view (the server's still counts), with a warning."""
        texts = dict(args["shown"])
        if not texts:
            for switch in args["switches"]:
                registered = task_vars["hostvars"].get(switch, {}).get(SHOWN_VAR) or {}
                if registered.get("stdout"):
                    texts[switch] = registered["stdout"]
        return {switch: cabling.switch_rows(answers or [], lambda text, switch=switch: display.warning(
            "cabling: %s: %s" % (switch, text))) for switch, answers in texts.items()}
