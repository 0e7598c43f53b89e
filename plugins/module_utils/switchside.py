# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The switch side of server redundancy, derived from the server inventory: the settings and
the derivation (rendering for cisco.ios: switch_render.py; checking show output: switch_checks.py).

`derive()` takes one switch, the servers of the inventory (their selected
mode and `uplinks`) and the switch's own settings, and returns what that
switch must carry: STP root priority, one entry per server-facing port
(description, access/trunk, STP cost for bridging servers, channel-group for
802.3ad servers) and the Port-channels. It refuses, naming them, two servers
on one port, uplinks to switches the inventory does not have, and LACP
members split over switches that are not one stack.
"""

from __future__ import annotations

import re
import zlib
from ansible_collections.redundant.interfaces.plugins.module_utils.catalog import (
    METHODS,
    SWITCH,
    SWITCH_LACP,
    SWITCH_PLAIN,
    SWITCH_SETTINGS,
    SWITCH_STP,
    is_method,
)
from ansible_collections.redundant.interfaces.plugins.module_utils import contract, ios_names, ios_show
from ansible_collections.redundant.interfaces.plugins.module_utils.names import ifname_problem, keys_shown, token_problem
from ansible_collections.redundant.interfaces.plugins.module_utils.errors import SwitchError
from ansible_collections.redundant.interfaces.plugins.module_utils.roots import ROOT_PRIORITY, check_never_root, is_whole

DEFAULTS = {s.key: s.default for s in SWITCH_SETTINGS if not s.role}


def validate_settings(settings):
    """Check the switch's own variables (each against the contract, then the rules between them);
    return them with defaults applied. Empty text counts as unset."""
    unknown = set(settings) - set(DEFAULTS)
    if unknown:
        raise SwitchError("switch_config: unknown settings %s; known: %s" % (keys_shown(unknown), ", ".join(DEFAULTS)))
    merged = {key: contract.check(SWITCH[key].name, None if settings.get(key) == "" else settings.get(key))
              for key in DEFAULTS}
    if merged["stp_secondary_priority"] <= merged["stp_priority"]:
        raise SwitchError("cisco_ios_stp_secondary_priority: %d must be above cisco_ios_stp_priority (%d), or the "
                          "secondary would win the root election"
                          % (merged["stp_secondary_priority"], merged["stp_priority"]))
    if not merged["stp_vlans"] and merged["stp_root"] != "none":
        raise SwitchError("cisco_ios_stp_vlans: [] lists no VLAN for the %s root: list the VLANs this switch is root "
                          "for, or set cisco_ios_stp_root: none" % merged["stp_root"])
    for server, number in merged["port_channels"].items():
        _check_group(number, merged["channel_group_max"], "cisco_ios_port_channels.%s" % server)
    return merged


def _explicit_servers(switch, entries, servers):
    """cisco_ios_ports (for servers the inventory does not model) as server entries on this switch."""
    out = {}
    for index, entry in enumerate(entries):
        name = entry["server"]
        if name in servers:
            raise SwitchError("cisco_ios_ports[%d]: server %s is also in the inventory; describe its uplinks "
                              "in one place" % (index, name))
        server = out.setdefault(name, dict(method=entry["mode"], uplinks=[]))
        if server["method"] != entry["mode"]:
            raise SwitchError("cisco_ios_ports[%d]: server %s is given two methods (%s, %s)"
                              % (index, name, server["method"], entry["mode"]))
        server["uplinks"].append(dict(interface=entry.get("nic") or "port%d" % (len(server["uplinks"]) + 1),
                                      switch=switch, port=entry["port"]))
    return out


def _check_group(number, maximum, var):
    if not is_whole(number) or not 1 <= number <= maximum:
        raise SwitchError("%s: channel-group %r is out of range (1-%d, cisco_ios_channel_group_max)"
                          % (var, number, maximum))


def derive(switch, servers, switches, settings=None, existing_groups=None, device=None):
    """This switch's configuration (see module doc).

    servers:  {server name: {"method": its redundancy method, "uplinks": [{interface, switch, port}],
               optionally "ports": the NICs its links use, "priority": its bridge's STP priority}}
    switches: every switch name the inventory has
    existing_groups: {port: channel-group number} already on the device, kept stable
    settings["ports"]: explicit server-facing ports for servers the inventory does not model
    device: what the switch says of its spanning tree (spanning_tree() of its show output); None offline
    """
    settings = validate_settings(settings or {})
    stp = _stp_plan(switch, settings, device)
    stack = {switch} | set(settings["stacked_with"])
    servers = dict(servers, **_explicit_servers(switch, settings["ports"], servers))
    _check_servers(servers, switches)
    check_references(settings, switches, servers)
    root_key = ROOT_PRIORITY.get(settings["stp_root"])  # None: stp_root none, the priority is left alone
    priority = settings[root_key] if root_key else None
    ports, lacp, warnings = {}, {}, []
    for server in sorted(servers):
        info = servers[server]
        uplinks = info.get("uplinks") or []
        mine = _managed(server, info, [u for u in uplinks if u.get("switch") == switch], switch, warnings)
        if info.get("priority") is not None and priority is not None:
            check_never_root(info["priority"], {switch: (priority, "cisco_ios_" + root_key)},
                             "cisco_ios: %s: redundancy_links" % server)
        if _needs(info.get("method"), SWITCH_LACP) and mine:
            elsewhere = sorted({u["switch"] for u in uplinks} - stack)
            if elsewhere:
                raise SwitchError("cisco_ios: %s runs bond_lacp with members on %s and %s, which are not one stack; "
                                  "set cisco_ios_stacked_with on both, or choose another mode"
                                  % (server, switch, ", ".join(elsewhere)))
            lacp[server] = mine
        for uplink in mine:
            port = ios_names.normalize(uplink.get("port"), "%s uplink %s port" % (server, uplink.get("interface")),
                                       True)
            if port in ports:
                raise SwitchError("cisco_ios: %s port %s is claimed by %s (%s) and %s (%s)" % (
                    switch, port, ports[port]["server"], ports[port]["nic"], server, uplink.get("interface")))
            ports[port] = _port(server, uplink.get("interface"), info.get("method"), settings, stp)
    groups = _allocate(lacp, ports, settings, existing_groups or {})
    channels = {}
    for server, number in sorted(groups.items(), key=lambda item: item[1]):
        channels[number] = dict(name="Port-channel%d" % number, description="%s bond (LACP)" % server,
                                portfast=settings["portfast"], **_switchport(settings))
        for uplink in lacp[server]:
            port = ios_names.normalize(uplink["port"])
            ports[port].update(channel_group=number, channel_mode=settings["lacp_mode"], lacp_rate=settings["lacp_rate"])
    stp.update(vlans=settings["stp_vlans"], root=settings["stp_root"], priority=priority)
    stp["trees"] = _trees(stp, settings["stp_vlans"] if priority is not None else [], with_channels(ports, channels))
    stp["commands"] = [_tree_command(stp, tree) for tree in stp["trees"]]
    return dict(switch=switch, stp=stp, ports=dict(sorted(ports.items())), port_channels=channels, warnings=warnings,
                revert_timer=settings["revert_timer"])


# --- the spanning tree: mode, path-cost method and MST region, as the switch says ------------------
LONG, SHORT = "long", "short"
# a 1 Gb/s port's default cost (the floor a server port must stay above) and a 10 Mb/s port's (the default)
GIGABIT_COST = {SHORT: 4, LONG: 20000}
TEN_MEGABIT_COST = {SHORT: 100, LONG: 2000000}
MAX_COST = {SHORT: 65535, LONG: 200000000}  # what `spanning-tree [mst N] cost` takes in each method


def spanning_tree(shown):
    """The switch's answers (command -> text) -> {"mode", "pathcost", "mst": {instance: [vlans]}}, or None when
    it gave none (an offline plan)."""
    if not shown:
        return None
    try:
        summary = ios_show.stp_summary(shown.get("show spanning-tree summary"))
        mst = None
        if summary["mode"] == "mst":
            mst = ios_show.mst_configuration(shown.get("show spanning-tree mst configuration"))
    except ios_show.ShowError as exc:
        raise SwitchError("switch_config: %s" % exc) from None
    return dict(summary, mst=mst)


def _stp_plan(switch, settings, device):
    wanted = settings["stp_mode"]
    if device is None:  # offline: what the settings say
        mode = "pvst" if wanted == "detect" else wanted
        device = dict(mode=mode, pathcost=LONG if mode == "mst" else SHORT, mst=None)  # portfast: the older wording
    elif wanted not in ("detect", device["mode"]):
        raise SwitchError("cisco_ios_stp_mode: %s expects %s, but the switch runs %s (show spanning-tree summary); "
                          "the collection never changes the spanning-tree mode: change it on the switch, or set "
                          "detect" % (switch, wanted, device["mode"]))
    plan = dict(mode=device["mode"], pathcost=device["pathcost"], portfast_edge=device.get("portfast_edge", False))
    if plan["mode"] == "mst":
        # VLANs no instance names are the IST's (instance 0), as offline with no region configured
        plan["mst"] = {int(k): list(v) for k, v in (device.get("mst") or {0: list(range(1, 4095))}).items()}
    cost = settings["server_port_cost"]
    floor = GIGABIT_COST[plan["pathcost"]]
    if cost is None:
        cost = TEN_MEGABIT_COST[plan["pathcost"]]
    elif cost > MAX_COST[plan["pathcost"]]:
        raise SwitchError("cisco_ios_server_port_cost: %d is out of range for the %s path-cost method %s uses "
                          "(1-%d): IOS would refuse the line; choose a value from %d to %d, or leave it unset (%d)"
                          % (cost, plan["pathcost"], switch, MAX_COST[plan["pathcost"]], floor + 1,
                             MAX_COST[plan["pathcost"]], TEN_MEGABIT_COST[plan["pathcost"]]))
    elif cost <= floor:
        raise SwitchError("cisco_ios_server_port_cost: %d is not above a 1 Gb/s port's cost (%d) in the %s path-cost "
                          "method %s uses: traffic would take the path through the server; leave it unset (%d) or "
                          "choose a value above %d" % (cost, floor, plan["pathcost"], switch,
                                                       TEN_MEGABIT_COST[plan["pathcost"]], floor))
    plan["server_port_cost"] = cost
    return plan


def instance_of(stp, vlan):
    """The tree a VLAN is in: the VLAN itself (PVST+, Rapid-PVST+) or its MST instance."""
    if stp["mode"] != "mst":
        return vlan
    return next((number for number, vlans in sorted(stp["mst"].items()) if vlan in vlans), 0)


def trees_of(stp, vlans):
    """The trees (VLANs, or MST instances) these VLANs are in."""
    return {instance_of(stp, vlan) for vlan in vlans}


def port_vlans(port):
    return port["trunk_vlans"] if port["mode"] == "trunk" else [port["access_vlan"]]


def _trees(stp, root_vlans, ports):
    """The trees to push and check: those of the VLANs this switch is root for and of every server port."""
    trees = trees_of(stp, root_vlans)
    for port in ports.values():
        if port.get("stp_cost") or port["portfast"]:
            trees |= trees_of(stp, port_vlans(port))
    return sorted(trees)


def _tree_command(stp, tree):
    return ("show spanning-tree mst %d" if stp["mode"] == "mst" else "show spanning-tree vlan %d") % tree


def _managed(server, info, mine, switch, warnings):
    """The uplinks on this switch that carry the server's links. The inventory must agree with
    itself: a link port without an uplink is refused; an uplink whose NIC is in no link gets
    nothing from us (it may be a NIC the collection does not manage), with a warning."""
    if info.get("ports") is None:
        return mine
    cabled = {u.get("interface") for u in info.get("uplinks") or []}
    missing = sorted(set(info["ports"]) - cabled)
    if missing:
        raise SwitchError("cisco_ios: %s: redundancy_links port %s has no uplink; add it to the server's uplinks "
                          "(interface, switch, port)" % (server, ", ".join(missing)))
    for uplink in mine:
        if uplink.get("interface") not in info["ports"]:
            warnings.append("%s uplink %s (%s %s) is in no redundant link: left unconfigured"
                            % (server, uplink.get("interface"), switch, uplink.get("port")))
    return [u for u in mine if u.get("interface") in info["ports"]]


def _needs(method, switch_side):
    return method in METHODS and METHODS[method].switch == switch_side


def _check_servers(servers, switches):
    """Each server's name, method and uplinks, before anything is derived from them."""
    for server in sorted(servers):
        token(server, "server %r" % (server,))
        method, uplinks = servers[server].get("method"), servers[server].get("uplinks")
        if not is_method(method):
            raise SwitchError("cisco_ios: %s: redundancy_mode %r is not a method; use one of %s"
                              % (server, method, ", ".join(sorted(METHODS))))
        if not isinstance(uplinks, list) or not all(isinstance(u, dict) for u in uplinks):
            raise SwitchError("cisco_ios: %s: uplinks must be a list of {interface, switch, port}, got %r"
                              % (server, uplinks))
        for uplink in uplinks:
            problem = ifname_problem(uplink.get("interface"))
            if problem:
                raise SwitchError("cisco_ios: %s uplink interface %r %s" % (server, uplink.get("interface"), problem))
            if uplink.get("switch") not in switches:
                raise SwitchError("cisco_ios: %s uplink %s names switch %r, which is not in the inventory" % (
                    server, uplink.get("interface"), uplink.get("switch")))
            ios_names.normalize(uplink.get("port"), "%s uplink %s port" % (server, uplink.get("interface")), True)


def token(value, what):
    """A name that goes into an IOS description (names.token_problem); `what` names where it came from."""
    problem = token_problem(value)
    if problem:
        raise SwitchError("cisco_ios: %s %s" % (what, problem))
    return value


def check_references(settings, switches, servers):
    """Names a setting points to must exist: a typo must not silently mean nothing. settings: the
    switch's validated settings; servers: those of the inventory and of cisco_ios_ports."""
    unknown = sorted(set(settings["stacked_with"]) - set(switches))
    if unknown:
        raise SwitchError("cisco_ios_stacked_with: %s is not a switch of the inventory (it has: %s)"
                          % (", ".join(unknown), ", ".join(sorted(switches))))
    unknown = sorted(set(settings["port_channels"]) - set(servers))
    if unknown:
        raise SwitchError("cisco_ios_port_channels: %s is not a server of the inventory or of cisco_ios_ports "
                          "(servers: %s)" % (", ".join(unknown), ", ".join(sorted(servers)) or "none"))


def with_channels(ports, channels):
    """{interface: settings} of the server ports and then the Port-channels: the interfaces STP runs on
    (a channel's members aside) and the ones pushed line by line."""
    return dict(ports, **{pc["name"]: pc for pc in channels.values()})


def _switchport(settings):
    if settings["trunk_vlans"]:
        return dict(mode="trunk", trunk_vlans=list(settings["trunk_vlans"]), access_vlan=None)
    return dict(mode="access", access_vlan=settings["access_vlan"], trunk_vlans=None)


def _port(server, nic, method, settings, stp):
    # a bond's port is an edge port (its Port-channel, for LACP: set below); a bridging server's never
    port = dict(server=server, nic=nic, description="%s %s (%s)" % (server, nic, method), channel_group=None,
                channel_mode=None, lacp_rate=None, stp_cost=None, stp_port_priority=None,
                portfast=settings["portfast"] and _needs(method, SWITCH_PLAIN), **_switchport(settings))
    if _needs(method, SWITCH_STP):
        # the path through a server is the last resort: raise its cost, and no portfast/bpduguard
        port.update(stp_cost=stp["server_port_cost"], stp_port_priority=settings["server_port_priority"])
    return port


def _allocate(lacp, ports, settings, existing):
    """Port-channel numbers: pinned, then what the device already has, then a slot
    derived from the server name (probing upwards), so adding a server never
    renumbers the others."""
    maximum = settings["channel_group_max"]
    groups, taken = {}, set()
    for server in sorted(lacp):
        pinned = settings["port_channels"].get(server)
        current = {existing.get(ios_names.normalize(u["port"])) for u in lacp[server]} - {None}
        number = pinned or (min(current) if current else None)
        if number is not None:
            if number in taken:
                raise SwitchError("cisco_ios: Port-channel%d is wanted by two servers, one of them %s" % (number, server))
            groups[server] = number
            taken.add(number)
    taken |= set(existing.values()) - set(groups.values()) if existing else set()
    for server in sorted(set(lacp) - set(groups)):
        start = zlib.crc32(server.encode()) % maximum
        for step in range(maximum):
            number = (start + step) % maximum + 1
            if number not in taken:
                groups[server] = number
                taken.add(number)
                break
        else:
            raise SwitchError("cisco_ios: no free channel-group (1-%d) left for %s" % (maximum, server))
    return groups


def channel_numbers(on_device):
    """{member port: channel-group number} of members_on_device's answer: what derive keeps."""
    return {port: number for port, (number, dummy) in on_device.items()}


def members_on_device(lag_interfaces, warnings=None):
    """ios_lag_interfaces' gathered state -> {member port: (channel-group number, mode)}. A member
    whose name the table does not know is kept under the name shown (with a warning): it cannot be
    a port the inventory names, but its number stays taken."""
    out = {}
    for lag in lag_interfaces or []:
        number = int(re.sub(r"\D", "", lag["name"]) or 0)
        for member in lag.get("members") or []:
            if not member.get("member"):  # the parser leaves an empty entry for the Port-channel itself
                continue
            port = ios_names.full(member["member"])
            if port is None and warnings is not None:
                warnings.append("Port-channel%d member %r: an interface type this collection does not know; "
                                "its number is still kept free" % (number, member["member"]))
            out[port or member["member"]] = (number, member.get("mode"))
    return out
