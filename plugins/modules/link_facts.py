#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: link_facts
short_description: Read the redundancy state of every bond and bridge from the kernel
version_added: 0.1.0
description:
  - Reads C(/proc/net/bonding/*), C(/sys/class/net/*/bonding) and the bridges' STP state
    in C(/sys/class/net/*/bridge) and C(brif), and returns them as structured facts with a
    verdict per link, C(redundant), C(degraded) (with the reasons) or C(not redundant).
  - Also returns the result of the host's last failover drill, as
    M(redundant.interfaces.failover_drill) kept it.
  - Reads only; works in check mode.
author:
  - Redundant Interfaces Maintainers (@redundant-interfaces)
attributes:
  facts:
    support: full
    description: Sets C(ansible_facts.redundant_links) and C(ansible_facts.redundant_drill).
extends_documentation_fragment:
  - redundant.interfaces.reader
  - redundant.interfaces.options.link_facts
"""

EXAMPLES = r"""
- name: Read the redundancy state
  redundant.interfaces.link_facts:

- name: Fail unless bond0 is redundant
  ansible.builtin.assert:
    that: ansible_facts.redundant_links.bond0.verdict == 'redundant'
    fail_msg: "{{ ansible_facts.redundant_links.bond0.reasons }}"
"""

RETURN = r"""
ansible_facts:
  description: Facts set.
  returned: always
  type: dict
  contains:
    redundant_links:
      description:
        - One entry per link. Every link has C(kind), C(verdict) and C(reasons), C(monitor) (what
          watches its ports - LACP, ARP with its targets, the MII monitor, STP or RSTP BPDUs) and
          C(protection) - C(redundant only against cable loss) where that monitor sees carrier only,
          so a far end that stops forwarding while the carrier stays up goes unseen (the MII monitor
          of an active-backup or balance-alb bond), else C(cable loss and a silent far end).
        - "Bonds have C(mode), C(mii_status), C(active_port), C(primary), C(aggregator) (802.3ad:
          C(id), C(ports), C(partner_mac)) and C(ports) (each with C(mii_status), C(speed), C(duplex),
          C(link_failures), C(aggregator_id), C(partner_mac))."
        - "Bridges have C(stp), C(bridge_id), C(root_id), C(is_root) and C(ports) (each with C(state),
          C(path_cost), C(port_priority))."
      type: dict
      sample:
        bond0:
          kind: bond
          mode: 802.3ad
          verdict: degraded
          reasons: [eth0 MII down]
          monitor: LACP fast
          protection: cable loss and a silent far end
    redundant_drill:
      description:
        - The host's last failover drill, or V(null) when none ran.
        - C(time) (UTC), C(ok) and C(rows) as M(redundant.interfaces.failover_drill) returned them.
      type: dict
      sample:
        time: 2026-11-21 13:05 UTC
        ok: true
        rows: [{link: bond0, port: eth0, ok: true, loss_cut_ms: 0.0, loss_back_ms: 10.2}]
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.redundant.interfaces.plugins.module_utils.drill import last
from ansible_collections.redundant.interfaces.plugins.module_utils.arguments import argument_spec
from ansible_collections.redundant.interfaces.plugins.module_utils.status import collect


def main():
    module = AnsibleModule(argument_spec=argument_spec("link_facts"), supports_check_mode=True)
    links = collect(module.params["names"], run=module.run_command)
    module.exit_json(changed=False, ansible_facts=dict(redundant_links=links,
                                                       redundant_drill=last()))


if __name__ == "__main__":
    main()
