# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a switch shows, against what it must carry: before a push, that no server port leads to
another switch and that the revert timer has an archive to restore; after it, that the
Port-channels, spanning trees and edge ports are as derived (each reader in ios_show)."""

from __future__ import annotations

from ansible_collections.redundant.interfaces.plugins.module_utils import cabling, ios_names, ios_show
from ansible_collections.redundant.interfaces.plugins.module_utils.errors import SwitchError
from ansible_collections.redundant.interfaces.plugins.module_utils.switchside import (
    port_vlans,
    trees_of,
    with_channels,
)


# --- the switch's own uplinks: never a server port -------------------------------------------------------
# what a neighbour advertises when it forwards frames or packets itself (CDP's words, LLDP's codes spelled out)
FORWARDING = ("bridge", "router", "source-route-bridge", "switch", "trans-bridge")


def check_uplinks(cfg, rows, switches):
    """Refuse a server port the switch sees another switch on: a neighbour that is a switch of the
    inventory (switches: cabling.identities' input), or one that forwards (FORWARDING) and is not
    the server the port is for. rows: the switch's neighbour rows (cabling.switch_rows)."""
    known = cabling.identities(switches)
    for row in rows:
        port = cfg["ports"].get(row["local"])
        if port is None:
            continue
        inventory = cabling.switch_of(dict(system_name=row.get("device"), mgmt=[row["mgmt"]] if row.get("mgmt")
                                           else []), known)
        forwarding = sorted(set(row.get("capabilities") or ()) & set(FORWARDING))
        if inventory or forwarding and cabling.host_key(row.get("device")) != cabling.host_key(port["server"]):
            raise SwitchError(
                "cisco_ios: %s %s leads to %s (%s, %s), not to %s's %s: a link to another switch is never "
                "configured as a server port (it may carry this switch's own management path); correct %s's "
                "uplinks" % (cfg["switch"], row["local"], row.get("device") or row.get("chassis"),
                             "a switch of the inventory" if inventory else "advertising " + ", ".join(forwarding),
                             row.get("via", "LLDP"), port["server"], port["nic"], port["server"]))


def check_archive(cfg, shown):
    """A push under IOS's revert timer needs the switch's configuration archive: refused before any
    change when `show archive` (in shown, command -> text) names no next archive file."""
    if not cfg["revert_timer"] or "show archive" not in shown:
        return
    try:
        path = ios_show.archive_path(shown["show archive"])
    except ios_show.ShowError as exc:
        raise SwitchError("switch_config: %s" % exc) from None
    if path is None:
        raise SwitchError("cisco_ios_revert_timer: %d min, but %s has no configuration archive, which IOS's revert "
                          "timer restores from (show archive names no next archive file): configure one first "
                          "(archive, path flash:rollback), or set cisco_ios_revert_timer: 0 to push without the "
                          "timer" % (cfg["revert_timer"], cfg["switch"]))


# member states IOS shows for a member waiting for the server: no link yet (D), no LACP partner yet (I)
WAITING = ("down", "stand-alone")


def check_shown(cfg, shown, partners=True):
    """Compare the derived config with what the switch shows: `shown` maps each command (show
    etherchannel summary and cfg["stp"]["commands"]) to its text, read by ios_show.
    partners=False (right after a push, before the servers are configured): a member without link
    or LACP partner yet is only noted. Returns (problems, notes): problems fail the verification."""
    problems, notes = [], []
    try:
        if cfg["port_channels"]:
            _check_channels(cfg, ios_show.etherchannel(_text(shown, "show etherchannel summary")), partners,
                            problems, notes)
        stp = cfg["stp"]
        for tree, command in zip(stp["trees"], stp["commands"]):
            _check_tree(cfg, tree, ios_show.stp_trees(_text(shown, command), command), command, problems, notes)
    except ios_show.ShowError as exc:
        raise SwitchError("switch_verify: %s" % exc) from None
    return problems, notes


def spanning(cfg, shown):
    """What the report draws of the derived trees: `blocking`, the ports any of them shows as
    blocking (IOS BLK, or BKN: broken), full names, sorted (the switch's end of a cable that carries
    no traffic); `root_of`, the trees this switch is the root of ("VLAN 1", "MST0")."""
    ports, roots = set(), []
    try:
        for command in cfg["stp"]["commands"]:
            for tree in ios_show.stp_trees(_text(shown, command), command):
                ports.update(name for name, port in tree["ports"].items() if port["state"] in ("BLK", "BKN"))
                label = "MST%d" % tree["mst"] if tree["mst"] is not None else "VLAN %d" % tree["vlan"]
                if tree["is_root"] and label not in roots:
                    roots.append(label)
    except ios_show.ShowError as exc:
        raise SwitchError("switch_verify: %s" % exc) from None
    return dict(blocking=sorted(ports), root_of=roots)


def _text(shown, command):
    if not isinstance(shown, dict) or command not in shown:
        raise SwitchError("switch_verify: the output of %r is missing from shown" % command)
    return shown[command]


def _check_channels(cfg, groups, partners, problems, notes):
    for number, pc in cfg["port_channels"].items():
        members = [name for name, port in cfg["ports"].items() if port["channel_group"] == number]
        group = groups.get(number)
        if group is None:
            problems.append("%s (%s) is missing from show etherchannel summary" % (pc["name"], pc["description"]))
            continue
        states = group["members"]
        waiting = [m for m in members if states.get(m) in WAITING] if not partners else []
        if waiting:
            notes.append("%s (%s): %s waiting for the server's LACP" % (pc["name"], pc["description"],
                                                                        ", ".join(waiting)))
        if group["protocol"] != "lacp":
            problems.append("%s is bundled by %s, not LACP (the server runs 802.3ad)"
                            % (pc["name"], "PAgP" if group["protocol"] == "pagp" else "no protocol (mode on)"))
        if "U" not in group["flags"] and len(waiting) < len(members):
            problems.append("%s is not in use (flags %s)" % (pc["name"], group["flags"]))
        for member in members:
            if states.get(member) != "bundled" and member not in waiting:
                problems.append("%s: %s is not bundled (%s)" % (pc["name"], member, "%s, flag %s" % (
                    states[member], group["raw"][member]) if member in states else "not a member"))
        strangers = sorted(set(states) - set(members))
        if strangers:
            notes.append("%s also holds %s (not derived from the inventory)" % (pc["name"], ", ".join(strangers)))
        notes.append("%s %s %s: %s" % (pc["name"], group["flags"], group["protocol"].upper(), " ".join(
            "%s(%s)" % (ios_names.short(m), group["raw"][m]) for m in states)))


def _check_tree(cfg, number, trees, command, problems, notes):
    stp = cfg["stp"]
    mst = stp["mode"] == "mst"
    tree = next((t for t in trees if (t["mst"] if mst else t["vlan"]) == number), None)
    label = "MST%d" % number if mst else "VLAN %d" % number
    if tree is None:
        problems.append("%s is missing from %s" % (label, command))
        return
    if number in trees_of(stp, stp["vlans"]) and stp["priority"] is not None:
        # root by accident (the lowest MAC at the default 32768) is not the guarantee the method rests on
        if tree["bridge_configured"] != stp["priority"]:
            problems.append("%s: the bridge priority is %s, not the %d pushed (cisco_ios_stp_%spriority)%s" % (
                label, tree["bridge_configured"], stp["priority"], "" if stp["root"] == "primary" else "secondary_",
                ": root by accident, not by the plan" if tree["is_root"] else ""))
        if stp["root"] == "primary" and not tree["is_root"]:
            problems.append("%s: this switch should be the STP root, but the root is %s (priority %s) via %s"
                            % (label, tree["root_address"], tree["root_priority"], tree["root_port"]))
    notes.append("%s: %s" % (label, "this switch is root" if tree["is_root"] else "root %s via %s" % (
        tree["root_address"], tree["root_port"])))
    for name, port in cfg["ports"].items():
        if not port["stp_cost"] or port["channel_group"] or number not in trees_of(stp, port_vlans(port)):
            continue
        entry = tree["ports"].get(name)
        if entry is None:
            notes.append("%s: %s (%s) is not in the spanning tree (link down?)" % (label, name, port["server"]))
        elif entry["cost"] != port["stp_cost"]:
            problems.append("%s: %s has STP cost %d, not %d" % (label, name, entry["cost"], port["stp_cost"]))
    _check_edges(cfg, number, tree, label, problems, notes)


def _check_edges(cfg, number, tree, label, problems, notes):
    """Each port that got portfast (a bond's port, an LACP Port-channel) is an edge port in the tree."""
    for name, port in with_channels(cfg["ports"], cfg["port_channels"]).items():
        if not port["portfast"] or number not in trees_of(cfg["stp"], port_vlans(port)):
            continue
        entry, whose = tree["ports"].get(name), port.get("server") or port["description"]
        if entry is None:
            notes.append("%s: %s (%s) is not in the spanning tree (link down?)" % (label, name, whose))
        elif not entry["edge"]:
            problems.append("%s: %s (%s) is not an edge port (no Edge in its row), though it has portfast "
                            "(cisco_ios_portfast): it heard BPDUs, so a bridge is behind it, or the switch ignores "
                            "the line; it listens and learns for twice the forward delay whenever its link returns"
                            % (label, name, whose))
