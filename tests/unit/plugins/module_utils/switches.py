"""The switch inventory the switch-side tests share: two switches, three servers (one per way a
server meets its switches), and the shapes the derivation takes (an LACP server, a bridging one,
the spanning-tree modes a device may report)."""

from __future__ import annotations

from ansible_collections.redundant.interfaces.plugins.module_utils.switchside import channel_numbers, members_on_device
from tests import helpers

SWITCHES = ["sw1", "sw2"]


def up(nic, switch, port):
    return dict(interface=nic, switch=switch, port=port)


SERVERS = {
    "lacp1": dict(method="bond_lacp", uplinks=[up("eth0", "sw1", "FastEthernet0/1"), up("eth1", "sw1", "Fa0/2")]),
    "stp1": dict(method="bridge_stp", uplinks=[up("eth0", "sw1", "FastEthernet0/23"), up("eth1", "sw2", "Fa0/23")]),
    "backup1": dict(method="bond_active_backup", uplinks=[up("eth0", "sw1", "Gi1/0/3"), up("eth1", "sw2", "Gi1/0/3")]),
}


def numbers(gathered, warnings=None):
    """{member port: channel-group number} of ios_lag_interfaces' gathered state, as the action hands it on."""
    return channel_numbers(members_on_device(gathered, warnings))


def capture(name):
    return helpers.capture("ios", name)


def lacp_server(*ports, switch="sw1", name="db1"):
    return {name: dict(method="bond_lacp", uplinks=[up("eth%d" % i, switch, p) for i, p in enumerate(ports)])}


def bridging(port):
    return dict(stp1=dict(method="bridge_stp", uplinks=[up("eth0", "sw1", port), up("eth1", "sw2", "Gi1/0/9")]))


MST1 = dict(mode="mst", pathcost="long", mst={0: [1] + list(range(26, 4095)), 1: list(range(2, 26))})


RPVST = dict(mode="rapid-pvst", pathcost="short", mst=None)


def with_server(name="web1", **info):
    entry = dict(dict(method="bond_alb", uplinks=[up("eth0", "sw1", "Gi1/0/9"), up("eth1", "sw2", "Gi1/0/9")]), **info)
    return dict(SERVERS, **{name: entry})
