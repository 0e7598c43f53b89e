"""A host's links judged against its selected method: the links of that method's kind and
bonding mode, each redundant, none missing or of another method."""

from __future__ import annotations

from ansible_collections.redundant.interfaces.plugins.module_utils.health import health


def test_health_judges_the_links_of_the_selected_method():
    bond = dict(kind="bond", mode="802.3ad", verdict="redundant", reasons=[], active_port=None,
                aggregator=dict(partner_mac="aa:bb:cc:dd:ee:ff"),
                ports=dict(eth0=dict(mii_status="up"), eth1=dict(mii_status="up")))
    healthy, lines = health("bond_lacp", {"bond0": bond})
    assert healthy and lines == ["bond0: 802.3ad bond, redundant (eth0 up, eth1 up; partner aa:bb:cc:dd:ee:ff)"]
    degraded = dict(bond, verdict="degraded", reasons=["eth1 MII down"])
    assert health("bond_lacp", {"bond0": degraded}) == (False, ["bond0: 802.3ad bond, degraded: eth1 MII down"])
    assert health("bond_active_backup", {"bond0": bond})[1] == ["bond_active_backup: no bond in mode active-backup found"]
    assert health("bond_active_backup", {"bond0": bond}, ["bond0"])[1] == [
        "bond0: 802.3ad bond, wrong method: bond_active_backup wants active-backup"]
    assert health("bridge_stp", {}, ["br0"]) == (False, ["br0: missing (bridge_stp)"])
