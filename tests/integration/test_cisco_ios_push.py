"""The cisco_ios role pushed over SSH (network_cli, with enable) to the IOS simulator.

Converge and verify through the switches' own show output, idempotence
(second run changed=0), check mode shows the commands and sends no config
command, the enable secret appears nowhere, a wrong one fails before any
command is sent.
"""

from __future__ import annotations

import re

import pytest

from tests.helpers import IOS_CONFIG_WORDS, ios_sim, run

pytestmark = pytest.mark.integration

SECRET = "en-4b1e-secret"


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    log = tmp_path_factory.mktemp("sim") / "received.log"
    # the devices the lab inventory describes: sw1 an access switch in PVST+, sw2 a Catalyst 9300 in MST
    server, env = ios_sim(log, IOS_SIM_ENABLE_SECRET=SECRET)
    yield dict(env=env, log=log)
    server.terminate()
    server.wait(10)


def playbook(sim, *extra, check=True, env=None):
    return run("ansible-playbook", "-i", "inventory/lab.yml", "-i", "tests/ios_sim/inventory.yml",
               "playbooks/switches.yml", *extra, env=dict(sim["env"], **(env or {})), check=check)


def changed(out):
    return {host: int(n) for host, n in re.findall(r"^(sw\d)\s+: ok=\d+\s+changed=(\d+)", out, re.M)}


def received(sim):
    return [line.split(" ", 1)[1] for line in sim["log"].read_text().splitlines()]


def show(sim, switch, command):
    proc = run("ansible", "-i", "inventory/lab.yml", "-i", "tests/ios_sim/inventory.yml", switch, "-m",
               "cisco.ios.ios_command", "-a", "commands='%s'" % command, env=sim["env"])
    return proc.stdout


def test_push_verify_idempotence_check_mode_and_show(sim):
    first = playbook(sim, "-v").stdout
    assert changed(first)["sw1"] > 0 and changed(first)["sw2"] > 0
    # the role's own verification read the show output back
    assert "VLAN 1: this switch is root" in first
    assert "MST0: root 0000.0c00.0001 via TwentyFiveGigE1/1/4" in first, first[-5000:]  # sw2, the secondary, in MST terms
    assert re.search(r"Port-channel\d+ SU LACP: Fa0/1\(P\) Fa0/2\(P\)", first)
    assert SECRET not in first and "enable" in received(sim)
    assert "<secret>" in received(sim)

    assert changed(playbook(sim).stdout) == {"sw1": 0, "sw2": 0}

    sim["log"].write_text("")
    # (sw1's short path costs: 200 is a slower port than any; sw2's long ones would refuse it)
    checked = playbook(sim, "--check", "-l", "sw1", "-e", "cisco_ios_server_port_cost=200").stdout
    assert changed(checked)["sw1"] > 0  # it would change the cost...
    assert "spanning-tree cost 200" in checked  # ...shows the exact command...
    lines = received(sim)
    assert lines and not [line for line in lines if line.startswith(IOS_CONFIG_WORDS)]  # ...and sends none

    etherchannel = show(sim, "sw1", "show etherchannel summary")
    assert re.search(r"Po\d+\(SU\)\s+LACP\s+Fa0/1\(P\)\s+Fa0/2\(P\)", etherchannel)
    assert "This bridge is the root" in show(sim, "sw1", "show spanning-tree vlan 1")
    running = show(sim, "sw2", "show running-config | section TwoGigabitEthernet1/0/23")
    assert "spanning-tree mst 0 cost 50000" in running and "portfast" not in running
    assert "spanning-tree mst 0 priority 4096" in show(sim, "sw2", "show running-config | include spanning-tree")


def test_wrong_enable_secret_fails_before_any_command(sim):
    sim["log"].write_text("")
    proc = playbook(sim, "-e", "ansible_become_password=wrong", check=False)
    assert proc.returncode != 0
    assert "failed to elevate privilege to enable mode" in proc.stdout + proc.stderr
    assert not [line for line in received(sim) if line.startswith(IOS_CONFIG_WORDS)]
