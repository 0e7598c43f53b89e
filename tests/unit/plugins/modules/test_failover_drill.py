"""failover_drill refuses its own bad arguments on the host before any port goes down: a target
that is no address (or begins with '-', which ping would read as an option), a name that does
not resolve there, a link that is no interface name, timers that would hold the window for hours."""

from __future__ import annotations

import json
import socket

import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.redundant.interfaces.plugins.modules import failover_drill


@pytest.fixture
def host(monkeypatch):
    """A host whose resolver knows one name and whose links are never reached (collect fails the test)."""
    def getaddrinfo(name, port, *args, **kwargs):
        known = {"gw.example.net": "192.0.2.1", "192.0.2.1": "192.0.2.1", "2001:db8::1": "2001:db8::1"}
        if name not in known:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (known[name], 0))]

    def collect(names, run=None):
        raise AssertionError("a link was read: the arguments were not refused first")

    monkeypatch.setattr(failover_drill.socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(failover_drill, "collect", collect)


def run(capsys, **args):
    with patch_module_args(args), pytest.raises((SystemExit, AssertionError)) as info:
        failover_drill.main()
    if info.type is AssertionError:
        return None
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("args, message", [
    (dict(target="-f"), "failover_drill: target '-f' begins with '-'"),
    (dict(target="300.1.1.1"), "failover_drill: target '300.1.1.1' is not an IPv4 address"),
    (dict(target="127.0.0.1"), "failover_drill: target '127.0.0.1' is not a unicast address of another host"),
    (dict(target="gw.unknown.example"), "failover_drill: target 'gw.unknown.example' does not resolve on this host"),
    (dict(target="192.0.2.1", names=["bond0", "--all"]), "failover_drill: link '--all' may only contain"),
    (dict(target="192.0.2.1", settle=86400), "failover_drill: settle 86400 is out of range (1 to 600 s)"),
    (dict(target="192.0.2.1", interval=0), "failover_drill: interval 0.0 is out of range (0.002 to 1 s)"),
])
def test_bad_arguments_are_refused_before_any_port_goes_down(capsys, host, args, message):
    result = run(capsys, **args)
    assert result is not None, "the drill went on to read the links"
    assert result["failed"] and result["msg"].startswith(message), result["msg"]


@pytest.mark.parametrize("target", ["gw.example.net", "192.0.2.1", "2001:db8::1"])
def test_a_good_target_goes_on_to_the_links(capsys, host, target):
    assert run(capsys, target=target) is None  # it reached collect(): nothing refused
