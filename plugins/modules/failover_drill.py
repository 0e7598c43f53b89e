#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: failover_drill
short_description: Take each port of each redundant link down in turn and measure the failover
version_added: 0.1.0
description:
  - For a maintenance window. For every bond and bridge (or the ones named) that is C(redundant)
    before the drill, fails one port at a time (O(failure)) on this host, checks
    that the link's state flips as its method should (another port active, the port out of the
    aggregator, another bridge port forwarding) and that traffic to O(target) keeps flowing, then
    brings the port back and waits for the link to be redundant again.
  - A port that comes back may pass no traffic yet on the switch's side (an 802.1D port listens and
    learns for twice the forward delay; the host cannot see that). Before the next cut, a failover
    bond or a bridge sends broadcasts of the local experimental EtherType 0x88B5 through the link
    until every port hears them (or sent them); the time that took is C(passes_after_ms).
  - A bridge that forwards on every port while none hears the broadcasts has its loop broken at a
    switch's end (the switch blocks its port toward the server), where nothing can come round; the
    drill then waits twice the forward delay in force and a second (the time a legacy switch port
    listens and learns) from the port's return, and the row's C(passes_by) is C(timer).
  - A ping stream to O(target) every O(interval) seconds measures the loss windows, at the cut
    and at the return.
  - With O(failure=silent) the port keeps its carrier but drops every frame both ways (tc's
    C(clsact) with a C(matchall drop) filter each way), as when the switch port hangs or the VLAN is
    pruned. The link must stop relying on the port (its ARP monitor marks it down, it leaves the
    LACP aggregator, another port becomes active, the bridge's root port moves) within O(settle);
    a link whose monitor sees carrier only (the MII monitor) fails the row with C(never detected).
  - The port is always brought back, even when the drill fails or its SSH session is lost.
    A link that is not redundant before the drill is not cut; it is reported as failed.
author:
  - Redundant Interfaces Maintainers (@redundant-interfaces)
attributes:
  check_mode:
    support: full
    description: Reports the ports it would cut and cuts none.
  diff_mode:
    support: none
    description: Nothing is configured.
  platform:
    platforms: posix
    support: full
    description: Linux hosts, as root.
extends_documentation_fragment:
  - redundant.interfaces.options.failover_drill
"""

EXAMPLES = r"""
- name: Drill every link
  redundant.interfaces.failover_drill:
    target: 192.0.2.1
  register: drill
"""

RETURN = r"""
rows:
  description: One per port cut - link, mode, port, failure, active_before, active_after, loss_cut_ms,
    loss_back_ms, passes_after_ms (ms from the port's return until traffic passed every port of a
    failover bond or bridge; null for an aggregate), passes_by (heard, or timer where the loop
    breaks at a switch's end), ok, problems.
  returned: always
  type: list
  elements: dict
table:
  description: The rows as text lines.
  returned: always
  type: list
  elements: str
"""

import socket
import time

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.redundant.interfaces.plugins.module_utils import drill
from ansible_collections.redundant.interfaces.plugins.module_utils.names import address_problem, ifname_problem
from ansible_collections.redundant.interfaces.plugins.module_utils.arguments import argument_spec
from ansible_collections.redundant.interfaces.plugins.module_utils.status import collect

MAX_SETTLE = 600  # a port that has not settled in ten minutes will not; the drill must not hold the window


def wait(module, name, test, seconds):
    """Poll the link until test(state) or the time is up; the last state."""
    deadline = time.monotonic() + seconds
    while True:
        state = collect([name], run=module.run_command).get(name)
        if (state and test(state)) or time.monotonic() >= deadline:
            return state
        time.sleep(0.1)


def cut(module, name, before, port, params):
    row = drill.row(name, before, port, failure=params["failure"])
    interval = params["interval"]
    silent = params["failure"] == "silent"
    fail, mend = drill.silence(port) if silent else ([["ip", "link", "set", "dev", port, "down"]],
                                                     ["ip", "link", "set", "dev", port, "up"])
    probe = drill.Probe(module.run_command, params["target"], interval)
    try:
        time.sleep(1)
        cut_at = time.time()
        for argv in fail:
            module.run_command(argv, check_rc=True)
        if silent:
            cut_at = time.time()  # three tc commands: the silence starts when the last one is in
            after = wait(module, name, lambda s: drill.detected(before, s, port), params["settle"])
            if after and not drill.detected(before, after, port):
                row["problems"].append("never detected within %d s: the link still relies on %s (%s)"
                                       % (params["settle"], port, after.get("monitor")))
        else:
            after = wait(module, name, lambda s: not drill.flipped(before, s, port), params["settle"])
            row["problems"] += drill.flipped(before, after, port) if after else []
        if not after:
            row["problems"].append("%s disappeared" % name)
        row["active_after"] = drill.active(after) if after else "-"
        time.sleep(2)  # traffic over the remaining port(s)
    finally:
        back_at = time.time()
        module.run_command(mend)
    restored = wait(module, name, drill.settled, params["settle"])
    if restored and drill.floods(restored):  # the switch port may still be listening and learning
        since = time.time() - back_at
        quiet = max(0.0, drill.learning_time(name) - since) if restored["kind"] == "bridge" else None
        passing = drill.forwarding(name, sorted(restored["ports"]), max(1.0, params["settle"] - since), quiet)
        if passing is None:
            row["problems"].append("%s passed no traffic within %d s of coming back" % (port, params["settle"]))
        else:
            row["passes_after_ms"], row["passes_by"] = round((time.time() - back_at) * 1000.0), passing[1]
    time.sleep(2)
    times = probe.stop()
    row["loss_cut_ms"] = drill.loss_window(times, cut_at, back_at, interval)
    row["loss_back_ms"] = drill.loss_window(times, back_at, time.time(), interval)
    if row["loss_cut_ms"] is None:
        how = "silent" if silent else "down"
        row["problems"].append("traffic to %s stopped with %s %s" % (params["target"], port, how))
    if not restored or restored["verdict"] != "redundant":
        row["problems"].append("not redundant again after %s came back: %s" % (
            port, "; ".join((restored or {}).get("reasons") or ["gone"])))
    row["ok"] = not row["problems"]
    return row


def checked(module):
    """The drill's own arguments, before any port goes down: a target the host can reach by address
    (a name resolved here: nothing that begins with '-' ever reaches ping), links that are interface
    names, and timers that cannot hold the host for hours."""
    params = module.params
    problem = address_problem(params["target"])
    if problem:
        module.fail_json(msg="failover_drill: target %r %s" % (params["target"], problem))
    try:
        params["target"] = socket.getaddrinfo(params["target"], None)[0][4][0]
    except (OSError, UnicodeError) as exc:
        module.fail_json(msg="failover_drill: target %r does not resolve on this host (%s); give its address"
                         % (params["target"], exc))
    for name in params["names"] or []:
        problem = ifname_problem(name)
        if problem:
            module.fail_json(msg="failover_drill: link %r %s" % (name, problem))
    if not 0.002 <= params["interval"] <= 1:
        module.fail_json(msg="failover_drill: interval %s is out of range (0.002 to 1 s)" % params["interval"])
    if not 1 <= params["settle"] <= MAX_SETTLE:
        module.fail_json(msg="failover_drill: settle %s is out of range (1 to %d s)" % (params["settle"], MAX_SETTLE))


def main():
    module = AnsibleModule(argument_spec=argument_spec("failover_drill"), supports_check_mode=True)
    checked(module)
    rows = []
    for name in sorted(collect(module.params["names"], run=module.run_command)):
        before = wait(module, name, drill.settled, module.params["settle"])  # a bridge may still be learning
        if before["verdict"] != "redundant":
            rows.append(drill.row(name, before, "-", ok=False,
                                  problems=["not redundant before the drill: %s" % "; ".join(before["reasons"])]))
            continue
        for port in sorted(before["ports"]):
            if module.check_mode:
                rows.append(drill.row(name, before, port))
                continue
            rows.append(cut(module, name, before, port, module.params))
            before = collect([name], run=module.run_command)[name]
    result = dict(changed=False, rows=rows, table=drill.table(rows))
    if rows and not module.check_mode:
        drill.save(rows, module.params["record"])
    failed = [row for row in rows if not row["ok"]]
    if failed:
        module.fail_json(msg="failover drill failed: %s" % "; ".join(
            "%s %s: %s" % (r["link"], r["port"], ", ".join(r["problems"])) for r in failed), **result)
    if not rows:
        module.fail_json(msg="no bond or bridge to drill", **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
