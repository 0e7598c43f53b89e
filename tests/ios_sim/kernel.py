"""A fabric backed by real Linux switch state in the lab's guest kernels.

Each lab server is its own guest kernel and carries, in one network namespace
per switch, the slice of that switch its NICs are cabled to (lab-wire's
layout `fabric`): a bridge `vlan1` with STP, the server-facing ports named
after the IOS ports (`FastEthernet0/1` -> `Fa0-1`) and the inter-switch port.
`KernelFabric` turns each switch's configuration into that kernel state
(`channel-group N` -> an 802.3ad bond `PoN` over the members, `spanning-tree
vlan 1 priority` -> the bridge priority, `spanning-tree cost` -> the bridge
port's cost, `shutdown` -> the port down) and builds the `show` answers from
what the kernels report (/proc/net/bonding, `ip -d link`). The cabling comes
from the lab inventory's `uplinks`, so the simulator and the guests agree.

    python -m tests.ios_sim.kernel inventory/lab.yml   # lab-wire parameters per guest

One spanning tree: the kernel bridge is VLAN 1's (in MST mode its instance's); other VLANs and
instances report it too.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import yaml

from ansible_collections.redundant.interfaces.plugins.module_utils import lldp
from ansible_collections.redundant.interfaces.plugins.module_utils.status import NO_PARTNER, parse_bonding
from ansible_collections.redundant.interfaces.plugins.module_utils.switchside import normalize_interface
from tests.ios_sim.switch import MODELS, STYLES, FabricError, natural, short

CHECKOUT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BRIDGE = "vlan1"
MAX_COST = 65535  # the kernel bridge's highest port cost
STATES = {"forwarding": "FWD", "blocking": "BLK", "listening": "LIS", "learning": "LRN"}
# channel-group mode -> the switch-side bond's options
BOND_MODES = {"active": ("802.3ad", "on"), "passive": ("802.3ad", "off"), "on": ("balance-xor", None)}
READ = r"""
for ns in %s; do
  echo "@@links $ns"; ip -n "$ns" -j -d link show
  echo "@@bridge $ns"; ip netns exec "$ns" sh -c 'cd /sys/class/net/%s/bridge && grep . root_id bridge_id root_port root_path_cost'
  echo "@@lldp $ns"; ip netns exec "$ns" lldpcli -u /run/lldpd-$ns.socket -f json0 show neighbors details 2>/dev/null || echo '{}'
  ip netns exec "$ns" sh -c 'for f in /proc/net/bonding/*; do [ -e "$f" ] || continue; echo "@@bond '"$ns"' ${f##*/}"; cat "$f"; done'
done
"""
# (ip -d link reports a stale root_id for the bridge in the lab's kernel; sysfs is right)


def kernel_name(port):
    """IOS port -> its device in a slice ('FastEthernet0/1' -> 'Fa0-1')."""
    return short(normalize_interface(port)).replace("/", "-")


def colon_mac(ios_mac):
    digits = ios_mac.replace(".", "")
    return ":".join(digits[i:i + 2] for i in range(0, 12, 2))


# --- cabling, from the lab inventory -------------------------------------------------
def _hosts(group):
    hosts = dict(group.get("hosts") or {})
    for child in (group.get("children") or {}).values():
        hosts.update(_hosts(child or {}))
    return hosts


def cabling(inventory):
    """(switches in order, {guest: [(nic, switch, IOS port), ...]}) from an inventory file."""
    with open(inventory) as handle:
        top = yaml.safe_load(handle)["all"]
    groups = top.get("children") or {}
    switches = list(_hosts(groups.get("switches") or {}))
    guests = {}
    for name, hostvars in _hosts(groups.get("servers") or {}).items():
        uplinks = (hostvars or {}).get("uplinks") or []
        guests[name] = [(u["interface"], u["switch"], normalize_interface(u["port"])) for u in uplinks
                        if u["switch"] in switches]
    return switches, guests


def models(inventory):
    """{switch: (ports, STP mode, output style)} of the inventory's switches: the simulator's device
    for each (ios_sim_model, default "access"; ios_sim_stp_mode, default pvst: how the switch starts)."""
    with open(inventory) as handle:
        top = yaml.safe_load(handle)["all"]
    found = {}
    for name, hostvars in _hosts((top.get("children") or {}).get("switches") or {}).items():
        hostvars = hostvars or {}
        model = hostvars.get("ios_sim_model", "access")
        found[name] = (MODELS[model], hostvars.get("ios_sim_stp_mode", "pvst"), STYLES.get(model, "catalyst"))
    return found


def guest_params(switches, cables, uplinks):
    """lab-wire's kernel parameters for one guest (uplinks: each switch's inter-switch port, in order)."""
    cabled = ",".join("%s:%s:%s" % (nic, switch, kernel_name(port)) for nic, switch, port in cables)
    return "lab.switches=%s lab.isl=%s lab.cables=%s" % (
        ",".join(switches), ",".join(kernel_name(port) for port in uplinks), cabled)


def ssh(guest, script):
    """Run a shell script on a lab guest over one shared master connection."""
    control = os.path.join(os.environ.get("LAB_CACHE", os.path.join(CHECKOUT, ".cache", "lab")), "%s.ctl" % guest)
    try:
        proc = subprocess.run([os.path.join(CHECKOUT, "tests", "lab", "ssh"), guest, "sh -s"], input=script,
                              capture_output=True, text=True, timeout=60, check=False,
                              env=dict(os.environ, LAB_SSH_CONTROL=control))
    except subprocess.TimeoutExpired:
        raise FabricError("lab guest %s: no answer in 60 s" % guest) from None
    if proc.returncode:
        raise FabricError("lab guest %s: %s" % (guest, (proc.stderr or proc.stdout).strip()[-400:]))
    return proc.stdout


# --- reading a guest -------------------------------------------------------------------
def parse_state(text):
    """The READ script's output -> {namespace: {"links": {name: ip -d link entry},
    "bridge": {sysfs name: value}, "bonds": {name: parsed /proc/net/bonding},
    "lldp": {device: [neighbour]} (the slice's lldpd, lldp.parse)}}."""
    state, sections = {}, re.split(r"^@@", text, flags=re.M)
    for section in sections[1:]:
        header, dummy, body = section.partition("\n")
        words = header.split()
        ns = state.setdefault(words[1], {"links": {}, "bridge": {}, "bonds": {}, "lldp": {}})
        if words[0] == "links":
            ns["links"] = {link["ifname"]: link for link in json.loads(body)}
        elif words[0] == "bridge":
            ns["bridge"] = dict(line.split(":", 1) for line in body.split())
        elif words[0] == "lldp":
            ns["lldp"] = lldp.parse(body)
        elif words[0] == "bond":
            ns["bonds"][words[2]] = parse_bonding(body)
    return state


def _info(link, key="info_data"):
    return (link.get("linkinfo") or {}).get(key) or {}


def _bridge_id(text):
    """sysfs's '0000.00000c000001' ("prio.mac") -> (priority, IOS MAC)."""
    prio, dummy, mac = text.partition(".")
    return int(prio, 16), ".".join(mac[i:i + 4] for i in range(0, 12, 4))


# --- the configuration a slice should have ------------------------------------------------
def wanted(switch, ports):
    """The slice of `switch` holding `ports` ({IOS port: device}): bridge and port settings, bonds."""
    slice_ = dict(priority=switch.priority(switch.tree_of(1)), mac=colon_mac(switch.mac), bonds={}, ports={})
    for name, device in ports.items():
        config = switch.interfaces.get(name, {})
        up = "shutdown" not in config
        group = config.get("channel-group")
        if group:
            number, mode = group.split()[1], group.split()[-1]
            bond = slice_["bonds"].setdefault("Po" + number, dict(
                mode=BOND_MODES[mode], rate="fast" if config.get("lacp rate") == "lacp rate fast" else "slow",
                system=slice_["mac"],
                members=[], **_bridge_port(switch, "Port-channel" + number)))
            bond["members"].append((device, up))
        else:
            slice_["ports"][device] = dict(up=up, **_bridge_port(switch, name))
    return slice_


def _bridge_port(switch, name):
    # IOS port priority 0-240 in steps of 16; the Linux bridge's 0-63 (128 -> 32)
    cost = switch.port_cost(name)
    if cost > MAX_COST:
        raise FabricError("%s %s: STP cost %d is above what the lab's kernel bridge takes (%d)"
                          % (switch.hostname, name, cost, MAX_COST))
    return dict(cost=cost, port_priority=switch.port_priority(name) // 4)


def commands(ns, want, have):
    """ip commands turning the slice `have` (parse_state of one namespace) into `want`."""
    ip, links = "ip -n %s " % ns, have["links"]
    out = []
    if _info(links[BRIDGE]).get("priority") != want["priority"]:
        out.append(ip + "link set %s type bridge priority %d" % (BRIDGE, want["priority"]))
    if links[BRIDGE].get("address") != want["mac"]:
        out.append(ip + "link set %s address %s" % (BRIDGE, want["mac"]))
    for name, link in sorted(links.items()):
        if link.get("linkinfo", {}).get("info_kind") == "bond" and not _same_bond(link, want["bonds"].get(name)):
            out.append(ip + "link del %s" % name)  # its members fall out with it
            links = {k: v for k, v in links.items() if k != name and v.get("master") != name}
    for name, bond in sorted(want["bonds"].items()):
        if name not in links:
            mode, active = bond["mode"]
            # LACP speaks for the switch: its base MAC is the system id the server sees as partner
            options = (" lacp_rate %s lacp_active %s ad_actor_system %s" % (bond["rate"], active, bond["system"])
                       if mode == "802.3ad" else "")
            out.append(ip + "link add %s type bond mode %s miimon 100%s" % (name, mode, options))
            out.append(ip + "link set %s master %s up" % (name, BRIDGE))
        for device, up in bond["members"]:
            out += _attach(ip, device, name, up, links)
        out += _port_settings(ip, name, bond, links.get(name))
    for device, port in sorted(want["ports"].items()):
        out += _attach(ip, device, BRIDGE, port["up"], links)
        out += _port_settings(ip, device, port, links.get(device) if links.get(device, {}).get("master") == BRIDGE
                              else None)
    return out


def _attach(ip, device, master, up, links):
    """The device in `master` (taken down first: a bond takes only ports that are down), up or down."""
    current = links.get(device, {})
    if current.get("master") == master:
        is_up = "UP" in current.get("flags", [])
        return [] if is_up == up else [ip + "link set %s %s" % (device, "up" if up else "down")]
    return [ip + "link set %s down" % device, ip + "link set %s master %s" % (device, master)] + (
        [ip + "link set %s up" % device] if up else [])


def _same_bond(link, bond):
    if bond is None:
        return False
    data, (mode, active) = _info(link), bond["mode"]
    if data.get("mode") != mode:
        return False
    return mode != "802.3ad" or (data.get("ad_lacp_rate") == bond["rate"] and data.get("ad_lacp_active") == active
                                 and data.get("ad_actor_system") == bond["system"])


def _port_settings(ip, device, want, current):
    data = _info(current, "info_slave_data") if current else {}
    if data.get("cost") == want["cost"] and data.get("priority") == want["port_priority"]:
        return []
    return [ip + "link set %s type bridge_slave cost %d priority %d" % (device, want["cost"], want["port_priority"])]


# --- the fabric ----------------------------------------------------------------------------
class KernelFabric:
    """The Fabric of tests.ios_sim.switch, over the guests' switch slices."""

    def __init__(self, switches, guests, run=ssh, ttl=1.0, clock=time.monotonic):
        self.names, self.guests, self.run, self.ttl, self.clock = switches, guests, run, ttl, clock
        self.switches = []
        self.lock = threading.Lock()
        # None: never read, or invalidated. Not 0.0: the monotonic clock counts from boot,
        # so right after a boot "0.0" is not long ago.
        self.cache, self.read_at = {}, None

    def join(self, switch):
        self.switches.append(switch)

    def ports(self, switch):
        """{guest: {IOS port: device}} of `switch`'s ports in each guest: those cabled there, and the ISL."""
        out = {}
        for guest, cables in self.guests.items():
            out[guest] = {port: kernel_name(port) for nic, name, port in cables if name == switch.hostname}
            out[guest][switch.uplink] = kernel_name(switch.uplink)
        return out

    def state(self):
        """Every guest's slices, read at most once per ttl."""
        with self.lock:
            if self.read_at is None or self.clock() - self.read_at > self.ttl:
                script = READ % (" ".join(self.names), BRIDGE)
                with ThreadPoolExecutor(len(self.guests) or 1) as pool:
                    texts = dict(zip(self.guests, pool.map(lambda g: self.run(g, script), self.guests)))
                self.cache = {guest: parse_state(text) for guest, text in texts.items()}
                self.read_at = self.clock()
            return self.cache

    def sync(self, switch):
        """Make every slice of `switch` what its configuration says."""
        state = self.state()
        scripts = {}
        for guest, ports in self.ports(switch).items():
            lines = commands(switch.hostname, wanted(switch, ports), state[guest][switch.hostname])
            if lines:
                scripts[guest] = "set -e\n" + "\n".join(lines) + "\n"
        with ThreadPoolExecutor(len(scripts) or 1) as pool:
            list(pool.map(lambda item: self.run(*item), scripts.items()))
        with self.lock:
            self.read_at = None

    def _slices(self, switch):
        return [(guest, state[switch.hostname]) for guest, state in sorted(self.state().items())
                if switch.hostname in state]

    def bundle(self, switch, number, members):
        """(Port-channel flags, {member: flag}) from the members' bonds."""
        cabled = {port: guest for guest, ports in self.ports(switch).items() for port in ports}
        state, flags = self.state(), {}
        for member in members:
            guest = cabled.get(member)
            bond = state[guest][switch.hostname]["bonds"].get("Po%d" % number) if guest else None
            flags[member] = _member_flag(bond, kernel_name(member))
        return "S" + ("U" if "P" in flags.values() else "D"), flags

    def neighbors(self, switch):
        """The LLDP/CDP neighbours the slices' lldpd hear on `switch`'s ports, each with its IOS port
        ("local"); a port seen in several guests (the inter-switch link) once."""
        names = {device: port for ports in self.ports(switch).values() for port, device in ports.items()}
        out, seen = [], set()
        for dummy, slice_ in self._slices(switch):
            for device, entries in sorted(slice_.get("lldp", {}).items()):
                port = names.get(device)
                if port is None or port in seen:
                    continue
                seen.add(port)
                out += [dict(entry, local=port) for entry in entries]
        return sorted(out, key=lambda n: natural(n["local"]))

    def spanning_tree(self, switch, vlan):
        """The switch's tree as its slices' bridges report it (the best root any of them sees)."""
        names = {device: port for ports in self.ports(switch).values() for port, device in ports.items()}
        best, ports, seen = None, [], set()
        for guest, slice_ in self._slices(switch):
            links, bridge = slice_["links"], slice_["bridge"]
            is_root = bridge["root_id"] == bridge["bridge_id"]
            root = _bridge_id(bridge["root_id"]) + (0 if is_root else int(bridge["root_path_cost"]),)
            root_device = None if is_root else next(
                (n for n, l in links.items() if l.get("master") == BRIDGE
                 and int(_info(l, "info_slave_data").get("no", "0"), 16) == int(bridge["root_port"])), None)
            if best is None or root < best[0]:
                best = (root, names.get(root_device, root_device))
            for device, link in sorted(links.items()):
                data = _info(link, "info_slave_data")
                if link.get("master") != BRIDGE or data.get("state") not in STATES or device in seen:
                    continue
                seen.add(device)
                name = "Port-channel" + device[2:] if device.startswith("Po") else names.get(device, device)
                role = "Root" if device == root_device else "Altn" if data["state"] == "blocking" else "Desg"
                ports.append((name, role, STATES[data["state"]], data.get("cost"), data.get("priority", 32) * 4))
        (priority, mac, cost), root_port = best
        return dict(root_priority=priority + vlan, root_mac=mac, root_cost=cost,
                    root_port=short(root_port) if root_port else None, ports=ports)


def _member_flag(bond, device):
    """IOS's etherchannel flag of one member: P bundled, I no LACP partner, s suspended, D down."""
    port = (bond or {}).get("ports", {}).get(device)
    if port is None:
        return "s"
    if port["mii_status"] != "up":
        return "D"
    if bond["mode"] != "802.3ad":
        return "P"
    if port["partner_mac"] in (None, NO_PARTNER):
        return "I"
    return "P" if port["aggregator_id"] == (bond["aggregator"] or {}).get("id") else "s"


def main(argv):
    switches, guests = cabling(argv[0])
    devices = models(argv[0])
    uplinks = [normalize_interface(devices[name][0][-1]) for name in switches]
    for guest, cables in guests.items():
        print(guest, guest_params(switches, cables, uplinks))


if __name__ == "__main__":
    main(sys.argv[1:])
