#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: contract
short_description: Check a host's variables against the collection's inventory contract
version_added: 0.1.0
description:
  - Runs on the controller, as the first task of every play of the collection's playbooks, so
    that no task reaches a host whose variables are wrong.
  - Every variable the named playbook reads (docs/docsite/rst/variables.rst lists them, with their types,
    ranges, choices and defaults) is checked against the contract; then the rules between them
    - a server's C(uplinks) and C(redundancy_links) agree (every link port has an uplink, a server
    with uplinks has links, no NIC in two methods' links), its method can be decided, names point
    to hosts of the inventory (an uplink's switch, C(cisco_ios_stacked_with) named back,
    C(cisco_ios_servers)), a bridging server cannot win the root election, a switch's settings
    render only lines IOS takes.
  - A host with a bad value fails, with every variable, its value and the rule; the other hosts
    go on as the play's failure policy says.
  - The values themselves are read with the R(redundant.interfaces.contract lookup,ansible_collections.redundant.interfaces.contract_lookup),
    which applies the same rules and the contract's defaults.
author:
  - Redundant Interfaces Maintainers (@redundant-interfaces)
extends_documentation_fragment:
  - redundant.interfaces.options.contract
  - redundant.interfaces.controller
"""

EXAMPLES = r"""
- name: Check this play's variables before any task reaches the host
  redundant.interfaces.contract:
    playbook: cabling
"""

RETURN = r"""
checked:
  description: The variables the playbook reads on this host (each checked when the host defines it).
  returned: success
  type: list
  elements: str
problems:
  description: What is wrong, one line per variable or rule (the task fails when there is any).
  returned: always
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.redundant.interfaces.plugins.module_utils.arguments import refuse_on_host


def main():
    refuse_on_host(AnsibleModule, "contract")


if __name__ == "__main__":
    main()
