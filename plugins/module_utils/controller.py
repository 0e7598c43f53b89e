# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The argument specs of the controller-only actions, shared by each action
plugin and its module (which only documents it and refuses to run on a host)."""

from __future__ import annotations

from ansible_collections.redundant.interfaces.plugins.module_utils.catalog import METHODS

SPECS = {
    "switch_config": dict(
        servers=dict(type="list", elements="str", required=True),
        switches=dict(type="list", elements="str", required=True),
        settings=dict(type="dict", default={}),
        existing=dict(type="list", elements="dict", default=[]),
    ),
    "switch_verify": dict(
        config=dict(type="dict", required=True),
        etherchannel=dict(type="list", elements="dict", default=[]),
        roots=dict(type="list", elements="dict", default=[]),
        vlan_ports=dict(type="dict", default={}),
        partners=dict(type="bool", default=True),
    ),
    "link_health": dict(
        method=dict(type="str", required=True, choices=sorted(METHODS)),
        links=dict(type="dict", required=True),
        names=dict(type="list", elements="str", default=[]),
    ),
    "report": dict(
        servers=dict(type="list", elements="str", required=True),
        switches=dict(type="list", elements="str", default=[]),
        dest=dict(type="path", required=True),
        title=dict(type="str", default="Redundancy report"),
    ),
}


def refuse_on_host(module_class, name):
    """The module body of a controller-only action: validate, then say where it runs."""
    module = module_class(argument_spec=SPECS[name], supports_check_mode=True)
    module.fail_json(msg="%s runs on the controller through its action plugin" % name)
