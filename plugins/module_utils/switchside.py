# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The switch side of server redundancy, derived from the server inventory.

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
    OPTIONS,
    SWITCH,
    SWITCH_LACP,
    SWITCH_SETTINGS,
    SWITCH_STP,
    VLAN_RANGE,
    is_method,
)
from ansible_collections.redundant.interfaces.plugins.module_utils.errors import RedundantError
from ansible_collections.redundant.interfaces.plugins.module_utils.names import ifname_problem

# IOS abbreviations -> full interface type names (full names keep ios_config idempotent)
IOS_TYPES = (
    ("HundredGigE", ("hu", "hundredgige")),
    ("FortyGigabitEthernet", ("fo", "fortygigabitethernet")),
    ("TwentyFiveGigE", ("twe", "twentyfivegige")),
    ("TenGigabitEthernet", ("te", "ten", "tengigabitethernet")),
    ("GigabitEthernet", ("gi", "gig", "gigabitethernet")),
    ("FastEthernet", ("fa", "fastethernet")),
    ("Ethernet", ("eth", "ethernet")),
    ("Port-channel", ("po", "port-channel")),
)
_IFNAME = re.compile(r"([A-Za-z-]+) ?(\d+(?:/\d+)*(?:\.\d+)?)")  # whole name (fullmatch)
# Interfaces that are no cable: never a server's uplink port.
LOGICAL = ("port-channel", "vlan", "loopback", "tunnel", "bdi", "nve")
# A name that goes into an IOS description: nothing the CLI would read as syntax or a new line.
_TOKEN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.:@-]{0,62}")

DEFAULTS = {s.name: s.default for s in SWITCH_SETTINGS if not s.role}


class SwitchError(RedundantError, ValueError):
    """The inventory cannot give this switch a configuration; the message names what to fix."""


def normalize_interface(name, var="port", cabled=False):
    """'Gi1/0/1' -> 'GigabitEthernet1/0/1'; anything else unknown is an error.
    cabled: the port of a cable, so a logical interface (Port-channel, Vlan) is refused."""
    match = _IFNAME.fullmatch(name) if isinstance(name, str) else None
    if match and cabled and any(t.startswith(match.group(1).lower()) for t in LOGICAL if len(match.group(1)) >= 2):
        raise SwitchError("cisco_ios: %s %r is a logical interface (Port-channel, Vlan, Loopback, Tunnel), not a "
                          "switch port a cable goes into" % (var, name))
    if match:
        prefix, number = match.group(1).lower(), match.group(2)
        for full, abbreviations in IOS_TYPES:
            if prefix in abbreviations or (len(prefix) >= 2 and full.lower().startswith(prefix)):
                return full + number
    raise SwitchError("cisco_ios: %s %r is not an IOS interface name that can be normalized "
                      "(use the full name, for example GigabitEthernet1/0/1)" % (var, name))


def _number(value):
    """Extra vars and templates hand numbers over as text: '4096' -> 4096."""
    if isinstance(value, str) and re.fullmatch(r"[0-9]+", value.strip()):  # ASCII digits: '¹'.isdigit() is true
        return int(value)
    if isinstance(value, list):
        return [_number(v) for v in value]
    if isinstance(value, dict):
        return {k: _number(v) for k, v in value.items()}
    return value


def validate_settings(settings):
    """Check the switch's own variables (each against its catalog entry, then the
    rules between them); return them with defaults applied."""
    unknown = sorted(set(settings) - set(DEFAULTS))
    if unknown:
        raise SwitchError("switch_config: unknown settings %s; known: %s" % (", ".join(unknown), ", ".join(DEFAULTS)))
    merged = dict(DEFAULTS, **{k: _number(v) for k, v in settings.items() if v not in (None, "")})
    for setting in SWITCH_SETTINGS:
        if not setting.role and merged[setting.name] is not None:
            _check_setting(setting, merged[setting.name])
    if merged["stp_secondary_priority"] <= merged["stp_priority"]:
        raise SwitchError("cisco_ios_stp_secondary_priority: %d must be above cisco_ios_stp_priority (%d), or the "
                          "secondary would win the root election"
                          % (merged["stp_secondary_priority"], merged["stp_priority"]))
    for server, number in merged["port_channels"].items():
        _check_group(number, merged["channel_group_max"], "cisco_ios_port_channels.%s" % server)
    for index, entry in enumerate(merged["ports"]):
        var = "cisco_ios_ports[%d]" % index
        if not isinstance(entry, dict) or not entry.get("port") or not entry.get("server"):
            raise SwitchError("%s: needs at least port and server" % var)
        if not is_method(entry.get("mode")):
            raise SwitchError("%s: mode %r must be one of %s" % (var, entry.get("mode"), ", ".join(sorted(METHODS))))
        unknown = sorted(set(entry) - {"port", "server", "nic", "mode"})
        if unknown:
            raise SwitchError("%s: unknown keys %s (port, server, nic, mode)" % (var, ", ".join(unknown)))
    return merged


def _check_setting(setting, value):
    var = setting.variable
    if setting.vlans:
        for vlan in value if isinstance(value, list) else [value]:
            if not _whole(vlan) or not VLAN_RANGE[0] <= vlan <= VLAN_RANGE[1]:
                raise SwitchError("%s: VLAN %r is out of range (%d-%d)" % ((var, vlan) + VLAN_RANGE))
    if setting.type == "int":
        if not _whole(value):
            raise SwitchError("%s: %r must be a whole number" % (var, value))
        if setting.step and (value % setting.step or not setting.min <= value <= setting.max):
            raise SwitchError("%s: %r must be a multiple of %d from %d to %d"
                              % (var, value, setting.step, setting.min, setting.max))
        if setting.min is not None and not setting.min <= value <= setting.max:
            raise SwitchError("%s: %r is out of range (%d-%d)" % (var, value, setting.min, setting.max))
    elif setting.type in ("list", "dict") and not isinstance(value, list if setting.type == "list" else dict):
        raise SwitchError("%s: must be a %s, got %s" % (var, setting.type, type(value).__name__))
    elif setting.elements == "str" and not all(isinstance(item, str) for item in value):
        raise SwitchError("%s: must be a list of names, got %r" % (var, value))
    if setting.choices and value not in setting.choices:
        raise SwitchError("%s: %r must be one of %s" % (var, value, ", ".join(setting.choices)))


def _whole(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _explicit_servers(switch, entries, servers):
    """cisco_ios_ports (for servers the inventory does not model) as server entries on this switch."""
    out = {}
    for index, entry in enumerate(entries):
        name = entry["server"]
        if name in servers:
            raise SwitchError("cisco_ios_ports[%d]: server %s is also in the inventory; describe its uplinks "
                              "in one place" % (index, name))
        server = out.setdefault(name, dict(mode=entry["mode"], uplinks=[]))
        if server["mode"] != entry["mode"]:
            raise SwitchError("cisco_ios_ports[%d]: server %s is given two modes (%s, %s)"
                              % (index, name, server["mode"], entry["mode"]))
        server["uplinks"].append(dict(interface=entry.get("nic") or "port%d" % (len(server["uplinks"]) + 1),
                                      switch=switch, port=entry["port"]))
    return out


def _check_group(number, maximum, var):
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= maximum:
        raise SwitchError("%s: channel-group %r is out of range (1-%d)" % (var, number, maximum))


def derive(switch, servers, switches, settings=None, existing_groups=None):
    """This switch's configuration (see module doc).

    servers:  {server name: {"mode": role, "uplinks": [{interface, switch, port}],
               optionally "ports": the NICs its links use, "priority": its bridge's STP priority}}
    switches: every switch name the inventory has
    existing_groups: {port: channel-group number} already on the device, kept stable
    settings["ports"]: explicit server-facing ports for servers the inventory does not model
    """
    cfg = validate_settings(settings or {})
    stack = {switch} | set(cfg["stacked_with"])
    servers = dict(servers, **_explicit_servers(switch, cfg["ports"], servers))
    _check_servers(servers, switches)
    _check_references(cfg, switch, switches, servers)
    root_key = ROOT_PRIORITY.get(cfg["stp_root"])  # None: stp_root none, the priority is left alone
    priority = cfg[root_key] if root_key else None
    ports, lacp, warnings = {}, {}, []
    for server in sorted(servers):
        info = servers[server]
        uplinks = info.get("uplinks") or []
        mine = _managed(server, info, [u for u in uplinks if u.get("switch") == switch], switch, warnings)
        if info.get("priority") is not None and priority is not None:
            check_never_root(info["priority"], {switch: (priority, "cisco_ios_" + root_key)},
                             "cisco_ios: %s: redundancy_links" % server)
        if _needs(info.get("mode"), SWITCH_LACP) and mine:
            elsewhere = sorted({u["switch"] for u in uplinks} - stack)
            if elsewhere:
                raise SwitchError("cisco_ios: %s runs bond_lacp with members on %s and %s, which are not one stack; "
                                  "set cisco_ios_stacked_with on both, or choose another mode"
                                  % (server, switch, ", ".join(elsewhere)))
            lacp[server] = mine
        for uplink in mine:
            port = normalize_interface(uplink.get("port"), "%s uplink %s port" % (server, uplink.get("interface")),
                                       True)
            if port in ports:
                raise SwitchError("cisco_ios: %s port %s is claimed by %s (%s) and %s (%s)" % (
                    switch, port, ports[port]["server"], ports[port]["nic"], server, uplink.get("interface")))
            ports[port] = _port(server, uplink.get("interface"), info.get("mode"), cfg)
    groups = _allocate(lacp, ports, cfg, existing_groups or {})
    channels = {}
    for server, number in sorted(groups.items(), key=lambda item: item[1]):
        channels[number] = dict(name="Port-channel%d" % number, description="%s bond (LACP)" % server,
                                **_switchport(cfg))
        for uplink in lacp[server]:
            port = normalize_interface(uplink["port"])
            ports[port].update(channel_group=number, channel_mode=cfg["lacp_mode"], lacp_rate=cfg["lacp_rate"])
    return dict(switch=switch, stp=dict(vlans=cfg["stp_vlans"], root=cfg["stp_root"], priority=priority),
                ports=dict(sorted(ports.items())), port_channels=channels, warnings=warnings)


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


def _needs(mode, switch_side):
    method = METHODS.get(mode)
    return bool(method) and method.switch == switch_side


def _check_servers(servers, switches):
    """Each server's name, method and uplinks, before anything is derived from them."""
    for server in sorted(servers):
        token(server, "server %r" % (server,))
        mode, uplinks = servers[server].get("mode"), servers[server].get("uplinks")
        if not is_method(mode):
            raise SwitchError("cisco_ios: %s: redundancy_mode %r is not a method; use one of %s"
                              % (server, mode, ", ".join(sorted(METHODS))))
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
            normalize_interface(uplink.get("port"), "%s uplink %s port" % (server, uplink.get("interface")), True)


def token(value, what):
    """A name that goes into an IOS description: letters, digits and _ . : @ - only, at most 63."""
    if not isinstance(value, str) or not _TOKEN.fullmatch(value):
        raise SwitchError("cisco_ios: %s may only contain letters, digits and '_', '.', ':', '@', '-' (at most 63, "
                          "not starting with a punctuation mark): it goes into IOS interface descriptions" % what)
    return value


def _check_references(cfg, switch, switches, servers):
    """Names a setting points to must exist: a typo must not silently mean nothing."""
    unknown = sorted(set(cfg["stacked_with"]) - set(switches))
    if unknown:
        raise SwitchError("cisco_ios_stacked_with: %s is not a switch of the inventory (it has: %s)"
                          % (", ".join(unknown), ", ".join(sorted(switches))))
    unknown = sorted(set(cfg["port_channels"]) - set(servers))
    if unknown:
        raise SwitchError("cisco_ios_port_channels: %s is not a server of the inventory or of cisco_ios_ports "
                          "(servers: %s)" % (", ".join(unknown), ", ".join(sorted(servers)) or "none"))


def _switchport(cfg):
    if cfg["trunk_vlans"]:
        return dict(mode="trunk", trunk_vlans=list(cfg["trunk_vlans"]), access_vlan=None)
    return dict(mode="access", access_vlan=cfg["access_vlan"], trunk_vlans=None)


def _port(server, nic, mode, cfg):
    port = dict(server=server, nic=nic, description="%s %s (%s)" % (server, nic, mode), channel_group=None,
                channel_mode=None, lacp_rate=None, stp_cost=None, stp_port_priority=None, **_switchport(cfg))
    if _needs(mode, SWITCH_STP):
        # the path through a server is the last resort: raise its cost, and no portfast/bpduguard
        port.update(stp_cost=cfg["server_port_cost"], stp_port_priority=cfg["server_port_priority"])
    return port


def _allocate(lacp, ports, cfg, existing):
    """Port-channel numbers: pinned, then what the device already has, then a slot
    derived from the server name (probing upwards), so adding a server never
    renumbers the others."""
    maximum = cfg["channel_group_max"]
    groups, taken = {}, set()
    for server in sorted(lacp):
        pinned = cfg["port_channels"].get(server)
        current = {existing.get(normalize_interface(u["port"])) for u in lacp[server]} - {None}
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


def resources(cfg):
    """The derived config as cisco.ios resource-module input, plus the lines no
    resource module covers (global STP priority; channel-protocol and lacp rate)."""
    ports, channels = cfg["ports"], cfg["port_channels"]
    interfaces = [dict(name=name, description=port["description"]) for name, port in ports.items()]
    interfaces += [dict(name=pc["name"], description=pc["description"]) for pc in channels.values()]
    l2 = []
    for name, port in list(ports.items()) + [(pc["name"], pc) for pc in channels.values()]:
        entry = dict(name=name, mode=port["mode"])
        if port["mode"] == "access":
            entry["access"] = dict(vlan=port["access_vlan"])
        else:
            entry["trunk"] = dict(allowed_vlans=[str(v) for v in port["trunk_vlans"]])
        if port.get("stp_cost"):
            entry["spanning_tree"] = dict(cost=port["stp_cost"])
            if port.get("stp_port_priority") is not None:
                entry["spanning_tree"]["port_priority"] = port["stp_port_priority"]
        l2.append(entry)
    lag = [dict(name=pc["name"], members=[dict(member=name, mode=port["channel_mode"])
                                          for name, port in ports.items() if port["channel_group"] == number])
           for number, pc in channels.items()]
    member_lines = [dict(parents=["interface %s" % name],
                         lines=["channel-protocol lacp"] + (["lacp rate %s" % port["lacp_rate"]]
                                                            if port["lacp_rate"] else []))
                    for name, port in ports.items() if port["channel_group"]]
    stp = cfg["stp"]
    global_lines = [] if stp["priority"] is None else [
        "spanning-tree vlan %s priority %d" % (",".join(str(v) for v in stp["vlans"]), stp["priority"])]
    return dict(interfaces=interfaces, l2_interfaces=l2, lag_interfaces=lag, member_lines=member_lines,
                global_lines=global_lines)


def groups_on_device(lag_interfaces):
    """ios_lag_interfaces' gathered state -> {member port: channel-group number}."""
    out = {}
    for lag in lag_interfaces or []:
        number = int(re.sub(r"\D", "", lag["name"]))
        for member in lag.get("members") or []:
            if not member.get("member"):  # the parser leaves an empty entry for the Port-channel itself
                continue
            out[normalize_interface(member["member"])] = number
    return out


def _short(name):
    """IOS's show-output spelling: GigabitEthernet1/0/1 -> Gi1/0/1."""
    match = _IFNAME.match(name)
    return (match.group(1)[:2] + match.group(2)) if match else name


def check_shown(cfg, etherchannel, roots, vlan_ports, partners=True):
    """Compare the derived config with what the switch shows (parsed by the
    ntc-templates for show etherchannel summary / spanning-tree root / vlan N).
    partners=False (right after a push, before the servers are configured):
    a member without link (D) or LACP partner (I, stand-alone) yet is only noted.

    Returns (problems, notes): problems fail the verification.
    """
    _check_rows(etherchannel, "show etherchannel summary",
                ("group", "bundle_status", "member_interface", "member_interface_status"))
    _check_rows(roots, "show spanning-tree root", ("vlan_id", "root_id", "root_cost", "root_port", "priority"))
    for vlan, ports in vlan_ports.items():
        _check_rows(ports, "show spanning-tree vlan %s" % vlan, ("interface", "cost"))
    problems, notes = [], []
    rows = {_int(row["group"], "show etherchannel summary: group"): row for row in etherchannel}
    for number, pc in cfg["port_channels"].items():
        members = [name for name, port in cfg["ports"].items() if port["channel_group"] == number]
        row = rows.get(number)
        if row is None:
            problems.append("%s (%s) is missing from show etherchannel summary" % (pc["name"], pc["description"]))
            continue
        shown = dict(zip(row["member_interface"], row["member_interface_status"]))
        # D: the server's NIC has no link yet; I: it does not speak LACP yet
        waiting = [m for m in members if shown.get(_short(m)) in ("D", "I")] if not partners else []
        if waiting:
            notes.append("%s (%s): %s waiting for the server's LACP"
                         % (pc["name"], pc["description"], ", ".join(waiting)))
        if "U" not in row["bundle_status"] and len(waiting) < len(members):
            problems.append("%s is not in use (flags %s)" % (pc["name"], row["bundle_status"]))
        for member in members:
            flag = shown.get(_short(member))
            if flag != "P" and member not in waiting:
                problems.append("%s: %s is not bundled (%s)" % (pc["name"], member, "flag %s" % flag if flag else
                                                                "not a member"))
        notes.append("%s %s: %s" % (pc["name"], row["bundle_status"], " ".join(
            "%s(%s)" % kv for kv in sorted(shown.items()))))
    root_rows = {_int(re.sub(r"\D", "", row["vlan_id"]), "show spanning-tree root: vlan_id"): row for row in roots}
    for vlan in cfg["stp"]["vlans"]:
        row = root_rows.get(vlan)
        if row is None:
            problems.append("VLAN %d is missing from show spanning-tree root" % vlan)
            continue
        is_root = row["root_cost"] == "0" and not row["root_port"]
        if cfg["stp"]["root"] == "primary" and not is_root:
            problems.append("VLAN %d: this switch should be the STP root, but the root is %s (priority %s) via %s"
                            % (vlan, row["root_id"], row["priority"], row["root_port"]))
        notes.append("VLAN %d: %s" % (vlan, "this switch is root" if is_root else "root %s via %s" % (
            row["root_id"], row["root_port"])))
        shown = {port["interface"]: port for port in vlan_ports.get(vlan, vlan_ports.get(str(vlan), []))}
        for name, port in cfg["ports"].items():
            if not port["stp_cost"] or port["channel_group"]:
                continue
            entry = shown.get(_short(name))
            if entry is None:
                notes.append("VLAN %d: %s (%s) is not in the spanning tree (link down?)" % (vlan, name, port["server"]))
            elif _int(entry["cost"], "show spanning-tree vlan %d: cost" % vlan) != port["stp_cost"]:
                problems.append("VLAN %d: %s has STP cost %s, not %d" % (vlan, name, entry["cost"], port["stp_cost"]))
    return problems, notes


LIST_FIELDS = ("member_interface", "member_interface_status")


def _check_rows(rows, command, fields):
    """Parsed show output must carry the fields the verification reads, as text (lists of text)."""
    for row in rows if isinstance(rows, list) else [rows]:
        missing = [f for f in fields if not isinstance(row, dict) or f not in row]
        if missing:
            raise SwitchError("switch_verify: %s output has a row without %s: %r"
                              % (command, ", ".join(missing), row))
        for name in fields:
            value = row[name]
            if not (isinstance(value, str) or (name in LIST_FIELDS and isinstance(value, list)
                                               and all(isinstance(v, str) for v in value))):
                raise SwitchError("switch_verify: %s output has %s %r, not text" % (command, name, value))


def _int(text, what):
    try:
        return int(text)
    except (TypeError, ValueError):
        raise SwitchError("switch_verify: %s %r is not a number" % (what, text)) from None


# --- what the switches and the servers must agree on --------------------------------------------
ROOT_PRIORITY = {"primary": "stp_priority", "secondary": "stp_secondary_priority"}


def root_priority(variables):
    """(priority, variable) a switch gets as STP root from its cisco_ios_* variables, or None (stp_root none)."""
    root = variables.get("cisco_ios_stp_root") or SWITCH["stp_root"].default
    key = ROOT_PRIORITY.get(root)
    if key is None:
        return None
    value = _number(variables.get("cisco_ios_" + key))
    return (SWITCH[key].default if value in (None, "") else value), "cisco_ios_" + key


def check_never_root(server_priority, roots, where):
    """A bridging server must lose every root election: its priority above every switch's.
    roots: {switch: (priority, variable)}."""
    for switch, (priority, variable) in sorted(roots.items()):
        if _whole(priority) and server_priority <= priority:
            raise SwitchError("%s: priority %d %s switch %s's STP priority %d (%s): the server would become the "
                              "STP root, which the bridge method exists to prevent; use a priority above %d "
                              "(the default is %d)" % (where, server_priority,
                                                       "ties" if server_priority == priority else "beats", switch,
                                                       priority, variable, priority, OPTIONS["priority"].default))
