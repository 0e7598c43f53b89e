# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Derive a switch's configuration from the servers cabled to it (controller only).

Each server's method is its `redundancy_mode` variable when set, else the
decision tree run on its inventory answers (as select_mode does).
"""

from __future__ import annotations

from ansible.utils.display import Display
from ansible_collections.redundant.interfaces.plugins.module_utils.cabling import switch_rows
from ansible_collections.redundant.interfaces.plugins.module_utils.catalog import SERVER, SWITCH_SETTINGS
from ansible_collections.redundant.interfaces.plugins.module_utils.errors import RedundantError
from ansible_collections.redundant.interfaces.plugins.module_utils.ios_show import NEIGHBOR_COMMANDS
from ansible_collections.redundant.interfaces.plugins.module_utils.model import build_links
from ansible_collections.redundant.interfaces.plugins.module_utils.preflight import problems
from ansible_collections.redundant.interfaces.plugins.module_utils.arguments import argument_spec
from ansible_collections.redundant.interfaces.plugins.module_utils.switch_checks import check_archive, check_uplinks
from ansible_collections.redundant.interfaces.plugins.module_utils.switch_render import resources
from ansible_collections.redundant.interfaces.plugins.module_utils.switchside import (
    channel_numbers,
    derive,
    members_on_device,
    spanning_tree,
)
from ansible_collections.redundant.interfaces.plugins.plugin_utils.controller_action import (
    ControllerAction,
    host_inputs,
    host_method,
    inventory,
    switch_identities,
)

display = Display()
# the cisco_ios role's variables the derivation reads (settings without the prefix)
SETTINGS = {s.name: s.key for s in SWITCH_SETTINGS if not s.role}


class ActionModule(ControllerAction):
    ARGUMENT_SPEC = argument_spec("switch_config")

    def compute(self, args, task_vars):
        hostvars, hosts = task_vars["hostvars"], inventory(task_vars, self._templar)
        servers = {}
        for name in args["servers"]:
            refused = self._refused(name, hostvars[name], hosts)
            if refused:
                display.warning("%s: %s is left out: %s" % (task_vars["inventory_hostname"], name, refused))
            else:
                servers[name] = self._server(name, hostvars[name])
        own = host_inputs(task_vars, SETTINGS, self._templar)
        settings = dict({SETTINGS[var]: value for var, value in own.items()}, **args["settings"])
        warnings = []
        on_device = members_on_device(args["existing"], warnings)
        cfg = derive(task_vars["inventory_hostname"], servers, args["switches"], settings,
                     channel_numbers(on_device), spanning_tree(args["shown"]))
        rows = switch_rows([args["shown"].get(command) for command in NEIGHBOR_COMMANDS.values()], warnings.append)
        check_uplinks(cfg, rows, switch_identities(args["switches"], task_vars, self._templar))
        check_archive(cfg, args["shown"])
        for warning in warnings + cfg["warnings"]:
            display.warning("%s: %s" % (task_vars["inventory_hostname"], warning))
        return dict(config=cfg, **resources(cfg, on_device))

    @staticmethod
    def _refused(name, variables, hosts):
        """Why a server is left out (its cabling or its variables were refused; it fails on its own), or None."""
        if (variables.get("redundancy_cabling") or {}).get("refused"):
            return "its cabling was refused"
        found = problems(name, SERVER, "switches", hosts)
        return "its variables were refused (%s)" % "; ".join(found) if found else None

    def _server(self, name, variables):
        """A server as the switch side sees it: its method and uplinks, and when the inventory
        gives its links (redundancy_links, validated here), the NICs they use and its bridge priority."""
        server = dict(method=host_method(name, variables, self._templar),
                      uplinks=self._templar.template(variables.get("uplinks") or []))
        raw = self._templar.template(variables.get("redundancy_links"))
        if raw is not None:
            try:
                links = [link for link in build_links(server["method"], raw, "redundancy_links")
                         if link.state == "present"]
            except RedundantError as exc:
                raise type(exc)("%s: %s" % (name, exc)) from None
            server["ports"] = sorted({port for link in links for port in link.ports})
            bridges = [link.options["priority"] for link in links if link.kind == "bridge"]
            server["priority"] = min(bridges) if bridges else None
        return server
