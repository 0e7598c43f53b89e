# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Plan and apply a host's links on its network stack, in the safe order.

plan():  read what is there (files, kernel), render what should be, and list
         the differences. Pure reading: check mode stops here.
apply(): take the old live state down, write the files (with backups), bring
         the links up, and read the kernel again to prove the result.
"""

from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass, field

from ansible_collections.redundant.interfaces.plugins.module_utils import announce, live
from ansible_collections.redundant.interfaces.plugins.module_utils.backends import common, mstpd
from ansible_collections.redundant.interfaces.plugins.module_utils.backends.common import Step, cmd
from ansible_collections.redundant.interfaces.plugins.module_utils.backends.stacks import BACKENDS
from ansible_collections.redundant.interfaces.plugins.module_utils.catalog import unsupported
from ansible_collections.redundant.interfaces.plugins.module_utils.errors import RedundantError


class HostError(RedundantError, RuntimeError):
    """The host cannot take this change; the message says why and what to do."""


@dataclass
class Plan:
    files: dict = field(default_factory=dict)  # path -> (old text or None, new text or None)
    relive: list = field(default_factory=list)  # links to take down and bring up again
    drift: dict = field(default_factory=dict)  # link name -> what differs in the kernel
    changes: dict = field(default_factory=dict)  # link name -> common.Change
    foreign: list = field(default_factory=list)  # other stacks on the host that must let go of the links

    @property
    def changed(self):
        return bool(self.files or self.relive)


class Host:
    """The few things the engine needs from a host; tests give it a fake one."""

    def __init__(self, run, sys_root=live.SYS):
        self.run = run
        self.sys_root = sys_root

    def read(self, path):
        try:
            with open(path) as handle:
                return handle.read()
        except (OSError, UnicodeDecodeError):
            return None

    def listdir(self, path):
        try:
            return sorted(os.listdir(path))
        except OSError:
            return []

    def link(self, name):
        return live.read_link(name, self.sys_root)

    def addresses(self):
        rc, out, dummy = self.run(["ip", "-j", "addr", "show"])
        return live.global_addresses(out) if rc == 0 else {}

    def poke(self, address, device):
        """Send one empty datagram to `address` out of `device` (the discard port): the kernel resolves
        the address there first (ARP, neighbour solicitation). What went wrong, or None."""
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        try:
            with socket.socket(family, socket.SOCK_DGRAM) as sock:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, device.encode())
                where = (address, 9, 0, socket.if_nametoindex(device)) if family == socket.AF_INET6 else (address, 9)
                sock.sendto(b"", where)
        except OSError as exc:
            return "cannot send to %s on %s: %s" % (address, device, exc.strerror or exc)
        return None

    def announce(self, device, address):
        """Tell `device`'s neighbours that `address` is at its MAC (see announce.py). What went wrong, or None."""
        return announce.deliver(device, address, self.sys_root)


def check_host(links, backend, host, current, connection_ifname=None, var="links"):
    """Refuse what would break the host or another link, before any change."""
    managed = backend.managed_links(current)
    names = {link.name for link in links}
    check_stack(links, backend.NAME, var, HostError)
    for link in links:
        where = "%s[%s]" % (var, link.name)
        owner = managed.get(link.name)
        if owner and owner[0] != link.method:  # one link, one owner: two roles would flip it on every run
            raise HostError("%s: %s already belongs to %s (%s); remove it there first (state: absent), or give "
                            "this link another name" % (where, link.name, owner[0], owner[2]))
        if link.state == "absent":
            continue
        missing = [p for p in link.ports if host.link(p) is None]
        if missing:
            raise HostError("%s: port %s does not exist on this host" % (where, ", ".join(missing)))
        for other, (method, ports, path) in managed.items():
            shared = set(ports) & set(link.ports)
            if other not in names and shared:
                raise HostError("%s: port %s already belongs to %s (%s, %s); remove it there first"
                                % (where, ", ".join(sorted(shared)), other, method, path))
        if connection_ifname and connection_ifname in link.ports:
            raise HostError(
                "%s: port %s carries this Ansible connection; enslaving it would cut the session. "
                "Run from another path, or over the console" % (where, connection_ifname))


def check_stack(links, stack, var, error):
    """Options a stack cannot express, refused by name (on the controller too, when the stack is named)."""
    for link in links:
        cannot = unsupported(list(link.options) + [o for s in link.port_options.values() for o in s], stack)
        if cannot and link.state == "present":
            raise error("%s[%s]: %s cannot be set on %s (the stack has no setting for it); remove it, or use a "
                        "stack that has: %s" % (var, link.name, ", ".join(sorted(set(cannot))), stack,
                                                ", ".join(n for n in sorted(BACKENDS) if not unsupported(cannot, n))))


def plan(links, backend, host, live_apply, current=None, others=()):
    """`current`: the backend's files as backend.current() read them, if already read.
    `others`: the other stacks present on the host (see foreign()); they let go of the links."""
    current = backend.current(host) if current is None else current
    wanted = backend.files(links, current)
    result = Plan(files={p: (current.get(p), new) for p, new in wanted.items() if current.get(p) != new})
    theirs = common.read_files(host, mstpd.read_paths(links), [mstpd.DIRECTORY])  # rstp bridges: mstpd's files, any stack
    result.files.update({p: (theirs.get(p), new) for p, new in mstpd.files(links, theirs).items()
                         if theirs.get(p) != new})
    for stack in others:
        theirs = stack.foreign(host)
        changed = {p: (theirs.get(p), new) for p, new in stack.foreign_files(links, theirs).items()
                   if theirs.get(p) != new}
        result.files.update(changed)
        if changed:
            result.foreign.append(stack)
    addresses = host.addresses() if live_apply else None
    for link in links:
        state = host.link(link.name)
        drift = live.drift(link, state, addresses) if live_apply else []
        if drift:
            result.drift[link.name] = drift
        paths = {p for p, (old, new) in result.files.items() if link.name in (_owner(old), _owner(new))}
        result.changes[link.name] = common.Change(paths, drift, state)
        if live_apply and (drift or paths):
            result.relive.append(link)
    return result


def _deletes(backend, link, change):
    """Whether the device is deleted: whatever the stack's down leaves of it, one
    whose kind, mode or options change, one that goes."""
    if link.state == "absent" and backend.REMAKES:
        return False  # the backend's up_ports deletes it, once the stack has let go of it
    return bool(change.device) and change.device["kind"] in ("bond", "bridge") and (
        backend.RESTARTS or change.recreate or link.state == "absent")


def _owner(text):
    return (common.owner(text) or (None, None))[1]


def _foreign(result, take):
    """The other stacks' steps for every relived link, each once."""
    out = []
    for stack in result.foreign:
        for link in result.relive:
            out += [step for step in take(stack, link) if step not in out]
    return out


def steps(result, backend, host):
    """Every live step apply() takes for a plan, in order; check mode and --diff show exactly these."""
    out = [Step(precheck=backend.PRECHECK)] if result.files and backend.PRECHECK else []
    out += _foreign(result, lambda stack, link: stack.foreign_down(link, host))
    for link in result.relive:
        change = result.changes[link.name]
        flush = []
        if backend.RESTARTS or not change.device or link.state == "absent":
            # addresses the ports had on their own would stay on the port
            flush = [cmd("ip", "addr", "flush", "dev", port) for port in link.ports if host.link(port)]
        out += flush if backend.AUTOCONNECTS else []
        out += backend.down(link, host, change)
        if _deletes(backend, link, change):
            out.append(cmd("ip", "link", "del", "dev", link.name, when_exists=link.name))
        out += [] if backend.AUTOCONNECTS else flush
    out += [Step(write=path, remove=new is None) for path, (old, new) in sorted(result.files.items())]
    if any(path.startswith(mstpd.UNITS) for path in result.files):
        out.append(cmd("systemctl", "daemon-reload"))
    out += _foreign(result, lambda stack, link: stack.foreign_up(link, host))
    for link in result.relive:
        change = result.changes[link.name]
        out += backend.up(link, host, change) if link.state == "present" else backend.up_ports(link, host)
        if link.rstp and link.state == "present":
            out.append(cmd(mstpd.script_path(link.name)))
    return out


def apply(result, backend, host, write, planned=None):
    """Carry out a plan's steps (`planned`: as steps() listed them). `write(path,
    text_or_None)` persists one file with a backup."""
    for step in steps(result, backend, host) if planned is None else planned:
        run_step(step, result, backend, host, write)


def run_step(step, result, backend, host, write):
    if step.precheck:  # the stack's own validation of the new files, before anything changes
        problem = backend.precheck({p: new for p, (old, new) in result.files.items()}, host)
        if problem:
            raise HostError(problem)
        return
    if step.write:
        write(step.write, result.files[step.write][1])
        return
    if (step.when_file and host.read(step.when_file) is None) or (
            step.when_ok and host.run(list(step.when_ok))[0] != 0) or (
            step.when_exists and not host.link(step.when_exists)):
        return
    rc, out, err = host.run(list(step.argv))
    if rc != 0 and not (step.when_exists and not host.link(step.when_exists)):  # a daemon may have removed it
        raise HostError("%s failed (rc=%d): %s" % (" ".join(step.argv), rc, (err or out).strip()))


def verify(links, host):
    """Read the kernel again: {link: what still differs} (empty: proven)."""
    addresses = host.addresses()
    return {link.name: d for link in links for d in [live.drift(link, host.link(link.name), addresses)] if d}


def settle(links, host, timeout=30.0, step=0.5, clock=time.monotonic, sleep=time.sleep):
    """verify() until the kernel matches or `timeout` passes: networkd and
    NetworkManager configure asynchronously after their reload returns."""
    deadline = clock() + timeout
    while True:
        remaining = verify(links, host)
        if not remaining or clock() >= deadline:
            return remaining
        sleep(step)


def rollback_steps(backend, links):
    """(before, after) for transaction.script(): take the new links down, delete their
    devices and clear their ports' addresses (first, where the stack autoconnects a freed
    port); once the old files are back, bring the old state up."""
    flush = [["ip", "addr", "flush", "dev", port] for link in links for port in link.ports]
    before, after = list(flush) if backend.AUTOCONNECTS else [], []
    for link in links:
        before += backend.rollback_down(link)
        before += [["ip", "link", "del", "dev", name] for name in [v.name for v in link.vlans] + [link.name]]
        after += [argv for argv in backend.rollback_up(link) if argv not in after]
    return before + ([] if backend.AUTOCONNECTS else flush), after


def signals(host, which):
    """What each stack shows of itself on this host: {stack: common.Sign}."""
    def active(unit):
        return host.run(["systemctl", "is-active", "--quiet", unit])[0] == 0

    signs = {name: backend.sign(host, which, active) for name, backend in sorted(BACKENDS.items())}
    return {name: sign for name, sign in signs.items() if sign}


def foreign(chosen, seen):
    """The other stacks seen on the host that would still claim the links' devices and can let
    go of them (a stack the chosen one runs through, or a weak sign, claims nothing)."""
    return [BACKENDS[name] for name in sorted(seen) if name != chosen and name not in BACKENDS[chosen].DRIVES
            and not seen[name].weak and BACKENDS[name].lets_go]


def detect(seen):
    """The stack that manages this host's NICs (from signals()), or HostError saying what was found:
    the one stack seen that no other stack seen runs through (netplan's renderers, NetworkManager's
    ifcfg); a weak sign counts only when no other stack is there."""
    driven = {name for seen_name in seen for name in BACKENDS[seen_name].DRIVES}
    candidates = [name for name in sorted(seen) if name not in driven and not seen[name].weak] or [
        name for name in sorted(seen) if name not in driven]
    if len(candidates) == 1:
        return candidates[0]
    found = "; ".join(str(seen[s]) for s in sorted(seen)) or "none of %s" % ", ".join(sorted(BACKENDS))
    raise HostError("cannot tell which network stack manages this host (found: %s); set the role's "
                    "backend variable to one of: %s" % (found, ", ".join(sorted(BACKENDS))))
