"""One value against the contract: each class of mistake a user makes, refused naming the
variable, its value and the rule; what is accepted is read as the type it means."""

from __future__ import annotations

import pytest

from ansible_collections.redundant.interfaces.plugins.module_utils import contract
from ansible_collections.redundant.interfaces.plugins.module_utils.catalog import (
    CONTRACT,
    PLAYBOOKS,
    ROLE_VARIABLES,
    VARIABLES,
)

UPLINKS = [dict(interface="eth0", switch="sw1", port="Gi1/0/1"), dict(interface="eth1", switch="sw2", port="Gi1/0/1")]


def refused(name, value):
    with pytest.raises(contract.ContractError) as info:
        contract.check(name, value)
    return str(info.value)


@pytest.mark.parametrize("name, value, message", [
    # a choice: a typo, another case, a YAML boolean, a list where a word goes
    ("redundancy_cabling_mode", "strcit", "redundancy_cabling_mode: 'strcit' must be one of strict, warn, off; "
                                          "did you mean 'strict'?"),
    ("redundancy_cabling_mode", "Off", "redundancy_cabling_mode: 'Off' must be one of strict, warn, off; did you mean 'off'?"),
    ("redundancy_cabling_mode", False, "redundancy_cabling_mode: False is a YAML boolean (an unquoted "
                                       "yes/no/on/off/true/false), not one of strict, warn, off; quote the word"),
    ("redundancy_cabling_mode", ["strict"], "redundancy_cabling_mode: ['strict'] must be one of strict, warn, off, "
                                            "got list"),
    ("cisco_ios_stp_root", "Primary", "cisco_ios_stp_root: 'Primary' must be one of primary, secondary, none"),
    # a boolean as text that means nothing
    ("drill_confirm", "maybe", "drill_confirm: 'maybe' must be true or false"),
    ("drill_confirm", ["yes"], "drill_confirm: ['yes'] must be true or false (also yes/no, on/off), got list"),
    # numbers: negative, zero, huge, fractional, a unit glued on
    ("redundancy_lldp_wait", -1, "redundancy_lldp_wait: -1 is out of range: 0 to 300 s"),
    ("redundancy_lldp_wait", 10 ** 9, "redundancy_lldp_wait: 1000000000 is out of range: 0 to 300 s; every server"),
    ("redundancy_lldp_wait", 2.5, "redundancy_lldp_wait: 2.5 is not a whole number of seconds; give 0 to 300 s"),
    ("redundancy_lldp_wait", "35s", "redundancy_lldp_wait: '35s' is not a whole number of seconds; give 0 to 300 s "
                                    "(a plain number, no unit)"),
    ("redundancy_lldp_wait", True, "redundancy_lldp_wait: True is not a whole number of seconds; give 0 to 300 s, "
                                   "got bool"),
    ("bond_lacp_confirm_timeout", 864000, "bond_lacp_confirm_timeout: 864000 is out of range: 0 to 3600 s; the "
                                          "controller keeps retrying"),
    ("site_max_fail_percentage", 100, "site_max_fail_percentage: 100 is out of range: 0 to 99%; at 100 or more the "
                                      "rollout would never stop"),
    ("site_max_fail_percentage", "5%", "site_max_fail_percentage: '5%' is not a whole number of percent"),
    # Ansible's serial: no 0 (every server at once), no boolean, no text Ansible would misread
    ("site_serial", 0, "site_serial: 0 is a batch of no server, which Ansible reads as every server at once"),
    ("site_serial", [1, "0%"], "site_serial[1]: '0%' is a batch of no server"),
    ("site_serial", True, "site_serial: True is not a batch size"),
    ("site_serial", "1, 10", "site_serial: '1, 10' is not a batch size"),
    ("site_serial", [1, 2.5], "site_serial[1]: 2.5 is not a batch size"),
    ("site_serial", "150%", "site_serial: '150%' is not a batch size"),
    ("site_serial", [], "site_serial: [] lists no batch"),
    # strings that reach a command line: an option, a non-address, an interface name that is none
    ("drill_target", "-c1", "drill_target: '-c1' begins with '-': a command would read it as an option"),
    ("drill_target", "300.1.1.1", "drill_target: '300.1.1.1' is not an IPv4 address"),
    ("drill_target", "127.0.0.1", "drill_target: '127.0.0.1' is not a unicast address of another host"),
    ("drill_target", "gw_1.example", "drill_target: 'gw_1.example' is neither an IP address nor a host name"),
    ("drill_links", ["bond0", "--all"], "drill_links[1]: '--all' may only contain letters"),
    ("drill_links", [], "drill_links: [] is empty: list at least one interface, or leave it unset"),
    # paths: no NUL, not empty, a file where a file goes
    ("discover_dest", "", "discover_dest: '' is empty: name a folder"),
    ("discover_dest", "out\x00put", "discover_dest: 'out\\x00put' contains a control character"),
    ("site_report", "reports/", "site_report: 'reports/' names a folder"),
    # wrong shapes, named as users know them
    ("drill_links", "bond0", "drill_links: 'bond0' must be a list of interface names, got str"),
    ("cisco_ios_stacked_with", {"sw2": True}, "cisco_ios_stacked_with: {'sw2': True} must be a list of switch names, "
                                              "got dict"),
    ("cabling_servers", ["servers"], "cabling_servers: ['servers'] must be text (a host pattern), got list"),
    ("redundancy_links", {"name": "bond0"}, "redundancy_links: {'name': 'bond0'} must be a list of links"),
    ("redundancy_links", [{"name": "bond0", "ports": "eth0 eth1"}],
     "redundancy_links[0].ports: 'eth0 eth1' must be a list of interface names, got str"),
    ("redundancy_links", [{"name": "bond0", "ports": ["eth0", "-x"]}], "redundancy_links[0].ports[1]: '-x' may only"),
    # VLANs: a float named as a non-whole number, not as out of range
    ("cisco_ios_stp_vlans", [10.5], "cisco_ios_stp_vlans[0]: 10.5 is not a VLAN id: a whole number from 1 to 4094"),
    ("cisco_ios_access_vlan", 4095, "cisco_ios_access_vlan: 4095 is out of range for a VLAN id (1-4094)"),
    # uplinks: the hint, one uplink, shapes, ports no cable goes into, a NIC or port twice
    ("uplinks", "discovr", "uplinks: 'discovr' is not a list of {interface, switch, port}, nor 'discover' (did you "
                           "mean 'discover'?)"),
    ("uplinks", UPLINKS[:1], "uplinks: [{'interface': 'eth0', 'switch': 'sw1', 'port': 'Gi1/0/1'}] lists 1 "
                             "uplink(s); a redundant server needs at least two"),
    ("uplinks", {"eth0": "sw1"}, "uplinks: {'eth0': 'sw1'} must be a list of {interface, switch, port}, or "
                                 "'discover', got dict"),
    ("uplinks", [UPLINKS[0], dict(UPLINKS[1], port="Gi1/0/2.100")], "uplinks[1].port: 'Gi1/0/2.100' is a "
                                                                    "sub-interface"),
    ("uplinks", [UPLINKS[0], dict(UPLINKS[1], port="AppGigabitEthernet1/0/1")],
     "uplinks[1].port: 'AppGigabitEthernet1/0/1' is a switch-internal port"),
    ("uplinks", [UPLINKS[0], dict(UPLINKS[1], port="Vlan1")], "uplinks[1].port: 'Vlan1' is a logical interface"),
    ("uplinks", [UPLINKS[0], dict(UPLINKS[1], interface="eth0")], "uplinks[1].interface: 'eth0' is listed twice"),
    ("uplinks", [UPLINKS[0], dict(UPLINKS[0], interface="eth1")],
     "uplinks[1].port: 'GigabitEthernet1/0/1' on sw1 is listed twice"),
    ("uplinks", [UPLINKS[0], dict(UPLINKS[1], vlan=10)], "uplinks[1]: {'interface': 'eth1', 'switch': 'sw2', 'port': "
                                                         "'Gi1/0/1', 'vlan': 10} must have exactly the keys"),
    ("uplinks", [UPLINKS[0], dict(UPLINKS[1], switch="sw2\nreload")], "uplinks[1].switch: 'sw2\\nreload' may only"),
])
def test_each_class_of_mistake_is_refused_naming_the_variable_value_and_rule(name, value, message):
    assert refused(name, value).startswith(message)


@pytest.mark.parametrize("name, value, read", [
    ("drill_confirm", "false", False),  # -e drill_confirm=false is false, never a true string
    ("drill_confirm", "yes", True),
    ("redundancy_lldp_install", " no ", False),
    ("redundancy_lldp_wait", "35", 35),
    ("redundancy_lldp_wait", 35.0, 35),
    ("site_serial", ["1", "25 %".replace(" ", ""), 10], [1, "25%", 10]),
    ("site_serial", "100%", "100%"),
    ("site_max_fail_percentage", "5", 5),
    ("cisco_ios_stp_vlans", ["10", 20], [10, 20]),
    ("uplinks", UPLINKS, [dict(interface="eth0", switch="sw1", port="GigabitEthernet1/0/1"),
                          dict(interface="eth1", switch="sw2", port="GigabitEthernet1/0/1")]),
    ("uplinks", "discover", "discover"),
    ("drill_target", "2001:db8::1", "2001:db8::1"),
    ("drill_target", "gw.example.net", "gw.example.net"),
])
def test_text_and_numbers_are_read_as_what_they_mean(name, value, read):
    assert contract.check(name, value) == read


def test_unset_is_the_contracts_default():
    assert contract.check("redundancy_cabling_mode", None) == "strict"
    assert contract.check("site_serial", None) == [1, "100%"]
    assert contract.check("drill_target", None) is None


def test_messages_name_types_as_users_know_them():
    class Wrapped(str):  # as Ansible wraps text it has read
        pass

    assert refused("drill_links", Wrapped("bond0")).endswith("got str")
    assert contract.type_name(None) == "null" and contract.type_name((1,)) == "list"


def test_every_variable_is_declared_once_with_a_type_scope_and_doc():
    names = [v.name for v in VARIABLES]
    assert len(names) == len(set(names))
    for var in VARIABLES:
        assert var.type in ("bool", "int", "str", "list", "dict", "raw"), var.name
        assert var.scope in ("server", "switch", "host", "play"), var.name
        assert var.description, var.name
        assert set(var.playbooks) <= set(PLAYBOOKS), var.name
        assert var.kind in contract._KIND or var.kind in ("", "vlan", "links", "switch_ports"), var.name  # pylint: disable=protected-access
        if var.default is not None:
            assert contract.check(var.name, var.default) == var.default, var.name  # defaults obey their rule


def test_each_role_has_its_variables_in_the_contract():
    for method, variables in ROLE_VARIABLES.items():
        keys = ("links", "backend", "live", "confirm_timeout", "backup")
        assert {v.name for v in variables} == {"%s_%s" % (method, key) for key in keys}
        assert all(v.name in CONTRACT for v in variables)
