#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: select_mode
short_description: Choose how a server's NICs are made redundant
version_added: 0.1.0
description:
  - Walks the decision tree for redundant server uplinks and returns the role
    to apply (C(bridge_stp), C(bond_active_backup), C(bond_lacp) or C(bond_alb)).
  - "1. Control over managed switches? no: go to 5."
  - "2. Interfaces on different switches? no: go to 4."
  - "3. May the server take over bridging as a last resort? yes: STP bridge; no: bond active-backup."
  - "4. Share bandwidth when both are up? yes: bond 802.3ad; no: bond active-backup."
  - "5. Share bandwidth when both are up? yes: bond balance-alb; no: bond active-backup."
  - Options the task leaves out are taken from the host's variables of the same name. A task with no
    options at all on a host whose inventory sets C(redundancy_mode) returns that method (checked, an
    unknown method fails naming the host) with an empty path.
  - An answer not given as an option is inferred from O(uplinks) and O(managed_switches).
    Explicit answers win; when they contradict the uplinks a warning says so.
  - A question on the path that has no answer fails the task, naming the variable to set.
  - When the host's facts are known (gathered, or given in O(facts)), every uplink
    interface must exist, and for 802.3ad all uplinks must report the same speed and duplex.
  - Runs on the controller; never reports a change.
author:
  - Redundant Interfaces Maintainers (@redundant-interfaces)
attributes:
  check_mode:
    support: full
    description: Decides without changing anything, in check mode too.
  diff_mode:
    support: none
    description: Nothing is changed, so there is nothing to diff.
  platform:
    platforms: posix
    support: full
    description: Any host; the decision runs on the controller.
extends_documentation_fragment:
  - redundant.interfaces.options.select_mode
"""

EXAMPLES = r"""
- name: Decide from explicit answers
  redundant.interfaces.select_mode:
    switch_managed: true
    separate_switches: false
    share_bandwidth: true
  register: decision   # decision.mode == 'bond_lacp'

- name: Decide from the inventory's uplinks
  redundant.interfaces.select_mode:
    uplinks: "{{ uplinks }}"
    managed_switches: "{{ groups['switches'] }}"
    bridge_fallback: true
    share_bandwidth: true

- name: Show the path that led to the decision
  ansible.builtin.debug:
    msg: "{{ decision.path | map(attribute='text') | zip(decision.path | map(attribute='answer')) }}"
"""

RETURN = r"""
mode:
  description: The role to apply (the method; M(redundant.interfaces.link) lists them under O(redundant.interfaces.link#module:method)).
  returned: success
  type: str
  sample: bond_lacp
bonding_mode:
  description: The kernel bonding mode, or null for the STP bridge.
  returned: success
  type: str
  sample: 802.3ad
path:
  description: Every question asked, in order, with its answer and where the answer came from.
  returned: success
  type: list
  elements: dict
  contains:
    question:
      description: The step number in the decision tree (1 to 5).
      type: int
    text:
      description: The question.
      type: str
    variable:
      description: The option that answers it.
      type: str
    answer:
      description: The answer used.
      type: bool
    source:
      description: C(option), C(uplinks), C(managed_switches) or C(switches_stacked).
      type: str
  sample:
    - {question: 1, text: "Do you have control over your managed switches?", variable: switch_managed, answer: true, source: option}
warnings:
  description: Contradictions between explicit answers and the uplinks, unknown link speeds.
  returned: when there are any
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.redundant.interfaces.plugins.module_utils.decision import (
    ARGUMENT_SPEC,
    decide,
)
from ansible_collections.redundant.interfaces.plugins.module_utils.errors import RedundantError


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    try:
        result = decide(module.params)
    except RedundantError as exc:
        module.fail_json(msg=str(exc))
    for warning in result.pop("warnings"):
        module.warn(warning)
    module.exit_json(changed=False, **result)


if __name__ == "__main__":
    main()
