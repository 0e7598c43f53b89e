"""ifupdown renderer: the port hand-over and the hook (golden files: test_renderers.py)."""

from __future__ import annotations

import re
import subprocess

from ansible_collections.redundant.interfaces.plugins.module_utils import engine
from ansible_collections.redundant.interfaces.plugins.module_utils.backends import ifupdown
from ansible_collections.redundant.interfaces.plugins.module_utils.model import build_links
from ansible_collections.redundant.interfaces.plugins.module_utils.catalog import OPTIONS
from tests.helpers import capture
from tests.unit.plugins.module_utils.cases import CASES

IFUPDOWN = engine.BACKENDS["ifupdown"]


def link(case):
    method, raw = CASES[case]
    return build_links(method, [raw])[0]


def test_every_set_option_is_rendered_with_its_key():
    for case in CASES:
        rendered = link(case)
        text = ifupdown.stanzas(rendered)
        for name in rendered.stack_options:
            assert "    %s " % OPTIONS[name].key("ifupdown") in text, (case, name)


# what Debian's ifenslave applies of a bond stanza: the IF_BOND_* variables its pre-up hook reads
IFENSLAVE_READS = set(re.findall(r"IF_BOND_[A-Z_]+", capture("ifenslave", "if-pre-up.d_ifenslave")))


def test_every_bond_key_is_applied_by_ifenslave_or_by_the_hook_never_both():
    """Each bond option with an ifupdown key reaches the kernel: ifenslave's own hook reads its
    variable, or the catalog marks it hooked and the collection's hook sets it."""
    script = ifupdown.hook_script()
    for opt in (o for o in OPTIONS.values() if o.kind == "bond" and o.supported("ifupdown")):
        variable = ifupdown._env(opt.key("ifupdown"))
        hooked = "ifupdown" in opt.hooked
        assert (variable in IFENSLAVE_READS) != hooked, (opt.name, variable, hooked)
        assert ('ip link set dev "$IFACE" type bond %s "$%s"' % (opt.name, variable) in script) == hooked, opt.name
    assert "bridge link set dev" in script
    assert subprocess.run(["sh", "-n"], input=script, text=True, check=False).returncode == 0


MAIN = """source /etc/network/interfaces.d/*

auto lo
iface lo inet loopback

auto eth0 eth2
iface eth0 inet dhcp
    hostname x

allow-hotplug eth1
iface eth1 inet static
    address 192.0.2.9/24

iface eth2 inet manual
"""


def test_ports_released_and_restored():
    released = ifupdown.release_ports(MAIN, ("eth0", "eth1"), "bond0")
    active = [line for line in released.splitlines() if line and not line.startswith("#")]
    assert "iface eth0 inet dhcp" not in active
    assert "iface eth1 inet static" not in active
    assert "    address 192.0.2.9/24" not in active
    assert "iface eth2 inet manual" in active and "iface lo inet loopback" in active
    assert any(line.startswith("auto eth2 ") for line in active)
    assert ifupdown.release_ports(released, ("eth0", "eth1"), "bond0") == released  # idempotent
    assert ifupdown.restore_ports(released, "bond0") == MAIN


def test_files_source_the_directory_once_and_install_the_hook():
    links = [link("bond_alb")]
    result = IFUPDOWN.files(links, {ifupdown.INTERFACES: "auto lo\niface lo inet loopback\n"})
    assert result[ifupdown.INTERFACES].endswith(ifupdown.SOURCE_LINE)
    assert result[ifupdown.HOOK] == ifupdown.hook_script()
    assert result["/etc/network/interfaces.d/bond1"] == ifupdown.stanzas(links[0])
    again = IFUPDOWN.files(links, {ifupdown.INTERFACES: result[ifupdown.INTERFACES]})
    assert ifupdown.INTERFACES not in again


def test_absent_removes_our_file_and_restores_ports():
    present = link("bond_active_backup_mii")
    current = {ifupdown.INTERFACES: ifupdown.release_ports(MAIN, present.ports, "bond0"),
               "/etc/network/interfaces.d/bond0": ifupdown.stanzas(present)}
    method, raw = CASES["bond_active_backup_mii"]
    absent = build_links(method, [dict(raw, state="absent")])
    result = IFUPDOWN.files(absent, current)
    assert result["/etc/network/interfaces.d/bond0"] is None
    assert result[ifupdown.INTERFACES] == MAIN


def test_managed_links_are_found_by_header():
    found = IFUPDOWN.managed_links({"/etc/network/interfaces.d/br0": ifupdown.stanzas(link("bridge_stp")),
                                    "/etc/network/interfaces.d/other": "auto x\n",
                                    ifupdown.INTERFACES: MAIN})
    assert found == {"br0": ("bridge_stp", ("eth0", "eth1"), "/etc/network/interfaces.d/br0")}
