"""The drill's wait for a restored port, on the host's own kernel: a switch is an 802.1D bridge
(forward delay 2 s) in a network namespace made here, the server's ports two veths cabled to it,
and the link (a bond or bridge on a server) a third veth "server" whose broadcasts the switch
floods. A switch port that comes back listens and learns before it forwards; drill.forwarding
returns only once the broadcasts pass every port, and the switch's port is forwarding by then."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.helpers import ROOT

pytestmark = pytest.mark.integration
NETNS = "ri-drill-%d" % os.getpid()
FORWARD_DELAY = 2  # seconds, the least the kernel takes with STP on
WAIT = """
import json, sys
from ansible_collections.redundant.interfaces.plugins.module_utils import drill
print(json.dumps(drill.forwarding("server", ["eth0", "eth1"], float(sys.argv[1]))))
"""


def ns(*argv):
    return subprocess.run(["ip", "netns", "exec", NETNS] + list(argv), check=True, capture_output=True,
                          text=True).stdout


def forwarding(timeout):
    """drill.forwarding in the namespace: the seconds it took once the broadcasts came round, or None."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join((ROOT, os.path.join(ROOT, ".collections"))))
    proc = subprocess.run(["ip", "netns", "exec", NETNS, sys.executable, "-c", WAIT, str(timeout)],
                          capture_output=True, text=True, env=env, check=True)
    passing = json.loads(proc.stdout)  # [seconds, how] or null
    assert passing is None or passing[1] == "heard", passing  # a bond: nothing but hearing proves it
    return passing and passing[0]


def state(port):
    return json.loads(ns("bridge", "-j", "link", "show", "dev", port))[0]["state"]


@pytest.fixture
def switch():
    subprocess.run(["ip", "netns", "add", NETNS], check=True)
    try:
        ns("ip", "link", "add", "sw", "type", "bridge", "stp_state", "1",
           "forward_delay", str(FORWARD_DELAY * 100))
        for here, there in (("server", "sw-server"), ("eth0", "sw-eth0"), ("eth1", "sw-eth1")):
            ns("ip", "link", "add", here, "type", "veth", "peer", "name", there)
            ns("ip", "link", "set", there, "master", "sw")
            ns("ip", "link", "set", here, "up")
            ns("ip", "link", "set", there, "up")
        ns("ip", "link", "set", "sw", "up")
        yield
    finally:
        subprocess.run(["ip", "netns", "delete", NETNS], check=False)


def test_the_wait_lasts_until_the_replugged_switch_port_forwards(switch):
    took = forwarding(30)  # every port of the new switch listens and learns first
    assert took is not None and took >= 1.5 * FORWARD_DELAY
    assert forwarding(30) < FORWARD_DELAY  # all forwarding: the first broadcasts pass

    ns("ip", "link", "set", "sw-eth1", "down")
    ns("ip", "link", "set", "sw-eth1", "up")
    assert state("sw-eth1") in ("listening", "learning")
    took = forwarding(30)
    assert took is not None and took >= 1.5 * FORWARD_DELAY
    assert state("sw-eth1") == "forwarding"


def test_a_port_that_never_forwards_is_reported_after_the_time_given(switch):
    ns("ip", "link", "set", "sw-eth1", "down")  # the switch's end stays down: nothing passes eth1
    assert forwarding(2) is None
