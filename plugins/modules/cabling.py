#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: cabling
short_description: Check a server's uplinks against what LLDP and CDP see, or discover them
version_added: 0.1.0
description:
  - Runs on the controller for one server. Takes the server's LLDP neighbours
    (M(redundant.interfaces.lldp_neighbors)) and the switches' C(show lldp neighbors detail) and
    C(show cdp neighbors detail), and works out which switch and port each NIC is cabled to. The
    server's view wins; a switch's fills a NIC the server heard nothing on.
  - Switch and port names are normalised on both sides, a system name without its domain and case
    (C(SW1.example.net) is the inventory's C(sw1); see O(switches) for switches known by another
    name), a port by the IOS name table (C(Gi1/0/3) is C(GigabitEthernet1/0/3)).
  - When the server's C(uplinks) variable is absent or V(discover), the wire's cables become its
    uplinks (C(ansible_facts.uplinks)), so the decision, the switch side and the report use them.
  - When it has C(uplinks), each is compared with the wire - a NIC seen on another switch or port,
    a NIC with no neighbour, a neighbour that is no switch of the inventory, two NICs on one switch
    where the inventory says two, two NICs reporting one far end (a bond member hearing its
    sibling's neighbour), several switches on one NIC - one line per NIC, what the inventory says
    and what the wire says. O(mode=strict) returns C(refused) with those lines in C(msg), for the
    playbook to fail the host before any change; the ports of the host's C(redundancy_links) must
    all have a cable too.
author:
  - Redundant Interfaces Maintainers (@redundant-interfaces)
extends_documentation_fragment:
  - redundant.interfaces.options.cabling
  - redundant.interfaces.controller
"""

EXAMPLES = r"""
- name: Read the NICs' neighbours
  redundant.interfaces.lldp_neighbors:
    interfaces: "{{ uplinks | default([]) | map(attribute='interface') }}"
  register: lldp

- name: Check the cables
  redundant.interfaces.cabling:
    neighbors: "{{ lldp.neighbors }}"
  register: cabling

- name: Refuse a miscabled host
  ansible.builtin.fail:
    msg: "{{ cabling.msg }}"
  when: cabling.refused
"""

RETURN = r"""
uplinks:
  description: The wire's cables, as inventory C(uplinks) (C(interface), C(switch), C(port)).
  returned: success
  type: list
  elements: dict
problems:
  description: One line per NIC where the wire and the inventory disagree.
  returned: success
  type: list
  elements: str
cables:
  description: Per NIC, C(interface), what the C(inventory) says and what the C(wire) says.
  returned: success
  type: list
  elements: dict
summary:
  description: One line per NIC, its cable as the wire says, and whether the inventory agrees.
  returned: success
  type: list
  elements: str
refused:
  description: O(mode=strict) and at least one problem.
  returned: success
  type: bool
discovered:
  description: The host has no C(uplinks) of its own; the wire's were set as its C(uplinks) fact.
  returned: success
  type: bool
msg:
  description: When refused, the host and one line per NIC.
  returned: when refused
  type: str
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.redundant.interfaces.plugins.module_utils.arguments import refuse_on_host


def main():
    refuse_on_host(AnsibleModule, "cabling")


if __name__ == "__main__":
    main()
