"""The link_health action on the controller: the host's links judged against its method, each
summary line naming the host, and a method that is none refused before anything is judged (the
verdict itself: tests/unit/plugins/module_utils/test_health.py)."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.redundant.interfaces.plugins.action import link_health as action
from tests.unit.plugins.action.actions import run_action
from tests.unit.plugins.module_utils.test_report import bond


def run(**args):
    return run_action(action.ActionModule, "link_health", args, "db1", {"db1": {}})


def test_the_hosts_links_are_judged_and_each_line_names_the_host():
    result = run(method="bond_lacp", links={"bond0": bond("bonding_802.3ad.txt")})
    assert not result.get("failed"), result.get("msg")
    assert result["healthy"] and result["summary"][0].startswith("db1: bond0: 802.3ad bond, redundant (")
    wrong = run(method="bond_active_backup", links={"bond0": bond("bonding_802.3ad.txt")}, names=["bond0"])
    assert not wrong["healthy"] and wrong["summary"] == [
        "db1: bond0: 802.3ad bond, wrong method: bond_active_backup wants active-backup"]


def test_a_method_that_is_none_is_refused_naming_the_choices():
    with pytest.raises(AnsibleActionFail, match="value of method must be one of: bond_active_backup, bond_alb, "
                                                "bond_lacp, bridge_stp, got: bond_fast"):
        run(method="bond_fast", links={})
