# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""RHEL ifcfg files (network-scripts, or NetworkManager's ifcfg-rh plugin).

ifcfg-<bond> with BONDING_OPTS, ifcfg-<port> with MASTER=/SLAVE=yes; bridges
with TYPE=Bridge, STP=on, DELAY= and BRIDGING_OPTS (priority and timers in
seconds, as ifcfg-rh reads them), ports with BRIDGE= and their own
BRIDGING_OPTS. A port's previous ifcfg file is kept inside ours, commented,
and given back when the link is removed. No RHEL host can be built in the
project's lab: this renderer is covered by golden files and a shell parse.
"""

from __future__ import annotations

import shlex

from ansible_collections.redundant.interfaces.plugins.module_utils.backends import common
from ansible_collections.redundant.interfaces.plugins.module_utils.catalog import OPTIONS, PORT

NAME = "ifcfg"
DIRECTORY = "/etc/sysconfig/network-scripts"


def path(name):
    return "%s/ifcfg-%s" % (DIRECTORY, name)


def _lines(pairs):
    return "".join("%s=%s\n" % (key, shlex.quote(str(value))) for key, value in pairs if value is not None)


def _addressing(holder):
    four, six = holder.ipv4, holder.ipv6
    pairs = [("BOOTPROTO", "dhcp" if four.method == "dhcp" else "none")]
    for n, address in enumerate(four.addresses):
        ip, prefix = address.split("/")
        pairs += [("IPADDR%d" % n, ip), ("PREFIX%d" % n, prefix)]
    pairs.append(("GATEWAY", four.gateway))
    pairs.append(("IPV6INIT", "yes" if six.method != "none" else "no"))
    if six.method != "none":
        pairs.append(("IPV6_AUTOCONF", "yes" if six.method == "auto" else "no"))
        pairs.append(("DHCPV6C", "yes" if six.method == "dhcp" else None))
        if six.addresses:
            pairs.append(("IPV6ADDR", six.addresses[0]))
            pairs.append(("IPV6ADDR_SECONDARIES", " ".join(six.addresses[1:]) or None))
        pairs.append(("IPV6_DEFAULTGW", six.gateway))
    return pairs


def _own(name):
    """A bridge option whose key is in capitals is a variable of its own (STP=on, DELAY=4); the
    others go into BRIDGING_OPTS, in the kernel's words."""
    return OPTIONS[name].key(NAME).isupper()


def _opts(options, names):
    return " ".join("%s=%s" % (OPTIONS[n].key(NAME), common.word(options[n], "1", "0", ","))
                    for n in names if n in options) or None


def render(link):
    head = common.header(link)
    pairs = [("DEVICE", link.name), ("NAME", link.name), ("ONBOOT", "yes")]
    if link.kind == "bond":
        pairs += [("TYPE", "Bond"), ("BONDING_MASTER", "yes"),
                  ("BONDING_OPTS", " ".join(filter(None, ["mode=%s" % link.mode, _opts(link.options, OPTIONS)])))]
    else:
        options = link.stack_options
        pairs += [("TYPE", "Bridge")] + [(OPTIONS[n].key(NAME), common.word(options[n], "on", "off"))
                                         for n in OPTIONS if n in options and _own(n)]
        pairs.append(("BRIDGING_OPTS", _opts(options, [n for n in OPTIONS if n in options and not _own(n)])))
    pairs += _addressing(link) + [("MTU", link.mtu)]
    pairs += [("DNS%d" % n, d) for n, d in enumerate(link.dns, 1)]
    pairs.append(("DOMAIN", " ".join(link.dns_search) or None))
    files = {path(link.name): head + _lines(pairs)}
    for port in link.ports:
        settings = link.port_options.get(port, {})
        bridging = " ".join("%s=%s" % (PORT[n].key(NAME), v) for n, v in settings.items()) or None
        member = [("MASTER", link.name), ("SLAVE", "yes")] if link.kind == "bond" else \
            [("BRIDGE", link.name), ("BRIDGING_OPTS", bridging)]
        files[path(port)] = head + _lines([("DEVICE", port), ("NAME", port), ("TYPE", "Ethernet"), ("ONBOOT", "yes"),
                                           ("BOOTPROTO", "none")] + member)
    for vlan in link.vlans:
        files[path(vlan.name)] = head + _lines(
            [("DEVICE", vlan.name), ("NAME", vlan.name), ("ONBOOT", "yes"), ("VLAN", "yes"), ("TYPE", "Vlan"),
             ("PHYSDEV", link.name), ("VLAN_ID", vlan.id)] + _addressing(vlan) + [("MTU", vlan.mtu)])
    return files


@common.register
class Ifcfg(common.Backend):
    NAME = NAME
    DIRECTORIES = (DIRECTORY,)
    RESTARTS = True  # ifdown/ifup take the whole link down and up

    def sign(self, host, which, active):
        files = [n for n in host.listdir(DIRECTORY) if n.startswith("ifcfg-") and n != "ifcfg-lo"]
        return common.Sign("%s has %s" % (DIRECTORY, ", ".join(files))) if files else None

    render = staticmethod(render)  # {path: text} of one present link

    def release(self, link, current, result):
        """A port's own ifcfg file is replaced by ours: keep its text inside ours,
        and write it back when the link goes."""
        out = {}
        for port in link.ports:
            old = current.get(path(port))
            if link.state == "present":
                out[path(port)] = result[path(port)] + common.keep_original(old, link.name)
            elif common.original(old, link.name):
                out[path(port)] = common.original(old, link.name)
        return out

    def down(self, link, host, change):
        names = [v.name for v in link.vlans] + [link.name] + list(link.ports)
        return [common.cmd("ifdown", n) for n in names if host.link(n)]

    def up(self, link, host, change):
        return [common.cmd("ifup", name) for name in [link.name] + [v.name for v in link.vlans]]

    def up_ports(self, link, host):
        """After removal: the ports whose own file came back."""
        return [common.cmd("ifup", p, when_file=path(p)) for p in link.ports]

    def rollback_down(self, link):
        return [["ifdown", name] for name in [v.name for v in link.vlans] + [link.name]]

    def rollback_up(self, link):
        return [["ifup", name] for name in list(link.ports) + [link.name]]
