# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Probes before confirm: what must work on the host before a commit-confirmed change is
confirmed, beyond the kernel holding the links as configured (engine.settle).

The management path may survive a change that breaks the data network the link serves (the
controller comes in over another NIC): a wrong VLAN, a wrong address, a switch without the
port-channel. Each probe asks the network itself, on the host:

  gateway, targets  the kernel resolves the address on the device that holds its network
                    (ARP, or IPv6 neighbour discovery) - the neighbour entry is flushed first
                    and must come back answered
  lacp              /proc/net/bonding: a partner, every port in the active aggregator
  root              the bridge's STP root is not this server and has an inventory root's priority
  lldp              each port's LLDP neighbour is the switch and port its uplink names

`expect` carries what only the controller knows: {"roots": [priorities of the inventory's root
switches], "uplinks": {nic: {"names": [the switch's names], "port": full IOS name}}}.
"""

from __future__ import annotations

import ipaddress
import json
import time
from dataclasses import dataclass

from ansible_collections.redundant.interfaces.plugins.module_utils import lldp, status

ANSWERED = ("REACHABLE", "STALE", "DELAY", "PROBE", "PERMANENT")  # an answer came (the entry was flushed first)
PRIORITY_MASK = 0xF000  # 802.1t: the low 12 bits of a bridge priority are the system id extension (PVST+'s VLAN)


@dataclass
class Check:
    """One probe of one link: test() -> (passed, what it saw)."""

    probe: str
    link: str
    what: str
    test: object
    passed: bool = False
    saw: str = "not run"

    def as_dict(self):
        return dict(probe=self.probe, link=self.link, what=self.what, passed=self.passed, saw=self.saw)

    def __str__(self):
        return "%s: probe %s (%s) failed: %s" % (self.link, self.probe, self.what, self.saw)


def checks(link, host, expect):
    """Every probe of a present link, in a fixed order."""
    expect = expect or {}
    found = []
    if link.probes.gateway:
        for device, dummy, family in _families(link):
            if family.gateway:
                found.append(Check("gateway", link.name, "%s on %s" % (family.gateway, device),
                                   answers(host, family.gateway, device)))
    for target in link.probes.targets:
        device = _device_for(link, target)
        found.append(Check("targets", link.name, "%s on %s" % (target, device), answers(host, target, device)))
    if link.probes.lacp:
        found.append(Check("lacp", link.name, "partner, every port aggregated", partnered(host, link.name)))
    roots = sorted(expect.get("roots") or [])
    if link.kind == "bridge" and (link.probes.root or link.probes.root is None and roots):
        what = "root priority %s" % " or ".join(map(str, roots)) if roots else "not this server"
        found.append(Check("root", link.name, what, rooted(host, link.name, roots)))
    if link.probes.lldp:
        uplinks = expect.get("uplinks") or {}
        for port in link.ports:
            want = uplinks.get(port) or {}
            found.append(Check("lldp", link.name, "%s on %s" % (port, _cable(want)), cabled(host, port, want)))
    return found


def run(links, host, expect, clock=time.monotonic, sleep=time.sleep, step=1.0):
    """Try every probe of the present links until each has passed or its link's wait is over;
    every check, passed or not, in order."""
    pending = []
    started = clock()
    for link in links:
        if link.state == "present":
            pending += [(check, started + link.probes.wait) for check in checks(link, host, expect)]
    done = [check for check, dummy in pending]
    while pending:
        left = []
        for check, deadline in pending:
            check.passed, check.saw = check.test()
            if not check.passed and clock() < deadline:
                left.append((check, deadline))
        pending = left
        if pending:
            sleep(step)
    return done


def failed(done):
    return [check for check in done if not check.passed]


def _families(link):
    """(device, IP version, Addressing) of the link and of each VLAN."""
    for device, holder in [(link.name, link)] + [(vlan.name, vlan) for vlan in link.vlans]:
        yield device, 4, holder.ipv4
        yield device, 6, holder.ipv6


def _device_for(link, target):
    """The device whose static network holds the target; else the first with dynamic addressing
    of its family (the model refused a target off every static network); else the link."""
    address = ipaddress.ip_address(target)
    dynamic = None
    for device, version, family in _families(link):
        if version != address.version:
            continue
        if any(address in ipaddress.ip_interface(network).network for network in family.addresses):
            return device
        if family.method not in ("none", "static") and dynamic is None:
            dynamic = device
    return dynamic or link.name


def answers(host, address, device):
    """The kernel resolves `address` on `device` afresh: the old entry goes, a datagram makes the
    kernel ask (ARP, or neighbour solicitation), and the entry must come back answered."""
    flushed = []

    def test():
        if not flushed:
            host.run(["ip", "neigh", "flush", "to", address, "dev", device])
            flushed.append(True)
        problem = host.poke(address, device)
        rc, out, err = host.run(["ip", "-j", "neigh", "show", "to", address, "dev", device])
        if rc != 0:
            return False, "ip neigh: %s" % (err or out).strip()
        entries = json.loads(out or "[]")
        state = " ".join(entries[0].get("state") or ["no state"]) if entries else "no neighbour entry"
        if entries and any(s in ANSWERED for s in entries[0].get("state") or []):
            return True, "answered from %s (%s)" % (entries[0].get("lladdr"), state)
        return False, "no answer: %s%s" % (state, "; %s" % problem if problem else "")
    return test


def partnered(host, name):
    def test():
        text = host.read("%s/%s" % (status.PROC, name))
        if text is None:
            return False, "%s/%s is missing" % (status.PROC, name)
        bond = status.parse_bonding(text)
        verdict, reasons = status.bond_verdict(bond)
        partner = (bond.get("aggregator") or {}).get("partner_mac")
        if verdict == "redundant":
            return True, "partner %s, ports %s" % (partner, ", ".join(sorted(bond["ports"])))
        return False, "; ".join(reasons)
    return test


def rooted(host, name, roots):
    def test():
        bridge = status.read_bridge(name, host.sys_root, status.mstpctl(host.run))
        root = bridge.get("root_id")
        if not root:
            return False, "no STP root known"
        if bridge.get("is_root"):
            return False, "this server is the root (%s)" % bridge.get("bridge_id")
        priority = int(root.split(".")[0], 16) & PRIORITY_MASK
        if roots and priority not in roots:
            return False, "root %s has priority %d, which no root switch of the inventory has" % (root, priority)
        return True, "root %s" % root
    return test


def cabled(host, port, want):
    def test():
        if not want:
            return False, "no uplink names %s in the inventory" % port
        rc, out, err = host.run(["lldpcli", "-f", "json0", "show", "neighbors", "ports", port, "details"])
        if rc != 0:
            return False, "lldpcli: %s" % (err or out).strip()
        seen = lldp.parse(out).get(port) or []
        names = set(want["names"])
        for entry in seen:
            if lldp.host_key(entry.get("system_name")) in names and \
                    lldp.switch_port(entry.get("port_id"), entry.get("port_id_type"), entry.get("port_descr")) \
                    == want["port"]:
                return True, "%s %s" % (entry.get("system_name"), want["port"])
        return False, "; ".join("%s %s" % (e.get("system_name") or e.get("chassis_id"),
                                           lldp.switch_port(e.get("port_id"), e.get("port_id_type"),
                                                            e.get("port_descr"))) for e in seen) or "no LLDP neighbour"
    return test


def _cable(want):
    return "%s %s" % (want["names"][0], want["port"]) if want else "its uplink"
