# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A server's LLDP neighbours, read from lldpd (`lldpcli -f json0 show neighbors details`).

lldpd has two JSON forms: `json0` (every value a list, the form the module
asks for) and `json` (a lone item is not wrapped, a named chassis is keyed by
its name, an unnamed one is not, and a single interface is an object, not a
list). Both read to one shape, so captures of either kind test the reader:

    {nic: [{"via", "system_name", "system_descr", "chassis_id", "chassis_id_type", "port_id",
            "port_id_type", "port_descr", "mgmt", "vlan", "capabilities"}]}

A field the neighbour does not advertise is None (mgmt and capabilities: []).
"""

from __future__ import annotations

import json

from ansible_collections.redundant.interfaces.plugins.module_utils import ios_names
from ansible_collections.redundant.interfaces.plugins.module_utils.names import whole_number
from ansible_collections.redundant.interfaces.plugins.module_utils.errors import RedundantError

# port id subtypes that carry an interface name (the others: a MAC, an address, an agent circuit)
_NAMED_PORT = ("ifname", "local", "ifalias")


class LldpError(RedundantError, ValueError):
    """lldpcli output that is not lldpd's JSON."""


def _items(value):
    """A json0 list or a json lone item, as a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value):
    """{"value": x} (json0), a bare string (json), or a list of either -> the first text, or None."""
    for item in _items(value):
        if isinstance(item, dict):
            item = item.get("value")
        if isinstance(item, (str, int)) and not isinstance(item, bool):
            return str(item)
    return None


def _texts(value):
    out = []
    for item in _items(value):
        text = _text(item)
        if text is not None:
            out.append(text)
    return out


def _interfaces(top):
    """(name, entry) for every neighbour entry, in lldpd's order (one NIC may come back several times)."""
    top = top.get("lldp") if isinstance(top, dict) else None
    for block in _items(top):
        if not isinstance(block, dict):
            raise LldpError("lldpcli: 'lldp' holds %s, not an object" % type(block).__name__)
        for item in _items(block.get("interface")):
            if not isinstance(item, dict):
                raise LldpError("lldpcli: an interface is %s, not an object" % type(item).__name__)
            if "name" in item:  # json0
                yield str(item["name"]), item
                continue
            for name, entry in item.items():  # json: {ifname: entry}
                if not isinstance(entry, dict):
                    raise LldpError("lldpcli: interface %s is %s, not an object" % (name, type(entry).__name__))
                yield name, entry


def _chassis(entry):
    """(system name or None, the chassis fields) of one entry, in either form."""
    chassis = _items(entry.get("chassis"))
    chassis = chassis[0] if chassis and isinstance(chassis[0], dict) else {}
    if "id" in chassis and not isinstance(chassis.get("id"), dict) or "name" in chassis:
        return _text(chassis.get("name")), chassis  # json0
    if "id" in chassis:
        return None, chassis  # json, no system name advertised
    if len(chassis) == 1:
        name, fields = next(iter(chassis.items()))  # json: keyed by the system name
        if isinstance(fields, dict):
            return name, fields
    return None, chassis


def _id(value):
    ident = _items(value)
    ident = ident[0] if ident and isinstance(ident[0], dict) else {}
    return _text(ident.get("value")), _text(ident.get("type"))


def _vlan(entry):
    """The port VLAN id (PVID) the neighbour advertises, else its first VLAN, or None."""
    vlans = [v for v in _items(entry.get("vlan")) if isinstance(v, dict)]
    vlans.sort(key=lambda v: not v.get("pvid"))
    for vlan in vlans:
        number = whole_number(_text(vlan.get("vlan-id")))
        if number is not None and 1 <= number <= 4094:
            return number
    return None


def neighbor(entry):
    """One neighbour entry -> the collection's shape."""
    name, chassis = _chassis(entry)
    port = _items(entry.get("port"))
    port = port[0] if port and isinstance(port[0], dict) else {}
    chassis_id, chassis_type = _id(chassis.get("id"))
    port_id, port_type = _id(port.get("id"))
    caps = [c for c in _items(chassis.get("capability")) if isinstance(c, dict)]
    return dict(
        via=_text(entry.get("via")) or "LLDP", system_name=name, system_descr=_text(chassis.get("descr")),
        chassis_id=chassis_id, chassis_id_type=chassis_type,
        port_id=port_id, port_id_type=port_type, port_descr=_text(port.get("descr")),
        mgmt=_texts(chassis.get("mgmt-ip")), vlan=_vlan(entry),
        capabilities=sorted(str(c.get("type")).lower() for c in caps if c.get("enabled") is True))


def parse(text):
    """lldpcli's JSON (json0 or json) -> {nic: [neighbour, ...]}."""
    if isinstance(text, (str, bytes)):
        try:
            text = json.loads(text)
        except ValueError as exc:
            raise LldpError("lldpcli: output is not JSON (%s)" % exc) from None
    if not isinstance(text, dict):
        raise LldpError("lldpcli: output is %s, not a JSON object" % type(text).__name__)
    out = {}
    for name, entry in _interfaces(text):
        out.setdefault(name, []).append(neighbor(entry))
    return out


def host_key(name):
    """'SW1.example.net' -> 'sw1': LLDP and CDP name a device by its FQDN or its host name."""
    return str(name or "").split(".", maxsplit=1)[0].strip().lower()


def switch_port(port_id, port_type, descr):
    """The IOS port a neighbour names, full form; else what it printed (a MAC port id gives way to
    the description, which IOS fills with the interface's name)."""
    for text in ((port_id,) if port_type in _NAMED_PORT else ()) + (descr, port_id):
        if text and ios_names.full(text):
            return ios_names.full(text)
    return port_id or descr
