"""Every renderer, from the same model: golden files per stack, mode and option
set; each set option reaches the files under the stack's key; what a stack
cannot express is refused by name; ownership and removal work the same way."""

from __future__ import annotations

import configparser
import os

import pytest
import yaml

from ansible_collections.redundant.interfaces.plugins.module_utils import engine
from ansible_collections.redundant.interfaces.plugins.module_utils.backends import common
from ansible_collections.redundant.interfaces.plugins.module_utils.model import build_links
from ansible_collections.redundant.interfaces.plugins.module_utils.catalog import OPTIONS, PORT, unsupported
from tests.unit.plugins.module_utils.cases import CASES

GOLDEN = os.path.join(os.path.dirname(__file__), "golden")
STACKS = sorted(engine.BACKENDS)


def link_for(case, stack, **extra):
    """The case's link, without the options this stack cannot express."""
    method, raw = CASES[case]
    cannot = unsupported([k for k in raw if k in OPTIONS], stack)
    raw = {k: v for k, v in dict(raw, **extra).items() if k not in cannot}
    return build_links(method, [raw])[0]


def as_text(files):
    return "".join("==> %s <==\n%s\n" % (path, text) for path, text in sorted(files.items()))


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_golden(stack, case):
    text = as_text(engine.BACKENDS[stack].render(link_for(case, stack)))
    path = os.path.join(GOLDEN, stack, case)
    if os.environ.get("UPDATE_GOLDEN"):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as handle:
            handle.write(text)
    with open(path) as handle:
        assert text == handle.read()


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_every_set_option_reaches_the_files_under_its_key(stack, case):
    link = link_for(case, stack)
    text = as_text(engine.BACKENDS[stack].render(link))
    for name in link.stack_options:
        if name != "primary" or stack != "networkd":  # networkd marks the primary port's .network instead
            assert OPTIONS[name].key(stack) in text, (stack, case, name)
    for settings in link.port_options.values():
        for name in settings:
            assert PORT[name].key(stack) in text, (stack, case, name)


@pytest.mark.parametrize("stack", STACKS)
def test_every_file_says_which_link_owns_it(stack):
    link = link_for("bond_lacp", stack)
    for path, text in engine.BACKENDS[stack].render(link).items():
        assert common.owner(text) == ("bond_lacp", "bond0", ("eth0", "eth1", "eth2")), path


@pytest.mark.parametrize("stack", STACKS)
def test_removal_deletes_every_file_of_the_link_and_nothing_else(stack):
    backend = engine.BACKENDS[stack]
    present = link_for("bond_lacp", stack)
    current = dict(backend.render(present), **{"/etc/other-file": "keep me\n"})
    method, raw = CASES["bond_lacp"]
    absent = build_links(method, [dict(name="bond0", ports=raw["ports"], state="absent")])
    result = backend.files(absent, current)
    for path in backend.render(present):
        assert result.get(path, "unchanged") is None or common.owner(result[path]) is None, path
    assert "/etc/other-file" not in result


@pytest.mark.parametrize("stack", STACKS)
def test_rendering_twice_changes_nothing(stack):
    backend = engine.BACKENDS[stack]
    link = link_for("bridge_stp", stack)
    first = backend.files([link], {})
    current = {p: t for p, t in first.items() if t is not None}
    assert {p: t for p, t in backend.files([link], current).items() if current.get(p) != t} == {}


def test_networkd_and_nm_files_are_ini_that_parses():
    for stack in ("networkd", "nm"):
        for case in CASES:
            for path, text in engine.BACKENDS[stack].render(link_for(case, stack)).items():
                parser = configparser.ConfigParser(strict=False, interpolation=None)
                parser.optionxform = str
                parser.read_string(text)
                assert parser.sections(), path


def test_netplan_files_are_yaml_with_every_link_part():
    link = link_for("bond_lacp", "netplan")
    (text,) = engine.BACKENDS["netplan"].render(link).values()
    network = yaml.safe_load(text)["network"]
    assert network["bonds"]["bond0"]["interfaces"] == ["eth0", "eth1", "eth2"]
    assert network["bonds"]["bond0"]["parameters"]["mode"] == "802.3ad"
    assert network["ethernets"]["eth0"] == {"dhcp4": False, "dhcp6": False, "accept-ra": False}
    assert network["vlans"]["bond0.100"] == {"id": 100, "link": "bond0", "addresses": ["203.0.113.5/24"],
                                             "routes": [{"to": "default", "via": "203.0.113.1"}],
                                             "dhcp4": False, "dhcp6": False, "accept-ra": False}


def test_nm_bridge_never_left_to_nm_defaults():
    (text,) = [t for p, t in engine.BACKENDS["nm"].render(link_for("bridge_stp_defaults", "nm")).items()
               if p.endswith("redundant-br0.nmconnection")]
    assert "stp=true\n" in text and "priority=61440\n" in text


def test_networkd_primary_marks_the_port():
    files = engine.BACKENDS["networkd"].render(link_for("bond_active_backup_mii", "networkd"))
    assert "PrimarySlave=yes" in files["/etc/systemd/network/05-redundant-bond0-eth0.network"]
    assert "PrimarySlave" not in files["/etc/systemd/network/05-redundant-bond0-eth1.network"]


def test_ifcfg_files_parse_as_shell_with_the_intended_values(tmp_path):
    import subprocess
    files = engine.BACKENDS["ifcfg"].render(link_for("bond_active_backup_arp", "ifcfg"))
    seen = {}
    for path, text in files.items():
        local = tmp_path / os.path.basename(path)
        local.write_text(text)
        out = subprocess.run(["sh", "-c", 'set -a; . "$1"; env', "sh", str(local)], capture_output=True, text=True,
                             check=True, env={}).stdout
        seen[os.path.basename(path)] = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    bond = seen["ifcfg-bond0"]
    assert bond["BONDING_OPTS"] == ("mode=active-backup arp_interval=500 arp_ip_target=192.0.2.1,192.0.2.2 "
                                    "arp_validate=all arp_all_targets=all arp_missed_max=3")
    assert bond["TYPE"] == "Bond" and bond["BOOTPROTO"] == "dhcp"
    assert seen["ifcfg-eth0"]["MASTER"] == "bond0" and seen["ifcfg-eth0"]["SLAVE"] == "yes"
    bridge = engine.BACKENDS["ifcfg"].render(link_for("bridge_stp", "ifcfg"))
    assert "STP=on\nDELAY=4\nBRIDGING_OPTS='priority=61440 hello_time=1 max_age=6'\n" in \
        bridge["/etc/sysconfig/network-scripts/ifcfg-br0"]
    assert "BRIDGE=br0\nBRIDGING_OPTS='path_cost=100 priority=40'\n" in \
        bridge["/etc/sysconfig/network-scripts/ifcfg-eth0"]


def test_ifcfg_keeps_a_ports_own_file_and_gives_it_back():
    backend = engine.BACKENDS["ifcfg"]
    own = "DEVICE=eth0\nBOOTPROTO=dhcp\nONBOOT=yes\n"
    link = link_for("bond_alb", "ifcfg", ports=["eth0", "eth1"])
    current = {"/etc/sysconfig/network-scripts/ifcfg-eth0": own}
    written = backend.files([link], current)
    kept = "#redundant.interfaces(bond1): BOOTPROTO=dhcp\n#redundant.interfaces(bond1): ONBOOT=yes\n"
    assert written["/etc/sysconfig/network-scripts/ifcfg-eth0"].endswith(kept)
    now = {p: t for p, t in written.items() if t is not None}
    assert backend.files([link], now) == now  # idempotent: the kept text is not kept twice
    method, raw = CASES["bond_alb"]
    gone = build_links(method, [dict(name="bond1", ports=["eth0", "eth1"], state="absent")])
    back = backend.files(gone, now)
    assert back["/etc/sysconfig/network-scripts/ifcfg-eth0"] == own
    assert back["/etc/sysconfig/network-scripts/ifcfg-eth1"] is None
