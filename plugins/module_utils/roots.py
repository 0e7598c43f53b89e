# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What switches and bridging servers must agree on (the STP root), apart from the switch side's
derivation: the host-side link module checks it too and must not carry the show-output readers."""

from __future__ import annotations

from ansible_collections.redundant.interfaces.plugins.module_utils.catalog import OPTIONS
from ansible_collections.redundant.interfaces.plugins.module_utils.errors import SwitchError


def is_whole(value):
    return isinstance(value, int) and not isinstance(value, bool)


# --- what the switches and the servers must agree on --------------------------------------------
ROOT_PRIORITY = {"primary": "stp_priority", "secondary": "stp_secondary_priority"}


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
