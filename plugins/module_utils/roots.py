# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What switches and bridging servers must agree on (the STP root), apart from the switch side's
derivation: the host-side link module checks it too and must not carry the show-output readers."""

from __future__ import annotations

import re

from ansible_collections.redundant.interfaces.plugins.module_utils.catalog import OPTIONS, SWITCH
from ansible_collections.redundant.interfaces.plugins.module_utils.errors import RedundantError


class SwitchError(RedundantError, ValueError):
    """The inventory cannot give this switch a configuration; the message names what to fix."""


def as_number(value):
    """Extra vars and templates hand numbers over as text: '4096' -> 4096."""
    if isinstance(value, str) and re.fullmatch(r"[0-9]+", value.strip()):  # ASCII digits: '¹'.isdigit() is true
        return int(value)
    if isinstance(value, list):
        return [as_number(v) for v in value]
    if isinstance(value, dict):
        return {k: as_number(v) for k, v in value.items()}
    return value


def is_whole(value):
    return isinstance(value, int) and not isinstance(value, bool)


# --- what the switches and the servers must agree on --------------------------------------------
ROOT_PRIORITY = {"primary": "stp_priority", "secondary": "stp_secondary_priority"}


def root_priority(variables):
    """(priority, variable) a switch gets as STP root from its cisco_ios_* variables, or None (stp_root none)."""
    root = variables.get("cisco_ios_stp_root") or SWITCH["stp_root"].default
    key = ROOT_PRIORITY.get(root)
    if key is None:
        return None
    value = as_number(variables.get("cisco_ios_" + key))
    return (SWITCH[key].default if value in (None, "") else value), "cisco_ios_" + key


def check_never_root(server_priority, roots, where):
    """A bridging server must lose every root election: its priority above every switch's.
    roots: {switch: (priority, variable)}."""
    for switch, (priority, variable) in sorted(roots.items()):
        if is_whole(priority) and server_priority <= priority:
            raise SwitchError("%s: priority %d %s switch %s's STP priority %d (%s): the server would become the "
                              "STP root, which the bridge method exists to prevent; use a priority above %d "
                              "(the default is %d)" % (where, server_priority,
                                                       "ties" if server_priority == priority else "beats", switch,
                                                       priority, variable, priority, OPTIONS["priority"].default))
