#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: switch_config
short_description: Derive a switch's server-facing configuration from the server inventory
version_added: 0.1.0
description:
  - Runs on the controller for one switch. Collects the servers whose C(uplinks) name this
    switch, takes each server's redundancy mode (its C(redundancy_mode) variable, else the
    decision tree of M(redundant.interfaces.select_mode) on its inventory answers), and returns
    the switch's configuration and the matching cisco.ios resource-module input.
  - STP root priority for the listed VLANs; per server port a description naming the server and
    NIC, access or trunk switchport, a raised STP cost for servers that bridge (never portfast or
    bpduguard there); for 802.3ad servers an LACP channel-group on each member and the Port-channel.
  - Port-channel numbers are pinned ones first, then those the device already has, then a slot
    derived from the server name, so adding a server never renumbers the others.
  - Fails, naming them, on two servers claiming one port, an uplink naming a switch missing from
    the inventory, LACP members split over switches that are not one stack, and bad settings.
author:
  - Redundant Interfaces Maintainers (@redundant-interfaces)
extends_documentation_fragment:
  - redundant.interfaces.options.switch_config
  - redundant.interfaces.controller
"""

EXAMPLES = r"""
- name: Derive sw1's configuration
  redundant.interfaces.switch_config:
    servers: "{{ groups['servers'] }}"
    switches: "{{ groups['switches'] }}"
    settings: {stp_priority: 0, server_port_cost: 100}
  register: plan
"""

RETURN = r"""
config:
  description:
    - Ports, Port-channels and STP settings of this switch.
    - C(stp) holds the switch's spanning-tree C(mode) (pvst, rapid-pvst, mst), its path-cost method
      (C(pathcost)), in MST mode the VLAN to instance map (C(mst)), the C(trees) (VLANs, or MST
      instances) pushed and checked and the C(commands) that show them.
  returned: success
  type: dict
interfaces:
  description: cisco.ios.ios_interfaces config (descriptions).
  returned: success
  type: list
  elements: dict
l2_interfaces:
  description: cisco.ios.ios_l2_interfaces config (switchport; STP cost in PVST+ and Rapid-PVST+ modes).
  returned: success
  type: list
  elements: dict
lag_interfaces:
  description: cisco.ios.ios_lag_interfaces config (channel-group members).
  returned: success
  type: list
  elements: dict
port_lines:
  description:
    - Per port, the lines no resource module covers (parents and lines for ios_config)
    - C(channel-protocol lacp) and C(lacp rate) on LACP members; C(spanning-tree mst N cost) and
      C(port-priority) on bridging servers' ports in MST mode.
  returned: success
  type: list
  elements: dict
global_lines:
  description: Global lines no resource module covers (C(spanning-tree vlan N priority P), or
    C(spanning-tree mst N priority P) in MST mode).
  returned: success
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.redundant.interfaces.plugins.module_utils.arguments import refuse_on_host


def main():
    refuse_on_host(AnsibleModule, "switch_config")


if __name__ == "__main__":
    main()
