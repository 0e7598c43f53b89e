# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One value against its entry in the inventory contract (catalog.VARIABLES).

check() returns the value as the collection reads it (text from -e read as the
number or boolean it means, a switch port in its full IOS name) or raises
ContractError naming the variable, the value and the rule. Every playbook
reads its variables through it (the `contract` lookup) and checks them first
(the `contract` action, with the rules between variables in preflight.py).
"""

from __future__ import annotations

import difflib
import re

from ansible.module_utils.parsing.convert_bool import boolean
from ansible_collections.redundant.interfaces.plugins.module_utils import ios_names
from ansible_collections.redundant.interfaces.plugins.module_utils.catalog import CONTRACT, METHODS, VLAN_RANGE
from ansible_collections.redundant.interfaces.plugins.module_utils.errors import RedundantError
from ansible_collections.redundant.interfaces.plugins.module_utils.names import (
    address_problem,
    ifname_problem,
    keys_shown,
    token_problem,
    whole_number,
)

DISCOVER = "discover"  # uplinks: discover (or no uplinks) takes the wire's cables
_PERCENT = re.compile(r"([0-9]+)%")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")  # C0, C1 and the Unicode line breaks
UPLINK_KEYS = ("interface", "switch", "port")


class ContractError(RedundantError, ValueError):
    """A variable whose value breaks its rule in the contract."""


def type_name(value):
    """The type as users know it (str, list), not Ansible's own classes that wrap them."""
    if value is None:
        return "null"
    for kind, name in ((bool, "bool"), (int, "int"), (float, "float"), (str, "str"), (dict, "dict"),
                       ((list, tuple, set), "list")):
        if isinstance(value, kind):
            return name
    return type(value).__name__


def quoted(value):
    """A value for a message: repr of the plain value, at most 80 characters."""
    text = repr(_plain(value))
    return text if len(text) <= 80 else text[:77] + "..."


def _plain(value):
    if isinstance(value, bool) or value is None:
        return value
    for kind in (str, int, float):
        if isinstance(value, kind):
            return kind(value)
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    return value


def fail(label, value, rule):
    raise ContractError("%s: %s %s" % (label, quoted(value), rule))


def check(name, value, label=None):
    """The value of contract variable `name` as the collection reads it; its default when None."""
    var = CONTRACT[name]
    if value is None:
        return var.default
    return _CHECK[var.type](var, value, label or name)


# --- by type ---------------------------------------------------------------------------------------------
def _bool(var, value, label):
    if isinstance(value, (bool, str, int, float)):
        try:
            return boolean(value.strip() if isinstance(value, str) else value, strict=True)
        except TypeError:
            pass
    fail(label, value, "must be true or false (also yes/no, on/off)%s" % _got(value))


def whole(var, value, label):
    """A whole number in the variable's range (text of ASCII digits, as -e gives it, too)."""
    if var.kind == "vlan":
        return vlan(value, label)
    number = whole_number(value)
    if number is None:
        unit = " of %s" % _UNITS[var.unit] if var.unit else ""
        fail(label, value, "is not a whole number%s; give %s%s%s" % (
            unit, _range(var), " (a plain number, no unit)" if isinstance(value, str) else "", _got(value)))
    if var.min is not None and number < var.min or var.max is not None and number > var.max:
        fail(label, number, "is out of range: %s%s" % (_range(var), "; " + var.why if var.why else ""))
    if var.step and number % var.step:
        fail(label, number, "must be a multiple of %d: %s" % (var.step, _range(var)))
    return number


_UNITS = {"s": "seconds", "ms": "milliseconds", "min": "minutes", "%": "percent"}


def _range(var):
    if var.min is None:
        return "a whole number"
    unit = " %s" % var.unit if var.unit and var.unit != "%" else var.unit
    return "%s to %s%s%s" % (var.min, var.max, unit, ", in steps of %d" % var.step if var.step else "")


def _got(value):
    """', got list': the type, when the value is not even a scalar the rule could have read."""
    return "" if isinstance(value, (str, int, float)) and not isinstance(value, bool) else \
        ", got %s" % type_name(value)


def _str(var, value, label):
    if var.choices:
        return choice(var, value, label)
    if not isinstance(value, str):
        fail(label, value, "must be text (%s), got %s" % (_KIND_TEXT.get(var.kind, "a word"), type_name(value)))
    return _KIND[var.kind](var, value, label) if var.kind else value


def choice(var, value, label):
    choices = ", ".join(var.choices)
    if isinstance(value, bool):
        fail(label, value, "is a YAML boolean (an unquoted yes/no/on/off/true/false), not one of %s; quote the "
                           "word, for example '%s'" % (choices, "off" if "off" in var.choices else var.choices[0]))
    if not isinstance(value, str):
        fail(label, value, "must be one of %s, got %s" % (choices, type_name(value)))
    if value in var.choices:
        return value
    hint = ""
    lower = [c for c in var.choices if c.lower() == value.strip().lower()]
    close = difflib.get_close_matches(value.strip().lower(), var.choices, n=1, cutoff=0.6)
    if lower or close:
        hint = "; did you mean '%s'?" % (lower or close)[0]
    fail(label, value, "must be one of %s%s" % (choices, hint))


def _list(var, value, label):
    if not isinstance(value, list):
        fail(label, value, "must be a list of %s, got %s" % (_ELEMENTS.get(var.kind or var.elements, "items"),
                                                             type_name(value)))
    if not value and var.min:
        fail(label, value, "is empty: %s" % _EMPTY[var.kind])
    return [_element(var, item, "%s[%d]" % (label, index)) for index, item in enumerate(value)]


def _element(var, item, label):
    if var.kind == "vlan":
        return vlan(item, label)
    if var.kind == "switch_ports":
        return _switch_port(item, label)
    if var.elements == "str":
        if not isinstance(item, str):
            fail(label, item, "must be text (%s), got %s" % (_KIND_TEXT.get(var.kind, "a word"), type_name(item)))
        return _KIND[var.kind](var, item, label) if var.kind else item
    if var.elements == "dict" and not isinstance(item, dict):
        fail(label, item, "must be a mapping (key: value), got %s" % type_name(item))
    if var.kind == "links":
        _link_ports(item, label)
    return item


def _link_ports(link, label):
    """A link's ports, as far as commands read them before the link model does (the cabling step's
    LLDP reading): a list of interface names. The model checks the rest once the method is known."""
    ports = link.get("ports")
    if ports is None:
        return
    if not isinstance(ports, list):
        fail(label + ".ports", ports, "must be a list of interface names, got %s" % type_name(ports))
    for index, port in enumerate(ports):
        where = "%s.ports[%d]" % (label, index)
        problem = ifname_problem(port)
        if problem:
            fail(where, port, problem)


def _dict(var, value, label):
    if not isinstance(value, dict):
        fail(label, value, "must be a mapping (key: value), got %s" % type_name(value))
    return _KIND[var.kind](var, value, label) if var.kind else value


def _raw(var, value, label):
    return _KIND[var.kind](var, value, label)


_CHECK = {"bool": _bool, "int": whole, "str": _str, "list": _list, "dict": _dict, "raw": _raw}
_ELEMENTS = {"ifname": "interface names", "vlan": "VLAN ids (1-4094)", "token": "names", "switch": "switch names",
             "server": "host names", "host": "host names", "dict": "mappings (key: value)", "int": "whole numbers",
             "str": "words", "links": "links ({name, ports, ...})", "switch_ports": "mappings {port, server, nic, mode}"}
_EMPTY = {"ifname": "list at least one interface, or leave it unset for every one"}


# --- by kind: what a text must be ------------------------------------------------------------------------
def vlan(value, label):
    number = whole_number(value)
    if number is None:
        fail(label, value, "is not a VLAN id: a whole number from %d to %d" % VLAN_RANGE)
    if not VLAN_RANGE[0] <= number <= VLAN_RANGE[1]:
        fail(label, number, "is out of range for a VLAN id (%d-%d)" % VLAN_RANGE)
    return number


def _rule(problem_of):
    """A kind's check from the function that says what is wrong with a text (None: nothing)."""
    def checked(var, value, label):  # pylint: disable=unused-argument
        problem = problem_of(value)
        if problem:
            fail(label, value, problem)
        return value
    return checked


_ifname, _token, _address = _rule(ifname_problem), _rule(token_problem), _rule(address_problem)


def _path(var, value, label):
    if not value.strip():
        fail(label, value, "is empty: name a %s" % ("folder" if var.kind == "folder" else "file"))
    if _CONTROL.search(value):
        fail(label, value, "contains a control character (a NUL byte, a new line): not a path")
    if var.kind == "path" and value.endswith("/"):
        fail(label, value, "names a folder: give the file's path, for example reports/redundancy.html")
    return value


def _pattern(var, value, label):
    if not value.strip() or _CONTROL.search(value):
        fail(label, value, "is not a host pattern (a group or host name, web*, servers:&dc1)")
    return value


def serial(var, value, label):
    """Ansible's serial, as a rollout can use it: every batch at least one server; no 0, which Ansible
    reads as every server at once (no canary)."""
    items = value if isinstance(value, list) else [value]
    if not items:
        fail(label, value, "lists no batch; give a count, a percentage or a list of them, for example [1, '100%']")
    out = []
    for index, item in enumerate(items):
        where = "%s[%d]" % (label, index) if isinstance(value, list) else label
        number = whole_number(item)
        percent = _PERCENT.fullmatch(item.strip()) if isinstance(item, str) else None
        if number is not None and number >= 1:
            out.append(number)
        elif percent and 1 <= int(percent.group(1)) <= 100:
            out.append("%d%%" % int(percent.group(1)))
        elif number == 0 or percent and int(percent.group(1)) == 0:
            fail(where, item, "is a batch of no server, which Ansible reads as every server at once (no canary, "
                              "no stop); use 1, or a list such as [1, '100%']")
        else:
            fail(where, item, "is not a batch size: give a count of servers (1 or more), a percentage ('1%%' to "
                              "'100%%') or a list of them, for example [1, '100%%']%s" % _got(item))
    return out if isinstance(value, list) else out[0]


def uplinks(var, value, label):
    """A server's uplinks: None or 'discover' (take them from the wire), else at least two
    {interface, switch, port}, no NIC and no switch port twice; ports in their full IOS name."""
    if value is None or value == DISCOVER:
        return value
    if isinstance(value, str):
        hint = " (did you mean '%s'?)" % DISCOVER if difflib.get_close_matches(
            value.strip().lower(), [DISCOVER], cutoff=0.6) else ""
        fail(label, value, "is not a list of {interface, switch, port}, nor '%s'%s" % (DISCOVER, hint))
    if not isinstance(value, list):
        fail(label, value, "must be a list of {interface, switch, port}, or '%s', got %s" % (DISCOVER, type_name(value)))
    if len(value) < 2:
        fail(label, value, "lists %d uplink(s); a redundant server needs at least two (or '%s' to take them from "
                           "LLDP/CDP)" % (len(value), DISCOVER))
    out, nics, ports = [], set(), set()
    for index, uplink in enumerate(value):
        where = "%s[%d]" % (label, index)
        if not isinstance(uplink, dict):
            fail(where, uplink, "must be a mapping {interface, switch, port}, got %s" % type_name(uplink))
        unknown = set(uplink) - set(UPLINK_KEYS)
        missing = [key for key in UPLINK_KEYS if uplink.get(key) is None]
        if unknown or missing:
            fail(where, uplink, "must have exactly the keys interface, switch and port (%s)" % "; ".join(
                (["unknown: %s" % keys_shown(unknown)] if unknown else []) +
                (["missing: %s" % ", ".join(missing)] if missing else [])))
        nic = _ifname(var, _text(uplink["interface"], where + ".interface", "a Linux interface name"),
                      where + ".interface")
        switch = _token(var, _text(uplink["switch"], where + ".switch", "a switch's inventory name"),
                        where + ".switch")
        port = port_name(_text(uplink["port"], where + ".port", "an IOS interface name"), where + ".port")
        if nic in nics:
            fail(where + ".interface", nic, "is listed twice; each NIC has one cable")
        if (switch, port) in ports:
            fail(where + ".port", port, "on %s is listed twice; a switch port takes one cable" % switch)
        nics.add(nic)
        ports.add((switch, port))
        out.append(dict(interface=nic, switch=switch, port=port))
    return out


def port_name(value, label):
    """A switch port a cable goes into, in its full IOS name."""
    problem = ios_names.port_problem(value, cabled=True)
    if problem:
        fail(label, value, problem)
    return ios_names.full(value)


def _channels(var, value, label):
    """Pinned Port-channel numbers: a server name (it reaches the Port-channel's description) to a
    channel-group number (the platform's highest is checked with cisco_ios_channel_group_max)."""
    out = {}
    for server, number in value.items():
        _token(var, _text(server, "%s key" % label, "a server's name"), "%s key" % label)
        group = whole_number(number)
        if group is None or group < 1:
            fail("%s.%s" % (label, server), number, "is not a channel-group number (1 or more)")
        out[server] = group
    return out


SWITCH_PORT_KEYS = ("port", "server", "nic", "mode")


def _switch_port(entry, label):
    """One of cisco_ios_ports: a port a cable goes into, the server and NIC names (they reach the
    port's description) and the server's method."""
    if not isinstance(entry, dict):
        fail(label, entry, "must be a mapping {port, server, nic, mode}, got %s" % type_name(entry))
    unknown = set(entry) - set(SWITCH_PORT_KEYS)
    if unknown:
        fail(label, entry, "has unknown keys %s (port, server, nic, mode)" % keys_shown(unknown))
    if not entry.get("port") or not entry.get("server"):
        fail(label, entry, "needs at least port and server")
    out = dict(port=port_name(_text(entry["port"], label + ".port", "an IOS interface name"), label + ".port"),
               server=_token(None, _text(entry["server"], label + ".server", "a name"), label + ".server"),
               nic=None, mode=entry.get("mode"))
    if entry.get("nic") is not None:
        out["nic"] = _token(None, _text(entry["nic"], label + ".nic", "a name"), label + ".nic")
    if not isinstance(out["mode"], str) or out["mode"] not in METHODS:
        fail(label + ".mode", out["mode"], "must be one of %s" % ", ".join(sorted(METHODS)))
    return out


def _text(value, label, what):
    if not isinstance(value, str):
        fail(label, value, "must be text (%s), got %s" % (what, type_name(value)))
    return value


def _names(var, value, label):
    return _token(var, value, label)


_KIND = {"ifname": _ifname, "token": _token, "switch": _names, "server": _names, "host": _names,
         "address": _address, "path": _path, "folder": _path, "pattern": _pattern, "serial": serial,
         "uplinks": uplinks, "port_channels": _channels}
_KIND_TEXT = {"ifname": "a Linux interface name", "token": "a name", "switch": "a switch's inventory name",
              "server": "a host's inventory name", "host": "a host's inventory name",
              "address": "an IP address or a host name", "path": "a file's path", "folder": "a folder's path",
              "pattern": "a host pattern"}
