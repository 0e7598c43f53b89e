"""Probes before confirm on a fake host: which probes a link gets by default, each probe against
real readings (captures of /proc/net/bonding, lldpd and `ip -j neigh`), and the wait loop."""

from __future__ import annotations

import json
import os

import pytest

from ansible_collections.redundant.interfaces.plugins.module_utils import probes
from ansible_collections.redundant.interfaces.plugins.module_utils.model import build_links
from tests.helpers import FIXTURES
from tests.unit.plugins.module_utils.fakes import FakeHost, fake_bridge


def fixture(*path):
    with open(os.path.join(FIXTURES, *path)) as handle:
        return handle.read()


def link(method="bond_active_backup", **kw):
    return build_links(method, [dict(dict(name="bond0", ports=["eth0", "eth1"]), **kw)])[0]


class Host(FakeHost):
    """Answers `ip -j neigh` from `neighbours` ({address: states, one per ask}), lldpcli from a capture."""

    def __init__(self, neighbours=None, lldp=None, **kw):
        super().__init__(**kw)
        self.neighbours = {k: list(v) for k, v in (neighbours or {}).items()}
        self.lldp = lldp
        self.poked = []

    def poke(self, address, device):
        self.poked.append((address, device))

    def _run(self, cmd):
        self.commands.append(cmd)
        if cmd[:3] == ["ip", "-j", "neigh"]:
            states = self.neighbours.get(cmd[5]) or ["FAILED"]
            state = states.pop(0) if len(states) > 1 else states[0]
            entry = dict(dst=cmd[5], state=[state])
            if state != "FAILED":
                entry["lladdr"] = "00:00:0c:00:00:01"
            return 0, json.dumps([entry] if state else []), ""
        if cmd[0] == "lldpcli":
            return (0, self.lldp, "") if self.lldp is not None else (1, "", "unable to connect to lldpd")
        return 0, "", ""


def names(found):
    return [(c.probe, c.what) for c in found]


def test_defaults_per_method():
    gateways = dict(ipv4=dict(addresses=["192.0.2.10/24"], gateway="192.0.2.1"),
                    vlans=[dict(id=100, ipv6=dict(addresses=["2001:db8::10/64"], gateway="2001:db8::1"))])
    assert names(probes.checks(link(**gateways), None, {})) == [
        ("gateway", "192.0.2.1 on bond0"), ("gateway", "2001:db8::1 on bond0.100")]
    assert names(probes.checks(link(), None, {})) == []  # nothing configured that could be asked
    assert names(probes.checks(link("bond_lacp"), None, {})) == [("lacp", "partner, every port aggregated")]
    bridge = link("bridge_stp", name="br0")
    assert names(probes.checks(bridge, None, {})) == []  # no root switch in the inventory: nothing to compare
    assert names(probes.checks(bridge, None, dict(roots=[0, 4096]))) == [("root", "root priority 0 or 4096")]
    off = link("bond_lacp", probes=dict(lacp=False, gateway=False),
               ipv4=dict(addresses=["192.0.2.10/24"], gateway="192.0.2.1"))
    assert names(probes.checks(off, None, {})) == []


def test_targets_are_asked_on_the_device_that_holds_their_network():
    found = link(ipv4=dict(method="dhcp"), vlans=[dict(id=100, ipv4=dict(addresses=["203.0.113.10/24"]))],
                 probes=dict(targets=["203.0.113.7", "198.51.100.7"]))
    assert names(probes.checks(found, None, {})) == [("targets", "203.0.113.7 on bond0.100"),
                                                     ("targets", "198.51.100.7 on bond0")]  # the DHCP device


def test_a_gateway_that_answers_passes_and_one_that_does_not_fails_with_its_state():
    host = Host(neighbours={"192.0.2.1": ["INCOMPLETE", "REACHABLE"], "203.0.113.1": ["FAILED"]})
    good = probes.answers(host, "192.0.2.1", "bond0")
    assert good() == (False, "no answer: INCOMPLETE")
    assert good() == (True, "answered from 00:00:0c:00:00:01 (REACHABLE)")
    assert host.commands[0] == ["ip", "neigh", "flush", "to", "192.0.2.1", "dev", "bond0"]  # a fresh answer only
    assert sum(c[:3] == ["ip", "neigh", "flush"] for c in host.commands) == 1
    assert host.poked == [("192.0.2.1", "bond0")] * 2
    assert probes.answers(host, "203.0.113.1", "bond0.200")() == (False, "no answer: FAILED")


def test_the_lacp_probe_reads_proc_net_bonding():
    name = "%s/bond0" % probes.status.PROC
    ok = probes.partnered(Host(files={name: fixture("bonding", "bonding_802.3ad.txt")}), "bond0")()
    assert ok[0] and ok[1].startswith("partner ")
    bad = probes.partnered(Host(files={name: fixture("bonding", "bonding_802.3ad_degraded.txt")}), "bond0")()
    assert not bad[0] and bad[1]
    assert probes.partnered(Host(), "bond0")() == (False, "/proc/net/bonding/bond0 is missing")


@pytest.mark.parametrize("root_id, roots, expected", [
    ("0001.00000c000001", [0], (True, "root 0001.00000c000001")),  # PVST+: priority 0 plus VLAN 1
    ("1000.00000c000002", [0, 4096], (True, "root 1000.00000c000002")),
    ("8000.00000c000003", [0, 4096], (False, "root 8000.00000c000003 has priority 32768, which no root switch "
                                             "of the inventory has")),
    ("8000.00000c000003", [], (True, "root 8000.00000c000003")),
    ("f000.aa", [0], (False, "this server is the root (f000.aa)")),
])
def test_the_root_probe(tmp_path, root_id, roots, expected):
    host = Host()
    host.sys_root = fake_bridge(tmp_path, root_id=root_id)
    assert probes.rooted(host, "br0", roots)() == expected


def test_the_lldp_probe_on_a_real_capture():
    """An H3C access switch on enp129s0f0 (tests/fixtures/lldpd/SOURCES.yml)."""
    host = Host(lldp=fixture("lldpd", "h3c_and_hosts.json0"))
    want = dict(names=["daocloud_shangpu_h3c_d01_accessswitch"], port="GigabitEthernet1/0/17")
    assert probes.cabled(host, "enp129s0f0", want)() == (True, "DaoCloud_ShangPu_H3C_D01_AccessSwitch "
                                                               "GigabitEthernet1/0/17")
    assert probes.cabled(host, "enp129s0f0", dict(want, port="GigabitEthernet1/0/18"))() == (
        False, "DaoCloud_ShangPu_H3C_D01_AccessSwitch GigabitEthernet1/0/17")
    assert probes.cabled(host, "eth9", want)() == (False, "no LLDP neighbour")
    assert probes.cabled(Host(), "enp129s0f0", want)() == (False, "lldpcli: unable to connect to lldpd")
    assert probes.cabled(host, "enp129s0f0", {})() == (False, "no uplink names enp129s0f0 in the inventory")


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def test_each_probe_is_tried_until_it_passes_or_its_wait_is_over():
    clock = Clock()
    host = Host(neighbours={"192.0.2.1": ["FAILED"] * 5 + ["REACHABLE"], "192.0.2.2": ["FAILED"]})
    links = [link(ipv4=dict(addresses=["192.0.2.10/24"], gateway="192.0.2.1"),
                  probes=dict(targets=["192.0.2.2"], wait=8))]
    done = probes.run(links, host, {}, clock=clock, sleep=clock.sleep)
    assert [(c.probe, c.passed) for c in done] == [("gateway", True), ("targets", False)]
    assert str(probes.failed(done)[0]) == "bond0: probe targets (192.0.2.2 on bond0) failed: no answer: FAILED"
    assert clock.now == 8  # the failing one had its whole wait; the loop ends with it
    assert done[0].as_dict() == dict(probe="gateway", link="bond0", what="192.0.2.1 on bond0", passed=True,
                                     saw="answered from 00:00:0c:00:00:01 (REACHABLE)")


def test_a_removed_link_is_not_probed():
    removed = link(state="absent", ipv4=dict(addresses=["192.0.2.10/24"], gateway="192.0.2.1"))
    assert probes.run([removed], Host(), {}, clock=Clock(), sleep=lambda s: pytest.fail("waited")) == []
