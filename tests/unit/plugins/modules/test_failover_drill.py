"""failover_drill refuses its own bad arguments on the host before any port goes down: a target
that is no address (or begins with '-', which ping would read as an option), a name that does
not resolve there, a link that is no interface name, timers that would hold the window for hours."""

from __future__ import annotations

import json
import os
import socket

import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.redundant.interfaces.plugins.module_utils import status
from ansible_collections.redundant.interfaces.plugins.modules import failover_drill
from tests.helpers import ROOT


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


# --- one port cut and brought back: the loop on a fake host ----------------------------------------
BONDING = os.path.join(ROOT, "tests", "fixtures", "bonding")
ALL_UP = open(os.path.join(BONDING, "bonding_active-backup.txt")).read()  # eth0 active
FAILED_OVER = open(os.path.join(BONDING, "bonding_active-backup_failed_over.txt")).read()  # eth1 active, eth0 down
BACK = FAILED_OVER.replace("Slave Interface: eth0\nMII Status: down", "Slave Interface: eth0\nMII Status: up")
EDGE_DOWN = ALL_UP.replace("Slave Interface: eth0\nMII Status: up", "Slave Interface: eth0\nMII Status: down")


class Host:
    """An active-backup bond0 over eth0 and eth1 in /proc/net/bonding files (real captures), a
    clock the drill's sleeps advance, and a kernel that fails over `flips_after` s after eth0 goes
    down (never, with None); the probe's replies stop from the cut until the bond has failed over."""

    def __init__(self, tmp_path, flips_after):
        self.now, self.flips_after, self.cut_at, self.back_at, self.commands = 100.0, flips_after, None, None, []
        self.proc = tmp_path / "bonding"
        self.proc.mkdir()

    # time, as failover_drill reads it
    def time(self):
        return self.now

    monotonic = time

    def sleep(self, seconds):
        self.now += seconds

    def run_command(self, argv, check_rc=False):
        self.commands.append(" ".join(argv))
        if argv[-1] == "down":
            self.cut_at = self.now
        elif argv[-1] == "up":
            self.back_at = self.now
        return 0, "", ""

    def flipped_at(self):
        return None if self.flips_after is None or self.cut_at is None else self.cut_at + self.flips_after

    def collect(self, names, run=None):
        flipped = self.flipped_at() is not None and self.now >= self.flipped_at()
        if self.cut_at is None:
            text = ALL_UP
        elif self.back_at is None:
            text = FAILED_OVER if flipped else EDGE_DOWN
        else:
            text = BACK if flipped else ALL_UP
        (self.proc / "bond0").write_text(text)
        return status.collect(names, proc=str(self.proc), sys_root=str(self.proc / "none"))

    def replies(self, started):
        """A reply every 10 ms from `started` to now, none while traffic had nowhere to go."""
        times, t = [], started
        while t <= self.now:
            lost = self.cut_at is not None and self.cut_at < t and (self.flipped_at() is None or t < self.flipped_at()) \
                and (self.back_at is None or t < self.back_at)
            if not lost:
                times.append(t)
            t = round(t + 0.01, 3)
        return times


@pytest.fixture
def lab(monkeypatch, tmp_path):
    def make(flips_after):
        world = Host(tmp_path, flips_after)
        started = world.now

        class Probe:
            def __init__(self, run, target, interval):
                pass

            def stop(self):
                return world.replies(started)

        monkeypatch.setattr(failover_drill, "time", world)
        monkeypatch.setattr(failover_drill, "collect", world.collect)
        monkeypatch.setattr(failover_drill.drill, "Probe", Probe)
        monkeypatch.setattr(failover_drill.drill, "forwarding", lambda *a, **k: (0.05, "heard"))
        return world
    return make


PARAMS = dict(failure="carrier", interval=0.01, settle=5, target="192.0.2.1")


def test_a_cut_port_fails_over_comes_back_and_the_row_gives_the_loss(lab):
    world = lab(flips_after=0.09)
    before = world.collect(["bond0"])["bond0"]
    row = failover_drill.cut(world, "bond0", before, "eth0", PARAMS)
    assert world.commands == ["ip link set dev eth0 down", "ip link set dev eth0 up"]
    assert row["ok"], row["problems"]
    assert (row["active_before"], row["active_after"]) == ("eth0", "eth1")
    assert 80 <= row["loss_cut_ms"] <= 100 and row["loss_back_ms"] == 0.0
    assert row["passes_by"] == "heard"


def test_a_bond_that_never_fails_over_fails_the_row_naming_it(lab):
    world = lab(flips_after=None)
    before = world.collect(["bond0"])["bond0"]
    row = failover_drill.cut(world, "bond0", before, "eth0", PARAMS)
    assert not row["ok"] and "no other port took over from eth0" in row["problems"]
    assert "traffic to 192.0.2.1 stopped with eth0 down" in row["problems"]
    assert world.commands[-1] == "ip link set dev eth0 up"  # the port comes back whatever happened
