"""systemd-networkd: what a removal does live (golden files: test_renderers.py)."""

from __future__ import annotations

from ansible_collections.redundant.interfaces.plugins.module_utils import engine
from ansible_collections.redundant.interfaces.plugins.module_utils.backends import common
from ansible_collections.redundant.interfaces.plugins.module_utils.model import build_links

NETWORKD = engine.BACKENDS["networkd"]


def test_a_removed_link_made_again_before_the_reload_goes_before_its_ports_are_reconfigured():
    # the kernel lab's networkd guest: a port configured from its old file (Bridge=br0) while the
    # .netdev was still there got br0 back, and the reload left it holding the management NIC
    link = build_links("bridge_stp", [dict(name="br0", ports=["vec0", "eth0"], state="absent")])[0]
    steps = NETWORKD.up_ports(link, None)
    assert [step.argv for step in steps] == [
        ("networkctl", "reload"), ("ip", "link", "del", "dev", "br0"), ("networkctl", "reconfigure", "vec0", "eth0")]
    assert steps[1].when_exists == "br0"


def test_a_removed_links_device_is_deleted_only_after_the_reload():
    link = build_links("bridge_stp", [dict(name="br0", ports=["vec0", "eth0"], state="absent")])[0]
    change = common.Change(device=dict(kind="bridge"))
    assert NETWORKD.REMAKES and not engine._deletes(NETWORKD, link, change)  # pylint: disable=protected-access
    assert engine._deletes(engine.BACKENDS["ifupdown"], link, change)  # pylint: disable=protected-access
