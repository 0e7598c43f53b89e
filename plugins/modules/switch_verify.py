#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: switch_verify
short_description: Check a switch's show output against the configuration derived for it
version_added: 0.1.0
description:
  - Runs on the controller. Takes the configuration M(redundant.interfaces.switch_config) derived
    for a switch and that switch's C(show etherchannel summary) and C(show spanning-tree vlan N)
    (C(show spanning-tree mst N) in MST mode) output as text, and reads it itself, strictly (the
    public template for C(show etherchannel summary) drops members in some layouts).
  - Reads Catalyst and IOS-XE member flags alike (C(P)/C(bndl), C(H)/C(hot-sby), C(s)/C(susp),
    C(I), C(D)) and every interface family in its IOS abbreviation (C(Tw), C(Fi), C(Te), C(Twe),
    C(Fo), C(Hu)...).
  - Fails, listing what is wrong, when a Port-channel is missing, not in use or not bundled by
    LACP (PAgP, or C(mode on)), a member is not bundled, a primary root switch is not the STP root
    of a VLAN (or of the VLAN's MST instance), or a bridging server's port shows another STP cost
    than the one pushed. Output it cannot read fails the check, quoting the line.
author:
  - Redundant Interfaces Maintainers (@redundant-interfaces)
extends_documentation_fragment:
  - redundant.interfaces.options.switch_verify
  - redundant.interfaces.controller
"""

EXAMPLES = r"""
- name: Check what the switch shows
  redundant.interfaces.switch_verify:
    config: "{{ plan.config }}"
    shown: "{{ dict((['show etherchannel summary'] + plan.config.stp.commands) | zip(shown.stdout)) }}"
"""

RETURN = r"""
healthy:
  description: Whether nothing is wrong.
  returned: success
  type: bool
problems:
  description: What does not match (the task fails when there is any).
  returned: always
  type: list
  elements: str
notes:
  description: One line per Port-channel and VLAN saying what the switch shows.
  returned: always
  type: list
  elements: str
blocking:
  description:
    - The ports (full names) a spanning tree of the derived configuration shows as blocking (BLK, or BKN
      when broken); the report draws the switch's end of their cables as blocked.
  returned: success
  type: list
  elements: str
root_of:
  description: The spanning trees of the derived configuration this switch is the root of (C(VLAN 1), C(MST0)).
  returned: success
  type: list
  elements: str
  sample: ["VLAN 1"]
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.redundant.interfaces.plugins.module_utils.arguments import refuse_on_host


def main():
    refuse_on_host(AnsibleModule, "switch_verify")


if __name__ == "__main__":
    main()
