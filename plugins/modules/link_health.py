#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: link_health
short_description: Judge a host's links against its selected redundancy method
version_added: 0.1.0
description:
  - Runs on the controller. Takes the C(redundant_links) facts of M(redundant.interfaces.link_facts)
    and the host's method (from M(redundant.interfaces.select_mode)), and says whether the links of
    that method (the named ones, else every link of its kind and mode) exist, have the right kind
    and mode, and are C(redundant); with one summary line per link.
author:
  - Redundant Interfaces Maintainers (@redundant-interfaces)
extends_documentation_fragment:
  - redundant.interfaces.options.link_health
  - redundant.interfaces.options.method
  - redundant.interfaces.controller
"""

EXAMPLES = r"""
- name: Judge
  redundant.interfaces.link_health:
    method: bond_lacp
    links: "{{ ansible_facts.redundant_links }}"
  register: health
"""

RETURN = r"""
healthy:
  description: Whether every link of the method is there, right and redundant.
  returned: success
  type: bool
summary:
  description: One line per link - host, name, mode, verdict and ports (or the problems).
  returned: success
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.redundant.interfaces.plugins.module_utils.arguments import refuse_on_host


def main():
    refuse_on_host(AnsibleModule, "link_health")


if __name__ == "__main__":
    main()
