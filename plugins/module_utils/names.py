# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Linux interface names: what the kernel accepts, checked before anything runs."""

from __future__ import annotations

import ipaddress
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


_DIGITS = re.compile(r"-?[0-9]+")  # ASCII only: '¹'.isdigit() is true, and int() takes '٣'


def whole_number(value):
    """An int from an int, a float without a fraction or a text of ASCII digits (as -e gives it),
    else None; never from a bool."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        return int(value.strip())
    return None


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


# A name that goes into an IOS line (an interface description): nothing the CLI would read as syntax
# or a new line, at most 63 characters.
_IOS_TOKEN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.:@-]{0,62}")


def token_problem(name):
    """Return why `name` cannot go into an IOS line, or None."""
    if not isinstance(name, str) or not _IOS_TOKEN.fullmatch(name):
        return ("may only contain letters, digits and '_', '.', ':', '@', '-' (at most 63, not starting with a "
                "punctuation mark): it goes into IOS interface descriptions")
    return None


_LABEL = r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)"
_HOSTNAME = re.compile(r"%s(\.%s)*\.?" % (_LABEL, _LABEL))


def address_problem(text):
    """Why `text` is neither an IP address of another host nor a host name a command may take
    as an argument (`ping TARGET`), or None."""
    if not isinstance(text, str) or not text:
        return "must be an IP address or a host name"
    if text.startswith("-"):
        return "begins with '-': a command would read it as an option; give an address or a host name"
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        address = None
    if address is not None:
        if address.is_loopback or address.is_unspecified or address.is_multicast or \
                str(address) == "255.255.255.255":
            return "is not a unicast address of another host (loopback, unspecified, multicast or broadcast)"
        return None
    if ":" in text:
        return "is not an IPv6 address"
    if re.fullmatch(r"[0-9.]+", text):
        return "is not an IPv4 address (four numbers from 0 to 255, separated by dots)"
    if len(text) > 253 or not _HOSTNAME.fullmatch(text) or re.fullmatch(r"[0-9]+", text.rstrip(".").split(".")[-1]):
        return "is neither an IP address nor a host name (letters, digits and '-' in dot-separated labels)"
    return None


def keys_shown(keys):
    """Unknown keys for a message: a plain word as it is, anything else (a control character, a
    number) as Python writes it, so nothing of it reaches a terminal raw."""
    return ", ".join(sorted(key if isinstance(key, str) and re.fullmatch(r"[A-Za-z0-9_.-]+", key) else repr(key)
                            for key in keys))


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
