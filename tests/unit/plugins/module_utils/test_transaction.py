"""Commit-confirmed transactions: what is kept, the rollback script, arming,
confirming, firing, and the detached apply recording its result."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from ansible_collections.redundant.interfaces.plugins.module_utils import transaction


@pytest.fixture(autouse=True)
def root(tmp_path, monkeypatch):
    monkeypatch.setattr(transaction, "ROOT", str(tmp_path / "tx"))
    monkeypatch.setattr(transaction, "LOG", str(tmp_path / "rollback.log"))
    return tmp_path


class Systemd:
    """systemd-run / systemctl stand-in: records, and runs a fired script with sh."""

    def __init__(self):
        self.calls = []

    def __call__(self, cmd):
        self.calls.append(cmd)
        if cmd[0] == "systemd-run" and cmd[2].endswith("-now"):
            subprocess.run(cmd[-2:], check=True)
        return 0, "", ""


def test_arm_keeps_the_files_and_starts_a_timer(root):
    kept = root / "interfaces"
    kept.write_text("auto vec0\n")
    systemd = Systemd()
    unit = transaction.arm("t1", [str(kept), str(root / "new")], [["ip", "link", "del", "dev", "br0"]],
                           [["ifup", "-a"]], 30, systemd)
    assert unit == "redundant-interfaces-rollback-t1"
    assert systemd.calls[0][:5] == ["systemd-run", "--unit", unit, "--on-active", "30s"]
    script = (root / "tx" / "t1" / "rollback.sh").read_text()
    assert script.index("rolling-back") < script.index("ip link del dev br0 || true") < script.index("cp -p") \
        < script.index("ifup -a || true") < script.index("rolled-back")
    assert "rm -f %s" % (root / "new") in script


def test_the_rollback_announces_once_done_with_a_copy_that_runs_without_the_collection(root):
    transaction.arm("t11", [], [["ip", "link", "del", "dev", "br0"]], [["ifup", "-a"]], 30, Systemd(),
                    announce_on=["br0", "vec0"])
    copy = root / "tx" / "t11" / "announce.py"
    script = (root / "tx" / "t11" / "rollback.sh").read_text()
    assert script.index("ifup -a || true") < script.index("rolled-back") \
        < script.index("%s %s br0 vec0 || true" % (sys.executable, copy))
    # isolated: no collection on the path; a device that does not exist has nothing to announce
    proc = subprocess.run([sys.executable, "-I", str(copy), "nosuch0"], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "" and proc.stderr == ""
    transaction.confirm("t11", Systemd())
    assert not (root / "tx" / "t11").exists()


def test_fire_restores_files_and_marks_the_rollback(root):
    kept = root / "interfaces"
    kept.write_text("auto vec0\n")
    new = root / "br0"
    systemd = Systemd()
    transaction.arm("t2", [str(kept), str(new)], [], [["true"]], 30, systemd)
    kept.write_text("changed\n")
    new.write_text("bridge\n")
    transaction.fire("t2", systemd)
    assert kept.read_text() == "auto vec0\n" and not new.exists()
    assert transaction.rollback_started("t2")
    with pytest.raises(transaction.TransactionError, match="rolled back already"):
        transaction.confirm("t2", systemd)


def test_a_rollback_the_timer_started_is_waited_for_not_run_twice(root):
    systemd = Systemd()
    transaction.arm("t6", [], [], [], 30, systemd)
    where = transaction.directory("t6")
    open(os.path.join(where, "rolling-back"), "w").close()
    open(os.path.join(where, "rolled-back"), "w").close()
    transaction.fire("t6", systemd)
    assert not [c for c in systemd.calls if c[0] == "systemd-run" and c[2].endswith("-now")]


def test_fire_hands_the_rollback_to_systemd_before_it_stops_the_timer(root):
    systemd = Systemd()
    transaction.arm("t9", [], [], [], 30, systemd)
    transaction.fire("t9", systemd)
    now = systemd.calls.index(["systemd-run", "--unit", "redundant-interfaces-rollback-t9-now", "/bin/sh",
                               os.path.join(transaction.directory("t9"), "rollback.sh")])
    assert now < systemd.calls.index(["systemctl", "stop", "redundant-interfaces-rollback-t9.timer"])


def test_a_rollback_runs_once_when_the_timer_and_fire_both_start_it(root):
    kept = root / "interfaces"
    kept.write_text("before\n")
    systemd = Systemd()
    transaction.arm("t10", [str(kept)], [], [], 30, systemd)
    script = os.path.join(transaction.directory("t10"), "rollback.sh")
    subprocess.run(["sh", script], check=True)
    kept.write_text("after the rollback\n")
    subprocess.run(["sh", script], check=True)  # the second start finds it begun and does nothing
    assert kept.read_text() == "after the rollback\n"


def test_confirm_disarms_and_forgets(root):
    systemd = Systemd()
    transaction.arm("t3", [], [], [], 30, systemd)
    transaction.confirm("t3", systemd)
    assert ["systemctl", "stop", "redundant-interfaces-rollback-t3.timer"] in systemd.calls
    assert not os.path.exists(transaction.directory("t3"))
    with pytest.raises(transaction.TransactionError, match="unknown on this host"):
        transaction.confirm("t3", systemd)


def test_a_timer_that_cannot_be_armed_stops_everything(root):
    with pytest.raises(transaction.TransactionError, match="cannot arm the rollback timer .*nothing was changed"):
        transaction.arm("t4", [], [], [], 30, lambda cmd: (1, "", "Failed to connect to bus"))


def recorded(tid, wait):
    """The transaction's result once it is recorded, within `wait` s, else None."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        done = transaction.result(tid)
        if done is not None:
            return done
        time.sleep(0.05)
    return None


def test_detached_work_waits_for_the_go_and_records_its_result_even_when_it_fails(root):
    systemd = Systemd()
    transaction.arm("t5", [], [], [], 30, systemd)

    def work():
        raise RuntimeError("ifup br0 failed")

    transaction.detach("t5", work, 20, systemd, step=0.02)
    # nothing runs before the go: the module's answer must leave before the change can cut its session
    assert recorded("t5", 0.5) is None
    open(transaction.go_path("t5"), "w").close()
    assert recorded("t5", 10) == {"failed": True, "msg": "ifup br0 failed"}
    transaction.confirm("t5", systemd)  # the go goes with the rest
    assert not transaction.known("t5")


def test_without_a_go_in_time_nothing_runs_and_the_timer_is_disarmed(root, tmp_path):
    transaction.arm("t7", [], [], [], 30, Systemd())
    ran = tmp_path / "ran"
    # the child's stand-in for systemctl leaves a trace the parent can see
    transaction.detach("t7", lambda: ran.write_text("x") and {}, 0.3,
                       lambda cmd: (0, "", "") if (tmp_path / "stopped").write_text(" ".join(cmd)) else None)
    deadline = time.monotonic() + 5
    while transaction.known("t7") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not transaction.known("t7") and not ran.exists()
    assert (tmp_path / "stopped").read_text() == "systemctl stop redundant-interfaces-rollback-t7.timer"
    assert "t7 never started" in (root / "rollback.log").read_text()


def test_a_rollback_that_started_first_wins_over_a_late_go(root):
    transaction.arm("t8", [], [], [], 30, Systemd())
    open(os.path.join(transaction.directory("t8"), "rolling-back"), "w").close()
    open(transaction.go_path("t8"), "w").close()
    assert transaction.wait_for_go("t8", 1, 0.01) is False


def test_ids_cannot_escape_the_directory():
    with pytest.raises(transaction.TransactionError):
        transaction.directory("../etc")
    assert transaction.new_id() != transaction.new_id()
