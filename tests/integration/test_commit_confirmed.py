"""Commit-confirmed apply in the kernel lab, on the interface the SSH session
uses (the guest's management NIC vec0, moved into a bridge), on each stack
that can run the management NIC (ifupdown, systemd-networkd, NetworkManager,
netplan on networkd: a guest of its own each, lab.stack):

1. a change that breaks the management path (wrong address) -> the play
   fails, and after the timeout the host is reachable again with its
   original files, the stack's own state and links;
2. ansible-playbook killed in the middle of the apply -> the host rolls back
   by itself;
3. a good change confirms and stays after the timeout has passed; removing
   it (again over the session's own interface) gives vec0 back.
"""

from __future__ import annotations

import os
import re
import subprocess
import threading
import time

import pytest

from tests.helpers import BIN, ROOT, lab_inventory, run

pytestmark = pytest.mark.integration
LAB = os.path.join(ROOT, "tests", "lab")
TX = "/var/lib/redundant-interfaces/transactions"
# stack -> the guest's name and what comes back after a rollback beside vec0's address: the
# stack's files (netplan's generated ones too) and its own view of vec0 (the file networkd
# configures it from, the profile NetworkManager has active on it)
STACKS = {
    "ifupdown": ("cc", "cat /etc/network/interfaces; ls /etc/network/interfaces.d"),
    "networkd": ("ccnd", "ls /etc/systemd/network; networkctl status vec0 | sed -n 's/^ *Network File: //p'"),
    "nm": ("ccnm", "ls /etc/NetworkManager/system-connections; nmcli -g GENERAL.CONNECTION device show vec0"),
    "netplan": ("ccnp", "ls /etc/netplan /run/systemd/network; networkctl status vec0 | sed -n 's/^ *Network File: //p'"),
}
FILES = {"ifupdown": "/etc/network/interfaces.d", "networkd": "/etc/systemd/network",
         "nm": "/etc/NetworkManager/system-connections", "netplan": "/etc/netplan"}


def ssh(guest, command, check=True, timeout=20):
    return run(os.path.join(LAB, "ssh"), guest["name"], command, check=check, timeout=timeout)


def reachable(guest, within):
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            if ssh(guest, "true", check=False, timeout=8).returncode == 0:
                return True
        except subprocess.TimeoutExpired:
            pass
        time.sleep(1)
    return False


def state(guest):
    """What must come back after a rollback: the stack's files and view of vec0, vec0's address, no br0."""
    return ssh(guest, "%s; ip -br -4 addr show vec0 | awk '{print $3}'; ip link show br0 >/dev/null 2>&1 && "
                      "echo br0-exists; true" % STACKS[guest["stack"]][1]).stdout


def files(guest):
    return set(ssh(guest, "ls %s" % FILES[guest["stack"]]).stdout.split())


@pytest.fixture(scope="module", params=sorted(STACKS))
def guest(request, tmp_path_factory):
    stack = request.param
    name = STACKS[stack][0]
    run(os.path.join(LAB, "up"), name, "plain", "" if stack == "ifupdown" else "lab.stack=" + stack, timeout=300)
    inventory = lab_inventory(tmp_path_factory.mktemp(name) / "inventory.yml", name)
    found = dict(name=name, stack=stack, inventory=inventory)
    found.update(original=state(found), files=files(found))
    assert "192.0.2.2/24" in found["original"], found["original"]  # the stack runs the management NIC
    yield found
    run(os.path.join(LAB, "down"), name, check=False)


def playbook(guest, address, timeout, *extra):
    return ["ansible-playbook", "-v", "-i", guest["inventory"], "tests/integration/playbooks/commit_confirmed.yml",
            "-e", "address=%s seconds=%d" % (address, timeout)] + list(extra)


def test_1_a_change_that_cuts_the_management_path_rolls_back(guest):
    started = time.monotonic()
    proc = run(*playbook(guest, "198.51.100.99/24", 40), check=False, timeout=300)
    assert proc.returncode != 0
    # the controller gave up (or came back only after the host had restored itself)
    assert re.search(r"no new connection to the host after the change|restored its previous configuration by "
                     r"itself before the controller could confirm", proc.stdout), proc.stdout[-3000:]
    assert reachable(guest, within=90), "the host did not come back"
    assert time.monotonic() - started >= 35  # it came back through the rollback, not before
    assert state(guest) == guest["original"]
    assert "rolled back" in ssh(guest, "cat /var/log/redundant-interfaces-rollback.log").stdout


def test_2_killing_the_playbook_mid_apply_rolls_back(guest):
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_NOCOLOR="1",
               PATH=BIN + os.pathsep + os.environ.get("PATH", ""))
    proc = subprocess.Popen(playbook(guest, "192.0.2.2/24", 40), cwd=ROOT, env=env, start_new_session=True,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    watchdog = threading.Timer(300, proc.kill)  # a hung playbook must not hang the test run
    watchdog.start()
    for line in proc.stdout:  # the action says so the moment the module has armed and started the change
        if "change applying under transaction" in line:
            break
    else:
        pytest.fail("the apply never armed")
    # the whole controller dies: ansible-playbook and its workers (which run in sessions of their own)
    subprocess.run(["pkill", "-KILL", "-f", "%s .*playbooks/commit_confirmed.yml" % guest["inventory"]], check=False)
    proc.wait()
    watchdog.cancel()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # every transaction left behind has rolled back
        try:
            left = ssh(guest, "for t in %s/*; do [ -e $t/rolled-back ] || echo $t; done" % TX, check=False, timeout=8)
            if left.returncode == 0 and not left.stdout.strip():
                break
        except subprocess.TimeoutExpired:
            pass
        time.sleep(2)
    assert reachable(guest, within=60)
    assert state(guest) == guest["original"], ssh(guest, "cat /var/log/redundant-interfaces-rollback.log").stdout


def test_3_a_good_change_confirms_and_stays(guest):
    proc = run(*playbook(guest, "192.0.2.2/24", 40), timeout=300)
    assert '"confirmed": true' in proc.stdout, proc.stdout[-3000:]
    assert '"backend": "%s"' % guest["stack"] in proc.stdout  # the role found the stack that runs vec0
    time.sleep(45)  # past the timer: nothing may roll it back
    after = state(guest)
    assert "br0-exists" in after and "192.0.2.2/24" not in after.splitlines()[-1]
    assert ssh(guest, "ip -br -4 addr show br0").stdout.split()[2] == "192.0.2.2/24"
    assert "master br0" in ssh(guest, "ip -o link show vec0").stdout
    new = files(guest) - guest["files"]
    assert new and all("br0" in name for name in new), new  # the bridge's files, in the stack's own place
    assert ssh(guest, "systemctl list-timers --all --no-legend | grep -c redundant-interfaces || true"
               ).stdout.strip() == "0"
    removed = run(*playbook(guest, "192.0.2.2/24", 40, "-e", "state=absent"), timeout=300)
    assert '"confirmed": true' in removed.stdout
    assert state(guest) == guest["original"]
