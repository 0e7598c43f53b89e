# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tell the neighbours where an address lives now.

A change moves addresses between devices with other MAC addresses (a NIC's
address onto a new bridge or bond, and back when the link is removed). The
gateway, and the controller on the same network, keep the old MAC in their
neighbour caches until the entry ages out: up to a minute in which nothing
reaches the host, long enough for a commit-confirmed change to roll back for
nothing. After a live change the host announces every address of the link's
devices: a gratuitous ARP request for IPv4, an unsolicited neighbour
advertisement (override set) for IPv6, a few rounds a second apart because a
stack may give a freed port its address a moment after its reload.

balance-alb bonds are left alone: their driver answers and rewrites ARP itself
(receive load balancing), and an ARP request for its own address would enter
its client table.

The file also runs on its own (standard library only): a rollback copies it
into its transaction and runs `python3 announce.py DEVICE...` once the old
configuration is back, since the addresses move back to the old MACs then.
"""

from __future__ import annotations

import ipaddress
import json
import os
import socket
import struct
import subprocess
import sys
import time

PAUSES = (0.0, 1.0, 1.0)  # before each round
SYS = "/sys/class/net"  # live.SYS: this file imports nothing of the collection
BROADCAST = b"\xff" * 6
ALL_NODES = "ff02::1"
ETH_P_ARP = 0x0806
NA_OVERRIDE = 0x20000000


def mac_bytes(mac):
    return bytes(int(part, 16) for part in mac.strip().split(":"))


def garp(mac, address):
    """An Ethernet frame: the ARP request a host sends for its own address (sender = target)."""
    own, ip = mac_bytes(mac), ipaddress.IPv4Address(address).packed
    arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, own, ip, b"\0" * 6, ip)
    return BROADCAST + own + struct.pack("!H", ETH_P_ARP) + arp


def advert(mac, address):
    """An ICMPv6 neighbour advertisement for `address`, override set, with its link-layer address
    (the kernel fills in the checksum of a raw ICMPv6 socket)."""
    head = struct.pack("!BBHI", 136, 0, 0, NA_OVERRIDE)
    return head + ipaddress.IPv6Address(address).packed + struct.pack("!BB6s", 2, 1, mac_bytes(mac))


def devices(links):
    """The devices whose addresses may have moved: each link, its VLANs and its ports."""
    out = []
    for link in links:
        mine = [] if link.mode == "balance-alb" else [link.name] + [v.name for v in link.vlans]
        out += [name for name in mine + list(link.ports) if name not in out]
    return out


def addresses(ip_json, names):
    """`ip -j addr show` -> [(device, address)] of the global addresses ready to use
    (an IPv6 address still in duplicate address detection cannot be a source yet)."""
    found = []
    for entry in json.loads(ip_json or "[]"):
        if entry.get("ifname") not in names:
            continue
        for info in entry.get("addr_info", []):
            if info.get("scope") == "global" and not info.get("tentative") and not info.get("dadfailed"):
                found.append((entry["ifname"], info["local"]))
    return found


def deliver(device, address, sys_root=SYS):
    """Send one announcement of `address` out of `device`. What went wrong, or None."""
    try:
        with open(os.path.join(sys_root, device, "address")) as handle:
            mac = handle.read()
        if ":" in address:
            index = socket.if_nametoindex(device)
            with socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6) as sock:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, device.encode())
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)  # RFC 4861 7.1.2
                sock.bind((address, 0, 0, index))
                sock.sendto(advert(mac, address), (ALL_NODES, 0, 0, index))
        else:
            with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as sock:
                sock.bind((device, ETH_P_ARP))
                sock.send(garp(mac, address))
    except (OSError, ValueError) as exc:  # a device gone, no raw sockets (no CAP_NET_RAW)
        return "cannot announce %s on %s: %s" % (address, device, getattr(exc, "strerror", None) or exc)
    return None


def run(names, host, pauses=None, sleep=time.sleep):
    """Announce the addresses of the devices `names` in rounds; each round reads them again.
    What was announced (each address once) and what could not be:
    ["192.0.2.2 on vec0", "cannot announce ...: why"]."""
    said = []
    for pause in PAUSES if pauses is None else pauses:
        sleep(pause)
        rc, out, dummy = host.run(["ip", "-j", "addr", "show"])
        for device, address in addresses(out if rc == 0 else "", names):
            problem = host.announce(device, address)
            line = problem or "%s on %s" % (address, device)
            if line not in said:
                said.append(line)
    return said


class Here:
    """This host, for the file run on its own."""

    @staticmethod
    def run(argv):
        # no AnsibleModule here: a rollback runs this file with the host's Python alone
        proc = subprocess.run(argv, capture_output=True, text=True, check=False)  # pylint: disable=ansible-bad-function
        return proc.returncode, proc.stdout, proc.stderr

    @staticmethod
    def announce(device, address):
        return deliver(device, address)


if __name__ == "__main__":
    print("\n".join(run(sys.argv[1:], Here())))  # into the rollback's log; pylint: disable=ansible-bad-function
