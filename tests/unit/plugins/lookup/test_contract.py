"""The contract lookup: a variable's value as the collection reads it, or the contract's default;
a bad value fails naming the variable, the value and the rule."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleLookupError
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

from ansible_collections.redundant.interfaces.plugins.lookup.contract import LookupModule


def lookup(names, variables):
    loader = DataLoader()
    return LookupModule(loader=loader, templar=Templar(loader=loader, variables=variables)).run(names, variables)


def test_values_are_read_as_what_they_mean_and_unset_ones_are_the_default():
    assert lookup(["drill_confirm", "redundancy_lldp_wait", "site_serial"],
                  dict(drill_confirm="false", redundancy_lldp_wait="10")) == [False, 10, [1, "100%"]]


def test_a_role_variable_unset_is_the_roles_own_default():
    links = [dict(name="bond0", ports=["eth0", "eth1"])]
    assert lookup(["bond_lacp_links"], dict(redundancy_links=links)) == [links]


def test_a_bad_value_or_an_unknown_name_fails_naming_it():
    with pytest.raises(AnsibleLookupError, match="^site_max_fail_percentage: 100 is out of range"):
        lookup(["site_max_fail_percentage"], dict(site_max_fail_percentage=100))
    with pytest.raises(AnsibleLookupError, match="'site_serail' is not a variable of the contract"):
        lookup(["site_serail"], {})
