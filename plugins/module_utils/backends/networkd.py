# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""systemd-networkd: a .netdev and a .network per link and VLAN, a .network per port.

Our files sort first (05-), so they win over any other .network matching a
port: nothing else needs editing. networkd applies .netdev settings only
when it creates the device, so a changed mode or bond/bridge option means
deleting the device first; a changed .network (addresses, port cost) is
picked up by `networkctl reload` without touching the ports' carrier.
"""

from __future__ import annotations

from ansible_collections.redundant.interfaces.plugins.module_utils.backends import common
from ansible_collections.redundant.interfaces.plugins.module_utils.catalog import OPTIONS, PORT

NAME = "networkd"
DIRECTORY = "/etc/systemd/network"
PREFIX = DIRECTORY + "/05-redundant-"


# catalog keys that are no [Bond] setting but a [Network] flag on the port the option names
ON_THE_PORT = ("PrimarySlave",)


def _value(option, value):
    if option.unit in ("ms", "s") and option.keys[NAME].endswith("Sec"):
        return "%d%s" % (value, option.unit)
    return common.word(value)


def _ini(sections):
    """[(section, [(key, value)])] -> text; empty sections dropped."""
    out = []
    for title, pairs in sections:
        if pairs or title == "Match":
            out.append("\n[%s]\n" % title + "".join("%s=%s\n" % pair for pair in pairs))
    return "".join(out)


def render(link):
    files = {}
    head = common.header(link)
    section = "Bond" if link.kind == "bond" else "Bridge"
    device = [("Mode", link.mode)] if link.kind == "bond" else []
    device += [(OPTIONS[n].key(NAME), _value(OPTIONS[n], v)) for n, v in link.stack_options.items()
               if OPTIONS[n].key(NAME) not in ON_THE_PORT]
    files["%s%s.netdev" % (PREFIX, link.name)] = head + _ini([("NetDev", [("Name", link.name), ("Kind", link.kind)]),
                                                              (section, device)])
    network = [("%s" % ("Bond" if link.kind == "bond" else "Bridge"), link.name)]
    for port in link.ports:
        extra = [(OPTIONS[n].key(NAME), "yes") for n, v in link.stack_options.items()
                 if OPTIONS[n].key(NAME) in ON_THE_PORT and v == port]
        bridge = [(PORT[n].key(NAME), v) for n, v in link.port_options.get(port, {}).items()]
        files["%s%s-%s.network" % (PREFIX, link.name, port)] = head + _ini([
            ("Match", [("Name", port)]), ("Network", network + extra), ("Bridge", bridge)])
    for vlan in link.vlans:
        files["%s%s.netdev" % (PREFIX, vlan.name)] = head + _ini([
            ("NetDev", [("Name", vlan.name), ("Kind", "vlan")]), ("VLAN", [("Id", vlan.id)])])
    for name, holder, mtu in common.interfaces(link):
        extra = [("VLAN", vlan.name) for vlan in link.vlans] if name == link.name else []
        dns = [("DNS", d) for d in link.dns] + ([("Domains", " ".join(link.dns_search))] if link.dns_search else []) \
            if name == link.name else []
        files["%s%s.network" % (PREFIX, name)] = head + _ini([
            ("Match", [("Name", name)]), ("Link", [("MTUBytes", mtu)] if mtu else []),
            ("Network", _addressing(holder) + dns + extra)])
    return files


def _addressing(holder):
    pairs = [("DHCP", common.dhcp(holder))]
    if holder.ipv4.method == "none" and holder.ipv6.method == "none":
        pairs.append(("LinkLocalAddressing", "no"))
    pairs.append(("IPv6AcceptRA", "yes" if holder.ipv6.method == "auto" else "no"))
    for family in (holder.ipv4, holder.ipv6):
        pairs += [("Address", a) for a in family.addresses]
        if family.gateway:
            pairs.append(("Gateway", family.gateway))
    return pairs


@common.register
class Networkd(common.Backend):
    NAME = NAME
    REMAKES = True
    DIRECTORIES = (DIRECTORY,)
    FOREIGN_DIRECTORIES = (DIRECTORY,)

    def sign(self, host, which, active):
        return common.Sign("systemd-networkd is running") if active("systemd-networkd") else None

    render = staticmethod(render)  # {path: text} of one present link

    # down: only a device whose kind, mode or options change is deleted (the engine does it)

    def up(self, link, host, change):
        """reload creates new netdevs and reconfigures what matches a changed .network;
        ports of a new or recreated device are enslaved again explicitly."""
        steps = [common.cmd("networkctl", "reload")]
        if change.recreate or not change.device:
            steps.append(common.cmd("networkctl", "reconfigure", *link.ports))
        return steps

    def up_ports(self, link, host):
        """After removal: the device goes once networkd has reloaded its files away (deleted
        before, networkd made it again from the .netdev for a port configured from its old
        file; a reload never deletes one), then the ports go back to whatever other .network
        matches them."""
        return [common.cmd("networkctl", "reload"),
                common.cmd("ip", "link", "del", "dev", link.name, when_exists=link.name),
                common.cmd("networkctl", "reconfigure", *link.ports)]

    def rollback_up(self, link):
        return [["networkctl", "reload"], ["networkctl", "reconfigure"] + list(link.ports)]

    # when another stack takes the link: networkd must leave its devices alone

    def foreign_files(self, links, current):
        """A .network sorting before any other, matching the link and its ports: Unmanaged=yes."""
        def render_release(link):
            devices = [link.name] + list(link.ports) + [v.name for v in link.vlans]
            return {"%s/01-redundant-%s-unmanaged.network" % (DIRECTORY, link.name): common.header(link) + _ini(
                [("Match", [("Name", " ".join(devices))]), ("Link", [("Unmanaged", "yes")])])}
        return common.files(links, current, render_release)

    def foreign_up(self, link, host):
        return [common.cmd("networkctl", "reload")]
