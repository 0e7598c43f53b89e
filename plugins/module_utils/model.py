# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One model of a host's redundant links, built (and so validated) from role input.

`build_links()` turns the role's raw `<role>_links` list into `Link` objects or
raises `LinkError` naming the role variable, the link and the rule. Nothing
here touches a host: it runs on the controller before any connection, and
again on the host as a guard.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ansible_collections.redundant.interfaces.plugins.module_utils.names import ifname_problem, keys_shown, whole_number
from ansible_collections.redundant.interfaces.plugins.module_utils.catalog import (
    ARP_FROM_GATEWAY,
    METHODS,
    MII_ONLY,
    is_method,
    OPTIONS,
    PORT,
    Option,
    bridge_timers_consistent,
    options_for,
)
from ansible_collections.redundant.interfaces.plugins.module_utils.errors import RedundantError

try:
    import netaddr
except ImportError:  # the controller always has it; on a host the action already checked
    netaddr = None

# Link-level settings every role takes, beside the kernel options of the table.
LINK_SPEC = dict(
    name=dict(type="str", required=True, description="Name of the bond or bridge, for example C(bond0)."),
    ports=dict(type="list", elements="str", required=True,
               description="The NICs to join (two or more), each in one link only."),
    state=dict(type="str", choices=["present", "absent"], default="present",
               description="C(absent) removes the link and gives the ports back as standalone interfaces."),
    ipv4=dict(type="dict", description="IPv4 on the link: C(method) static, dhcp or none (default), "
                                       "C(addresses) as address/prefix, C(gateway)."),
    ipv6=dict(type="dict", description="IPv6 on the link: C(method) static, dhcp, auto or none (default), "
                                       "C(addresses) as address/prefix, C(gateway)."),
    dns=dict(type="list", elements="str", description="DNS servers (IPv4 or IPv6 addresses)."),
    dns_search=dict(type="list", elements="str", description="DNS search domains."),
    mtu=dict(type="int", description="MTU of the link (68 to 65535; 1280 or more with IPv6)."),
    vlans=dict(type="list", elements="dict",
               description="VLAN sub-interfaces on top of the link: C(id) (1-4094), optional C(name) "
                           "(default C(<link>.<id>)), C(ipv4), C(ipv6), C(mtu)."),
    port_options=dict(type="dict", description="Per port STP settings (bridge only): "
                                               "C({eth0: {path_cost: 100, port_priority: 32}})."),
    probes=dict(type="dict", description=[
        "What must work on the host before a commit-confirmed change (C(<role>_confirm_timeout) above 0) is confirmed, "
        "beyond the link being up as configured. A probe that has not passed within C(wait) rolls the change "
        "back at once, and the task names the probe and what it saw. Probes need the controller back on the "
        "host, so they run only on the commit-confirmed path."], options=dict(
        gateway=dict(type="bool", default=True, description=[
            "Every gateway of the link and its VLANs answers over it: ARP for IPv4, neighbour discovery for "
            "IPv6, as the kernel resolves it on the device that holds the gateway's network. Nothing to probe "
            "where no gateway is configured (DHCP's is not known in advance)."]),
        targets=dict(type="list", elements="str", description=[
            "More addresses that must answer ARP or neighbour discovery over the link (a peer, a second router): "
            "each on a network of the link or of one of its VLANs, as the bonding ARP monitor's targets."]),
        lacp=dict(type="bool", description=[
            "An LACP partner is present and every port is in the bond's active aggregator "
            "(C(/proc/net/bonding)). Default on for 802.3ad bonds (C(bond_lacp)); other modes have no partner."]),
        root=dict(type="bool", description=[
            "Bridges: the STP root is not this server, and its priority is one the inventory gives a root "
            "switch (C(cisco_ios_stp_priority), C(cisco_ios_stp_secondary_priority); PVST+'s VLAN in the low "
            "12 bits aside). Default on when the inventory has switches that are STP roots."]),
        lldp=dict(type="bool", default=False, description=[
            "Each port sees by LLDP the switch and port its C(uplinks) entry names (lldpd on the server). Off by "
            "default: a port that flapped in the change waits for the switch's next LLDP frame (every 30 s on "
            "IOS), so C(wait) defaults to 35 with it."]),
        wait=dict(type="int", description=[
            "Seconds each probe may take to pass, 1 to 300: default 20 (35 with C(lldp)). The confirm timeout "
            "must leave room for it."]),
    )),
)
PROBE_KEYS = tuple(LINK_SPEC["probes"]["options"])
PROBE_FLAGS = ("gateway", "lacp", "root", "lldp")
PROBE_WAIT = 20  # the default wait, s
PROBE_WAIT_LLDP = 35  # with the LLDP probe: a bounced port waits for the switch's next LLDPDU (30 s)
MAX_PROBE_WAIT = 300
# the probes' flags and wait, typed as the kernel options are (_typed reads them)
PROBE_OPTIONS = dict({key: Option(name="probes.%s" % key, kind="probe", type="bool", description="")
                      for key in PROBE_FLAGS},
                     wait=Option(name="probes.wait", kind="probe", type="int", description="", min=1,
                                 max=MAX_PROBE_WAIT, unit="s"))
ADDRESS_METHODS = {"ipv4": ("none", "static", "dhcp"), "ipv6": ("none", "static", "dhcp", "auto")}
VLAN_KEYS = ("id", "name", "ipv4", "ipv6", "mtu")


class LinkError(RedundantError, ValueError):
    """Bad input: the message names the variable, the link and the rule."""


@dataclass(frozen=True)
class Addressing:
    method: str = "none"
    addresses: tuple = ()
    gateway: str | None = None


@dataclass(frozen=True)
class Vlan:
    id: int
    name: str
    ipv4: Addressing = Addressing()
    ipv6: Addressing = Addressing()
    mtu: int | None = None


@dataclass(frozen=True)
class Probes:
    """What must work before a commit-confirmed change is confirmed (LINK_SPEC's probes)."""

    gateway: bool = True
    targets: tuple = ()
    lacp: bool = False
    root: bool | None = None  # None: when the inventory has STP root switches
    lldp: bool = False
    wait: int = PROBE_WAIT


@dataclass(frozen=True)
class Link:
    name: str
    kind: str  # bond | bridge
    mode: str | None  # bonding mode; None for a bridge
    ports: tuple
    options: dict = field(default_factory=dict)  # kernel option -> value, table order
    port_options: dict = field(default_factory=dict)  # port -> {option: value}
    ipv4: Addressing = Addressing()
    ipv6: Addressing = Addressing()
    dns: tuple = ()
    dns_search: tuple = ()
    mtu: int | None = None
    vlans: tuple = ()
    state: str = "present"
    method: str = ""  # the role that owns it
    probes: Probes = Probes()

    @property
    def stack_options(self):
        """The options the network stack writes (not those a daemon such as mstpd sets)."""
        return {name: value for name, value in self.options.items() if not OPTIONS[name].daemon}

    @property
    def rstp(self):
        return self.options.get("protocol") == "rstp"

    def as_dict(self):
        """Plain data, for module results."""
        return _plain(self)


def _plain(value):
    if hasattr(value, "__dataclass_fields__"):
        return {name: _plain(getattr(value, name)) for name in value.__dataclass_fields__}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def build_links(method, raw_links, var=None):
    """Validate a role's raw link list and return Link objects (see module doc)."""
    if not is_method(method):
        raise LinkError("link: method must be one of %s, got %r" % (", ".join(sorted(METHODS)), method))
    var = var or "%s_links" % method
    if not isinstance(raw_links, list):
        raise LinkError("%s: must be a list of links, got %s" % (var, type(raw_links).__name__))
    links = [_build_link(method, raw, "%s[%s]" % (var, _label(raw, i))) for i, raw in enumerate(raw_links)]
    _check_across(links, var)
    return links


def _label(raw, index):
    """A link's label in messages: its name when it is one, else its place in the list (a name with
    a control character would carry it into the message)."""
    name = raw.get("name") if isinstance(raw, dict) else None
    return name if isinstance(name, str) and not ifname_problem(name) else str(index)


def _build_link(method, raw, where):
    if not isinstance(raw, dict):
        raise LinkError("%s: each link must be a mapping, got %s" % (where, type(raw).__name__))
    kind, mode = METHODS[method].kind, METHODS[method].mode
    allowed = {opt.name: opt for opt in options_for(method)}
    unknown = set(raw) - set(LINK_SPEC) - set(allowed)
    if unknown:
        raise LinkError("%s: unknown option %s; %s links take: %s" % (
            where, keys_shown(unknown), kind, ", ".join(sorted(set(LINK_SPEC) | set(allowed)))))

    name = _ifname(raw.get("name"), where, "name")
    ports = _ports(raw.get("ports"), where)
    if name in ports:
        raise LinkError("%s: the link cannot list itself (%s) as a port" % (where, name))
    state = raw.get("state", "present")
    if state not in ("present", "absent"):
        raise LinkError("%s: state must be present or absent, got %r" % (where, state))

    options = _options(raw, allowed, mode, where)
    ipv4 = _addressing(raw.get("ipv4"), "ipv4", where)
    options = _monitor(options, raw, mode, ipv4)
    if kind == "bond":
        _check_bond(options, ports, mode, where)
    else:
        _check_bridge(options, ports, where)
    port_options = _port_options(raw.get("port_options"), kind, ports, where)
    if options.get("protocol") == "rstp":
        _check_rstp(port_options, where)

    ipv6 = _addressing(raw.get("ipv6"), "ipv6", where)
    mtu = _mtu(raw.get("mtu"), ipv6, where)
    vlans = tuple(_vlan(v, name, mtu, "%s.vlans[%d]" % (where, i))
                  for i, v in enumerate(_list(raw.get("vlans"), where, "vlans", "mappings")))
    _unique([v.id for v in vlans], where, "VLAN id")
    _unique([v.name for v in vlans], where, "VLAN name")
    probes = _probes(raw.get("probes"), kind, mode, (ipv4, ipv6) + tuple(f for v in vlans for f in (v.ipv4, v.ipv6)),
                     where)
    return Link(
        name=name, kind=kind, mode=mode, ports=ports, options=options, port_options=port_options,
        ipv4=ipv4, ipv6=ipv6, dns=tuple(_ip(a, where, "dns") for a in _list(raw.get("dns"), where, "dns", "addresses")),
        dns_search=tuple(_domain(d, where) for d in _list(raw.get("dns_search"), where, "dns_search", "domains")),
        mtu=mtu, vlans=vlans, state=state, method=method, probes=probes,
    )


def _probes(raw, kind, mode, families, where):
    """The link's probes, defaults per method; a target must be on one of the link's networks."""
    if raw is None:
        return Probes(lacp=mode == "802.3ad")
    label = "%s: probes" % where
    if not isinstance(raw, dict):
        raise LinkError("%s must be a mapping (%s), got %s" % (label, ", ".join(PROBE_KEYS), type(raw).__name__))
    unknown = set(raw) - set(PROBE_KEYS)
    if unknown:
        raise LinkError("%s: unknown key %s (takes %s)" % (label, keys_shown(unknown), ", ".join(PROBE_KEYS)))
    flags = {key: None if raw.get(key) is None else _typed(PROBE_OPTIONS[key], raw[key], where) for key in PROBE_FLAGS}
    if flags["lacp"] and mode != "802.3ad":
        raise LinkError("%s.lacp: only an 802.3ad bond (bond_lacp) has an LACP partner; this link is a %s"
                        % (label, "bond in mode %s" % mode if mode else kind))
    if flags["root"] and kind != "bridge":
        raise LinkError("%s.root: only a bridge takes part in STP; this link is a bond" % label)
    wait = raw.get("wait")
    wait = (PROBE_WAIT_LLDP if flags["lldp"] else PROBE_WAIT) if wait is None else _typed(PROBE_OPTIONS["wait"], wait, where)
    targets = tuple(_ip(t, where, "probes.targets", None) for t in _list(raw.get("targets"), label, "targets",
                                                                         "addresses"))
    _unique(targets, where, "probes target")
    for target in targets:
        _check_on_link(target, families, label)
    return Probes(gateway=flags["gateway"] is not False, targets=targets,
                  lacp=mode == "802.3ad" if flags["lacp"] is None else flags["lacp"], root=flags["root"],
                  lldp=bool(flags["lldp"]), wait=wait)


def _check_on_link(target, families, label):
    """A probe target answers ARP or neighbour discovery only on a network the link (or a VLAN) has."""
    if netaddr is None:
        return
    version = netaddr.IPAddress(target).version
    family = [f for f in families[(0 if version == 4 else 1)::2] if f.method != "none"]  # (ipv4, ipv6) pairs
    if not family:
        raise LinkError("%s.targets: %s: the link and its VLANs have no IPv%d address to ask from"
                        % (label, target, version))
    static = [a for f in family if f.method == "static" for a in f.addresses]
    if all(f.method == "static" for f in family) and not any(target in netaddr.IPNetwork(a) for a in static):
        raise LinkError("%s.targets: %s is not on any of the link's IPv%d networks (%s): a probe target answers "
                        "ARP or neighbour discovery over the link only from its own network"
                        % (label, target, version, ", ".join(static)))


def _ifname(name, where, what):
    problem = ifname_problem(name)
    if problem:
        raise LinkError("%s: %s %r %s" % (where, what, name, problem))
    return name


def _list(value, where, what, elements):
    """A list the user gave (None: empty); a string or a mapping is refused, not iterated."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise LinkError("%s: %s must be a list of %s, got %s %r"
                        % (where, what, elements, type(value).__name__, value))
    return value


def _ports(ports, where):
    ports = _list(ports, where, "ports", "interface names")
    if len(ports) < 2:
        raise LinkError("%s: ports lists %d interface(s); a redundant link needs at least two" % (where, len(ports)))
    for port in ports:
        _ifname(port, where, "port")
    _unique(ports, where, "port")
    return tuple(ports)


def _unique(values, where, what):
    seen = set()
    for value in values:
        if value in seen:
            raise LinkError("%s: %s %s is listed twice" % (where, what, value))
        seen.add(value)


def _options(raw, allowed, mode, where):
    """Kernel options: type, range, mode; then the collection's defaults."""
    given = {}
    for opt in allowed.values():
        if raw.get(opt.name) is None:
            continue
        value = _typed(opt, raw[opt.name], where)
        if mode and mode not in opt.modes:
            raise LinkError("%s: %s is not supported in %s mode%s" % (where, opt.name, mode, _hint(opt, mode)))
        given[opt.name] = value
    options = {}
    for opt in allowed.values():  # table order, so renderers are stable
        if opt.name in given:
            options[opt.name] = given[opt.name]
        elif opt.default is not None and (not mode or mode in opt.modes) and not any(given.get(x) for x in opt.excludes):
            options[opt.name] = opt.default
    return options


def _monitor(options, raw, mode, ipv4):
    """An active-backup bond whose input names no link monitor, with an IPv4 gateway on the bond
    itself, is watched by ARP monitoring of that gateway (catalog.ARP_FROM_GATEWAY), not the MII
    monitor: it also sees a far end that stops forwarding while the carrier stays up."""
    named = [name for name in MII_ONLY + tuple(n for n in OPTIONS if n.startswith("arp_")) if raw.get(name) is not None]
    if mode != "active-backup" or named or not ipv4.gateway:
        return options
    derived = dict(options, arp_interval=ARP_FROM_GATEWAY, arp_ip_target=[ipv4.gateway])
    return {name: derived[name] for name in OPTIONS if name in derived and name != "miimon"}  # table order


def _hint(opt, mode):
    if opt.name.startswith("arp_"):
        return "; use miimon"
    return " (only in %s)" % ", ".join(opt.modes)


def _typed(opt, value, where):
    label = "%s: %s" % (where, opt.name)
    if opt.type == "bool":
        if not isinstance(value, bool):
            raise LinkError("%s must be true or false, got %r" % (label, value))
        return value
    if opt.type == "int":
        number = whole_number(value)
        if number is None:
            raise LinkError("%s must be a whole number, got %r" % (label, value))
        value = number
        if opt.min is not None and value < opt.min or opt.max is not None and value > opt.max:
            raise LinkError("%s must be between %s and %s%s, got %d" % (
                label, opt.min, opt.max, " " + opt.unit if opt.unit else "", value))
        if opt.step and value % opt.step:
            raise LinkError("%s must be a multiple of %d, got %d" % (label, opt.step, value))
        return value
    if opt.type == "str":
        if not isinstance(value, str):
            raise LinkError("%s must be a string, got %r" % (label, value))
        if opt.choices and value not in opt.choices:
            raise LinkError("%s must be one of %s, got %r" % (label, ", ".join(opt.choices), value))
        return value
    # list (arp_ip_target): IPv4 addresses
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise LinkError("%s must be a list of IPv4 addresses" % label)
    if opt.max_items and len(value) > opt.max_items:
        raise LinkError("%s takes at most %d addresses, got %d" % (label, opt.max_items, len(value)))
    targets = [_ip(v, where, opt.name, version=4) for v in value]
    _unique(targets, where, opt.name)
    return targets


def _check_bond(options, ports, mode, where):
    for opt in (OPTIONS[n] for n in list(options)):
        for other in opt.excludes:
            if options.get(opt.name) and options.get(other):
                raise LinkError("%s: %s and %s cannot be used together; choose one link monitor"
                                % (where, opt.name, other))
        for needed in opt.requires:
            if options.get(opt.name) not in (None, 0, "", []) and not options.get(needed):
                raise LinkError("%s: %s needs %s" % (where, opt.name, needed))
        if opt.multiple_of and options.get(opt.name) and options.get(opt.multiple_of):
            base = options[opt.multiple_of]
            if options[opt.name] % base:
                raise LinkError("%s: %s (%d) must be a multiple of %s (%d)" % (
                    where, opt.name, options[opt.name], opt.multiple_of, base))
    if not options.get("miimon") and not options.get("arp_interval"):
        raise LinkError("%s: no link monitoring: set miimon%s" % (
            where, " or arp_interval" if mode in OPTIONS["arp_interval"].modes else ""))
    if "primary" in options and options["primary"] not in ports:
        raise LinkError("%s: primary %s is not one of the ports (%s)" % (where, options["primary"], ", ".join(ports)))
    if options.get("min_links", 0) > len(ports):
        raise LinkError("%s: min_links (%d) is more than the %d ports" % (where, options["min_links"], len(ports)))


def _check_bridge(options, ports, where):
    if not options.get("stp"):
        raise LinkError("%s: stp must be on for a bridge over %d uplinks; without it they form a loop"
                        % (where, len(ports)))
    timers = {k: options.get(k, OPTIONS[k].kernel_default) for k in ("forward_delay", "hello_time", "max_age")}
    if not bridge_timers_consistent(**timers):
        raise LinkError(
            "%s: STP timers forward_delay=%d hello_time=%d max_age=%d break 802.1D's rule "
            "2*(forward_delay-1) >= max_age >= 2*(hello_time+1)" % (
                where, timers["forward_delay"], timers["hello_time"], timers["max_age"]))


def _check_rstp(port_options, where):
    for port, settings in port_options.items():
        if settings.get("port_priority", 0) % 4:
            raise LinkError("%s: port_options.%s: port_priority %d is not a multiple of 4; with protocol rstp "
                            "it is one of 802.1w's 16 port priorities (0, 4, ... 60 here; 0, 16, ... 240 in "
                            "mstpd)" % (where, port, settings["port_priority"]))


def _port_options(raw, kind, ports, where):
    if not raw:
        return {}
    if kind != "bridge":
        raise LinkError("%s: port_options only applies to bridges" % where)
    if not isinstance(raw, dict):
        raise LinkError("%s: port_options must map a port to its settings" % where)
    result = {}
    for port in ports:  # port order, for stable rendering
        settings = raw.get(port)
        if settings is None:
            continue
        if not isinstance(settings, dict):
            raise LinkError("%s: port_options.%s: must be a mapping of port options; ports take: %s" % (
                where, port, ", ".join(PORT)))
        unknown = set(settings) - set(PORT)
        if unknown:
            raise LinkError("%s: port_options.%s: unknown option %s; ports take: %s" % (
                where, port, keys_shown(unknown), ", ".join(PORT)))
        result[port] = {name: _typed(PORT[name], settings[name], "%s: port_options.%s" % (where, port))
                        for name in PORT if settings.get(name) is not None}
    strangers = sorted(set(raw) - set(ports))
    if strangers:
        raise LinkError("%s: port_options names %s, which is not one of the ports (%s)" % (
            where, ", ".join(strangers), ", ".join(ports)))
    return result


def _addressing(raw, family, where):
    if raw is None:
        return Addressing()
    label = "%s: %s" % (where, family)
    if not isinstance(raw, dict):
        raise LinkError("%s must be a mapping (method, addresses, gateway)" % label)
    unknown = set(raw) - {"method", "addresses", "gateway"}
    if unknown:
        raise LinkError("%s: unknown key %s (takes method, addresses, gateway)" % (label, keys_shown(unknown)))
    addresses = _list(raw.get("addresses"), label, "addresses", "address/prefix strings")
    method = raw.get("method", "static" if addresses else "none")
    if method not in ADDRESS_METHODS[family]:
        raise LinkError("%s.method must be one of %s, got %r" % (label, ", ".join(ADDRESS_METHODS[family]), method))
    if method == "static" and not addresses:
        raise LinkError("%s: method static needs addresses" % label)
    if method != "static" and addresses:
        raise LinkError("%s: addresses are only used with method static" % label)
    version = 4 if family == "ipv4" else 6
    parsed = tuple(_cidr(a, label, version) for a in addresses)
    _unique(parsed, where, "%s address" % family)
    gateway = raw.get("gateway")
    if gateway is not None:
        gateway = _ip(gateway, where, "%s.gateway" % family, version=version)
        if method == "static" and netaddr and not any(gateway in netaddr.IPNetwork(a) for a in parsed):
            raise LinkError("%s.gateway %s is not in any of the link's %s networks (%s)" % (
                label, gateway, family, ", ".join(parsed)))
    return Addressing(method=method, addresses=parsed, gateway=gateway)


def _parsed(parse, value, problem):
    try:
        return parse(value)
    except (netaddr.AddrFormatError, ValueError, TypeError):
        raise LinkError(problem) from None


def _cidr(value, label, version):
    if not isinstance(value, str) or "/" not in value:
        raise LinkError("%s: address %r needs a prefix length (address/prefix)" % (label, value))
    if netaddr is None:
        return value
    network = _parsed(netaddr.IPNetwork, value, "%s: %r is not a valid IPv%d address/prefix" % (label, value, version))
    if network.version != version:
        raise LinkError("%s: %r is not an IPv%d address" % (label, value, version))
    if version == 4 and network.prefixlen < 31 and network.ip in (network.network, network.broadcast):
        raise LinkError("%s: %s is the network or broadcast address of its prefix" % (label, value))
    if _not_unicast(network.ip):
        raise LinkError("%s: %s is not a unicast host address" % (label, value))
    return "%s/%d" % (network.ip, network.prefixlen)


def _ip(value, where, what, version=None):
    if not isinstance(value, str):
        raise LinkError("%s: %s %r is not an IP address" % (where, what, value))
    if netaddr is None:
        return value
    address = _parsed(netaddr.IPAddress, value, "%s: %s %r is not a valid IP address" % (where, what, value))
    if version and address.version != version:
        raise LinkError("%s: %s %s must be an IPv%d address" % (where, what, value, version))
    if _not_unicast(address):
        raise LinkError("%s: %s %s is not a unicast host address" % (where, what, value))
    return str(address)


def _not_unicast(address):
    """Multicast, loopback, unspecified or the limited broadcast address."""
    return address.is_multicast() or address.is_loopback() or int(address) == 0 or str(address) == "255.255.255.255"


_DOMAIN = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*\.?")


def _domain(value, where):
    """An ASCII domain name (IDNs in their xn-- form), whole: nothing else reaches resolv.conf."""
    if not isinstance(value, str) or len(value) > 253 or not _DOMAIN.fullmatch(value):
        raise LinkError("%s: dns_search %r is not a domain name" % (where, value))
    return value


def _mtu(value, ipv6, where):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 68 <= value <= 65535:
        raise LinkError("%s: mtu must be a whole number from 68 to 65535, got %r" % (where, value))
    if ipv6.method != "none" and value < 1280:
        raise LinkError("%s: mtu %d is below 1280, the minimum for IPv6" % (where, value))
    return value


def _vlan(raw, parent, parent_mtu, where):
    if not isinstance(raw, dict):
        raise LinkError("%s: must be a mapping with at least id" % where)
    unknown = set(raw) - set(VLAN_KEYS)
    if unknown:
        raise LinkError("%s: unknown key %s (takes %s)" % (where, keys_shown(unknown), ", ".join(VLAN_KEYS)))
    vid = raw.get("id")
    if isinstance(vid, bool) or not isinstance(vid, int) or not 1 <= vid <= 4094:
        raise LinkError("%s: id must be a VLAN id from 1 to 4094, got %r" % (where, vid))
    name = _ifname(raw.get("name") or "%s.%d" % (parent, vid), where, "name")
    ipv6 = _addressing(raw.get("ipv6"), "ipv6", where)
    mtu = _mtu(raw.get("mtu"), ipv6, where)
    if mtu and parent_mtu and mtu > parent_mtu:
        raise LinkError("%s: mtu %d is larger than the link's mtu %d" % (where, mtu, parent_mtu))
    return Vlan(id=vid, name=name, ipv4=_addressing(raw.get("ipv4"), "ipv4", where), ipv6=ipv6, mtu=mtu)


def _check_across(links, var):
    """A port belongs to one link; names do not clash."""
    owner = {}
    names = set()
    for link in links:
        for name in (link.name,) + tuple(v.name for v in link.vlans):
            if name in names or name in owner:
                raise LinkError("%s: interface name %s is used twice" % (var, name))
            names.add(name)
        for port in link.ports:
            if port in owner:
                raise LinkError("%s: port %s is in two links, %s and %s" % (var, port, owner[port], link.name))
            if port in names:
                raise LinkError("%s: port %s is also the name of a link" % (var, port))
            owner[port] = link.name
