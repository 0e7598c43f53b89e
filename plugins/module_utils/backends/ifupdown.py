# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Debian ifupdown: /etc/network/interfaces.d/<link>, ifenslave bond-* and
bridge-utils bridge_* keys.

Ports keep their stanzas elsewhere, commented out and marked, and get them
back when the link is removed. The contract (Backend) is in common.py.
"""

from __future__ import annotations

import re

from ansible_collections.redundant.interfaces.plugins.module_utils.backends import common
from ansible_collections.redundant.interfaces.plugins.module_utils.catalog import OPTIONS, PORT

NAME = "ifupdown"
INTERFACES = "/etc/network/interfaces"
DIRECTORY = "/etc/network/interfaces.d"
HOOK = "/etc/network/if-pre-up.d/redundant-interfaces"
MARK = common.MARK
SOURCE_LINE = "source /etc/network/interfaces.d/*\n"


def _env(key):
    return "IF_" + re.sub(r"[^A-Za-z0-9]", "_", key).upper()


def hook_script():
    """The pre-up hook, generated from the table so the two cannot disagree."""
    lines = [
        "#!/bin/sh",
        "# Installed by redundant.interfaces: bond and bridge settings that ifenslave and",
        "# bridge-utils do not cover, read from the iface stanza the way theirs are.",
        '[ "$ADDRFAM" = meta ] && exit 0',
        'if [ -d "/sys/class/net/$IFACE/bonding" ]; then',
    ]
    # the bond options ifenslave does not apply (the catalog marks them hooked), set with iproute2
    # from the same stanza, in pre-up, while the bond is down
    for opt in (o for o in OPTIONS.values() if o.kind == "bond" and NAME in o.hooked):
        var = _env(opt.key(NAME))
        lines.append('  [ -n "$%s" ] && ip link set dev "$IFACE" type bond %s "$%s"' % (var, opt.name, var))
    lines.append("fi")
    for name, word in (("path_cost", "cost"), ("port_priority", "priority")):
        var = _env(PORT[name].key(NAME))
        lines.append('for pair in $%s; do bridge link set dev "${pair%%%%=*}" %s "${pair#*=}"; done' % (var, word))
    lines.append("exit 0")
    return "\n".join(lines) + "\n"


def path(link):
    return "%s/%s" % (DIRECTORY, link.name)


def render(link):
    """{path: the stanzas of one link and its VLANs}."""
    return {path(link): stanzas(link)}


def stanzas(link):
    out = [common.header(link)]
    body = []
    if link.kind == "bond":
        body.append(("bond-slaves", " ".join(link.ports)))
        body.append(("bond-mode", link.mode))
    else:
        body.append(("bridge_ports", " ".join(link.ports)))
        body.append(("bridge_maxwait", "0"))  # the module checks the result itself; do not block ifup
    for name, value in link.stack_options.items():
        body.append((OPTIONS[name].key(NAME), _word(value)))
    for option in PORT.values():
        pairs = ["%s=%s" % (port, s[option.name]) for port, s in link.port_options.items() if option.name in s]
        if pairs:
            body.append((option.key(NAME), " ".join(pairs)))
    out += _stanzas(link.name, link.ipv4, link.ipv6, body, link.mtu, link.dns, link.dns_search)
    for vlan in link.vlans:
        out.append("\n")
        out += _stanzas(vlan.name, vlan.ipv4, vlan.ipv6, [("vlan-raw-device", link.name)], vlan.mtu, (), ())
    return "".join(out)


def _word(value):
    return common.word(value, "on", "off")


def _stanzas(name, ipv4, ipv6, body, mtu, dns, dns_search):
    method4 = {"none": "manual"}.get(ipv4.method, ipv4.method)
    lines = ["auto %s\n" % name, "iface %s inet %s\n" % (name, method4)]
    lines += _addressing(ipv4)
    if mtu:
        lines.append("    mtu %d\n" % mtu)
    if dns:
        lines.append("    dns-nameservers %s\n" % " ".join(dns))
    if dns_search:
        lines.append("    dns-search %s\n" % " ".join(dns_search))
    lines += ["    %s %s\n" % item for item in body]
    if ipv6.method != "none":
        lines.append("iface %s inet6 %s\n" % (name, ipv6.method))
        lines += _addressing(ipv6)
    return lines


def _addressing(addressing):
    lines = ["    address %s\n" % address for address in addressing.addresses]
    if addressing.gateway:
        lines.append("    gateway %s\n" % addressing.gateway)
    return lines


# --- the files around ours: sourcing, and ports configured elsewhere ---------

_STANZA = re.compile(r"^(iface|mapping|auto|allow-[\w-]+|source|source-directory|rename)\b")


def sources_directory(text):
    return any(re.match(r"^\s*source(-directory)?\s+/etc/network/interfaces\.d", line)
               for line in (text or "").splitlines())


def release_ports(text, ports, link_name):
    """Comment out every stanza of `ports` in another file, marked as ours."""
    mark = MARK % link_name
    out, in_port_iface = [], False
    for line in (text or "").splitlines(True):
        stripped = line.strip()
        words = stripped.split()
        if _STANZA.match(stripped):
            in_port_iface = words[0] == "iface" and len(words) > 1 and words[1] in ports
            if words[0] == "auto" or words[0].startswith("allow-"):
                listed = words[1:]
                if any(w in ports for w in listed):
                    out.append(mark + line)
                    rest = [w for w in listed if w not in ports]
                    if rest:
                        out.append("%s %s %s\n" % (words[0], " ".join(rest), mark.strip()))
                    continue
        if in_port_iface:
            out.append(mark + line)
        else:
            out.append(line)
    return "".join(out)


def restore_ports(text, link_name):
    """Undo release_ports for one link."""
    mark = MARK % link_name
    out = []
    for line in (text or "").splitlines(True):
        if line.startswith(mark):
            out.append(line[len(mark):])
        elif line.rstrip().endswith(mark.strip()):
            continue
        else:
            out.append(line)
    return "".join(out)


def configured(host, name):
    """Is `name` up according to ifupdown's own state?"""
    rc, out, dummy = host.run(["ifquery", "--state", name])
    return rc == 0 and bool(out.strip())


def _ifdown(host, names):
    return [common.cmd("ifdown", "--force", name) for name in names if configured(host, name)]


@common.register
class Ifupdown(common.Backend):
    NAME = NAME
    FILES = (INTERFACES, HOOK)
    DIRECTORIES = (DIRECTORY,)
    EXECUTABLE = (HOOK,)
    RESTARTS = True  # ifdown/ifup take the whole link down and up
    FOREIGN_FILES = (INTERFACES,)
    FOREIGN_DIRECTORIES = (DIRECTORY,)

    def sign(self, host, which, active):
        """Installed with an interfaces file; weak when it configures nothing but lo (Debian ships
        that beside NetworkManager or networkd)."""
        if not which("ifup"):
            return None
        texts = self.foreign(host)  # the interfaces file and interfaces.d: what configures interfaces
        if texts[INTERFACES] is None:
            return None
        ifaces = sorted({m for t in texts.values() for m in re.findall(r"^iface (\S+)", t or "", re.M)} - {"lo"})
        if not ifaces:
            return common.Sign("ifupdown is installed (loopback only)", weak=True)
        return common.Sign("%s configures %s" % (INTERFACES, ", ".join(ifaces)))

    render = staticmethod(render)  # {path: text} of one present link

    def files(self, links, current):
        """Also the hook, and the source line in /etc/network/interfaces when it lacks one."""
        base = {HOOK: hook_script()}
        main = current.get(INTERFACES)
        if not sources_directory(main):
            base[INTERFACES] = (main or "") + ("\n" if main and not main.endswith("\n") else "") + SOURCE_LINE
        return common.files(links, current, render, self.release, base)

    def release(self, link, current, result):
        """Comment out the ports' stanzas in files that are not ours (or give them back)."""
        return common.release_others(link, current, result, release_ports, restore_ports, lambda path: path == HOOK)

    def down(self, link, host, change):
        """Take the link and its ports down the way ifupdown brought them up."""
        return _ifdown(host, [vlan.name for vlan in link.vlans] + [link.name] + list(link.ports))

    def up(self, link, host, change):
        if link.state == "absent":
            return []
        return [common.cmd("ifup", name) for name in [link.name] + [vlan.name for vlan in link.vlans]]

    def up_ports(self, link, host):
        """After removal: the ports that have a stanza of their own again (once the files are back)."""
        return [common.cmd("ifup", port, when_ok=("ifquery", port)) for port in link.ports]

    def rollback_down(self, link):
        return [["ifdown", "--force", name] for name in [v.name for v in link.vlans] + [link.name] + list(link.ports)]

    def rollback_up(self, link):
        """With the old files back: whatever they bring up at boot."""
        return [["ifup", "-a"], ["ifup", "-a", "--allow=hotplug"]]

    # when another stack takes the link: ifupdown gives up the ports' stanzas

    def foreign_files(self, links, current):
        return common.files(links, current, lambda link: {}, self.release)

    def foreign_down(self, link, host):
        return _ifdown(host, link.ports) if link.state == "present" else []
