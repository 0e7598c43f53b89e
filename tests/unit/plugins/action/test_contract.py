"""The contract action: a host's variables for a playbook, checked on the controller (no
connection), every problem named; the host's scope from the inventory's groups."""

from __future__ import annotations

from ansible_collections.redundant.interfaces.plugins.action.contract import ActionModule
from tests.unit.plugins.action import actions

UPLINKS = [dict(interface="eth0", switch="sw1", port="Gi1/0/1"), dict(interface="eth1", switch="sw1", port="Gi1/0/2")]
WEB1 = dict(switch_managed=True, share_bandwidth=True, uplinks=UPLINKS,
            redundancy_links=[dict(name="bond0", ports=["eth0", "eth1"])])


def run_action(args, host, hostvars):
    return actions.run_action(ActionModule, "contract", args, host, hostvars,
                              dict(all=list(hostvars), servers=["web1"], switches=["sw1"]))


def test_a_good_host_passes_and_says_what_was_checked():
    result = run_action(dict(playbook="site"), "web1", dict(web1=WEB1, sw1={}))
    assert not result.get("failed") and result["problems"] == []
    assert "uplinks" in result["checked"] and "site_serial" in result["checked"]
    assert ActionModule._requires_connection is False


def test_every_problem_is_named_in_one_failure():
    bad = dict(WEB1, redundancy_lldp_wait="35s", site_serial=0)
    result = run_action(dict(playbook="site"), "web1", dict(web1=bad, sw1={}))
    assert result["failed"] and len(result["problems"]) == 2
    assert result["msg"].startswith("web1: refused before any change (site): ")
    assert "redundancy_lldp_wait: '35s' is not a whole number" in result["msg"]


def test_the_scope_comes_from_the_groups():
    result = run_action(dict(playbook="switches"), "sw1", dict(web1=WEB1, sw1=dict(cisco_ios_stp_vlans="1")))
    assert result["failed"] and "cisco_ios_stp_vlans: '1' must be a list of VLAN ids" in result["msg"]
    result = run_action(dict(playbook="report"), "localhost", dict(web1=WEB1, sw1={}, localhost=dict(site_report="")))
    assert result["failed"] and "site_report: '' is empty" in result["msg"]
