# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cabling from the wire: which switch port each server NIC is on, as LLDP/CDP tell it,
checked against the inventory's `uplinks` (controller only).

Two views meet here: the server's (lldpd on each NIC, lldp.parse) and the
switches' (`show lldp|cdp neighbors detail`, ios_show.neighbors_detail). The
server's wins; a switch's fills a NIC the server has no neighbour on. Names
are normalised on both sides: a switch by its host name without the domain
and case (`SW1.example.net` is sw1; or a name it is also known by, or a
management address that is its own), a port by the IOS name table
(`Gi1/0/3` is GigabitEthernet1/0/3).
"""

from __future__ import annotations

from ansible_collections.redundant.interfaces.plugins.module_utils import contract, ios_names, ios_show
from ansible_collections.redundant.interfaces.plugins.module_utils.errors import RedundantError
from ansible_collections.redundant.interfaces.plugins.module_utils.lldp import host_key, switch_port


class CablingError(RedundantError):
    """A host whose cables disagree with the inventory, in strict mode."""


def identities(switches):
    """{inventory name: (host keys, management addresses)} from a list of names, or from
    {name: {"names": [other names it advertises], "addresses": [its management addresses]}}."""
    if not isinstance(switches, dict):
        switches = {name: {} for name in switches}
    return {name: ({host_key(n) for n in [name] + list(about.get("names") or [])},
                   {str(a) for a in about.get("addresses") or []}) for name, about in switches.items()}


def switch_of(neighbour, switches):
    """The inventory switch a neighbour is: by its system name (or an alias), else by a management
    address that is the switch's; None when it is none of them."""
    key = host_key(neighbour.get("system_name"))
    for name, (keys, addresses) in sorted(switches.items()):
        mgmt = neighbour.get("mgmt")
        if key and key in keys or isinstance(mgmt, list) and addresses & {str(m) for m in mgmt}:
            return name
    return None


def cable(text):
    """'sw1 GigabitEthernet1/0/3' and the like, for messages."""
    if text is None:
        return "no LLDP or CDP neighbour"
    port = text["port"] if ios_names.full(text["port"]) else repr(text["port"])
    if text.get("switch") is None:
        return "%r (not a switch of the inventory) port %s" % (text["seen"], port)
    return "%s %s" % (text["switch"], port)


def inventory_uplinks(host, raw):
    """A host's `uplinks` variable, checked against the contract: a list of {interface, switch,
    port} (ports in their full IOS name), or None to discover them (absent, or `discover`)."""
    try:
        uplinks = contract.check("uplinks", raw)
    except RedundantError as exc:
        raise RedundantError("cabling: %s: %s" % (host, exc)) from None
    return None if uplinks in (None, contract.DISCOVER) else uplinks


def _checked_neighbours(neighbours):
    if neighbours is None:
        return {}
    if not isinstance(neighbours, dict) or not all(
            isinstance(nic, str) and isinstance(entries, list) and all(isinstance(n, dict) for n in entries)
            for nic, entries in neighbours.items()):
        raise RedundantError("cabling: neighbors must be {nic: [neighbour]} as lldp_neighbors returns them, got %r"
                             % (neighbours,))
    return neighbours


def switch_rows(answers, warn):
    """One switch's neighbour rows from its answers to `show lldp neighbors detail` and `show cdp
    neighbors detail`, in that order; a table that cannot be read (the protocol off, say) is left
    out, and warn(message) says why."""
    rows = []
    for protocol, text in zip(("lldp", "cdp"), answers):
        if text is None:
            continue
        try:
            rows += ios_show.neighbors_detail(text, protocol)
        except ios_show.ShowError as exc:
            warn(str(exc))
    return rows


def server_view(neighbours, switches):
    """{nic: [cable]} from the server's lldpd: every neighbour of each NIC with the switch it is
    (None when the inventory has no such switch) and the port."""
    out, switches = {}, identities(switches)
    neighbours = _checked_neighbours(neighbours)
    for nic, entries in neighbours.items():
        out[nic] = []
        for entry in entries:
            n = {key: value for key, value in entry.items() if isinstance(value, str) or key == "mgmt"}
            out[nic].append(dict(switch=switch_of(n, switches), seen=n.get("system_name") or n.get("chassis_id"),
                                 port=switch_port(n.get("port_id"), n.get("port_id_type"), n.get("port_descr")),
                                 chassis=n.get("chassis_id"), via=n.get("via") or "LLDP"))
    return out


def switch_view(host, shown):
    """{nic: [cable]} of `host` from the switches' neighbour tables ({switch: [row]}): the rows whose
    device is the host, keyed by the NIC name the host advertised (its port description or id)."""
    out = {}
    for switch, rows in sorted((shown or {}).items()):
        for row in rows or []:
            if host_key(row.get("device")) != host_key(host):
                continue
            nic = next((name for name in (row.get("port_descr"), row.get("port_id")) if name), None)
            if nic:
                out.setdefault(nic, []).append(dict(switch=switch, seen=switch, port=ios_names.as_read(row["local"]),
                                                    chassis=None, via=row.get("via", "LLDP")))
    return out


def wire(host, neighbours, shown, switches):
    """{nic: [cable]}: the server's view, a NIC it has nothing on taken from the switches'."""
    seen = server_view(neighbours, switches)
    for nic, cables in switch_view(host, shown).items():
        if not seen.get(nic):
            seen[nic] = cables
    return seen


BETWEEN = "something unmanaged sits between the NIC and the switch (a hub, an unmanaged switch, a hypervisor bridge)"


def _one(nic, cables, problems, unsure):
    """The cable of one NIC, or None: no neighbour, or several far ends (a line to problems)."""
    known = [c for c in cables if c["switch"]]
    distinct = sorted({(c["switch"], c["port"]) for c in known})
    if len(distinct) > 1:
        problems.append("%s: the wire shows several switches (%s): a hub or an unmanaged switch is between"
                        % (nic, ", ".join("%s %s" % c for c in distinct)))
        unsure.add(nic)
        return None
    # a switch and another host heard on one NIC: a cable has one far end (one device heard by LLDP and
    # CDP, by its FQDN in one and its host name in the other, is one)
    devices = sorted({host_key(c["seen"]) for c in cables if host_key(c.get("seen"))})
    if len(devices) > 1:
        problems.append("%s: hears %d neighbours (%s): %s" % (nic, len(devices), ", ".join(devices), BETWEEN))
        unsure.add(nic)
        return None
    return (known or cables or [None])[0]


def crowded(shown):
    """{(switch, port): [neighbours]} of the switch ports on which a switch's own table shows more than
    one neighbour ({switch: [neighbour rows]}): no server is cabled straight to such a port. Each
    protocol counts apart (a host sends one LLDP and one CDP entry, with different port ids); within
    one, an agent is its device (or chassis) and port id, so three ports of one product behind a
    hub are three neighbours."""
    agents = {}
    for switch, rows in (shown or {}).items():
        for row in rows or []:
            agent = (host_key(row.get("device")) or row.get("chassis") or "?", row.get("port_id") or "?")
            agents.setdefault((switch, row["local"], row.get("via") or "LLDP"), set()).add(agent)
    out = {}
    for (switch, port, dummy), found in sorted(agents.items()):
        if len(found) > 1:
            out[(switch, port)] = sorted("%s %s" % agent for agent in found)
    return out


def check(inventory, seen, nics=(), unread=None, crowd=None):
    """Compare a host's inventory uplinks (a list, or None to discover them) with the wire.

    Returns {"uplinks": the wire's cables as inventory uplinks, "problems": one line per NIC,
    "cables": [{interface, inventory, wire}] for the report}. nics: NICs that must have a cable
    even when the inventory does not list them (the ports of the host's links). unread: {nic: why}
    of NICs the server could not read (a dry run leaves a NIC that is down alone): no switch saw
    them either, so nothing is known, which is said, not counted as a problem. crowd: crowded() of the
    switches' tables: a NIC on a port where the switch hears several neighbours is a cabling problem."""
    problems, unsure, cables = [], set(), []
    unread = unread or {}
    by_nic = {u["interface"]: u for u in inventory or []}
    wanted = list(by_nic) + sorted(set(nics) - set(by_nic))
    if inventory is None:
        wanted += sorted(set(seen) - set(wanted))
    found = {nic: _one(nic, seen.get(nic, []), problems, unsure) for nic in wanted}
    for nic, got in sorted(found.items()):
        others = (crowd or {}).get((got["switch"], got["port"])) if got else None
        if others:
            problems.append("%s: %s %s shows %d neighbours (%s): %s"
                            % (nic, got["switch"], got["port"], len(others), ", ".join(others), BETWEEN))
            unsure.add(nic)
            found[nic] = None
    _siblings(found, problems, unsure)
    _ios_ports(found, problems, unsure)
    for nic in wanted:
        got, want = found[nic], by_nic.get(nic)
        said = "%s %s" % (want["switch"], ios_names.as_read(want["port"])) if want else None
        if got is None and nic in unread:
            cables.append(dict(interface=nic, inventory=said, wire="not read: %s" % unread[nic]))
            continue
        cables.append(dict(interface=nic, inventory=said, wire="ambiguous" if nic in unsure else cable(got)))
        if nic in unsure:
            continue
        if want is not None and (got is None or got["switch"] != want["switch"]
                                 or got["port"] != ios_names.as_read(want["port"])):
            problems.append("%s: inventory %s, wire %s" % (nic, said, cable(got)))
        elif want is None and nic in nics and (got is None or got["switch"] is None):
            problems.append("%s: a port of the host's links, wire %s" % (nic, cable(got)))
    _one_switch(inventory, found, problems)
    uplinks = [dict(interface=nic, switch=got["switch"], port=got["port"]) for nic, got in found.items()
               if got and got["switch"]]
    summary = ["%s: %s" % (c["interface"], c["wire"]) + (
        "" if c["inventory"] is None else " (inventory agrees)" if c["inventory"] == c["wire"]
        else " (inventory: %s)" % c["inventory"]) for c in cables]
    return dict(uplinks=uplinks, problems=problems, cables=cables, summary=summary)


def _siblings(found, problems, unsure):
    """Two NICs that report one far end: a cable has one far end, so one of them hears the other's
    neighbour (a bond member seeing its sibling's frames). Neither reading can be trusted."""
    first = {}
    for nic, got in sorted(found.items()):
        if got is None:
            continue
        key = (got["seen"], got["port"])
        if key in first:
            problems.append("%s: reports the same neighbour as %s (%s): a bond member hearing its sibling's "
                            "neighbour; read the NICs before they join a bond, or check the cables"
                            % (nic, first[key], cable(got)))
            unsure.update((nic, first[key]))
        else:
            first[key] = nic
    for nic in unsure:
        found[nic] = None


def _ios_ports(found, problems, unsure):
    """A switch of the inventory is an IOS switch: a port id the name table does not know (text,
    a number, a MAC without a description) cannot become an uplink or an IOS line."""
    for nic, got in sorted(found.items()):
        if got and got["switch"] and not ios_names.full(got["port"]):
            problems.append("%s: wire %s port %r is no IOS interface name" % (nic, got["switch"], got["port"]))
            unsure.add(nic)
            found[nic] = None


def _one_switch(inventory, found, problems):
    """The inventory puts the NICs on two switches, the wire on one: the decision would be wrong."""
    if not inventory:
        return
    said = sorted({u["switch"] for u in inventory})
    got = {u["interface"]: found.get(u["interface"]) for u in inventory}
    switches = {c["switch"] for c in got.values() if c}
    if len(said) > 1 and len(switches) == 1 and switches <= set(said) and all(got.values()):
        problems.append("%s: the wire has them all on %s; the inventory says %d switches (%s)"
                        % (", ".join(sorted(got)), switches.pop(), len(said), ", ".join(said)))


def verdict(host, result, mode):
    """Raise CablingError (strict) naming every line; in warn mode return the lines as warnings."""
    if contract.check("redundancy_cabling_mode", mode) == "off" or not result["problems"]:
        return []
    lines = ["  " + line for line in result["problems"]]
    if mode == "strict":
        raise CablingError("cabling: %s is refused before any change, the wire disagrees with the inventory:\n%s"
                           % (host, "\n".join(lines)))
    return ["cabling: %s: %s" % (host, line) for line in result["problems"]]
