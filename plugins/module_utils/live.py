# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the kernel really has: links read from sysfs and compared with the model.

Every stack ends in the same kernel, so one reader serves all renderers.
Reading needs no tool and works on the read-only /sys of a container.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from ansible_collections.redundant.interfaces.plugins.module_utils.sysfs import OPTIONS, PORT

SYS = "/sys/class/net"
# A bridge that is not the STP root runs with the root's timers (802.1D), and
# sysfs shows those: a server's own setting is only visible while it is root.
ROOT_TIMERS = ("forward_delay", "hello_time", "max_age")


def read_text(path):
    """A sysfs/procfs file's text, stripped; None if it cannot be read."""
    try:
        with open(path) as handle:
            return handle.read().strip()
    except OSError:
        return None


def _value(option, text):
    """Kernel text -> the table's type ("802.3ad 4" -> "802.3ad", "1500" -> 15 s)."""
    if text is None:
        return None
    if option["type"] == "list":
        return text.split()
    if option["type"] == "bool":
        return text not in ("0", "")
    if option["values"]:
        return option["values"].get(text)
    word = text.split()[0] if text.split() else ""
    if option["type"] == "int":
        try:
            number = int(word)
        except ValueError:
            return None
        return number // option["scale"]
    return word


def read_link(name, sys_root=SYS):
    """The kernel's view of one interface, or None if it does not exist. The one
    reader of sysfs: the engine's drift and the status verdicts both use it."""
    base = os.path.join(sys_root, name)
    if not os.path.exists(base):
        return None
    state = dict(name=name, kind="other", mtu=_int(read_text(os.path.join(base, "mtu"))),
                 operstate=read_text(os.path.join(base, "operstate")), master=_master(base),
                 mode=None, ports=[], options={}, port_options={})
    if os.path.isdir(os.path.join(base, "bonding")):
        state["kind"] = "bond"
        state["mode"] = (read_text(os.path.join(base, "bonding", "mode")) or " ").split()[0]  # "802.3ad 4"
        state["ports"] = (read_text(os.path.join(base, "bonding", "slaves")) or "").split()
        for name, opt in OPTIONS.items():
            if opt["kind"] == "bond":
                state["options"][name] = _value(opt, read_text(os.path.join(base, "bonding", opt["file"])))
    elif os.path.isdir(os.path.join(base, "bridge")):
        state["kind"] = "bridge"
        brif = os.path.join(base, "brif")
        state["ports"] = sorted(os.listdir(brif)) if os.path.isdir(brif) else []
        for name, opt in OPTIONS.items():
            if opt["kind"] == "bridge":
                state["options"][name] = _value(opt, read_text(os.path.join(base, "bridge", opt["file"])))
        bridge_id, root_id = (read_text(os.path.join(base, "bridge", f)) for f in ("bridge_id", "root_id"))
        root_port = _int(read_text(os.path.join(base, "bridge", "root_port")), 0)
        state["stp"] = dict(bridge_id=bridge_id, root_id=root_id, is_root=bridge_id == root_id, root_port=next(
            (p for p in state["ports"] if root_port and _int(read_text(os.path.join(brif, p, "port_no")), 0) == root_port),
            None))
        if bridge_id != root_id:
            for name in ROOT_TIMERS:
                state["options"][name] = None  # unknowable: the root's timers are in force
        for port in state["ports"]:
            brport = os.path.join(brif, port)
            state["port_options"][port] = dict(
                {name: _int(read_text(os.path.join(brport, file))) for name, file in PORT.items()},
                state=_int(read_text(os.path.join(brport, "state"))))
    return state


def _int(text, base=10):
    """A number sysfs wrote (in `base`: port_no is hexadecimal, 0x1), or None."""
    try:
        return int(text, base)
    except (TypeError, ValueError):
        return None


def _master(base):
    target = os.path.join(base, "master")
    return os.path.basename(os.path.realpath(target)) if os.path.islink(target) else None


def global_addresses(ip_json):
    """`ip -j addr show` output -> {ifname: set of "address/prefix"} (scope global)."""
    result = {}
    for entry in json.loads(ip_json or "[]"):
        addrs = result.setdefault(entry.get("ifname"), set())
        for info in entry.get("addr_info", []):
            if info.get("scope") == "global" and not info.get("dynamic"):
                addrs.add("%s/%s" % (info["local"], info["prefixlen"]))
    return result


def interface_with_address(ip_json, address):
    """Which interface holds this IP address (for the Ansible connection's own address)."""
    for entry in json.loads(ip_json or "[]"):
        for info in entry.get("addr_info", []):
            if info.get("local") == address:
                return entry.get("ifname")
    return None


@dataclass(frozen=True)
class Drift:
    """One difference between the kernel and the model: `field` (of `link`, or of its
    `port`) is `have` where the model wants `want`."""

    field: str  # exists | kind | mode | ports | mtu | addresses | an option's name
    have: object = None
    want: object = None
    link: str = ""
    port: str | None = None

    @property
    def device(self):
        """Only a new device takes it: the kind, the bonding mode, a bond or bridge option."""
        return self.port is None and (self.field in ("kind", "mode") or self.field in OPTIONS)

    def __str__(self):
        if self.field == "exists":
            return "%s %s" % (self.link, "still exists" if self.have else "does not exist")
        if self.field == "kind":
            return "%s is a %s, not a %s" % (self.link, self.have, self.want)
        if self.field == "ports":
            return "ports are %s, want %s" % (" ".join(self.have) or "none", " ".join(self.want))
        if self.field == "addresses":
            return "addresses %s missing" % ", ".join(a for a in self.want if a not in self.have)
        return "%s%s is %s, want %s" % (self.port + " " if self.port else "", self.field, self.have, self.want)


def drift(link, state, addresses=None):
    """How the kernel differs from the model: a list of Drift (empty: in sync)."""
    if link.state == "absent":
        return [Drift("exists", True, False, link.name)] if state else []
    if state is None:
        return [Drift("exists", False, True, link.name)]
    if state["kind"] != link.kind:
        return [Drift("kind", state["kind"], link.kind, link.name)]
    found = []
    if link.mode and state["mode"] != link.mode:
        found.append(Drift("mode", state["mode"], link.mode, link.name))
    if sorted(state["ports"]) != sorted(link.ports):
        found.append(Drift("ports", list(state["ports"]), list(link.ports), link.name))
    for name, want in link.options.items():
        have = state["options"].get(name)
        if have is not None and have != want:
            found.append(Drift(name, have, want, link.name))
    for port, settings in link.port_options.items():
        for name, want in settings.items():
            have = state["port_options"].get(port, {}).get(name)
            if have is not None and have != want:
                found.append(Drift(name, have, want, link.name, port))
    if link.mtu and state["mtu"] != link.mtu:
        found.append(Drift("mtu", state["mtu"], link.mtu, link.name))
    if addresses is not None:
        want = set(link.ipv4.addresses if link.ipv4.method == "static" else ())
        want |= set(link.ipv6.addresses if link.ipv6.method == "static" else ())
        have = addresses.get(link.name, set())
        if want - have:
            found.append(Drift("addresses", sorted(have), sorted(want), link.name))
    return found


def describe(drifts):
    """{link: [Drift]} -> "bond0: mode is balance-rr, want 802.3ad; br0: ..." """
    return "; ".join("%s: %s" % (name, ", ".join(str(d) for d in found)) for name, found in drifts.items())
