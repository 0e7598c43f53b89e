"""The announcements' wire formats, which devices announce, and the rounds on a fake host
(the real sockets: tests/integration/test_announce.py)."""

from __future__ import annotations

import json
import struct

from ansible_collections.redundant.interfaces.plugins.module_utils import announce
from ansible_collections.redundant.interfaces.plugins.module_utils.model import build_links
from tests.unit.plugins.module_utils.fakes import FakeHost

MAC = "52:54:00:12:34:56"


def test_a_gratuitous_arp_is_a_broadcast_request_for_the_own_address():
    frame = announce.garp(MAC, "192.0.2.10")
    assert len(frame) == 42  # Ethernet header and ARP for IPv4 over Ethernet, before padding
    dst, src, kind = struct.unpack("!6s6sH", frame[:14])
    assert (dst, src.hex(":"), kind) == (b"\xff" * 6, MAC, 0x0806)
    htype, ptype, hlen, plen, op, sha, spa, tha, tpa = struct.unpack("!HHBBH6s4s6s4s", frame[14:])
    assert (htype, ptype, hlen, plen, op) == (1, 0x0800, 6, 4, 1)
    assert sha.hex(":") == MAC and spa == tpa == bytes([192, 0, 2, 10]) and tha == b"\0" * 6


def test_an_advertisement_overrides_and_carries_the_mac():
    message = announce.advert(MAC, "2001:db8::10")
    kind, code, checksum, flags = struct.unpack("!BBHI", message[:8])
    assert (kind, code, checksum) == (136, 0, 0)  # the kernel fills in the checksum
    assert flags == 0x20000000  # override only: unsolicited, not a router
    assert message[8:24] == bytes.fromhex("20010db8000000000000000000000010")
    assert message[24:26] == b"\x02\x01" and message[26:].hex(":") == MAC  # target link-layer address


def test_each_link_its_vlans_and_ports_announce_but_a_balance_alb_bond_itself_does_not():
    lacp = build_links("bond_lacp", [dict(name="bond0", ports=["eth0", "eth1"], vlans=[dict(id=200)])])
    alb = build_links("bond_alb", [dict(name="bond1", ports=["eth2", "eth3"], vlans=[dict(id=300)])])
    assert announce.devices(lacp + alb) == ["bond0", "bond0.200", "eth0", "eth1", "eth2", "eth3"]


ADDR = [
    {"ifname": "bond0", "addr_info": [
        {"family": "inet", "local": "192.0.2.10", "prefixlen": 24, "scope": "global"},
        {"family": "inet", "local": "192.0.2.11", "prefixlen": 24, "scope": "global", "dynamic": True},
        {"family": "inet6", "local": "2001:db8::10", "prefixlen": 64, "scope": "global", "tentative": True},
        {"family": "inet6", "local": "2001:db8::11", "prefixlen": 64, "scope": "global", "dadfailed": True,
         "tentative": True},
        {"family": "inet6", "local": "fe80::1", "prefixlen": 64, "scope": "link"}]},
    {"ifname": "eth9", "addr_info": [{"family": "inet", "local": "198.51.100.1", "prefixlen": 24,
                                      "scope": "global"}]},
]


def test_only_usable_global_addresses_of_the_devices_are_announced():
    found = announce.addresses(json.dumps(ADDR), ["bond0", "eth0"])
    assert found == [("bond0", "192.0.2.10"), ("bond0", "192.0.2.11")]


class Host(FakeHost):
    """`ip -j addr show` answers from a list of answers, one per round; announce() records."""

    def __init__(self, rounds, refuse=()):
        super().__init__()
        self.rounds, self.refuse, self.sent = list(rounds), refuse, []

    def _run(self, cmd):
        super()._run(cmd)
        return 0, json.dumps(self.rounds.pop(0)), ""

    def announce(self, device, address):
        self.sent.append((device, address))
        return "cannot announce %s on %s: refused" % (address, device) if address in self.refuse else None


def test_rounds_read_again_so_an_address_given_late_is_announced_and_each_line_says_it_once():
    links = build_links("bridge_stp", [dict(name="br0", ports=["eth0", "eth1"], state="absent")])
    late = [{"ifname": "eth0", "addr_info": [{"family": "inet", "local": "192.0.2.2", "prefixlen": 24,
                                              "scope": "global"}]}]
    host, pauses = Host([[], late, late]), []
    said = announce.run(announce.devices(links), host, pauses=(0, 1, 1), sleep=pauses.append)
    assert pauses == [0, 1, 1]
    assert host.sent == [("eth0", "192.0.2.2")] * 2
    assert said == ["192.0.2.2 on eth0"]


def test_an_address_that_cannot_be_announced_is_reported():
    links = build_links("bond_lacp", [dict(name="bond0", ports=["eth0", "eth1"])])
    host = Host([ADDR], refuse=("192.0.2.11",))
    assert announce.run(announce.devices(links), host, pauses=(0,), sleep=lambda s: None) == [
        "192.0.2.10 on bond0", "cannot announce 192.0.2.11 on bond0: refused"]
