"""lldp_neighbors on a fake host: a NIC that is down is set up for the reading and down again after
it, even when the reading fails; a dry run sets nothing up, not even for a moment, and says which
NICs it could not read; a name that is no interface name never reaches a command."""

from __future__ import annotations

import json

import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.redundant.interfaces.plugins.modules import lldp_neighbors

SEEN = {"eth0": [dict(system_name="sw1", port_id="Gi1/0/1")], "eth1": [dict(system_name="sw2", port_id="Gi1/0/1")]}


@pytest.fixture
def host(monkeypatch):
    """eth0 up, eth1 down; every `ip link set` the module runs is recorded."""
    state = dict(up={"eth0"}, commands=[], fail_read=False)

    def run_command(self, argv, **kwargs):
        if argv[:3] == ["ip", "link", "set"]:
            state["commands"].append(argv[3:])
            (state["up"].add if argv[4] == "up" else state["up"].discard)(argv[3])
            return 0, "", ""
        if state["fail_read"]:
            return 1, "", "lldpd not running"
        heard = {nic: SEEN[nic] for nic in SEEN if nic in state["up"]}
        return 0, json.dumps(heard), ""

    monkeypatch.setattr(lldp_neighbors.AnsibleModule, "run_command", run_command)
    monkeypatch.setattr(lldp_neighbors.AnsibleModule, "get_bin_path", lambda self, name, *a, **k: "/usr/sbin/" + name)
    monkeypatch.setattr(lldp_neighbors, "parse", json.loads)
    monkeypatch.setattr(lldp_neighbors.os.path, "isdir", lambda path: path.rsplit("/", 1)[-1] in ("eth0", "eth1"))
    monkeypatch.setattr(lldp_neighbors, "is_up", lambda nic: nic in state["up"])
    monkeypatch.setattr(lldp_neighbors, "master", lambda nic: None)
    return state


def run(capsys, **args):
    with patch_module_args(dict(args, wait=0)), pytest.raises(SystemExit):
        lldp_neighbors.main()
    return json.loads(capsys.readouterr().out)


def test_a_nic_that_is_down_is_raised_for_the_reading_and_set_down_again(capsys, host):
    result = run(capsys, interfaces=["eth0", "eth1"])
    assert host["commands"] == [["eth1", "up"], ["eth1", "down"]]
    assert result["raised"] == ["eth1"] and set(result["neighbors"]) == {"eth0", "eth1"} and result["unread"] == {}


def test_the_nic_goes_down_again_when_the_reading_fails(capsys, host):
    host["fail_read"] = True
    result = run(capsys, interfaces=["eth0", "eth1"])
    assert result["failed"] and "lldpd is not answering" in result["msg"]
    assert host["commands"] == [["eth1", "up"], ["eth1", "down"]]


def test_a_dry_run_touches_nothing_and_says_what_it_could_not_read(capsys, host):
    result = run(capsys, interfaces=["eth0", "eth1"], _ansible_check_mode=True)
    assert host["commands"] == []  # not even for a moment
    assert result["raised"] == [] and list(result["neighbors"]) == ["eth0"]
    assert result["unread"] == {"eth1": lldp_neighbors.DOWN_IN_CHECK_MODE} and "eth1" not in result["missing"]


@pytest.mark.parametrize("name", ["-a", "eth0\n", "lo", "eth0;reboot"])
def test_a_name_that_is_no_interface_name_never_reaches_a_command(capsys, host, name):
    result = run(capsys, interfaces=["eth0", name])
    assert result["failed"] and result["msg"].startswith("lldp_neighbors: interface %r" % name)
    assert host["commands"] == []
