# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Commit-confirmed apply: a change that undoes itself unless confirmed.

arm():    copy every file the plan touches aside, write a rollback script, and
          start a transient systemd timer that runs it after `timeout` s. It
          lives on the host: it fires whether or not the controller ever
          comes back.
detach(): start a process of its own (a new session) that waits for the
          controller's go, then applies and records its result in the
          transaction directory. The go comes over the session after the
          controller holds the transaction id: a change that starts at once
          could cut the session before the module's own answer got out, and
          the controller would never learn which transaction to confirm.
          Without a go in time, nothing changes and the timer is disarmed.
confirm(): disarm the timer and drop the copies.
fire():   roll back now (the apply failed, or the controller found the
          link unhealthy).
"""

from __future__ import annotations

import json
import os
import inspect
import shlex
import sys
import time
import uuid
from ansible_collections.redundant.interfaces.plugins.module_utils import announce
from ansible_collections.redundant.interfaces.plugins.module_utils.errors import RedundantError

ROOT = "/var/lib/redundant-interfaces/transactions"
UNIT = "redundant-interfaces-rollback-%s"
LOG = "/var/log/redundant-interfaces-rollback.log"


class TransactionError(RedundantError, RuntimeError):
    """The transaction cannot be armed, found or confirmed; the message says why."""


def new_id():
    return "%s-%s" % (time.strftime("%Y%m%d%H%M%S"), uuid.uuid4().hex[:8])


def directory(tid):
    if not tid or "/" in tid or tid.startswith("."):
        raise TransactionError("transaction %r is not a transaction id" % (tid,))
    return os.path.join(ROOT, tid)


def script(tid, files, before, after, last=()):
    """The rollback, as sh: `before` (argv lists) takes the new state down, the
    files come back (or go, if they did not exist), `after` brings the old
    state up; `last` runs once the rollback is marked done. Every step is best
    effort: a rollback must get as far as it can."""
    where = directory(tid)
    lines = ["#!/bin/sh", "# redundant.interfaces: roll back transaction %s" % tid,
             "[ -e %s/rolling-back ] && exit 0" % shlex.quote(where),  # once: fire() and the timer may both start it
             "touch %s/rolling-back" % shlex.quote(where),  # first: a late confirmation must see it started
             "exec >>%s 2>&1" % LOG, 'echo "$(date) rolling back %s"' % tid]
    lines += ["%s || true" % " ".join(shlex.quote(a) for a in cmd) for cmd in before]
    for index, (path, existed) in enumerate(sorted(files.items())):
        if existed:
            lines.append("cp -p %s %s" % (shlex.quote("%s/files/%d" % (where, index)), shlex.quote(path)))
        else:
            lines.append("rm -f %s" % shlex.quote(path))
    lines += ["%s || true" % " ".join(shlex.quote(a) for a in cmd) for cmd in after]
    lines += ["touch %s/rolled-back" % shlex.quote(where), 'echo "$(date) rolled back %s"' % tid]
    lines += ["%s || true" % " ".join(shlex.quote(a) for a in cmd) for cmd in last]
    return "\n".join(lines) + "\n"


def arm(tid, paths, before, after, timeout, run, announce_on=()):
    """Copy `paths` aside, write the script, start the timer. Returns the unit name.
    `announce_on`: devices whose addresses the rollback announces last (they move back to
    the old MACs), with a copy of announce.py this host's Python runs on its own."""
    where = directory(tid)
    os.makedirs(os.path.join(where, "files"), mode=0o700)
    last = []
    if announce_on:  # after the rollback is marked done: the announcements take seconds
        with open(os.path.join(where, "announce.py"), "w") as handle:
            handle.write(inspect.getsource(announce))
        last.append([sys.executable, os.path.join(where, "announce.py")] + list(announce_on))
    files = {}
    for index, path in enumerate(sorted(paths)):
        files[path] = os.path.exists(path)
        if files[path]:
            with open(path, "rb") as src, open(os.path.join(where, "files", str(index)), "wb") as dst:
                dst.write(src.read())
            os.chmod(os.path.join(where, "files", str(index)), os.stat(path).st_mode & 0o7777)
    with open(os.path.join(where, "rollback.sh"), "w") as handle:
        handle.write(script(tid, files, before, after, last))
    unit = UNIT % tid
    rc, out, err = run(["systemd-run", "--unit", unit, "--on-active", "%ds" % timeout,
                        "--timer-property", "AccuracySec=1s", "/bin/sh", os.path.join(where, "rollback.sh")])
    if rc != 0:
        raise TransactionError("cannot arm the rollback timer (systemd-run: %s); nothing was changed. "
                               "Set confirm_timeout to 0 to apply without one" % (err or out).strip())
    return unit


def go_path(tid):
    """The file whose appearance starts the change (the controller creates it)."""
    return os.path.join(directory(tid), "go")


def detach(tid, work, start_within, run, step=0.1):
    """In a child of its own session: wait up to `start_within` s for the go, then run
    work() -> result dict and record it; without a go, disarm. Returns in the parent."""
    if os.fork():
        return
    os.setsid()
    if os.fork():
        os._exit(0)
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    if not wait_for_go(tid, start_within, step):
        abandon(tid, run)
        os._exit(0)
    try:
        result = work()
    except Exception as exc:  # the child must always leave a result behind; pylint: disable=broad-except
        result = dict(failed=True, msg=str(exc))
    record(tid, result)
    os._exit(0)


def wait_for_go(tid, wait, step):
    """Whether the go came within `wait` s, and before any rollback started."""
    deadline = time.monotonic() + wait
    while not rollback_started(tid):
        if os.path.exists(go_path(tid)):
            return not rollback_started(tid)
        if time.monotonic() > deadline:
            return False
        time.sleep(step)
    return False


def abandon(tid, run):
    """No go came: nothing was changed; stop the timer and forget the transaction."""
    try:
        confirm(tid, run)
    except TransactionError:
        return  # the timer fired first: its rollback restores what it kept, which is what is there
    with open(LOG, "a") as log:
        log.write("%s transaction %s never started (no go from the controller); disarmed\n" % (time.ctime(), tid))


def known(tid):
    return os.path.isdir(directory(tid))


def record(tid, result):
    path = os.path.join(directory(tid), "result.json")
    with open(path + ".tmp", "w") as handle:
        json.dump(result, handle)
    os.rename(path + ".tmp", path)


def _appears(path, wait, step):
    """Whether `path` exists within `wait` s."""
    deadline = time.monotonic() + wait
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            return False
        time.sleep(step)
    return True


def result(tid):
    """The apply's recorded result, or None while it runs."""
    try:
        with open(os.path.join(directory(tid), "result.json")) as handle:
            return json.load(handle)
    except FileNotFoundError:
        return None


def rollback_started(tid):
    """Has the rollback started (it may still be running)?"""
    return os.path.exists(os.path.join(directory(tid), "rolling-back"))


def wait_rolled_back(tid, wait=60.0, step=0.5):
    """Wait for a started rollback to finish; whether it did."""
    return _appears(os.path.join(directory(tid), "rolled-back"), wait, step)


def confirm(tid, run):
    """Disarm: stop the timer, drop the copies. Refuses when the rollback already ran."""
    where = directory(tid)
    if not os.path.isdir(where):
        raise TransactionError("transaction %s is unknown on this host (confirmed already?)" % tid)
    if rollback_started(tid):
        raise TransactionError("transaction %s was rolled back already (the confirmation came too late)" % tid)
    run(["systemctl", "stop", "%s.timer" % (UNIT % tid)])
    if rollback_started(tid):  # it fired while we stopped it
        raise TransactionError("transaction %s was rolled back already (the confirmation came too late)" % tid)
    for name in sorted(os.listdir(os.path.join(where, "files"))):
        os.remove(os.path.join(where, "files", name))
    os.rmdir(os.path.join(where, "files"))
    for name in ("rollback.sh", "announce.py", "result.json", "go"):
        if os.path.exists(os.path.join(where, name)):
            os.remove(os.path.join(where, name))
    os.rmdir(where)


def fire(tid, run):
    """Roll back now and wait for it. systemd runs it, and is handed it before the timer is
    stopped: the caller may be killed at any moment (its session ends when the change cuts
    the session's path), and the rollback must happen all the same."""
    unit = UNIT % tid
    if not rollback_started(tid):  # else the timer got there first
        rc, out, err = run(["systemd-run", "--unit", unit + "-now", "/bin/sh", os.path.join(directory(tid), "rollback.sh")])
        if rc != 0:
            raise TransactionError("the rollback of %s could not start (%s); the timer still rolls back at its "
                                   "time; see %s" % (tid, (err or out).strip(), LOG))
    run(["systemctl", "stop", "%s.timer" % unit])
    if not wait_rolled_back(tid):
        raise TransactionError("the rollback of %s did not complete in 60 s; see %s" % (tid, LOG))
