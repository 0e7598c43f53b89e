# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Redundancy status: /proc/net/bonding parsed, bridge STP state read, and a verdict.

A verdict is `redundant`, `degraded` (with the reasons) or `not redundant`.
"""

from __future__ import annotations

import json
import os
import shutil

from ansible_collections.redundant.interfaces.plugins.module_utils.live import SYS, read_link

# /proc/net/bonding's "Bonding Mode:" text -> the kernel's mode name
PROC_MODES = {
    "load balancing (round-robin)": "balance-rr",
    "fault-tolerance (active-backup)": "active-backup",
    "load balancing (xor)": "balance-xor",
    "fault-tolerance (broadcast)": "broadcast",
    "IEEE 802.3ad Dynamic link aggregation": "802.3ad",
    "transmit load balancing": "balance-tlb",
    "adaptive load balancing": "balance-alb",
}
STP_PORT_STATES = {0: "disabled", 1: "listening", 2: "learning", 3: "forwarding", 4: "blocking"}
NO_PARTNER = "00:00:00:00:00:00"


def parse_bonding(text):
    """One /proc/net/bonding/<bond> file -> a dict (see link_facts RETURN)."""
    bond = dict(mode=None, mii_status=None, active_port=None, primary=None, aggregator=None, ports={},
                miimon=None, arp_interval=None, arp_ip_target=[], lacp_rate=None)
    section, port, pdu = bond, None, None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or ":" not in line:
            continue
        key, value = (part.strip() for part in line.split(":", 1))
        if key == "Slave Interface":
            port = dict(mii_status=None, speed=None, duplex=None, link_failures=0, aggregator_id=None,
                        partner_mac=None, permanent_mac=None)
            bond["ports"][value] = port
            section, pdu = port, None
        elif key == "Active Aggregator Info":
            bond["aggregator"] = dict(id=None, ports=None, partner_mac=None)
            section = bond["aggregator"]
        elif line in ("details actor lacp pdu:", "details partner lacp pdu:"):
            pdu = "partner" if "partner" in line else "actor"
        elif section is bond or section is bond.get("aggregator"):
            _bond_line(bond, key, value)
        elif port is not None:
            _port_line(port, key, value, pdu)
    return bond


def _bond_line(bond, key, value):
    aggregator = bond.get("aggregator")
    if key == "Bonding Mode":
        bond["mode"] = PROC_MODES.get(value, value)
    elif key == "MII Status":
        bond["mii_status"] = value
    elif key == "Currently Active Slave":
        bond["active_port"] = None if value == "None" else value
    elif key == "Primary Slave":
        bond["primary"] = None if value == "None" else value.split()[0]
    elif key == "MII Polling Interval (ms)":
        bond["miimon"] = int(value)
    elif key == "ARP Polling Interval (ms)":
        bond["arp_interval"] = int(value)
    elif key == "ARP IP target/s (n.n.n.n form)":
        bond["arp_ip_target"] = [t.strip() for t in value.split(",") if t.strip()]
    elif key == "LACP rate":
        bond["lacp_rate"] = value
    elif aggregator is not None and key == "Aggregator ID":
        aggregator["id"] = int(value)
    elif aggregator is not None and key == "Number of ports":
        aggregator["ports"] = int(value)
    elif aggregator is not None and key == "Partner Mac Address":
        aggregator["partner_mac"] = value


def _port_line(port, key, value, pdu):
    if key == "MII Status":
        port["mii_status"] = value
    elif key == "Speed":
        port["speed"] = int(value.split()[0]) if value.split()[0].isdigit() else None
    elif key == "Duplex":
        port["duplex"] = value
    elif key == "Link Failure Count":
        port["link_failures"] = int(value)
    elif key == "Permanent HW addr":
        port["permanent_mac"] = value
    elif key == "Aggregator ID":
        port["aggregator_id"] = int(value)
    elif key == "system mac address" and pdu == "partner":
        port["partner_mac"] = value


# What sees a port whose far end stops forwarding while the carrier stays up (a hung switch port, a
# pruned VLAN): LACPDUs that stop (3 missed: 3 s fast, 90 s slow), ARP replies that stop, BPDUs that
# stop (802.1D after max age, RSTP after three hellos). The MII monitor sees carrier only.
CABLE_ONLY = "redundant only against cable loss"


def monitor(link):
    """(what watches the link's ports, whether it sees a far end that goes silent with carrier up)."""
    if link["kind"] == "bridge":
        return ("RSTP BPDUs" if link.get("protocol") == "rstp" else "STP BPDUs"), True
    if link.get("mode") == "802.3ad":
        return "LACP %s" % (link.get("lacp_rate") or "slow"), True
    if link.get("arp_interval"):
        return "ARP every %d ms (%s)" % (link["arp_interval"], ", ".join(link.get("arp_ip_target") or [])), True
    return "MII every %s ms, carrier only" % link.get("miimon"), False


def bond_verdict(bond):
    """(verdict, reasons) for a parsed bond."""
    ports = bond["ports"]
    if len(ports) < 2:
        return "not redundant", ["%d port(s) enslaved" % len(ports)]
    down = sorted(name for name, port in ports.items() if port["mii_status"] != "up")
    reasons = ["%s MII down" % name for name in down]
    if bond["mode"] == "802.3ad":
        aggregator = bond["aggregator"] or {}
        if aggregator.get("partner_mac") in (None, NO_PARTNER):
            reasons.append("no LACP partner")
        outside = sorted(name for name, port in ports.items()
                         if name not in down and port["aggregator_id"] != aggregator.get("id"))
        reasons += ["%s not in the active aggregator" % name for name in outside]
    if bond["mii_status"] != "up":
        return "not redundant", ["bond MII down"] + reasons
    return ("degraded", reasons) if reasons else ("redundant", [])


def mstpctl(run):
    """A reader of mstpd's JSON about one bridge through `run` (AnsibleModule.run_command): name ->
    (showbridge, showport) texts, or None when mstpd does not answer (or is not installed)."""
    if not shutil.which("mstpctl"):
        return no_mstpd  # not installed: never run (run_command fails the module on a missing binary)

    def read(name):
        texts = []
        for verb in ("showbridge", "showport"):
            rc, out, dummy = run(["mstpctl", "-f", "json", verb, name])
            if rc:
                return None
            texts.append(out)
        return tuple(texts)
    return read


def no_mstpd(name):
    """The reader where nothing can ask mstpd (no module to run it with)."""
    return None


def mstp_id(text):
    """mstpd's bridge id ("8.000.AA:25:3D:6A:AE:4F": priority/4096, system id extension, MAC)
    in the kernel's sysfs spelling ("8000.aa253d6aae4f"), so both compare."""
    priority, extension, mac = text.split(".", 2)
    return "%04x.%s" % (int(priority, 16) * 4096 + int(extension, 16), mac.replace(":", "").lower())


def parse_mstp(bridge_text, ports_text):
    """`mstpctl -f json showbridge BR` and `showport BR` -> the bridge's RSTP view:
    protocol, ids, root, and each port's role, state, point-to-point and edge status."""
    bridge = json.loads(bridge_text)[0]
    view = dict(protocol=bridge["force-protocol-version"], bridge_id=mstp_id(bridge["bridge-id"]),
                root_id=mstp_id(bridge["designated-root"]), ports={})
    view["is_root"] = view["bridge_id"] == view["root_id"]
    for port in json.loads(ports_text):
        view["ports"][port["port"]] = dict(role=port["role"].lower(), state=port["state"],
                                           point_to_point=port["point-to-point"] == "yes",
                                           edge=port["oper-edge-port"] == "yes")
    return view


def read_bridge(name, sys_root=SYS, mstp=no_mstpd):
    """A bridge's STP view: protocol, ids, root, each port's state and cost (from
    live.read_link); for RSTP (user-space STP, mstpd) mstpd's view: the kernel's
    ids are stale then, and each port has an RSTP role."""
    state = read_link(name, sys_root)
    protocol = state["options"].get("protocol")
    bridge = dict(stp=state["options"].get("stp"), protocol=protocol, ports={}, **state["stp"])
    for port, info in state["port_options"].items():
        bridge["ports"][port] = dict(state=STP_PORT_STATES.get(info["state"], str(info["state"])),
                                     path_cost=info["path_cost"], port_priority=info["port_priority"])
    if protocol == "rstp":
        texts = mstp(name)
        view = parse_mstp(*texts) if texts else dict(ports={}, protocol=None, is_root=None)
        bridge.update((k, v) for k, v in view.items() if k != "ports")
        for port, info in bridge["ports"].items():
            info.update(view["ports"].get(port) or dict(role=None))
        bridge["root_port"] = next((p for p, info in view["ports"].items() if info["role"] == "root"), None)
    return bridge


def bridge_verdict(bridge):
    ports = bridge["ports"]
    if not bridge["stp"]:
        return "not redundant", ["STP is off"]
    if len(ports) < 2:
        return "not redundant", ["%d port(s) in the bridge" % len(ports)]
    reasons = ["%s is %s" % (name, port["state"]) for name, port in sorted(ports.items())
               if port["state"] == "disabled" or port.get("role") == "disabled"]
    if bridge.get("stp") and bridge.get("protocol") is None:
        reasons.append("mstpd does not answer for this bridge (user-space STP)")
    if bridge["is_root"]:
        reasons.append("this server is the STP root")
    return ("degraded", reasons) if reasons else ("redundant", [])


PROC = "/proc/net/bonding"


def collect(names=None, proc=PROC, sys_root=SYS, run=None):
    """Every bond and bridge (or the named ones) with its verdict; `run` (AnsibleModule.run_command)
    asks mstpd about a bridge in RSTP."""
    links = {}
    for name in sorted(os.listdir(proc)) if os.path.isdir(proc) else []:
        with open(os.path.join(proc, name)) as handle:
            bond = parse_bonding(handle.read())
        bond["verdict"], bond["reasons"] = bond_verdict(bond)
        links[name] = watched(dict(kind="bond", **bond))
    mstpd = mstpctl(run) if run else no_mstpd
    for name in sorted(os.listdir(sys_root)) if os.path.isdir(sys_root) else []:
        if os.path.isdir(os.path.join(sys_root, name, "bridge")):
            bridge = read_bridge(name, sys_root, mstpd)
            bridge["verdict"], bridge["reasons"] = bridge_verdict(bridge)
            links[name] = watched(dict(kind="bridge", **bridge))
    return {k: v for k, v in links.items() if not names or k in names}


def watched(link):
    """The link with what watches its ports (`monitor`) and what it is redundant against (`protection`)."""
    link["monitor"], sees = monitor(link)
    link["protection"] = "cable loss and a silent far end" if sees else CABLE_ONLY
    return link
