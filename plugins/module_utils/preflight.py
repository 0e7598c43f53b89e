# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the `contract` action checks for one host before any task of a play reaches it: every
variable the playbook reads, against the contract (contract.check), then the rules between
them - the inventory must agree with itself, and every name it points to must exist.

An Inventory gives the templated variables of any host; the action builds it from hostvars,
the unit tests from dictionaries.
"""

from __future__ import annotations

import re

from ansible_collections.redundant.interfaces.plugins.module_utils import contract
from ansible_collections.redundant.interfaces.plugins.module_utils.catalog import (
    DECIDING,
    HOST,
    METHODS,
    PLAY,
    SERVER,
    SWITCH,
    SWITCH_SCOPE,
    SWITCH_SETTINGS,
    VARIABLES,
)
from ansible_collections.redundant.interfaces.plugins.module_utils.decision import INPUTS, decide
from ansible_collections.redundant.interfaces.plugins.module_utils.errors import RedundantError
from ansible_collections.redundant.interfaces.plugins.module_utils.flows import check_request
from ansible_collections.redundant.interfaces.plugins.module_utils.model import build_links
from ansible_collections.redundant.interfaces.plugins.module_utils.lldp import host_key
from ansible_collections.redundant.interfaces.plugins.module_utils.roots import ROOT_PRIORITY, is_whole
from ansible_collections.redundant.interfaces.plugins.module_utils.switchside import check_references, validate_settings

CONFIGURING = ("site", "switches")  # the playbooks that build what the inventory describes
_SAFE_FILE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.@-]*")


class Inventory:
    """The hosts of the run and their variables. value(host, name) is the templated value, or None
    when the host does not define it; a value that cannot be templated raises ContractError."""

    def __init__(self, servers, switches, hosts, variables):
        self.servers, self.switches, self.hosts = list(servers), list(switches), set(hosts)
        self._variables = variables  # {host: {name: value}}, or a callable (host, name) -> value

    def value(self, host, name):
        if callable(self._variables):
            return self._variables(host, name)
        return (self._variables.get(host) or {}).get(name)


def read_by(playbook, scope):
    """The contract variables a playbook reads on a host of this scope (a server, a switch, the
    controller): its own, and the host and play variables every host sees."""
    return [v for v in VARIABLES if v.read_by(playbook) and v.scope in (scope, HOST, PLAY) and not v.internal]


def problems(host, scope, playbook, inventory):
    """Every reason `host` cannot go on with `playbook`, each naming the variable, its value and the
    rule; [] when there is none."""
    values, found = {}, []
    for var in read_by(playbook, scope):
        try:
            values[var.name] = contract.check(var.name, inventory.value(host, var.name))
        except RedundantError as exc:
            found.append(str(exc))
    if found:  # the rules between variables would only repeat these
        return found
    rules = {SERVER: _server_rules, SWITCH_SCOPE: _switch_rules}.get(scope)
    try:
        if rules:
            rules(host, values, playbook, inventory)
        if playbook == "discover" and scope == SERVER and not _SAFE_FILE.fullmatch(host):
            raise contract.ContractError("%s: the inventory name cannot be a file name in discover_dest/host_vars "
                                         "(letters, digits, '_', '.', '@', '-'; no '/' or '..')" % host)
    except RedundantError as exc:
        found.append(str(exc))
    return found


# --- a server ----------------------------------------------------------------------------------------
def _server_rules(host, values, playbook, inventory):
    uplinks = values.get("uplinks")
    if isinstance(uplinks, list):
        for index, uplink in enumerate(uplinks):
            if uplink["switch"] not in inventory.switches:
                raise contract.ContractError("uplinks[%d].switch: %r is not a switch of the inventory (it has: %s)" % (
                    index, uplink["switch"], ", ".join(sorted(inventory.switches)) or "none"))
    if playbook not in DECIDING:
        return
    method = method_of(values)
    links = _links(host, method, values, inventory)
    owner = {}
    for method_name, (variable, dummy, built) in sorted(links.items()):
        for link in built:
            for port in link.ports if link.state == "present" else ():
                if port in owner and owner[port][0] != method_name:
                    raise contract.ContractError("%s[%s]: port %s is also in %s (%s): one NIC, one method" % (
                        variable, link.name, port, owner[port][1], owner[port][0]))
                owner[port] = (method_name, "%s[%s]" % (variable, link.name))
    if isinstance(uplinks, list):
        cabled = {uplink["interface"] for uplink in uplinks}
        for port, (dummy, where) in sorted(owner.items()):
            if port not in cabled:
                raise contract.ContractError("%s: port %s has no uplink; add it to uplinks (interface, switch, port)"
                                             % (where, port))
        if playbook in CONFIGURING and method and method not in links:
            raise contract.ContractError(
                "redundancy_links: not set, while uplinks are: the switches would be set up for %s and the server "
                "would build nothing; add redundancy_links (the links to build over %s)"
                % (method, ", ".join(sorted(cabled))))
    if playbook == "site" and method in links:
        variable, raw, dummy = links[method]
        found = roots(inventory)
        check_request(dict(method=method, variable=variable, links=raw,
                           **{key: _role_value(host, method, key, inventory)
                              for key in ("backend", "live", "confirm_timeout")}), found,
                      expectations(host, inventory, found))


def method_of(values):
    """The server's method: redundancy_mode, else the decision tree on its answers; None while its
    uplinks are still to be discovered and the tree needs them."""
    if values.get("redundancy_mode"):
        return values["redundancy_mode"]
    inputs = {name: values[name] for name in INPUTS if values.get(name) is not None}
    if not isinstance(inputs.get("uplinks"), list):
        inputs.pop("uplinks", None)
        try:
            return decide(inputs)["mode"]
        except RedundantError:
            return None  # decided once the cabling step has found the uplinks
    return decide(inputs)["mode"]


def _links(host, method, values, inventory):
    """{method: (variable, raw, links)}: each role variable <method>_links the host sets, and
    redundancy_links for its own method (unless it sets that role's variable itself)."""
    out = {}
    for name in sorted(METHODS):
        variable = "%s_links" % name
        raw = inventory.value(host, variable)
        if raw is None and name == method and values.get("redundancy_links") is not None:
            variable, raw = "redundancy_links", values["redundancy_links"]
        if raw is not None:
            out[name] = (variable, raw, build_links(name, raw, variable))
    return out


def _role_value(host, method, key, inventory):
    name = "%s_%s" % (method, key)
    return contract.check(name, inventory.value(host, name))


# --- the switches ------------------------------------------------------------------------------------------
def _switch_rules(host, values, playbook, inventory):
    if not any(s.read_by(playbook) for s in SWITCH_SETTINGS):
        return
    settings = {s.key: values.get(s.name) for s in SWITCH_SETTINGS if not s.role}
    cfg = validate_settings({key: value for key, value in settings.items() if value is not None})
    for variable in ("cisco_ios_servers", "cisco_ios_switches"):
        unknown = sorted(set(values.get(variable) or []) - inventory.hosts)
        if unknown:
            raise contract.ContractError("%s: %s is not a host of the inventory" % (variable, ", ".join(unknown)))
    servers = set(values.get("cisco_ios_servers") or inventory.servers) | {port["server"] for port in cfg["ports"]}
    check_references(cfg, inventory.switches, servers)  # the derivation's own rule, before any show command
    for peer in cfg["stacked_with"]:
        if peer == host:
            raise contract.ContractError("cisco_ios_stacked_with: %s names itself; name the other members" % host)
        back = contract.check("cisco_ios_stacked_with", inventory.value(peer, "cisco_ios_stacked_with"),
                              "%s's cisco_ios_stacked_with" % peer)
        if host not in back:
            raise contract.ContractError("cisco_ios_stacked_with: %s names %s, but %s does not name %s back; a stack "
                                         "or MLAG pair is set on every member" % (host, peer, peer, host))


def roots(inventory):
    """{switch: (priority, variable)} of the inventory's switches that are STP roots, from their
    checked settings: a setting that is not valid fails here, it never turns the check off."""
    found = {}
    for switch in inventory.switches:
        root = contract.check("cisco_ios_stp_root", inventory.value(switch, "cisco_ios_stp_root"),
                              "%s's cisco_ios_stp_root" % switch)
        key = ROOT_PRIORITY.get(root)
        if key is None:
            continue
        priority = contract.check(SWITCH[key].name, inventory.value(switch, SWITCH[key].name),
                                  "%s's %s" % (switch, SWITCH[key].name))
        found[switch] = (priority, SWITCH[key].name)
    return found


def expectations(host, inventory, found):
    """What a server's probes compare with (probes.py): the priorities of the inventory's root
    switches (found: roots()), and each uplink's switch names and port."""
    uplinks = contract.check("uplinks", inventory.value(host, "uplinks"), "%s's uplinks" % host)
    cabled = {}
    for uplink in uplinks if isinstance(uplinks, list) else ():
        names = [uplink["switch"]] + list(inventory.value(uplink["switch"], "redundancy_lldp_names") or [])
        cabled[uplink["interface"]] = dict(names=sorted({host_key(name) for name in names}), port=uplink["port"])
    return dict(roots=sorted({priority for priority, dummy in found.values() if is_whole(priority)}), uplinks=cabled)
