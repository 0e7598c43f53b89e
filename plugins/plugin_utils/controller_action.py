# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Base of the actions that only compute on the controller (no connection), and
the one way a host's variables become their inputs."""

from __future__ import annotations

from ansible.errors import AnsibleActionFail, AnsibleError
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase
from ansible_collections.redundant.interfaces.plugins.module_utils.catalog import METHODS, is_method
from ansible_collections.redundant.interfaces.plugins.module_utils.contract import check
from ansible_collections.redundant.interfaces.plugins.module_utils.decision import INPUTS, decide
from ansible_collections.redundant.interfaces.plugins.module_utils.errors import RedundantError
from ansible_collections.redundant.interfaces.plugins.module_utils.preflight import Inventory


def host_inputs(variables, names, templar):
    """{name: templated value} of the named variables a host defines."""
    return {name: templar.template(variables[name]) for name in names if name in variables}


def inventory(task_vars, templar):
    """The run's hosts and their variables as preflight reads them: this host's from the task's
    variables (extra and play variables included), the others' from hostvars; each templated when
    it is read, and a value that cannot be templated is refused naming the variable."""
    me = task_vars.get("inventory_hostname")
    hostvars = task_vars.get("hostvars") or {}
    groups = task_vars.get("groups") or {}

    def value(host, name):
        variables = task_vars if host == me else (hostvars.get(host) or {})
        if name not in variables:
            return None
        try:
            return templar.template(variables[name])
        except AnsibleError as exc:
            raise RedundantError("%s: cannot be read on %s: %s" % (name, host, exc.message)) from None

    return Inventory(groups.get("servers", []), groups.get("switches", []), groups.get("all", []), value)


def switch_identities(switches, task_vars, templar):
    """{switch: {"names": its `redundancy_lldp_names`, "addresses": [its `ansible_host`]}}: what else
    LLDP and CDP may call each switch (cabling.identities)."""
    out = {}
    for switch in switches:
        hostvars = (task_vars.get("hostvars") or {}).get(switch, {})
        names = check("redundancy_lldp_names", templar.template(hostvars.get("redundancy_lldp_names")),
                      "%s's redundancy_lldp_names" % switch) or []
        address = templar.template(hostvars.get("ansible_host"))
        out[switch] = dict(names=names, addresses=[address] if isinstance(address, str) else [])
    return out


def host_method(name, variables, templar):
    """A host's method: `redundancy_mode` when its inventory sets it, else the
    decision tree on its answers. Errors name the host."""
    mode = templar.template(variables.get("redundancy_mode"))
    if mode:
        if not is_method(mode):
            raise RedundantError("%s: redundancy_mode %r is not a method; use one of %s"
                                 % (name, mode, ", ".join(sorted(METHODS))))
        return mode
    try:
        return decide(host_inputs(variables, INPUTS, templar))["mode"]
    except RedundantError as exc:
        raise type(exc)("%s: %s" % (name, exc)) from None


class ControllerAction(ActionBase):
    """Validate the task's arguments (those it leaves out taken from the host's
    variables, see host_args) against ARGUMENT_SPEC, call compute(), and turn
    the collection's error into a failed result carrying its message."""

    TRANSFERS_FILES = False
    _requires_connection = False
    ARGUMENT_SPEC: dict = {}

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        task_vars = task_vars or {}
        validated = ArgumentSpecValidator(self.ARGUMENT_SPEC).validate(
            dict(self.host_args(task_vars), **self._task.args))
        if validated.error_messages:
            raise AnsibleActionFail("Validation of arguments failed:\n%s" % "\n".join(validated.error_messages))
        try:
            result.update(changed=False, **self.compute(validated.validated_parameters, task_vars))
        except RedundantError as exc:
            result.update(failed=True, msg=str(exc))
        return result

    def host_args(self, task_vars):
        """Arguments the host's own variables give when the task leaves them out."""
        return {}

    def compute(self, args, task_vars):
        raise NotImplementedError
