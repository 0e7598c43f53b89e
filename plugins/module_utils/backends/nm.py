# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""NetworkManager keyfiles: one profile per link, port and VLAN.

Every bridge setting is written out (stp, priority 61440 by default), never
left to NetworkManager's defaults, under which a server bridge can win the
root election. Our profiles carry a higher autoconnect priority than any
other profile for the ports, and activating them takes the ports from
whatever profile had them.
"""

from __future__ import annotations

import uuid

from ansible_collections.redundant.interfaces.plugins.module_utils.backends import common
from ansible_collections.redundant.interfaces.plugins.module_utils.catalog import OPTIONS, PORT

NAME = "nm"
DIRECTORY = "/etc/NetworkManager/system-connections"
PREFIX = DIRECTORY + "/redundant-"
PRIORITY = 100  # autoconnect-priority: ours before any other profile for the same device
NAMESPACE = uuid.UUID("5b0a2d8e-52c3-4c47-9a86-1f6f2b1f7c3e")
CONF_DIRECTORY = "/etc/NetworkManager/conf.d"
CONF_PREFIX = CONF_DIRECTORY + "/90-redundant-interfaces-"


def profile(name):
    return "redundant-%s" % name


def _connection(name, kind, ifname, extra=()):
    return [("id", profile(name)), ("uuid", str(uuid.uuid5(NAMESPACE, profile(name)))), ("type", kind),
            ("interface-name", ifname), ("autoconnect-priority", PRIORITY)] + list(extra)


def _ini(sections):
    return "".join("\n[%s]\n" % title + "".join("%s=%s\n" % pair for pair in pairs) for title, pairs in sections)


def _value(value):
    return common.word(value, "true", "false", ",")


def _ip(holder, family, link=None):
    addressing = getattr(holder, family)
    method = {"none": "disabled", "static": "manual", "dhcp": "auto", "auto": "auto"}[addressing.method]
    if family == "ipv6" and addressing.method == "dhcp":
        method = "dhcp"
    pairs = [("method", method)]
    pairs += [("address%d" % n, a) for n, a in enumerate(addressing.addresses, 1)]
    if addressing.gateway:
        pairs.append(("gateway", addressing.gateway))
    if link is not None:
        version = 4 if family == "ipv4" else 6
        dns = [d for d in link.dns if (":" in d) == (version == 6)]
        if dns:
            pairs.append(("dns", "".join(d + ";" for d in dns)))
        if link.dns_search and family == "ipv4":
            pairs.append(("dns-search", "".join(d + ";" for d in link.dns_search)))
    return pairs


def render(link):
    files = {}
    head = common.header(link)
    if link.kind == "bond":
        device = [("mode", link.mode)] + [(OPTIONS[n].key(NAME), _value(v)) for n, v in link.options.items()]
    else:
        device = [(OPTIONS[n].key(NAME), _value(v)) for n, v in link.stack_options.items()]
    mtu = [("ethernet", [("mtu", link.mtu)])] if link.mtu else []
    files["%s%s.nmconnection" % (PREFIX, link.name)] = head + _ini(
        [("connection", _connection(link.name, link.kind, link.name, [("autoconnect-slaves", 1)])),
         (link.kind, device)] + mtu + [("ipv4", _ip(link, "ipv4", link)), ("ipv6", _ip(link, "ipv6", link))])
    for port in link.ports:
        name = "%s-%s" % (link.name, port)
        sections = [("connection", _connection(name, "ethernet", port,
                                               [("master", link.name), ("slave-type", link.kind)])),
                    ("ethernet", [])]
        bridge_port = [(PORT[n].key(NAME), v) for n, v in link.port_options.get(port, {}).items()]
        if link.kind == "bridge":
            sections.append(("bridge-port", bridge_port))
        files["%s%s.nmconnection" % (PREFIX, name)] = head + _ini(sections)
    for vlan in link.vlans:
        mtu = [("ethernet", [("mtu", vlan.mtu)])] if vlan.mtu else []
        files["%s%s.nmconnection" % (PREFIX, vlan.name)] = head + _ini(
            [("connection", _connection(vlan.name, "vlan", vlan.name)),
             ("vlan", [("id", vlan.id), ("parent", link.name)])] + mtu
            + [("ipv4", _ip(vlan, "ipv4")), ("ipv6", _ip(vlan, "ipv6"))])
    return files


def _active(host, name):
    rc, out, dummy = host.run(["nmcli", "-g", "GENERAL.STATE", "connection", "show", profile(name)])
    return rc == 0 and "activ" in out


@common.register
class NetworkManager(common.Backend):
    NAME = NAME
    DIRECTORIES = (DIRECTORY,)
    PRIVATE = (DIRECTORY + "/",)  # NetworkManager ignores keyfiles others can read
    AUTOCONNECTS = True
    FOREIGN_DIRECTORIES = (CONF_DIRECTORY, DIRECTORY)  # and our old profiles of the link go
    DRIVES = ("ifcfg",)  # it reads ifcfg files itself (ifcfg-rh)

    def sign(self, host, which, active):
        return common.Sign("NetworkManager is running") if which("nmcli") and active("NetworkManager") else None

    render = staticmethod(render)  # {path: text} of one present link

    def down(self, link, host, change):
        """A profile that goes away is taken down first; a changed one is re-activated by up()."""
        if link.state == "absent" or change.recreate:
            return [common.cmd("nmcli", "connection", "down", profile(n))
                    for n in [v.name for v in link.vlans] + [link.name] if _active(host, n)]
        return []

    def up(self, link, host, change):
        """Activating the ports' profiles takes the ports from any other profile;
        activating the link (re)applies its settings."""
        names = [link.name] + ["%s-%s" % (link.name, p) for p in link.ports] + [v.name for v in link.vlans]
        return [common.cmd("nmcli", "connection", "reload")] + [
            common.cmd("nmcli", "connection", "up", profile(n)) for n in names]

    def up_ports(self, link, host):
        """After removal: the freed ports autoconnect their other profiles, if any."""
        return [common.cmd("nmcli", "connection", "reload")]

    def rollback_down(self, link):
        return [["nmcli", "connection", "down", profile(link.name)]]

    def rollback_up(self, link):
        """With the old profiles back: the link comes up if it was ours before, and each port may
        autoconnect the profile it had (`nmcli device connect` would make a new profile for a port
        that had none, and leave it behind)."""
        return ([["nmcli", "connection", "reload"], ["nmcli", "connection", "up", profile(link.name)]]
                + [["nmcli", "device", "set", p, "autoconnect", "yes"] for p in link.ports])

    # when another stack takes the link: NetworkManager must leave its devices alone

    def foreign_files(self, links, current):
        """A [device-...] section per link marking it and its ports unmanaged."""
        def render_release(link):
            devices = [link.name] + list(link.ports) + [v.name for v in link.vlans]
            return {"%s%s.conf" % (CONF_PREFIX, link.name): common.header(link) + "\n[device-redundant-%s]\n"
                    "match-device=%s\nmanaged=0\n" % (link.name, ",".join("interface-name:" + d for d in devices))}
        return common.files(links, current, render_release)

    def foreign_down(self, link, host):
        if link.state != "present":
            return []
        return [common.cmd("nmcli", "device", "set", d, "managed", "no") for d in [link.name] + list(link.ports)
                if host.run(["nmcli", "-g", "GENERAL.STATE", "device", "show", d])[0] == 0]

    def foreign_up(self, link, host):
        return [common.cmd("nmcli", "general", "reload", "conf")] + (
            [common.cmd("nmcli", "device", "set", p, "managed", "yes") for p in link.ports]
            if link.state == "absent" else [])
