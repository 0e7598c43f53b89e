"""The collection used as a person would: ad hoc, ansible-doc, the playbook."""

from __future__ import annotations

import pytest

from tests.helpers import adhoc, run

pytestmark = pytest.mark.integration


def test_adhoc_select_mode_gives_lacp():
    status, result = adhoc("redundant.interfaces.select_mode",
                           "switch_managed=true separate_switches=false share_bandwidth=true")
    assert status == "SUCCESS"
    assert result["mode"] == "bond_lacp"
    assert result["bonding_mode"] == "802.3ad"
    assert result["changed"] is False


def test_adhoc_missing_answer_fails_naming_the_variable():
    status, result = adhoc("redundant.interfaces.select_mode", "switch_managed=false")
    assert status == "FAILED!"
    assert "set share_bandwidth" in result["msg"]


def test_adhoc_bad_type_is_refused_by_the_argument_spec():
    status, result = adhoc("redundant.interfaces.select_mode", "switch_managed=maybe")
    assert status == "FAILED!"
    assert "switch_managed" in result["msg"]


def test_ansible_doc_shows_the_module():
    out = run("ansible-doc", "redundant.interfaces.select_mode").stdout
    for word in ("switch_managed", "separate_switches", "bridge_fallback", "share_bandwidth",
                 "switches_stacked", "uplinks", "managed_switches", "bonding_mode", "EXAMPLES"):
        assert word in out


def test_select_playbook_decides_every_lab_server():
    out = run("ansible-playbook", "playbooks/select.yml").stdout
    for host, mode in (("lacp1", "bond_lacp"), ("backup1", "bond_active_backup"),
                       ("stp1", "bridge_stp"), ("alb1", "bond_alb")):
        assert '"%s: %s (' % (host, mode) in out
    assert "failed=0" in out and "changed=1" not in out


def test_select_playbook_check_mode_matches():
    out = run("ansible-playbook", "--check", "playbooks/select.yml").stdout
    assert '"lacp1: bond_lacp (' in out
