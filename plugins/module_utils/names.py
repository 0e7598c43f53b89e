# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Linux interface names: what the kernel accepts, checked before anything runs."""

from __future__ import annotations

import re

# IFNAMSIZ is 16 including the NUL byte. The kernel refuses '/', ':' and
# white space; we also refuse anything outside a conservative set so that no
# name can ever carry shell or file-path syntax into a renderer.
IFNAME_MAX = 15
_IFNAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.@-]*")  # whole name (fullmatch): no trailing newline slips by
# Names a port or link can never take: the loopback, the per-family settings
# in /proc/sys/net/*/conf/ (all, default), a file in /sys/class/net.
RESERVED = {
    "lo": "is the loopback device",
    "all": "is reserved (/proc/sys/net/*/conf/all sets every interface)",
    "default": "is reserved (/proc/sys/net/*/conf/default holds new interfaces' settings)",
    "bonding_masters": "is reserved (a file in /sys/class/net)",
}


def ifname_problem(name):
    """Return why `name` cannot be a Linux interface name, or None."""
    if not isinstance(name, str) or not name:
        return "must be a non-empty string"
    if len(name) > IFNAME_MAX:
        return "is %d characters long; Linux allows at most %d" % (len(name), IFNAME_MAX)
    if name in (".", ".."):
        return "cannot be '.' or '..'"
    if not _IFNAME.fullmatch(name):
        return "may only contain letters, digits and '_', '.', '-', '@' (not starting with a punctuation mark)"
    return RESERVED.get(name)


def interface_facts(facts, name):
    """The setup module's facts for interface `name`, or None.

    setup stores them under the name with ':' (and, in places, '-') turned
    into '_', so try each spelling.
    """
    for key in (name, name.replace(":", "_"), name.replace("-", "_")):
        found = facts.get(key)
        if isinstance(found, dict):
            return found
    return None
