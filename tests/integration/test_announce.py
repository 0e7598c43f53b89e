"""Announcements on the host's own kernel: a server and its neighbour in two network
namespaces made here, cabled by a veth. The neighbour's cache holds a MAC the server's
addresses no longer have (as a gateway's does after an address moved onto a bridge);
after announce.run on the server the neighbour holds the server's MAC, for IPv4 (a
gratuitous ARP) and IPv6 (an unsolicited advertisement)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from tests.helpers import ROOT

pytestmark = pytest.mark.integration
SERVER, PEER = "ri-ann-srv-%d" % os.getpid(), "ri-ann-peer-%d" % os.getpid()
OLD_MAC = "02:00:00:00:00:99"
ADDRESSES = ("192.0.2.10", "2001:db8::10")
ANNOUNCE = """
import json, subprocess, sys
from ansible_collections.redundant.interfaces.plugins.module_utils import announce, engine
from ansible_collections.redundant.interfaces.plugins.module_utils.model import build_links

def run(argv):
    proc = subprocess.run(argv, capture_output=True, text=True)
    return proc.returncode, proc.stdout, proc.stderr

links = build_links("bond_lacp", [dict(name=sys.argv[1], ports=["eth8", "eth9"])])
print(json.dumps(announce.run(announce.devices(links), engine.Host(run), pauses=(0,))))
"""


def inside(namespace, *argv):
    return subprocess.run(["ip", "netns", "exec", namespace] + list(argv), check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture
def cabled():
    for namespace in (SERVER, PEER):
        subprocess.run(["ip", "netns", "add", namespace], check=True)
    try:
        inside(SERVER, "ip", "link", "add", "bond0", "type", "veth", "peer", "name", "peer", "netns", PEER)
        inside(SERVER, "ip", "addr", "add", "192.0.2.10/24", "dev", "bond0")
        inside(SERVER, "ip", "addr", "add", "2001:db8::10/64", "dev", "bond0", "nodad")
        inside(PEER, "ip", "addr", "add", "192.0.2.1/24", "dev", "peer")
        inside(PEER, "ip", "addr", "add", "2001:db8::1/64", "dev", "peer", "nodad")
        for namespace, device in ((SERVER, "bond0"), (PEER, "peer")):
            inside(namespace, "ip", "link", "set", device, "up")
        ready(PEER, "peer")
        for address in ADDRESSES:  # what the neighbour knew before the address moved
            inside(PEER, "ip", "neigh", "replace", address, "lladdr", OLD_MAC, "dev", "peer", "nud", "stale")
        yield json.loads(inside(SERVER, "ip", "-j", "link", "show", "bond0"))[0]["address"]
    finally:
        for namespace in (SERVER, PEER):
            subprocess.run(["ip", "netns", "del", namespace], check=False)


def ready(namespace, device, within=10.0):
    """A device just up takes IPv6 multicast only once its multicast route is in (before, the
    advertisement was counted in Ip6InNoRoutes and dropped); a long-running neighbour has it."""
    deadline = time.monotonic() + within
    while "ff00::/8" not in inside(namespace, "ip", "-6", "route", "show", "table", "local", "dev", device):
        assert time.monotonic() < deadline, "%s never took IPv6 multicast" % device
        time.sleep(0.1)


def seen(address):
    return json.loads(inside(PEER, "ip", "-j", "neigh", "show", address, "dev", "peer"))[0]["lladdr"]


def test_the_neighbour_learns_the_new_mac_of_every_address(cabled):
    assert [seen(a) for a in ADDRESSES] == [OLD_MAC, OLD_MAC]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join((ROOT, os.path.join(ROOT, ".collections"))))
    out = subprocess.run(["ip", "netns", "exec", SERVER, sys.executable, "-c", ANNOUNCE, "bond0"], env=env,
                         capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == ["192.0.2.10 on bond0", "2001:db8::10 on bond0"]  # the ports have no address
    assert [seen(a) for a in ADDRESSES] == [cabled, cabled]


def test_a_device_without_raw_sockets_or_gone_is_reported_not_raised(cabled):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join((ROOT, os.path.join(ROOT, ".collections"))))
    code = ("from ansible_collections.redundant.interfaces.plugins.module_utils import engine\n"
            "print(engine.Host(None).announce('nosuch0', '192.0.2.10'))")
    out = subprocess.run(["ip", "netns", "exec", SERVER, sys.executable, "-c", code], env=env,
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == "cannot announce 192.0.2.10 on nosuch0: No such file or directory"
