# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Readers of the IOS show outputs the switch side decides on.

The verification owns these parses: the public ntc-template for `show
etherchannel summary` drops the members after a hyphenated flag
(`Gi5(hot-sby) Gi6(bndl)` loses Gi6), and a member silently dropped would
read as "not a member". So every reader here is strict: a line inside a
table it cannot read fails the read with the line quoted, and a count the
output states (channel-groups in use) must match what was read. Interface
names come out in their full form (ios_names); a type the table does not
know is kept as printed. Tested on captures from real devices
(tests/fixtures/ios, sources in SOURCES.yml).
"""

from __future__ import annotations

import re

from ansible_collections.redundant.interfaces.plugins.module_utils.errors import RedundantError
from ansible_collections.redundant.interfaces.plugins.module_utils.ios_names import as_read

MODES = ("pvst", "rapid-pvst", "mst")
# member flags of show etherchannel summary: Catalyst letters and IOS-XE words -> one state
MEMBER_STATES = {
    "P": "bundled", "bndl": "bundled",
    "H": "hot-standby", "hot-sby": "hot-standby",
    "s": "suspended", "susp": "suspended",
    "I": "stand-alone", "indep": "stand-alone",
    "D": "down", "down": "down",
    "w": "waiting", "u": "unsuitable", "r": "module-removed", "d": "default-port",
}
PROTOCOLS = {"LACP": "lacp", "PAgP": "pagp", "-": "none"}  # "-": no protocol, channel-group mode on
# The wordings each pattern accepts, and the captures (tests/fixtures/ios, SOURCES.yml) that show them.
# one member and its flag: "Te6/4(P)" (etherchannel/c6500_lacp_wrapped), "Gi5(hot-sby)" (iosxe_hot_sby),
# "Te2/0/2(D)", "Fi1/0/5(s)" (cat9k_stack_states)
_MEMBER = re.compile(r"(\S+?)\(([A-Za-z-]+)\)")
# a group row: "1      Po1(SU)         LACP      Te6/4(P) ..." (c6500_lacp_wrapped), tab-separated "10\tPo10(RU)
# \t\tLACP\t Te0/0/2(bndl)" (iosxe_bndl_tabs), no protocol and no member "2\tPo2(RU)\t\t-" (iosxe_no_members),
# PAgP (cat_pagp), "Po1(SD)         -" (cat9k_stack_states)
_GROUP_ROW = re.compile(r"(\d+)\s+Po(\d+)\(([A-Za-z]*)\)\s*(\S+)?\s*(.*)")
# the legend some IOS-XE releases print under the table: "RU - L3 port-channel UP State", "P/bndl -  Bundled"
# (etherchannel/iosxe_legend_after, and with no group at all iosxe_legend_after_no_groups)
_LEGEND = re.compile(r"[A-Za-z]+(?:/[a-z-]+)?\s+-\s+\S")
# a spanning-tree port row: "Gi1/0/4   Desg FWD 20000     128.4    P2p" (stp_tree/rapid_pvst_vlan10), "Po14  Root
# FWD 3 128.2464 P2p Peer(STP)" (rapid_pvst_two_vlans), a state glued to its cost "BKN*6660" (mst_pvst_inconsistent),
# "Tw1/0/23  Root FWD 20000 128.23 P2p" (stp_mst/mst1_two_gig)
_PORT_ROW = re.compile(r"(\S+)\s+([A-Z][a-z]{2,3})\s+([A-Z]{3})(\*?)\s*(\d+)\s+(\d+)\.(\d+)(?:\s+(.*))?")


class ShowError(RedundantError, ValueError):
    """Show output that cannot be read as IOS prints it; the message quotes the line."""


def _lines(text, command):
    if not isinstance(text, str):
        raise ShowError("%s: output is %s, not text" % (command, type(text).__name__))
    return [line.rstrip() for line in text.replace("\r", "").splitlines()]


def _fail(command, line, why="cannot be read"):
    raise ShowError("%s: line %r %s" % (command, line.strip(), why))


# --- show etherchannel summary ----------------------------------------------------------------
def etherchannel(text):
    """{group: {"name", "flags", "protocol" (lacp|pagp|none), "members": {port: state}, "raw": {port: flag}}}."""
    command = "show etherchannel summary"
    lines, groups, current, in_table, declared = _lines(text, command), {}, None, False, None
    for line in lines:
        stripped = line.strip()
        count = re.match(r"Number of channel-groups in use:\s*(\d+)$", stripped)  # every etherchannel capture
        if count:
            declared = int(count.group(1))
        if not in_table:
            in_table = stripped.startswith("------+")
            continue
        if not stripped or _LEGEND.match(stripped):
            break  # the table ends: a blank line, or IOS-XE's legend appendix ("RU - L3 port-channel UP State")
        row = _GROUP_ROW.fullmatch(stripped)
        if row and line[:1].strip():
            number = int(row.group(1))
            if int(row.group(2)) != number:
                _fail(command, line, "pairs group %s with Po%s" % (number, row.group(2)))
            protocol = row.group(4) or "-"
            if protocol not in PROTOCOLS:
                _fail(command, line, "has protocol %r (known: LACP, PAgP, -)" % protocol)
            current = groups[number] = dict(name="Port-channel%d" % number, flags=row.group(3),
                                            protocol=PROTOCOLS[protocol], members={}, raw={})
            _members(command, line, row.group(5), current)
        elif current is not None and not line[:1].strip():
            _members(command, line, stripped, current)  # a wrapped member line
        else:
            _fail(command, line)
    if not in_table:
        raise ShowError("%s: no table (the Group / Port-channel / Protocol / Ports header is missing)" % command)
    if declared is not None and declared != len(groups):
        raise ShowError("%s: the output says %d channel-groups are in use, %d were read"
                        % (command, declared, len(groups)))
    return groups


def _members(command, line, text, group):
    rest = _MEMBER.sub("", text).strip()
    if rest:
        _fail(command, line, "has %r, which is no member(flag)" % rest)
    for name, flag in _MEMBER.findall(text):
        port = as_read(name)
        group["raw"][port] = flag
        group["members"][port] = MEMBER_STATES.get(flag, "unknown")


# --- show spanning-tree summary -------------------------------------------------------------------
# "Switch is in rapid-pvst mode", "Switch is in mst mode (IEEE Standard)"
# (stp_summary/pvst, rapid_pvst, mst_two_instances; "(IEEE Standard)" in mst_long_without_configured)
_MODE = re.compile(r"Switch is in (\S+) mode(?: \(IEEE Standard\))?")
# the path-cost method, every wording devices print (genieparser's captures in tests/fixtures/ios/stp_summary):
#   "Configured Pathcost method used is short"                               (IOS 12.2/15, IOS-XE 16)
#   "Configured Pathcost method used is short (Operational value is long)"   (MST: the method in use is long)
#   "Pathcost method used is long"                                           (IOS-XE 17, MST)
#   "Pathcost method used                    is short"                       (IOS-XE, the value padded to a column)
_PATHCOST = re.compile(r"(?:Configured )?Pathcost method used\s+is\s+(short|long)"
                       r"(?:\s+\(Operational value is (short|long)\))?")


def stp_summary(text):
    """{"mode": pvst|rapid-pvst|mst, "pathcost": short|long (the operational method), "portfast_edge": whether
    the defaults are named "Portfast Edge ..." (the releases whose command is `spanning-tree portfast edge`:
    the labels follow the global `spanning-tree portfast edge bpduguard default`)}. A mode or
    path-cost line the reader does not know fails the read naming it: a method guessed from the
    mode would plan a server port cost far below a gigabit port's on a switch using long costs."""
    command = "show spanning-tree summary"
    out = dict(portfast_edge=False)
    for line in _lines(text, command):
        stripped = line.strip()
        if re.match(r"portfast edge ", stripped, re.I):
            out["portfast_edge"] = True
        if stripped.startswith("Switch is in"):
            mode = _MODE.fullmatch(stripped)
            if not mode or mode.group(1) not in MODES:
                _fail(command, line, "names a mode this collection does not know (%s)" % ", ".join(MODES))
            out["mode"] = mode.group(1)
        elif re.search(r"path ?cost method", stripped, re.I):
            method = _PATHCOST.fullmatch(stripped)
            if not method:
                _fail(command, line, "is a path-cost method line in a wording this collection does not know "
                                     "(Pathcost method used is short|long)")
            out["pathcost"] = method.group(2) or method.group(1)
    if "mode" not in out:
        raise ShowError("%s: no 'Switch is in ... mode' line" % command)
    if "pathcost" not in out:
        if out["mode"] != "mst":
            raise ShowError("%s: no 'Pathcost method used is short|long' line: the path-cost method of a %s "
                            "switch cannot be known, and a server port cost planned for the wrong one would "
                            "draw traffic through the server" % (command, out["mode"]))
        out["pathcost"] = "long"  # MST always uses long path costs, whatever the configured method
    return out


# --- show spanning-tree mst configuration -------------------------------------------------------------
def mst_configuration(text):
    """{instance: [vlan, ...]} from the Instance / Vlans mapped table."""
    command = "show spanning-tree mst configuration"
    instances, in_table = {}, False
    for line in _lines(text, command):
        stripped = line.strip()
        # "Instance  Vlans mapped" then "0         1-9,11-4094" rows (stp_mst_configuration/two_instances)
        if re.match(r"Instance\s+Vlans mapped", stripped):
            in_table = True
        elif stripped.startswith("---"):
            in_table = in_table and not instances  # the rule under the header opens, the one after the rows ends
        elif in_table and stripped:
            row = re.fullmatch(r"(\d+)\s+([\d,\-]+)", stripped)
            if not row:
                _fail(command, line)
            instances[int(row.group(1))] = vlan_list(row.group(2))
    if not instances:
        raise ShowError("%s: no Instance / Vlans mapped table" % command)
    return instances


def vlan_list(text):
    """'1-3,10' -> [1, 2, 3, 10]."""
    out = []
    for part in text.split(","):
        low, dummy, high = part.partition("-")
        out += range(int(low), int(high or low) + 1)
    return out


# --- show spanning-tree vlan N / show spanning-tree / show spanning-tree mst N ----------------------------
def stp_trees(text, command="show spanning-tree"):
    """Each tree (VLAN or MST instance) in the output, in order:
    {"name": "VLAN0010"|"MST1", "vlan"|"mst": number, "vlans": [...] (MST format only), "is_root": bool,
     "root_priority", "root_address", "root_port" (full name or None), "bridge_priority",
     "bridge_configured" (the priority as configured, without the VLAN or instance the extended id adds),
     "ports": {port: {"role", "state", "cost", "priority", "inconsistent", "edge"}}}."""
    trees, tree, in_table = [], None, False
    for line in _lines(text, command):
        stripped = line.strip()
        # "VLAN0010" (stp_tree/rapid_pvst_vlan10), "MST1" (mst_pvst_inconsistent), "##### MST1    vlans mapped:
        # 2-25" (stp_mst/mst1_two_gig)
        header = re.fullmatch(r"(VLAN)(\d{4})|(MST)(\d+)|#+ MST(\d+)\s+vlans mapped:\s+([\d,\-]+)", stripped)
        if header:
            tree = _new_tree(header)
            trees.append(tree)
            in_table = False
            continue
        if tree is None or not stripped:
            in_table = in_table and bool(stripped)
            continue
        if stripped.startswith("----"):
            in_table = True
            continue
        if in_table:
            _port_row(command, line, tree)
        else:
            _tree_line(stripped, tree)
    if not trees:
        raise ShowError("%s: no VLAN or MST instance in the output" % command)
    for tree in trees:
        tree.pop("section", None)
        if tree["is_root"] is None:
            raise ShowError("%s: %s says neither who the root is nor that this bridge is" % (command, tree["name"]))
    return trees


def _new_tree(header):
    if header.group(1):
        return dict(name="VLAN" + header.group(2), vlan=int(header.group(2)), mst=None, vlans=None, is_root=None,
                    root_priority=None, root_address=None, root_port=None, bridge_priority=None, bridge_configured=None, ports={})
    number = int(header.group(4) if header.group(3) else header.group(5))
    vlans = vlan_list(header.group(6)) if header.group(6) else None
    return dict(name="MST%d" % number, vlan=None, mst=number, vlans=vlans, is_root=None, root_priority=None,
                root_address=None, root_port=None, bridge_priority=None, bridge_configured=None, ports={})


def _tree_line(stripped, tree):
    """The root and bridge lines of both formats: "Root ID Priority 32778", "Address ...", "Port 1 (Gi1/0/1)",
    "This bridge is the root" (stp_tree/*); "Root address 40b5.c11e.e000 priority 4097 (4096 sysid 1)", "port
    Tw1/0/23", "Root this switch for ..." (stp_mst/mst1_two_gig)."""
    root_id = re.match(r"Root ID\s+Priority\s+(\d+)", stripped)
    # "Bridge ID  Priority 32778 (priority 32768 sys-id-ext 10)", "Bridge address cc7f.763d.9a00 priority
    # 32769 (32768 sysid 1)": the number in brackets is the configured priority (without it, no extended id)
    bridge = re.match(r"(?:Bridge ID\s+Priority|Bridge\s+address \S+\s+priority)\s+(\d+)"
                      r"(?:\s+\((?:priority )?(\d+) (?:sys-id-ext|sysid) \d+\))?", stripped)
    mst_root = re.match(r"Root\s+address (\S+)\s+priority\s+(\d+)", stripped)
    if root_id:
        tree["root_priority"], tree["section"] = int(root_id.group(1)), "root"
    elif bridge:
        tree["bridge_priority"], tree["section"] = int(bridge.group(1)), "bridge"
        tree["bridge_configured"] = int(bridge.group(2) or bridge.group(1))
    elif mst_root:
        tree.update(root_address=mst_root.group(1), root_priority=int(mst_root.group(2)), is_root=False,
                    section="root")
    elif re.match(r"This bridge is the root|Root\s+this switch for", stripped):
        tree["is_root"] = True
    elif tree.get("section") == "root":
        address = re.match(r"Address\s+(\S+)", stripped)
        port = re.match(r"(?:Port\s+\d+\s*\((\S+)\)|port\s+(\S+))", stripped)
        if address:
            tree["root_address"] = address.group(1)
        elif port:
            tree["root_port"], tree["is_root"] = as_read(port.group(1) or port.group(2)), False


def _port_row(command, line, tree):
    row = _PORT_ROW.fullmatch(line.strip())
    if not row:
        _fail(command, line, "is no Interface Role Sts Cost Prio.Nbr row")
    # the Type column: "P2p", "P2p Edge", "Shr", "P2p Bound(PVST)", "P2p Edge *ROOT_Inc" ...
    tree["ports"][as_read(row.group(1))] = dict(role=row.group(2), state=row.group(3), cost=int(row.group(5)),
                                                priority=int(row.group(6)), inconsistent=bool(row.group(4)),
                                                edge="Edge" in (row.group(8) or "").split())


# --- neighbours in detail (cabling from the wire) ------------------------------------------------------------
NEIGHBOR_COMMANDS = {"lldp": "show lldp neighbors detail", "cdp": "show cdp neighbors detail"}
# CDP: "Interface: GigabitEthernet1/0/16,  Port ID (outgoing port): GigabitEthernet0/1" (the port id may hold spaces)
_CDP_PORTS = re.compile(r"Interface:\s*(\S.*?),\s+Port ID \(outgoing port\):\s*(\S.*)")
# "IP address: 10.1.102.22", "IPv6 address: 2001:102::22  (global unicast)" (cdp_neighbors_detail/*),
# LLDP's "IP: 192.168.1.81" (lldp_neighbors_detail/juniper_hp_aruba)
_ADDRESS = re.compile(r"(?:IP|IPv6|IPV6) ?(?:address)?:\s*(\S+)")
# CDP: "Platform: cisco WS-C2960-8TC-L,  Capabilities: Switch IGMP" (cdp_neighbors_detail/c2960_server_eth0)
_CDP_CAPABILITIES = re.compile(r"(?:^|,)\s*Capabilities:\s*(.*)$")
# LLDP's "Enabled Capabilities: B,R" (lldp_neighbors_detail/*): IOS's legend of the codes
LLDP_CAPABILITIES = {"R": "router", "B": "bridge", "T": "telephone", "C": "docsis", "W": "wlan", "P": "repeater",
                     "S": "station", "O": "other"}
# "Total cdp entries displayed : 5" (c9500_entry_without_version), "Total entries displayed: 3" (juniper_hp_aruba)
_TOTAL = re.compile(r"Total (?:cdp )?entries displayed\s*:\s*(\d+)")


def neighbors_detail(text, protocol):
    """[{"local" (full name), "device", "port_id", "port_descr", "chassis", "mgmt", "via", "capabilities"
    (enabled ones, lower case: CDP's words, LLDP's codes spelled out)}] of
    `show lldp|cdp neighbors detail`, read strictly: an entry is read whatever optional blocks it has
    (a CDP entry without "Version :", an LLDP one without a system name), and one whose neighbour or
    port cannot be read fails the read, quoting it; the total the switch states must match what was
    read. For CDP the neighbour's port is its "Port ID (outgoing port)", which a server fills with
    its NIC; an LLDP entry without "Local Intf" (older IOS) cannot be placed on a port and is left out."""
    command = NEIGHBOR_COMMANDS[protocol]
    lines = _lines(text, command)
    for line in lines:
        if re.search(r"(LLDP|CDP) is not enabled|% Invalid input", line):
            raise ShowError("%s: the switch answered %r (enable it: `%s run`)" % (command, line.strip(), protocol))
    entries, total = _entries(lines, protocol), None
    for line in lines:
        found = _TOTAL.search(line)
        if found:
            total = int(found.group(1))
    if total is not None and total != len(entries):
        raise ShowError("%s: the switch says %d entries, %d were read" % (command, total, len(entries)))
    said = [line.strip() for line in lines if line.strip()]
    if not entries and total is None and said:
        # text, but neither an entry nor the total IOS ends the table with: not this table at all
        raise ShowError("%s: no neighbour entry and no 'Total entries displayed' line in the answer (it begins "
                        "%r)" % (command, said[0]))
    read = _cdp_entry if protocol == "cdp" else _lldp_entry
    return [row for row in (read(command, entry) for entry in entries) if row]


def _entries(lines, protocol):
    """The entries as lists of lines (stripped): CDP's begin at "Device ID:", LLDP's at the line of
    dashes (or "Local Intf:" / "Chassis id:" when a capture lost it). Text before the first entry (the
    command, a prompt, the summary table) and the total line are no entry."""
    entries, current = [], None
    starts = ("Device ID:",) if protocol == "cdp" else ("Local Intf:",)
    for line in lines:
        stripped = line.strip()
        if _TOTAL.search(stripped):
            current = None
        elif protocol == "lldp" and re.fullmatch(r"-{20,}", stripped):
            current = []
            entries.append(current)
        elif stripped.startswith(starts) and (current is None or any(l.startswith(starts) for l in current)):
            current = [stripped]
            entries.append(current)
        elif current is not None:
            current.append(stripped)
    return [entry for entry in entries if any(entry)]


def _field(entry, name):
    """The text after "Name:" on the entry's line that starts with it, or None."""
    for line in entry:
        if line.startswith(name + ":"):
            return line[len(name) + 1:].strip() or None
    return None


def _quoted(entry):
    return next((line for line in entry if line), "")


def _cdp_entry(command, entry):
    device = _field(entry, "Device ID")
    ports = next((_CDP_PORTS.fullmatch(line) for line in entry if _CDP_PORTS.fullmatch(line)), None)
    if not device or not ports:
        raise ShowError("%s: entry %r cannot be read (it needs Device ID and Interface / Port ID)"
                        % (command, _quoted(entry)))
    words = next((found.group(1) for found in map(_CDP_CAPABILITIES.search, entry) if found), "")
    return dict(local=as_read(ports.group(1)), device=device, port_id=ports.group(2), port_descr=ports.group(2),
                chassis=None, mgmt=_addresses(entry, "Management address(es):") or _addresses(
                    entry, "Entry address(es):"), via="CDP", capabilities=sorted(w.lower() for w in words.split()))


def _lldp_entry(command, entry):
    local, chassis, port = _field(entry, "Local Intf"), _field(entry, "Chassis id"), _field(entry, "Port id")
    if not chassis or not port:
        raise ShowError("%s: entry %r cannot be read (it needs Chassis id and Port id)" % (command, _quoted(entry)))
    if not local:
        return None
    codes = (_field(entry, "Enabled Capabilities") or "").replace(",", " ").split()
    return dict(local=as_read(local), device=_field(entry, "System Name"), port_id=port,
                port_descr=_field(entry, "Port Description"), chassis=chassis,
                mgmt=_addresses(entry, "Management Addresses:"), via="LLDP",
                capabilities=sorted(LLDP_CAPABILITIES.get(code, code.lower()) for code in codes))


def _addresses(entry, header):
    """The first address listed under a header ("Management Addresses:"), or None."""
    if header not in entry:
        return None
    for line in entry[entry.index(header) + 1:]:
        found = _ADDRESS.fullmatch(line)
        if found:
            return found.group(1)
        if not re.match(r"(OID:|[0-9.]+$)", line):
            return None
    return None


# --- the configuration archive (IOS's revert timer needs one) -------------------------------------------------
# "The next archive file will be named flash:/switcharchive-<timestamp>-2" (show archive, an archive with a path)
_NEXT_ARCHIVE = re.compile(r"The next archive file will be named (\S+)")


def archive_path(text):
    """Where `show archive` says the next archive goes, or None when the switch has no archive path
    (a switch without one cannot run a revert timer)."""
    _lines(text, "show archive")
    found = _NEXT_ARCHIVE.search(text)
    return found.group(1) if found else None
