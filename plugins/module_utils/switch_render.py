# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A switch's derived configuration (switchside.derive) as the cisco.ios resource modules take it,
and the lines no resource module covers."""

from __future__ import annotations

from ansible_collections.redundant.interfaces.plugins.module_utils.switchside import (
    port_vlans,
    trees_of,
    with_channels,
)


def resources(cfg, on_device=None):
    """The derived config as cisco.ios resource-module input, plus the lines no resource module covers:
    global STP priority (per VLAN, or per MST instance), and per port channel-protocol, lacp rate and,
    in MST mode, the instance's port cost (ios_l2_interfaces renders no MST cost).

    on_device: {member port: (number, mode)} the switch has (members_on_device). A Port-channel that
    has every member it should, in its mode, is left out of lag_interfaces: where a device lists
    the Port-channel interfaces after their members, ios_lag_interfaces reads each such channel
    twice, once without members, and would send it again on every run."""
    ports, channels, stp = cfg["ports"], cfg["port_channels"], cfg["stp"]
    mst = stp["mode"] == "mst"
    interfaces = [dict(name=name, description=port["description"]) for name, port in ports.items()]
    interfaces += [dict(name=pc["name"], description=pc["description"]) for pc in channels.values()]
    l2 = []
    for name, port in with_channels(ports, channels).items():
        entry = dict(name=name, mode=port["mode"])
        if port["mode"] == "access":
            entry["access"] = dict(vlan=port["access_vlan"])
        else:
            entry["trunk"] = dict(allowed_vlans=[str(v) for v in port["trunk_vlans"]])
        if port.get("stp_cost") and not mst:
            entry["spanning_tree"] = dict(cost=port["stp_cost"])
            if port.get("stp_port_priority") is not None:
                entry["spanning_tree"]["port_priority"] = port["stp_port_priority"]
        l2.append(entry)
    lag = []
    for number, pc in channels.items():
        members = {name: port["channel_mode"] for name, port in ports.items() if port["channel_group"] == number}
        if any((on_device or {}).get(name) != (number, mode) for name, mode in members.items()):
            lag.append(dict(name=pc["name"], members=[dict(member=name, mode=mode) for name, mode in members.items()]))
    port_lines = [dict(parents=["interface %s" % name], lines=lines) for name, lines in (
        (name, _port_lines(port, stp)) for name, port in with_channels(ports, channels).items()) if lines]
    return dict(interfaces=interfaces, l2_interfaces=l2, lag_interfaces=lag, port_lines=port_lines,
                global_lines=_global_lines(stp))


def _port_lines(port, stp):
    if port["portfast"]:
        # ios_l2_interfaces reads a plain `spanning-tree portfast` back as nothing (cisco.ios 11): pushed
        # again at every run. The wording is the switch's: `portfast edge` where its summary names
        # "Portfast Edge" defaults (IOS 15.2(2)E and later, IOS-XE), else `portfast`.
        return ["spanning-tree portfast%s%s" % (" edge" if stp["portfast_edge"] else "",
                                                " trunk" if port["mode"] == "trunk" else "")]
    if port.get("channel_group"):
        return ["channel-protocol lacp"] + (["lacp rate %s" % port["lacp_rate"]] if port["lacp_rate"] else [])
    if port.get("stp_cost") and stp["mode"] == "mst":
        lines = []
        for tree in sorted(trees_of(stp, port_vlans(port))):
            lines.append("spanning-tree mst %d cost %d" % (tree, port["stp_cost"]))
            if port["stp_port_priority"] is not None:
                lines.append("spanning-tree mst %d port-priority %d" % (tree, port["stp_port_priority"]))
        return lines
    return []


def _global_lines(stp):
    if stp["priority"] is None:
        return []
    if stp["mode"] == "mst":  # one line per instance: IOS shows them so, and ios_config compares lines
        return ["spanning-tree mst %d priority %d" % (tree, stp["priority"])
                for tree in sorted(trees_of(stp, stp["vlans"]))]
    return ["spanning-tree vlan %s priority %d" % (",".join(str(v) for v in stp["vlans"]), stp["priority"])]
