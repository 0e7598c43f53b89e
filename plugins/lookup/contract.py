# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: contract
short_description: Read a variable of the collection's inventory contract, checked, or its default
version_added: 0.1.0
author:
  - Redundant Interfaces Maintainers (@redundant-interfaces)
description:
  - Returns the value of each named variable as the collection reads it - text given with C(-e)
    read as the number or boolean it means - or the contract's default when it is not set (for a
    role's variable, the role's default, such as C(redundancy_links) for C(<role>_links)). A value
    that breaks its rule fails, naming the variable, the value and the rule.
  - The collection's playbooks read every variable of theirs this way, play keywords included
    (C(hosts), C(serial), C(max_fail_percentage)), so no playbook carries a default or a list of
    choices of its own. docs/docsite/rst/variables.rst lists the variables.
options:
  _terms:
    description: Names of variables of the contract.
    required: true
    type: list
    elements: str
"""

EXAMPLES = r"""
- name: The servers of the cabling step
  hosts: "{{ lookup('redundant.interfaces.contract', 'cabling_servers') }}"
"""

RETURN = r"""
_raw:
  description: The value of each variable, checked, or its default.
  type: list
  elements: raw
"""

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase
from ansible.template import trust_as_template
from ansible_collections.redundant.interfaces.plugins.module_utils.catalog import CONTRACT
from ansible_collections.redundant.interfaces.plugins.module_utils.contract import check
from ansible_collections.redundant.interfaces.plugins.module_utils.errors import RedundantError


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        variables = variables or {}
        values = []
        for name in terms:
            if name not in CONTRACT:
                raise AnsibleLookupError("redundant.interfaces.contract: %r is not a variable of the contract "
                                         "(docs/docsite/rst/variables.rst lists them)" % (name,))
            var = CONTRACT[name]
            # unset: the contract's default; a role variable's default is an expression (the role's own)
            raw = self._templar.template(variables[name] if name in variables else
                                         trust_as_template(var.template) if var.template else None)
            try:
                values.append(check(name, raw))
            except RedundantError as exc:
                raise AnsibleLookupError(str(exc)) from None
        return values
