"""netplan: the ports' addressing taken out of the host's other files and given back
(netplan merges a device's lists across files; golden files: test_renderers.py)."""

from __future__ import annotations

import yaml

from ansible_collections.redundant.interfaces.plugins.module_utils import engine
from ansible_collections.redundant.interfaces.plugins.module_utils.model import build_links

NETPLAN = engine.BACKENDS["netplan"]
OTHER = "/etc/netplan/10-lab.yaml"
# as the kernel lab's netplan guest has it (tests/lab/guest/lab-wire): the management NIC
INSTALLED = """network:
  version: 2
  renderer: networkd
  ethernets:
    vec0:
      addresses: [192.0.2.2/24]
      routes:
        - to: default
          via: 192.0.2.1
      mtu: 1500
    eth1:
      addresses: [198.51.100.7/24]
"""


def bridge(state="present"):
    return build_links("bridge_stp", [dict(name="br0", ports=["vec0", "eth0"], state=state,
                                           ipv4=dict(addresses=["192.0.2.2/24"]))])[0]


def test_a_port_loses_the_addressing_another_file_gives_it_and_keeps_the_rest():
    new = NETPLAN.files([bridge()], {OTHER: INSTALLED})
    released = yaml.safe_load(new[OTHER])
    assert released["network"]["ethernets"]["vec0"] == {"mtu": 1500}
    assert released["network"]["ethernets"]["eth1"] == {"addresses": ["198.51.100.7/24"]}  # not a port
    assert released["network"]["renderer"] == "networkd"


def test_releasing_again_changes_nothing_and_removal_gives_the_file_back_as_it_was():
    first = NETPLAN.files([bridge()], {OTHER: INSTALLED})[OTHER]
    assert OTHER not in NETPLAN.files([bridge()], {OTHER: first})  # the second run: nothing to write
    assert NETPLAN.files([bridge("absent")], {OTHER: first})[OTHER] == INSTALLED


def test_a_file_that_gives_the_ports_nothing_is_left_alone():
    text = "network:\n  version: 2\n  ethernets:\n    eth1:\n      dhcp4: true\n"
    assert OTHER not in NETPLAN.files([bridge()], {OTHER: text})
    assert OTHER not in NETPLAN.files([bridge()], {OTHER: "network: [unclosed\n"})  # precheck says why
