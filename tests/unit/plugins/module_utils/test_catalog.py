"""The catalog is consistent, and everything generated from it is current."""

from __future__ import annotations

import os

import pytest
import yaml

from ansible_collections.redundant.interfaces.plugins.module_utils import catalog
from ansible_collections.redundant.interfaces.plugins.module_utils.role_specs import role_spec
from tests.helpers import ROOT


@pytest.mark.parametrize("method", sorted(catalog.METHODS))
def test_committed_argument_specs_are_generated_from_the_table(method):
    with open(os.path.join(ROOT, "roles", method, "meta", "argument_specs.yml")) as handle:
        assert yaml.safe_load(handle) == role_spec(method), "run: python scripts/generate.py"


@pytest.mark.parametrize("method", sorted(catalog.METHODS))
def test_argument_specs_list_every_option_of_the_kind(method):
    link_options = role_spec(method)["argument_specs"]["main"]["options"]["%s_links" % method]["options"]
    for opt in catalog.options_for(method):
        assert opt.name in link_options


@pytest.mark.parametrize("opt", list(catalog.OPTIONS.values()) + list(catalog.PORT.values()), ids=lambda o: o.name)
def test_option_is_well_formed(opt):
    assert opt.type in ("int", "str", "bool", "list")
    assert set(opt.modes) <= set(catalog.BOND_MODES)
    assert all(name in catalog.OPTIONS for name in opt.requires + opt.excludes)
    if opt.default is not None and opt.type == "int":
        assert opt.min <= opt.default <= opt.max
        assert not opt.step or opt.default % opt.step == 0
    if opt.choices:
        assert opt.kernel_default is None or opt.kernel_default in opt.choices
        assert opt.default is None or opt.default in opt.choices
    assert opt.key("ifupdown") and opt.key("nm")  # ifupdown (with its hook) and NM take every option
    assert set(opt.keys) <= set(catalog.STACKS)


def test_what_a_stack_cannot_express_is_known_and_refused():
    assert catalog.unsupported(["miimon", "lacp_active", "path_cost"], "networkd") == ["lacp_active"]
    wanted = ["arp_missed_max", "ad_actor_sys_prio"]
    assert catalog.unsupported(wanted, "netplan") == wanted
    assert catalog.unsupported(list(catalog.OPTIONS) + list(catalog.PORT), "ifcfg") == []
    with pytest.raises(KeyError, match="lacp_active cannot be set on networkd"):
        catalog.OPTIONS["lacp_active"].key("networkd")


def test_arp_monitoring_is_refused_where_the_kernel_refuses_it():
    for name in ("arp_interval", "arp_validate", "arp_missed_max"):
        assert set(catalog.OPTIONS[name].modes) == {"balance-rr", "active-backup", "balance-xor", "broadcast"}


def test_each_role_has_a_mode_and_kind():
    assert (catalog.METHODS["bond_lacp"].kind, catalog.METHODS["bond_lacp"].mode) == ("bond", "802.3ad")
    assert (catalog.METHODS["bridge_stp"].kind, catalog.METHODS["bridge_stp"].mode) == ("bridge", None)


def test_server_bridge_priority_is_the_highest_4096_step():
    prio = catalog.OPTIONS["priority"]
    assert prio.default == prio.max == 61440 and prio.step == 4096


def test_timer_rule():
    assert catalog.bridge_timers_consistent(15, 2, 20)
    assert catalog.bridge_timers_consistent(4, 1, 6)
    assert not catalog.bridge_timers_consistent(4, 2, 20)
