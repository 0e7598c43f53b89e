"""link_facts collects every bond and bridge with a verdict."""

from __future__ import annotations

import shutil

from ansible_collections.redundant.interfaces.plugins.modules.link_facts import collect
from tests.unit.plugins.module_utils.test_status import FIXTURES, fake_bridge


def test_collects_bonds_and_bridges(tmp_path):
    proc = tmp_path / "bonding"
    proc.mkdir()
    shutil.copy("%s/bonding_802.3ad_degraded.txt" % FIXTURES, proc / "bond0")
    sys_root = fake_bridge(tmp_path / "sys")
    links = collect(proc=str(proc), sys_root=sys_root)
    assert sorted(links) == ["bond0", "br0"]
    assert links["bond0"]["kind"] == "bond" and links["bond0"]["verdict"] == "degraded"
    assert links["bond0"]["reasons"] == ["eth0 MII down"]
    assert links["br0"]["kind"] == "bridge" and links["br0"]["verdict"] == "redundant"
    assert collect(["br0"], proc=str(proc), sys_root=sys_root).keys() == {"br0"}


def test_nothing_to_report(tmp_path):
    assert collect(proc=str(tmp_path / "none"), sys_root=str(tmp_path)) == {}
