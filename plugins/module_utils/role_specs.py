# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The roles' argument specs and defaults, derived from the catalog and the link model.

scripts/generate.py writes them (and the role files built from them) into
roles/; a unit test fails when a committed file and the generator disagree.
"""

from __future__ import annotations

from ansible_collections.redundant.interfaces.plugins.module_utils.model import LINK_SPEC
from ansible_collections.redundant.interfaces.plugins.module_utils.module_specs import variable_spec
from ansible_collections.redundant.interfaces.plugins.module_utils.catalog import (
    BOND_MODES,
    METHODS,
    ROLE_VARIABLES,
    STACKS,
    SWITCH_SETTINGS,
    options_for,
)


def option_doc(opt, mode):
    """Argument-spec entry for one table option, as seen from one bonding mode."""
    text = [opt.description]
    if opt.kind == "bond" and set(opt.modes) != set(BOND_MODES):
        legal = "Legal in %s" % ", ".join(opt.modes)
        text.append(legal + ("." if mode in opt.modes else "; refused in %s." % mode))
    if opt.min is not None:
        text.append("Range %s to %s%s%s." % (opt.min, opt.max, " " + opt.unit if opt.unit else "",
                                             ", in steps of %d" % opt.step if opt.step else ""))
    if opt.multiple_of:
        text.append("A multiple of %s." % opt.multiple_of)
    if opt.requires:
        text.append("Needs %s." % ", ".join(opt.requires))
    if opt.excludes:
        text.append("Not together with %s." % ", ".join(opt.excludes))
    if opt.kernel_default is not None:
        text.append("Kernel default %s." % _show(opt.kernel_default))
    if opt.default is not None:
        text.append("Default here %s." % _show(opt.default))
    if opt.stricter:
        text.append("Stricter than the kernel: %s." % opt.stricter)
    missing = [stack for stack in STACKS if not opt.supported(stack)]
    if missing:
        text.append("Not available on %s (refused there)." % ", ".join(missing))
    entry = dict(type=opt.type, description=" ".join(text))
    if opt.choices:
        entry["choices"] = list(opt.choices)
    if opt.elements:
        entry["elements"] = opt.elements
    return entry


def _show(value):
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


# every server role's second paragraph
STACKS_NOTE = ("Configured live and persistent on the network stack the host uses (ifupdown, NetworkManager, "
               "systemd-networkd, netplan, RHEL ifcfg), with a confirmed apply that rolls back by itself when the "
               "controller cannot reach the host again; check mode and diff show the files and live steps.")


def role_spec(method):
    """The whole argument spec of one role: its variables from the contract, the links' options
    from the link model and the catalog."""
    kind, mode = METHODS[method].kind, METHODS[method].mode
    link_options = {name: dict(spec) for name, spec in LINK_SPEC.items()}
    if kind == "bond":
        del link_options["port_options"]
    for opt in options_for(method):
        link_options[opt.name] = option_doc(opt, mode)
    options = {var.name: variable_spec(var) for var in ROLE_VARIABLES[method]}
    options["%s_links" % method].update(required=True, options=link_options)
    description = [METHODS[method].description, STACKS_NOTE]
    return {"argument_specs": {"main": dict(short_description=METHODS[method].summary, description=description,
                                            options=options)}}


def role_defaults(method):
    """defaults/main.yml of a Linux role, from the contract: the links default to the host's
    `redundancy_links`, so site.yml can include any role alike."""
    return {var.name: var.template or var.default for var in ROLE_VARIABLES[method]}


SWITCH_ROLE = dict(
    short_description="Switch side of server redundancy on Cisco IOS, derived from the server inventory",
    description=["Makes this switch the STP root, raises the STP cost of ports facing servers that bridge, builds "
                 "LACP port-channels for 802.3ad servers and plain ports for the others, with descriptions naming "
                 "the server and NIC. Each server's C(uplinks) say which NIC is on which switch port.",
                 "Validation happens on the controller before any command is sent."],
)


def switch_role_spec():
    """The cisco_ios role's argument spec, from the contract's switch settings."""
    return {"argument_specs": {"main": dict(SWITCH_ROLE, options={
        setting.name: variable_spec(setting) for setting in SWITCH_SETTINGS if not setting.internal})}}


def switch_role_defaults():
    """defaults/main.yml of the cisco_ios role."""
    return {s.name: s.template or s.default for s in SWITCH_SETTINGS
            if (s.template or s.default is not None) and not s.internal}
