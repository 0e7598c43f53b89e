#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: report
short_description: Write the redundancy report (HTML with an SVG topology) on the controller
version_added: 0.1.0
description:
  - Runs on the controller, from hostvars gathered earlier in the play - per server
    C(redundancy_mode) or C(redundancy_decision) (a registered M(redundant.interfaces.select_mode)
    result), C(uplinks), C(ansible_facts.redundant_links) and C(ansible_facts.redundant_drill)
    (M(redundant.interfaces.link_facts); the drill is the last one the host kept, from any earlier
    run of M(redundant.interfaces.failover_drill)); per switch C(cisco_ios_verified) (the cisco_ios
    role's verification, with its notes and the ports its spanning trees block).
  - The page has a topology picture (switches, servers, one line per NIC to its switch port,
    coloured active, aggregated, standby, STP blocking or down; a cable blocked at either end, the
    server's bridge port or the switch's port, is drawn blocking with a mark at that end and the
    end named) and a table per host (method and the answers that led to it, health verdict, links,
    last drill result). Every port of a balance-alb (or other load-sharing) bond that is up is
    drawn active, as both carry traffic.
author:
  - Redundant Interfaces Maintainers (@redundant-interfaces)
attributes:
  check_mode:
    support: full
    description: Touches no host; the report file is written on the controller in check mode too (a dry run's report).
  diff_mode:
    support: none
    description: No diff.
  platform:
    platforms: posix
    support: full
    description: Runs on the controller.
extends_documentation_fragment:
  - redundant.interfaces.options.report
"""

EXAMPLES = r"""
- name: Write the report
  redundant.interfaces.report:
    servers: "{{ groups['servers'] }}"
    switches: "{{ groups['switches'] }}"
    dest: reports/redundancy.html
  run_once: true
"""

RETURN = r"""
dest:
  description: The file written.
  returned: success
  type: str
summary:
  description: One line per server - method and verdict.
  returned: success
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.redundant.interfaces.plugins.module_utils.arguments import refuse_on_host


def main():
    refuse_on_host(AnsibleModule, "report")


if __name__ == "__main__":
    main()
