"""Linux interface names."""

from __future__ import annotations

import pytest

from ansible_collections.redundant.interfaces.plugins.module_utils.names import ifname_problem, interface_facts, whole_number


@pytest.mark.parametrize("name", ["eth0", "enp3s0f1", "bond0", "br-lan", "eth0.100", "a" * 15, "vlan@x", "_x"])
def test_valid_names(name):
    assert ifname_problem(name) is None


@pytest.mark.parametrize("name, why", [
    ("", "non-empty"), (None, "non-empty"), ("a" * 16, "16 characters"), (".", "'.'"), ("..", "'.'"),
    ("eth/0", "may only"), ("eth 0", "may only"), ("eth0;id", "may only"), ("$(x)", "may only"),
    ("eth:0", "may only"), ("-x", "may only"), ("é0", "may only"),
    # a whole-name match: a trailing newline or control character never slips by
    ("eth0\n", "may only"), ("eth0\nshutdown", "may only"), ("eth0\r", "may only"), ("eth\x000", "may only"),
    ("lo", "loopback"), ("all", "reserved"), ("default", "reserved"), ("bonding_masters", "reserved"),
])
def test_invalid_names_say_why(name, why):
    assert why in ifname_problem(name)


def test_interface_facts_tries_each_spelling():
    facts = {"eth0": {"speed": 1}, "eth0_1": {"speed": 2}, "br_lan": {"speed": 3}, "notadict": "x"}
    assert interface_facts(facts, "eth0") == {"speed": 1}
    assert interface_facts(facts, "eth0:1") == {"speed": 2}
    assert interface_facts(facts, "br-lan") == {"speed": 3}
    assert interface_facts(facts, "notadict") is None
    assert interface_facts(facts, "eth9") is None


@pytest.mark.parametrize("value, number", [(5, 5), ("17", 17), (" 17 ", 17), ("-3", -3), (4.0, 4), (4.5, None),
                                           (True, None), ("¹", None), ("٣", None), ("5 s", None), (None, None)])
def test_a_whole_number_is_an_int_or_ascii_digits_never_a_bool(value, number):
    assert whole_number(value) == number
