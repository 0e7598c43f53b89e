# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read each NIC's LLDP neighbour on the host; the NICs and the wait default to the host's own
variables, read through the contract (checked before anything runs on the host)."""

from __future__ import annotations

from ansible.plugins.action import ActionBase
from ansible_collections.redundant.interfaces.plugins.module_utils.contract import check
from ansible_collections.redundant.interfaces.plugins.module_utils.errors import RedundantError
from ansible_collections.redundant.interfaces.plugins.plugin_utils.controller_action import inventory


def cabled_nics(uplinks, links):
    """The NICs whose neighbours the cabling step reads: the uplinks' (no NIC twice, the contract
    checked) and every port of the links, each once, in that order."""
    nics = [u["interface"] for u in uplinks] if isinstance(uplinks, list) else []
    for port in (port for link in links or [] for port in link.get("ports") or []):
        if port not in nics:
            nics.append(port)
    return nics


class ActionModule(ActionBase):
    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        task_vars = task_vars or {}
        args = dict(self._task.args)
        hosts = inventory(task_vars, self._templar)
        me = task_vars.get("inventory_hostname")
        try:
            if args.get("interfaces") is None:
                args["interfaces"] = cabled_nics(check("uplinks", hosts.value(me, "uplinks")),
                                                 check("redundancy_links", hosts.value(me, "redundancy_links")))
            if args.get("wait") is None:
                args["wait"] = check("redundancy_lldp_wait", hosts.value(me, "redundancy_lldp_wait"))
        except RedundantError as exc:
            result.update(failed=True, msg=str(exc))
            return result
        result.update(self._execute_module(module_name="redundant.interfaces.lldp_neighbors", module_args=args,
                                           task_vars=task_vars))
        return result
