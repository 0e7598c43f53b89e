# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The link module's flows, apart from AnsibleModule: plan (all check mode
does), apply now, apply commit-confirmed (arm the rollback, detach the change),
and confirm. run() returns the task's result; `failed` in it fails the task.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import time
from dataclasses import dataclass, field

from ansible.module_utils.parsing.convert_bool import boolean
from ansible_collections.redundant.interfaces.plugins.module_utils import announce, engine, live, probes, transaction
from ansible_collections.redundant.interfaces.plugins.module_utils.catalog import CONTRACT
from ansible_collections.redundant.interfaces.plugins.module_utils.model import LinkError, build_links
from ansible_collections.redundant.interfaces.plugins.module_utils.names import whole_number
from ansible_collections.redundant.interfaces.plugins.module_utils.roots import check_never_root

BACKUP_DIR = "/var/backups/redundant-interfaces"
# Seconds before the host's timer fires that the controller's last confirmation may start: a
# connection attempt may take the connection timeout, and the module needs a few seconds to
# check the links. A confirm timeout leaves room for at least one full attempt besides it.
MARGIN = 15
MIN_CONFIRM = 2 * MARGIN
BONDING = live.SYS + "/bonding_masters"
STP_CONF = "/etc/bridge-stp.conf"  # mstpd's: MSTP_BRIDGES, the bridges it takes (empty: every one)
CONTAINER_MARKS = ("/run/.containerenv", "/.dockerenv")


@dataclass
class Context:
    """What the flows need from the module."""

    params: dict
    host: engine.Host
    which: object  # get_bin_path(name) -> path or None
    move: object  # atomic_move(src, dest)
    check_mode: bool = False
    diff: bool = False
    environ: dict = field(default_factory=lambda: dict(os.environ))


def check_request(params, roots=None, expect=None):
    """What the controller refuses before it connects: the links themselves, an option the
    named stack cannot express, a confirm timeout too short to confirm or to leave the probes
    their wait, an LLDP probe of a port no uplink names, and a bridge that could win the STP
    election against a switch (roots: {switch: (priority, variable)}; expect: see probes)."""
    method = params.get("method")
    var = params.get("variable") or "%s_links" % method
    links = build_links(method, params.get("links"), var)
    backend = params.get("backend") or "auto"
    if backend != "auto":
        if not isinstance(backend, str) or backend not in engine.BACKENDS:
            raise LinkError("%s_backend: %r is not a network stack; use auto or one of %s"
                            % (method, backend, ", ".join(sorted(engine.BACKENDS))))
        engine.check_stack(links, backend, var, LinkError)
    given = params.get("confirm_timeout") or 0
    bound = CONTRACT["%s_confirm_timeout" % method]
    timeout = whole_number(given)
    if timeout is None or timeout < 0:
        raise LinkError("%s: %r must be a whole number of seconds (0: no rollback)" % (bound.name, given))
    if timeout > bound.max:
        raise LinkError("%s: %s is out of range: 0 to %d s; %s" % (bound.name, timeout, bound.max, bound.why))
    if 0 < timeout < MIN_CONFIRM and boolean(params.get("live", True), strict=False):
        raise LinkError("%s_confirm_timeout: %s s is too short for the controller to reconnect and confirm before "
                        "the host rolls back (it stops trying %d s before the timer); use at least %d, or 0 to "
                        "apply without a rollback" % (method, timeout, MARGIN, MIN_CONFIRM))
    confirmed = timeout > 0 and boolean(params.get("live", True), strict=False)
    for link in links:
        if link.state != "present":
            continue
        where = "%s[%s]" % (var, link.name)
        if link.kind == "bridge":
            check_never_root(link.options["priority"], roots or {}, where)
        _check_probes(link, expect or {}, timeout if confirmed else 0, method, where)
    return links


def _check_probes(link, expect, timeout, method, where):
    """An LLDP probe needs each port's uplink; the timer must leave the probes their wait."""
    uplinks = expect.get("uplinks") or {}
    missing = [port for port in link.ports if link.probes.lldp and port not in uplinks]
    if missing:
        raise LinkError("%s: probes.lldp: no uplink of this server names %s, so nothing says which switch port "
                        "to expect; give the server's uplinks (or discover them: playbooks/cabling.yml)"
                        % (where, ", ".join(missing)))
    if timeout and probes.checks(link, None, expect) and timeout < MIN_CONFIRM + link.probes.wait:
        raise LinkError("%s_confirm_timeout: %d s leaves %s's probes no room for their wait of %d s (the host "
                        "would roll back while they run); use at least %d, or a shorter probes.wait"
                        % (method, timeout, where, link.probes.wait, MIN_CONFIRM + link.probes.wait))


def run(ctx):
    params = ctx.params
    var = params["variable"] or "%s_links" % params["method"]
    links = build_links(params["method"], params["links"], var)
    if params["transaction"]:
        return confirm(links, ctx.host, params["transaction"], var, params.get("expect"))
    job = Job(ctx, links, var)
    if not job.plan.changed or ctx.check_mode:
        return job.unchanged()
    if job.confirmed:
        return job.arm()
    return job.apply()


class Job:
    """One run of the link module on one host: its plan, and how it is carried out."""

    def __init__(self, ctx, links, var):
        self.ctx, self.links, self.var, self.host = ctx, links, var, ctx.host
        params = ctx.params
        seen = engine.signals(self.host, ctx.which)
        name = engine.detect(seen) if params["backend"] == "auto" else params["backend"]
        self.backend = engine.BACKENDS[name]
        current = self.backend.current(self.host)
        self.confirmed = params["live"] and params["confirm_timeout"] > 0
        # through the confirmed path, enslaving the connection's own interface is allowed
        engine.check_host(links, self.backend, self.host, current,
                          None if self.confirmed else connection_interface(self.host, ctx.environ), var)
        if params["live"]:
            ensure_bonding(self.host, ctx.which, links, var)
            ensure_mstpd(self.host, ctx.which, links, var)
        self.plan = engine.plan(links, self.backend, self.host, params["live"], current,
                                engine.foreign(name, seen))
        self.steps = engine.steps(self.plan, self.backend, self.host)
        self.backups = []
        self.result = dict(changed=self.plan.changed, backend=name, links=[link.as_dict() for link in links],
                           files=sorted(self.plan.files), actions=[str(step) for step in self.steps],
                           drift={n: [str(d) for d in found] for n, found in self.plan.drift.items()})
        if ctx.diff:
            self.result["diff"] = diff(self.plan, self.result["actions"])

    def live(self):
        return {link.name: self.host.link(link.name) for link in self.links if link.state == "present"}

    def unchanged(self):
        """Nothing to do, or check mode: the plan, and the kernel as it is."""
        return dict(self.result, live=self.live()) if self.ctx.params["live"] else self.result

    def write(self, path, text):
        """Persist one file (a backup of the old one first), with the mode the stack wants."""
        if self.ctx.params["backup"] and os.path.exists(path):
            self.backups.append(backup(path))
        if text is None:
            os.remove(path)
            return
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = "%s.redundant-tmp" % path
        with open(tmp, "w") as handle:
            handle.write(text)
        self.ctx.move(tmp, path)
        os.chmod(path, self.backend.mode(path))  # atomic_move gives new files a default mode

    def apply(self):
        """Apply, read the kernel back: the result (failed when it still differs)."""
        engine.apply(self.plan, self.backend, self.host, self.write, self.steps)
        done = dict(self.result, backups=self.backups)
        if not self.ctx.params["live"]:
            return done
        remaining = engine.settle(self.links, self.host)
        if remaining:
            done.update(failed=True, msg="%s: after the change the kernel still differs: %s"
                        % (self.var, live.describe(remaining)))
        # addresses may now sit behind another MAC: the neighbours must not wait for their caches to age
        done["announced"] = announce.run(announce.devices(self.links), self.host)
        return dict(done, live=self.live())

    def arm(self):
        """Arm the host's own rollback, then let the change run on its own (it may cut this session)."""
        signal.signal(signal.SIGHUP, signal.SIG_IGN)  # a dying session must not stop us half-armed
        tid = transaction.new_id()
        before, after = engine.rollback_steps(self.backend, self.links)
        unit = transaction.arm(tid, self.plan.files, before, after, self.ctx.params["confirm_timeout"],
                               self.host.run, announce.devices(self.links))
        # the change waits for the controller's go: it may cut the session this answer leaves by
        transaction.detach(tid, self.apply, self.ctx.params["confirm_timeout"] - MARGIN, self.host.run)
        return dict(self.result, transaction=tid, rollback_unit=unit, go=transaction.go_path(tid))


def diff(plan, actions):
    """--diff: each file, then the live steps."""
    out = [dict(before_header=p, after_header=p, before=old or "", after=new or "")
           for p, (old, new) in sorted(plan.files.items())]
    if actions:
        out.append(dict(prepared="live steps:\n  " + "\n  ".join(actions) + "\n"))
    return out


def confirm(links, host, tid, var, expect=None):
    """The controller is back: the applied change is healthy and its probes pass -> disarm; else
    roll back now."""
    if not transaction.known(tid):
        return dict(failed=True, changed=False, transaction=tid, msg=(
            "%s: transaction %s is not on this host: it was confirmed by an earlier attempt whose answer was "
            "lost, or the change never started (no go from the controller in time, so nothing changed)" % (var, tid)))
    if transaction.rollback_started(tid):
        return restored_itself(tid, var)
    done = transaction.result(tid)
    if done is None:
        # this session may have come up before the change cut the path it runs over (the change
        # starts at the go, and takes seconds): only a session that starts once the change has
        # finished proves the new path. The controller asks again over a new one.
        return dict(pending=True, changed=False, transaction=tid,
                    msg="the change is still being applied on the host (transaction %s)" % tid)
    problem, probed = None, []
    if done.get("failed"):
        problem = done.get("msg")
    else:
        remaining = engine.settle(links, host, timeout=10)
        if remaining:
            problem = "%s: the link is not healthy: %s" % (var, live.describe(remaining))
        else:
            probed = probes.run(links, host, expect)
            if probes.failed(probed):
                problem = "%s: %s" % (var, "; ".join(map(str, probes.failed(probed))))
    if problem and transaction.rollback_started(tid):  # the timer fired while we looked
        return restored_itself(tid, var)
    report = [check.as_dict() for check in probed]
    if problem:
        transaction.fire(tid, host.run)
        extra = {k: v for k, v in (done or {}).items() if k not in ("failed", "msg")}
        return dict(extra, failed=True, msg="%s; rolled back to the previous configuration" % problem,
                    transaction=tid, rolled_back=True, changed=True, probes=report)
    transaction.confirm(tid, host.run)
    return dict(done, transaction=tid, confirmed=True, changed=True, probes=report)


def restored_itself(tid, var):
    """The host's own rollback started before the confirmation: let it finish, then say so."""
    transaction.wait_rolled_back(tid)
    return dict(failed=True, msg="%s: the host restored its previous configuration by itself before the "
                                 "controller could confirm the change (transaction %s): the change cut it off"
                                 % (var, tid), transaction=tid, rolled_back=True, changed=True)


def connection_interface(host, environ):
    """The interface holding the address this SSH session came in on, if any."""
    server_ip = (environ.get("SSH_CONNECTION") or "").split()[2:3]
    if not server_ip:
        return None
    rc, out, dummy = host.run(["ip", "-j", "addr", "show"])
    return live.interface_with_address(out, server_ip[0]) if rc == 0 else None


def ensure_bonding(host, which, links, var):
    if not any(link.kind == "bond" and link.state == "present" for link in links):
        return
    if host.read(BONDING) is None and which("modprobe"):
        host.run(["modprobe", "bonding"])
    if host.read(BONDING) is None:
        raise engine.HostError("%s: this host's kernel has no bonding driver; set live to false to only "
                               "write the configuration" % var)


def mstp_bridges(text):
    """The bridges /etc/bridge-stp.conf gives mstpd (its last MSTP_BRIDGES=); None: every one."""
    found = re.findall(r"^\s*MSTP_BRIDGES=(['\"]?)([^'\"\n#]*)\1", text or "", re.M)
    names = found[-1][1].split() if found else []
    return names or None


def in_container(host):
    return any(host.read(path) is not None for path in CONTAINER_MARKS) or \
        "container=" in (host.read("/proc/1/environ") or "")


def ensure_mstpd(host, which, links, var):
    """RSTP bridges need mstpd, outside a container; with mstpd on the host, an STP
    bridge it would take (the package's default: every one) cannot stay 802.1D."""
    bridges = [link for link in links if link.kind == "bridge" and link.state == "present"]
    has_mstpd = bool(which("mstpd") and which("mstpctl"))
    taken = mstp_bridges(host.read(STP_CONF))
    for link in bridges:
        where = "%s[%s]" % (var, link.name)
        if not link.rstp:
            if has_mstpd and (taken is None or link.name in taken):
                raise engine.HostError(
                    "%s: protocol stp, but this host has mstpd, which takes %s from the kernel and runs RSTP "
                    "(%s gives it %s); set protocol rstp, or list only the bridges mstpd may take in "
                    "MSTP_BRIDGES there" % (where, link.name, STP_CONF, "every bridge" if taken is None
                                            else " ".join(taken)))
            continue
        if not has_mstpd:
            raise engine.HostError(
                "%s: protocol rstp needs mstpd (user-space RSTP), which this host lacks: install the mstpd "
                "package first (the usage guide's RSTP section says where each distribution has it), or use "
                "protocol stp" % where)
        if in_container(host):
            raise engine.HostError(
                "%s: protocol rstp cannot work in a container: Linux hands a bridge's STP to mstpd only in "
                "the initial network namespace and runs 802.1D itself elsewhere; use protocol stp" % where)
        if taken is not None and link.name not in taken:
            raise engine.HostError("%s: %s lists MSTP_BRIDGES=%s without %s, so mstpd would leave it to the "
                                   "kernel's 802.1D; add %s there" % (where, STP_CONF, " ".join(taken), link.name,
                                                                      link.name))


def backup(path):
    """Copy a file aside before it changes. Not next to it: ifupdown sources
    every file in interfaces.d, a backup there would configure the old link."""
    os.makedirs(BACKUP_DIR, mode=0o700, exist_ok=True)
    dest = os.path.join(BACKUP_DIR, "%s.%s" % (path.strip("/").replace("/", "__"),
                                               time.strftime("%Y%m%d-%H%M%S")))
    shutil.copy2(path, dest)
    return dest
