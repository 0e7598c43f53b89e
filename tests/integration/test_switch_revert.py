"""The cisco_ios role's commit-confirmed push under IOS's revert timer, against the simulator
(real SSH sessions, IOS's minutes):

1. a good push is armed before its first change, confirmed over a new session after its
   verification, saved only then, and still there after the timer would have fired;
2. a push that cuts the switch's own management path (a server's LACP member on the switch's
   uplink, which the switch cannot see as one: nothing speaks LLDP or CDP there) kills the
   session; the switch takes no login until it has reverted by itself, and answers with its
   previous configuration;
3. a switch without a configuration archive is refused before any command changes it.
"""

from __future__ import annotations

import time

import pytest

from tests.helpers import IOS_CONFIG_WORDS, ios_sim, run

pytestmark = pytest.mark.integration
INVENTORIES = ["-i", "inventory/lab.yml", "-i", "tests/ios_sim/inventory.yml"]
# a server whose LACP member sits on sw1's uplink (the last port of the access switch): no
# neighbour is seen there, so nothing tells the role it is the switch's own path
CUTTING = """servers:
  hosts:
    cut1:
      redundancy_mode: bond_lacp
      uplinks:
        - {interface: eth0, switch: sw1, port: FastEthernet0/10}
        - {interface: eth1, switch: sw1, port: GigabitEthernet1/0/4}
"""


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    log = tmp_path_factory.mktemp("sim") / "received.log"
    server, env = ios_sim(log)
    yield dict(env=env, log=log)
    server.terminate()
    server.wait(10)


def push(env, *extra, check=True):
    return run("ansible-playbook", *INVENTORIES, *extra, "playbooks/switches.yml", "-e", "cisco_ios_revert_timer=1",
               env=env, check=check, timeout=600)


def running(env, switch="sw1", check=True):
    proc = run("ansible", *INVENTORIES, switch, "-m", "cisco.ios.ios_command", "-a", "commands='show running-config'",
               env=env, check=check, timeout=120)
    return proc.stdout if proc.returncode == 0 else None


def received(log, switch="sw1"):
    return [line.split(" ", 1)[1] for line in log.read_text().splitlines() if line.startswith(switch + " ")]


def test_1_a_good_push_is_confirmed_after_its_verification_and_stays(sim):
    push(sim["env"])
    lines = received(sim["log"])
    armed, confirmed = lines.index("configure terminal revert timer 1"), lines.index("configure confirm")
    changes = [i for i, line in enumerate(lines) if line.startswith(("interface ", "channel-group", "spanning-tree"))]
    assert armed < min(changes) and max(changes) < confirmed  # every change inside the timer
    assert lines.index("show etherchannel summary", max(changes)) < confirmed  # verified first
    saved = [i for i, line in enumerate(lines) if line in ("copy running-config startup-config", "write memory")]
    assert saved and min(saved) > confirmed  # a push that may still revert is never saved
    before = running(sim["env"])
    assert "channel-group" in before
    time.sleep(70)  # past the minute: nothing reverts a confirmed push
    assert running(sim["env"]) == before


def test_2_a_push_that_cuts_the_switch_off_reverts_by_itself(sim, tmp_path):
    before = running(sim["env"])
    overlay = tmp_path / "cutting.yml"
    overlay.write_text(CUTTING)
    started = time.monotonic()
    proc = push(sim["env"], "-i", str(overlay), check=False)
    assert proc.returncode != 0
    assert "channel-group" in received(sim["log"])[-1] and "configure confirm" not in received(sim["log"])[-3:]
    assert running(sim["env"], check=False) is None  # cut off: the switch takes no session
    deadline = time.monotonic() + 120
    after = None
    while after is None and time.monotonic() < deadline:
        time.sleep(5)
        after = running(sim["env"], check=False)
    assert after == before, "the switch did not come back with its previous configuration"
    assert time.monotonic() - started > 50  # back by its own timer, not before


def test_3_a_switch_without_an_archive_is_refused_before_any_change(tmp_path):
    log = tmp_path / "received.log"
    server, env = ios_sim(log, IOS_SIM_ARCHIVE="")
    try:
        proc = push(env, check=False)
    finally:
        server.terminate()
        server.wait(10)
    assert proc.returncode != 0
    assert "cisco_ios_revert_timer: 1 min, but sw1 has no configuration archive" in proc.stdout, proc.stdout[-3000:]
    assert not [line for line in received(log) if line.startswith(IOS_CONFIG_WORDS)]
