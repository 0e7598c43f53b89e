"""select_mode run as a module on a host (AnsibleModule path)."""

from __future__ import annotations

import json

import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.redundant.interfaces.plugins.modules import select_mode


def run_module(capsys, **args):
    with patch_module_args(args), pytest.raises(SystemExit):
        select_mode.main()
    return json.loads(capsys.readouterr().out)


def test_decides_and_never_changes(capsys):
    result = run_module(capsys, switch_managed=False, share_bandwidth=True)
    assert result["mode"] == "bond_alb"
    assert result["bonding_mode"] == "balance-alb"
    assert result["changed"] is False


def test_warnings_reach_the_user(capsys, monkeypatch):
    # where warnings end up depends on what else the process loaded: record the calls
    warned = []
    monkeypatch.setattr(select_mode.AnsibleModule, "warn", lambda self, msg: warned.append(msg))
    result = run_module(capsys, switch_managed=True, separate_switches=True, bridge_fallback=True,
                        uplinks=[dict(interface="eth0", switch="a"), dict(interface="eth1", switch="a")])
    assert result["mode"] == "bridge_stp"
    assert any("separate_switches=True contradicts uplinks" in w for w in warned)


def test_failure_names_the_variable(capsys):
    result = run_module(capsys, switch_managed=True, separate_switches=True)
    assert result["failed"] is True
    assert "set bridge_fallback" in result["msg"]


def test_check_mode_decides_too(capsys):
    result = run_module(capsys, switch_managed=True, separate_switches=False, share_bandwidth=True,
                        _ansible_check_mode=True)
    assert result["mode"] == "bond_lacp"
