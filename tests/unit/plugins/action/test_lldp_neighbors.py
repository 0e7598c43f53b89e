"""lldp_neighbors' action: the NICs to read default to the uplinks' and the links' ports, each once."""

from __future__ import annotations

from ansible_collections.redundant.interfaces.plugins.action.lldp_neighbors import cabled_nics


def test_the_uplinks_nics_then_each_link_port_once():
    uplinks = [dict(interface="eth0", switch="sw1", port="Gi1/0/1"), dict(interface="eth1", switch="sw2", port="Gi1/0/1")]
    links = [dict(name="bond0", ports=["eth2", "eth2", "eth0"]), dict(name="br0", ports=["eth3"]), dict(name="x")]
    assert cabled_nics(uplinks, links) == ["eth0", "eth1", "eth2", "eth3"]
    assert cabled_nics("discover", None) == [] and cabled_nics(None, links) == ["eth2", "eth0", "eth3"]
