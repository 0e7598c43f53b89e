# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""IOS interface names, both ways, from one explicit table.

Every spelling IOS prints or takes for an interface type is listed; a name is
matched exactly (case-insensitive), never by prefix: `Tw` is
TwoGigabitEthernet and `Twe` TwentyFiveGigE, `Fi` FiveGigabitEthernet and
`Fo` FortyGigabitEthernet, and a spelling not in the table is no interface.
"""

from __future__ import annotations

import re

from ansible_collections.redundant.interfaces.plugins.module_utils.errors import SwitchError

# (full name, the form show output uses, other spellings IOS prints: CDP's three letters, older forms)
# speed: Mb/s, the default STP path cost's input.
TYPES = (
    ("Ethernet", "Et", ("Eth",), 10),
    ("FastEthernet", "Fa", ("Fas",), 100),
    ("GigabitEthernet", "Gi", ("Gig",), 1000),
    ("TwoGigabitEthernet", "Tw", ("Two",), 2500),
    ("FiveGigabitEthernet", "Fi", ("Fiv",), 5000),
    ("TenGigabitEthernet", "Te", ("Ten",), 10000),
    ("TwentyFiveGigE", "Twe", ("TwentyFiveGigabitEthernet",), 25000),
    ("FortyGigabitEthernet", "Fo", ("For", "FortyGigE"), 40000),
    ("HundredGigE", "Hu", ("Hun", "HundredGigabitEthernet"), 100000),
    ("AppGigabitEthernet", "Ap", ("App",), 1000),
    ("Port-channel", "Po", (), None),
    ("Vlan", "Vl", (), None),
    ("Loopback", "Lo", (), None),
    ("Tunnel", "Tu", (), None),
)
# no cable goes into these
LOGICAL = ("Port-channel", "Vlan", "Loopback", "Tunnel")
INTERNAL = ("AppGigabitEthernet",)  # the Catalyst 9000's application-hosting port, inside the switch
_BY_SPELLING = {spelling.lower(): full for full, short, others, dummy in TYPES
                for spelling in (full, short) + others}
_SHORT = {full: short for full, short, dummy, dummy2 in TYPES}
SPEED = {full: speed for full, dummy, dummy2, speed in TYPES}
# type, one optional space (CDP prints "Ten 1/1/4"), slot/port numbers, an optional subinterface
_NAME = re.compile(r"([A-Za-z][A-Za-z-]*) ?([0-9]+(?:/[0-9]+)*(?:\.[0-9]+)?)")


def split(name):
    """'Gi1/0/1' -> ('GigabitEthernet', '1/0/1'); None for anything the table does not know."""
    match = _NAME.fullmatch(name) if isinstance(name, str) else None
    full = match and _BY_SPELLING.get(match.group(1).lower())
    return (full, match.group(2)) if full else None


def full(name):
    """The full name IOS's configuration uses, or None."""
    parts = split(name)
    return parts[0] + parts[1] if parts else None


def short(name):
    """The form show output prints ('TwentyFiveGigE1/0/1' -> 'Twe1/0/1'); unknown names unchanged."""
    parts = split(name)
    return _SHORT[parts[0]] + parts[1] if parts else name


def as_read(name):
    """A name read from show output: its full form when the table knows it, else as printed
    (an unknown type on the device is reported, never a reason to fail the whole read)."""
    return full(name) or name


def port_problem(name, cabled=False):
    """Why `name` is no IOS interface name (cabled: no port a cable goes into), or None."""
    parts = split(name)
    if not parts:
        return ("is not an IOS interface name (use the full name, for example GigabitEthernet1/0/1, or IOS's own "
                "abbreviation: Gi, Tw, Fi, Te, Twe, Fo, Hu)")
    if cabled and parts[0] in LOGICAL:
        return ("is a logical interface (Port-channel, Vlan, Loopback, Tunnel), not a switch port a cable goes "
                "into")
    if cabled and parts[0] in INTERNAL:
        return "is a switch-internal port (application hosting), not a switch port a cable goes into"
    if cabled and "." in parts[1]:
        return "is a sub-interface, not a switch port a cable goes into (name the port itself)"
    return None


def normalize(name, what="port", cabled=False):
    """'Gi1/0/1' -> 'GigabitEthernet1/0/1' by IOS's own spellings; anything else is refused naming
    `what` (cabled: the port of a cable, so a logical, internal or sub-interface is refused too)."""
    problem = port_problem(name, cabled)
    if problem:
        raise SwitchError("cisco_ios: %s %r %s" % (what, name, problem))
    return full(name)


def is_logical(name):
    parts = split(name)
    return bool(parts) and parts[0] in LOGICAL
