#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: link
short_description: Make two or more NICs one redundant link (bond or STP bridge), live and persistent
version_added: 0.1.0
description:
  - The engine behind the roles C(bridge_stp), C(bond_active_backup), C(bond_lacp) and C(bond_alb).
    Use the roles; their argument specs document every option of a link.
  - Validates every link against the kernel rules table before anything on the host changes
    (the action runs the same validation on the controller, before connecting).
  - Renders the links for the host's network stack, takes the ports out of any standalone
    configuration, then (with O(live)) takes the old state down, writes the files with backups,
    brings the links up without a reboot and reads the kernel back to prove the result.
  - A bond whose mode must change is recreated; interfaces the links do not name are left alone.
author:
  - Redundant Interfaces Maintainers (@redundant-interfaces)
attributes:
  check_mode:
    support: full
    description: Reports the file changes and the live steps it would take, and changes nothing.
  diff_mode:
    support: full
    description: Shows file diffs and the planned live steps.
  platform:
    platforms: posix
    support: full
    description: Linux hosts; network stacks listed under O(backend).
options:
  method:
    description: The role (and so the link kind and bonding mode) the links are for.
    type: str
    required: true
    choices: [bridge_stp, bond_active_backup, bond_lacp, bond_alb]
  links:
    description:
      - The links, as the role variable C(<method>_links) takes them (see the role's argument spec).
    type: list
    elements: dict
    required: true
  backend:
    description:
      - The network stack to configure; V(auto) detects it and refuses an ambiguous host, saying what
        it found. V(ifupdown) Debian's C(/etc/network/interfaces.d); V(networkd) systemd-networkd
        C(.netdev)/C(.network) files; V(nm) NetworkManager keyfiles; V(netplan) one YAML file per link
        (checked with C(netplan generate) before anything changes); V(ifcfg) RHEL
        C(/etc/sysconfig/network-scripts) files.
      - Detection order - netplan files win (netplan drives networkd or NetworkManager itself), then
        a running NetworkManager (which also reads ifcfg files), a running systemd-networkd, ifcfg
        files, and ifupdown. Two that both claim the host are refused.
    type: str
    default: auto
    choices: [auto, ifcfg, ifupdown, netplan, networkd, nm]
  live:
    description:
      - Apply to the running kernel as well as the files. V(false) only writes the configuration,
        for the next boot or C(ifup).
    type: bool
    default: true
  backup:
    description: Keep a timestamped copy of every file changed or removed.
    type: bool
    default: true
  variable:
    description: The role variable the links came from, for messages.
    type: str
  confirm_timeout:
    description:
      - Commit-confirmed apply, in seconds; V(0) applies directly. Before anything live changes,
        the files about to change are copied aside and a transient systemd timer is armed on the
        host that restores them and the previous links after this many seconds. The change then
        runs in a process of its own; the action plugin reconnects (a new SSH session), the module
        checks the links are healthy and disarms the timer. If the controller cannot come back in
        time, or the play dies, the host restores itself. The apply failing or an unhealthy link
        rolls back at once.
      - Only through this path may a link take the interface the Ansible connection uses.
      - Check mode never arms anything. Needs systemd on the host.
    type: int
    default: 0
  transaction:
    description:
      - Internal to the action plugin - confirm this armed transaction (check health, disarm the
        rollback, or roll back at once when unhealthy).
    type: str
"""

EXAMPLES = r"""
- name: Bond eth0 and eth1 with LACP (what the bond_lacp role runs)
  redundant.interfaces.link:
    method: bond_lacp
    links:
      - name: bond0
        ports: [eth0, eth1]
        lacp_rate: fast
        xmit_hash_policy: layer3+4
        ipv4: {addresses: [192.0.2.10/24], gateway: 192.0.2.1}
"""

RETURN = r"""
backend:
  description: The network stack configured.
  returned: always
  type: str
  sample: ifupdown
links:
  description: The links as the model holds them, defaults applied.
  returned: always
  type: list
  elements: dict
files:
  description: Files written or removed.
  returned: always
  type: list
  elements: str
actions:
  description: The live steps taken (or, in check mode, that would be taken).
  returned: always
  type: list
  elements: str
drift:
  description: How the kernel differed from the links before the change.
  returned: always
  type: dict
backups:
  description: Copies of the files changed, under /var/backups/redundant-interfaces.
  returned: when something changed
  type: list
  elements: str
live:
  description: The kernel's view of each link after the change (mode, ports, options, port STP state).
  returned: when O(live=true)
  type: dict
transaction:
  description: The commit-confirmed transaction that carried the change.
  returned: when O(confirm_timeout) armed one
  type: str
confirmed:
  description: The change was found healthy from a new connection and the rollback disarmed.
  returned: when O(confirm_timeout) armed one
  type: bool
rolled_back:
  description: The change was rolled back at once (it failed, or the link was unhealthy).
  returned: on such a failure
  type: bool
"""

import os
import shutil
import signal
import time
import traceback

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.redundant.interfaces.plugins.module_utils import engine, live, transaction
from ansible_collections.redundant.interfaces.plugins.module_utils.errors import RedundantError
from ansible_collections.redundant.interfaces.plugins.module_utils.model import build_links

ARGUMENT_SPEC = dict(
    method=dict(type="str", required=True, choices=["bridge_stp", "bond_active_backup", "bond_lacp", "bond_alb"]),
    links=dict(type="list", elements="dict", required=True),
    backend=dict(type="str", default="auto", choices=["auto"] + sorted(engine.BACKENDS)),
    live=dict(type="bool", default=True),
    backup=dict(type="bool", default=True),
    variable=dict(type="str"),
    confirm_timeout=dict(type="int", default=0),
    transaction=dict(type="str"),
)


def connection_interface(host):
    """The interface holding the address this SSH session came in on, if any."""
    server_ip = (os.environ.get("SSH_CONNECTION") or "").split()[2:3]
    if not server_ip:
        return None
    rc, out, dummy = host.run(["ip", "-j", "addr", "show"])
    return live.interface_with_address(out, server_ip[0]) if rc == 0 else None


def ensure_bonding(module, links, var):
    if not any(link.kind == "bond" and link.state == "present" for link in links):
        return
    if not os.path.exists("/sys/class/net/bonding_masters") and module.get_bin_path("modprobe"):
        module.run_command(["modprobe", "bonding"])
    if not os.path.exists("/sys/class/net/bonding_masters"):
        raise engine.HostError("%s: this host's kernel has no bonding driver; set live to false to only "
                               "write the configuration" % var)


BACKUP_DIR = "/var/backups/redundant-interfaces"


def backup(path):
    """Copy a file aside before it changes. Not next to it: ifupdown sources
    every file in interfaces.d, a backup there would configure the old link."""
    os.makedirs(BACKUP_DIR, mode=0o700, exist_ok=True)
    dest = os.path.join(BACKUP_DIR, "%s.%s" % (path.strip("/").replace("/", "__"),
                                               time.strftime("%Y%m%d-%H%M%S")))
    shutil.copy2(path, dest)
    return dest


def restored_itself(module, tid, var):
    """The host's own rollback started before the confirmation: let it finish, then say so."""
    transaction.wait_rolled_back(tid)
    module.fail_json(msg="%s: the host restored its previous configuration by itself before the controller "
                         "could confirm the change (transaction %s): the change cut it off" % (var, tid),
                     transaction=tid, rolled_back=True, changed=True)


def confirm(module, links, host, tid, var):
    """The controller is back: the applied change is healthy -> disarm; else roll back now."""
    if transaction.rollback_started(tid):
        restored_itself(module, tid, var)
    done = transaction.result(tid)
    problem = None
    if done is None:
        problem = "the change did not finish within 60 s"
    elif done.get("failed"):
        problem = done.get("msg")
    else:
        remaining = engine.settle(links, host, timeout=10)
        if remaining:
            problem = "%s: the link is not healthy: %s" % (var, live.describe(remaining))
    if problem and transaction.rollback_started(tid):  # the timer fired while we looked
        restored_itself(module, tid, var)
    if problem:
        transaction.fire(tid, host.run)
        extra = {k: v for k, v in (done or {}).items() if k not in ("failed", "msg")}
        module.fail_json(msg="%s; rolled back to the previous configuration" % problem,
                         **dict(extra, transaction=tid, rolled_back=True, changed=True))
    transaction.confirm(tid, host.run)
    module.exit_json(**dict(done, transaction=tid, confirmed=True, changed=True))


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    params = module.params
    var = params["variable"] or "%s_links" % params["method"]
    host = engine.Host(module.run_command)

    backups = []

    def write(path, text):
        if params["backup"] and os.path.exists(path):
            backups.append(backup(path))
        if text is None:
            os.remove(path)
            return
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = "%s.redundant-tmp" % path
        with open(tmp, "w") as handle:
            handle.write(text)
        module.atomic_move(tmp, path)
        os.chmod(path, backend.mode(path))  # atomic_move gives new files a default mode

    try:
        links = build_links(params["method"], params["links"], var)
        if params["transaction"]:
            confirm(module, links, host, params["transaction"], var)
        seen = engine.signals(host, module.get_bin_path)
        name = engine.detect(seen) if params["backend"] == "auto" else params["backend"]
        backend = engine.BACKENDS[name]
        others = engine.foreign(name, seen)
        current = engine.current_files(backend, host)
        confirmed = params["live"] and params["confirm_timeout"] > 0
        # through the confirmed path, enslaving the connection's own interface is allowed
        engine.check_host(links, backend, host, current, None if confirmed else connection_interface(host), var)
        if params["live"]:
            ensure_bonding(module, links, var)
        plan = engine.plan(links, backend, host, params["live"], current, others)
        planned = engine.steps(plan, backend, host)
        actions = [str(step) for step in planned]
        result = dict(changed=plan.changed, backend=name, links=[link.as_dict() for link in links],
                      files=sorted(plan.files), actions=actions,
                      drift={name: [str(d) for d in found] for name, found in plan.drift.items()})
        if module._diff:
            result["diff"] = [dict(before_header=p, after_header=p, before=old or "", after=new or "")
                              for p, (old, new) in sorted(plan.files.items())]
            if actions:
                result["diff"].append(dict(prepared="live steps:\n  " + "\n  ".join(actions) + "\n"))

        def change():
            """Apply, read the kernel back: the result (failed when it still differs)."""
            engine.apply(plan, backend, host, write, planned)
            done = dict(result, backups=backups)
            remaining = engine.settle(links, host) if params["live"] else {}
            if remaining:
                done.update(failed=True, msg="%s: after the change the kernel still differs: %s" % (
                    var, live.describe(remaining)))
            if params["live"]:
                done["live"] = {link.name: host.link(link.name) for link in links if link.state == "present"}
            return done

        if plan.changed and not module.check_mode and confirmed:
            signal.signal(signal.SIGHUP, signal.SIG_IGN)  # a dying session must not stop us half-armed
            tid = transaction.new_id()
            before, after = engine.rollback_steps(backend, links)
            unit = transaction.arm(tid, plan.files, before, after, params["confirm_timeout"], host.run)
            transaction.detach(tid, change)  # the change may cut this session: it runs on its own
            module.exit_json(**dict(result, transaction=tid, rollback_unit=unit))
        if plan.changed and not module.check_mode:
            result = change()
            if result.get("failed"):
                module.fail_json(**result)
        elif params["live"]:
            result["live"] = {link.name: host.link(link.name) for link in links if link.state == "present"}
        module.exit_json(**result)
    except RedundantError as exc:
        module.fail_json(msg=str(exc))
    except OSError as exc:
        module.fail_json(msg="%s: %s" % (var, exc), exception=traceback.format_exc())


if __name__ == "__main__":
    main()
