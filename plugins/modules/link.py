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
  - Validates every link against the catalog's kernel options before anything on the host changes
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
extends_documentation_fragment:
  - redundant.interfaces.options.link
  - redundant.interfaces.options.method
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
announced:
  description:
    - The addresses the host announced after a live change (gratuitous ARP, unsolicited neighbour
      advertisement) so that its neighbours stop sending to the MAC an address had before, and any
      that could not be announced. balance-alb bonds announce for themselves.
  returned: when a live change was applied
  type: list
  elements: str
  sample: ["192.0.2.10 on bond0"]
transaction:
  description: The commit-confirmed transaction that carried the change.
  returned: when O(confirm_timeout) armed one
  type: str
confirmed:
  description: The change was found healthy from a new connection and the rollback disarmed.
  returned: when O(confirm_timeout) armed one
  type: bool
probes:
  description:
    - Every probe the confirmation ran (each link's C(probes)), with what it saw; the first that
      failed rolled the change back.
  returned: when O(confirm_timeout) armed one and the link was healthy
  type: list
  elements: dict
  sample: [{probe: gateway, link: bond0, what: 192.0.2.1 on bond0, passed: true,
            saw: "answered from 00:00:0c:00:00:01 (REACHABLE)"}]
rolled_back:
  description: The change was rolled back at once (it failed, the link was unhealthy, or a probe failed).
  returned: on such a failure
  type: bool
"""

import traceback

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.redundant.interfaces.plugins.module_utils import engine, flows
from ansible_collections.redundant.interfaces.plugins.module_utils.errors import RedundantError
from ansible_collections.redundant.interfaces.plugins.module_utils.arguments import argument_spec

ARGUMENT_SPEC = argument_spec("link")


def main():
    """Every flow is in module_utils/flows.py; this only hands the module's parts over."""
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    ctx = flows.Context(module.params, engine.Host(module.run_command), module.get_bin_path, module.atomic_move,
                        module.check_mode, module._diff)
    try:
        result = flows.run(ctx)
    except RedundantError as exc:
        module.fail_json(msg=str(exc))
    except OSError as exc:
        module.fail_json(msg="%s: %s" % (module.params["variable"] or "%s_links" % module.params["method"], exc),
                         exception=traceback.format_exc())
    if result.get("failed"):
        module.fail_json(**result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
