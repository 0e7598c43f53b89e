# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""netplan: one YAML file per link (ports, bond or bridge, VLANs).

`netplan generate` must accept the whole new set (ours and the host's other
files) in a scratch root before anything on the host changes. Our files sort
last (90-), so the ports' dhcp off wins over another file's settings for
them. netplan merges a device's lists and maps across files, so a later file
cannot take away an address another file gives a port: the ports' addressing
is taken out of those files, their text kept in them, commented and marked,
and given back when the link goes (release_ports, restore_ports). `netplan
apply` never deletes a bond or bridge that left the configuration, so removed
links are deleted by hand afterwards.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile

from ansible_collections.redundant.interfaces.plugins.module_utils.backends import common
from ansible_collections.redundant.interfaces.plugins.module_utils.catalog import OPTIONS, PORT

NAME = "netplan"
DIRECTORY = "/etc/netplan"
PREFIX = DIRECTORY + "/90-redundant-interfaces-"


def yaml(value, indent=0):
    """A small block-style YAML writer; scalars in JSON form (valid YAML)."""
    pad = "  " * indent
    if isinstance(value, dict):
        out = []
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                out.append("%s%s:\n%s" % (pad, key, yaml(item, indent + 1)))
            else:
                out.append("%s%s: %s\n" % (pad, key, _scalar(item)))
        return "".join(out)
    out = []
    for item in value:
        if isinstance(item, dict) and item:  # "- key: value" then the other keys under it
            out.append(pad + "- " + yaml(item, indent + 1)[len(pad) + 2:])
        else:
            out.append("%s- %s\n" % (pad, _scalar(item)))
    return "".join(out)


_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9_.+/-]*$")
_WORDS = ("y", "n", "yes", "no", "on", "off", "true", "false", "null")  # YAML would not read these as text


def _scalar(value):
    if isinstance(value, (dict, list)):
        return "{}" if isinstance(value, dict) else "[]"
    if isinstance(value, str) and _PLAIN.match(value) and value.lower() not in _WORDS:
        return value
    return json.dumps(value)


def _addressing(holder):
    out = {}
    addresses = list(holder.ipv4.addresses) + list(holder.ipv6.addresses)
    if addresses:
        out["addresses"] = addresses
    routes = [dict(to="default", via=f.gateway) for f in (holder.ipv4, holder.ipv6) if f.gateway]
    if routes:
        out["routes"] = routes
    out["dhcp4"] = holder.ipv4.method == "dhcp"
    out["dhcp6"] = holder.ipv6.method == "dhcp"
    out["accept-ra"] = holder.ipv6.method == "auto"
    if holder.ipv4.method == "none" and holder.ipv6.method == "none":
        out["link-local"] = []
    return out


def render(link):
    head = common.header(link)
    parameters = {"mode": link.mode} if link.kind == "bond" else {}
    for name, value in link.stack_options.items():
        parameters[OPTIONS[name].key(NAME)] = value
    for option in PORT.values():
        per_port = {p: s[option.name] for p, s in link.port_options.items() if option.name in s}
        if per_port:
            parameters[option.key(NAME)] = per_port
    device = dict(interfaces=list(link.ports))
    if link.mtu:
        device["mtu"] = link.mtu
    device.update(_addressing(link))
    if link.dns or link.dns_search:
        device["nameservers"] = {k: v for k, v in (("addresses", list(link.dns)),
                                                   ("search", list(link.dns_search))) if v}
    device["parameters"] = parameters
    network = {"version": 2, "ethernets": {p: dict(dhcp4=False, dhcp6=False, **{"accept-ra": False})
                                           for p in link.ports},
               "bonds" if link.kind == "bond" else "bridges": {link.name: device}}
    if link.vlans:
        network["vlans"] = {}
        for vlan in link.vlans:
            entry = dict(id=vlan.id, link=link.name)
            if vlan.mtu:
                entry["mtu"] = vlan.mtu
            entry.update(_addressing(vlan))
            network["vlans"][vlan.name] = entry
    return {"%s%s.yaml" % (PREFIX, link.name): head + yaml({"network": network})}


# what netplan merges across files (lists, maps) and a port of a link must not keep
ADDRESSING = ("addresses", "routes", "routing-policy", "nameservers", "gateway4", "gateway6")


def release_ports(text, ports, link_name):
    """Another file with the ports' addressing taken out (the rest of it as it was, re-written);
    its original text kept in it, commented and marked for the link. Unchanged when it gives
    the ports none."""
    import yaml as pyyaml  # pylint: disable=import-outside-toplevel  # on the host: netplan's own dependency
    source = common.original(text, link_name) or text
    try:
        data = pyyaml.safe_load(source)
    except pyyaml.YAMLError:
        return text  # netplan generate, in precheck, says what is wrong with it
    ethernets = ((data or {}).get("network") or {}).get("ethernets") or {} if isinstance(data, dict) else {}
    taken = False
    for port in ports:
        entry = ethernets.get(port)
        for key in ADDRESSING if isinstance(entry, dict) else ():
            if key in entry:
                del entry[key]
                taken = True
    if not taken:
        return text
    return common.keep_original(source, link_name) + yaml(data)


def restore_ports(text, link_name):
    """Undo release_ports for one link."""
    return common.original(text, link_name) or text


def precheck(new_files, run, current_dir=DIRECTORY):
    """Run `netplan generate` on the host's netplan files with ours applied, in a
    scratch root. Returns what netplan said when it refuses them, else None."""
    root = tempfile.mkdtemp(prefix="redundant-netplan-")
    try:
        target = os.path.join(root, current_dir.lstrip("/"))
        shutil.copytree(current_dir, target) if os.path.isdir(current_dir) else os.makedirs(target)
        for path, text in new_files.items():
            if not path.startswith(current_dir + "/"):
                continue
            dest = os.path.join(target, os.path.basename(path))
            if text is None:
                if os.path.exists(dest):
                    os.remove(dest)
            else:
                with open(dest, "w") as handle:
                    handle.write(text)
                os.chmod(dest, 0o600)
        rc, out, err = run(["netplan", "generate", "--root-dir", root])
        if rc != 0:
            return "netplan generate refused the new configuration (nothing was changed): %s" % (err or out).strip()
        return None
    finally:
        shutil.rmtree(root, ignore_errors=True)


@common.register
class Netplan(common.Backend):
    NAME = NAME
    DIRECTORIES = (DIRECTORY,)
    PRIVATE = (DIRECTORY + "/",)  # netplan warns about (and one day refuses) readable files
    PRECHECK = "netplan generate --root-dir <a scratch copy of %s with them>" % DIRECTORY
    DRIVES = ("networkd", "nm")  # its renderers: their running daemons are netplan's

    def sign(self, host, which, active):
        plans = [n for n in host.listdir(DIRECTORY) if n.endswith(".yaml")]
        return common.Sign("%s has %s" % (DIRECTORY, ", ".join(plans))) if which("netplan") and plans else None

    def release(self, link, current, result):
        """Take the ports' addressing out of the other netplan files (or give it back)."""
        return common.release_others(link, current, result, release_ports, restore_ports,
                                     lambda path: not path.endswith(".yaml"))

    render = staticmethod(render)  # {path: text} of one present link

    def precheck(self, new_files, host):
        return precheck(new_files, host.run)

    def up(self, link, host, change):
        return [common.cmd("netplan", "apply")]

    def up_ports(self, link, host):
        """After removal (the engine has deleted the device, which netplan apply leaves behind)."""
        return [common.cmd("netplan", "apply")]

    def rollback_up(self, link):
        return [["netplan", "apply"]]
