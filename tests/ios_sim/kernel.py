"""A fabric backed by real Linux switch state: each switch of the lab is a guest kernel of its own.

The lab (tests/lab/fabric.py) boots every switch of a lab inventory as a user-mode Linux guest
(lab-wire's layout `switch`): a bridge `vlan1` over the switch's cabled ports, named after the
IOS ports (`FastEthernet0/1` -> `Fa0-1`), running the spanning tree of the switch's mode (PVST+:
the kernel's 802.1D; Rapid-PVST+ and MST: mstpd's RSTP and MSTP). `KernelFabric` turns each
switch's configuration into that kernel's state (`channel-group N` -> an 802.3ad bond `PoN`
over the members, `spanning-tree vlan 1 priority` -> the bridge priority, `spanning-tree cost`
-> the port's cost, `spanning-tree portfast` -> an edge port in mstpd, `shutdown` -> the port down)
and builds the `show` answers from what that
kernel reports (/proc/net/bonding, `ip -d link`, mstpctl, lldpd): a switch reads only its own
kernel, whatever the number of servers. The cabling comes from the lab inventory's `uplinks`,
so the simulator and the guests agree.

One spanning tree: the bridge is VLAN 1's (in MST mode the CIST's); other VLANs and instances
report it too. The kernel's 802.1D (PVST+) has no edge ports: there a port with portfast still
listens and learns, and its row says so (no Edge); Rapid-PVST+ and MST make it real (mstpd).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import threading
import time

import yaml

from ansible_collections.redundant.interfaces.plugins.module_utils import lldp, status
from ansible_collections.redundant.interfaces.plugins.module_utils.status import NO_PARTNER, parse_bonding
from ansible_collections.redundant.interfaces.plugins.module_utils.ios_names import normalize as normalize_interface
from tests.ios_sim.switch import MODELS, STYLES, FabricError, natural, short

CHECKOUT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BRIDGE = "vlan1"
MAX_COST = 65535  # the kernel bridge's highest port cost
STATES = {"forwarding": "FWD", "blocking": "BLK", "listening": "LIS", "learning": "LRN"}
# channel-group mode -> the switch-side bond's options
BOND_MODES = {"active": ("802.3ad", "on"), "passive": ("802.3ad", "off"), "on": ("balance-xor", None)}
READ = r"""
echo "@@links"; ip -j -d link show
echo "@@bridge"; (cd /sys/class/net/%(bridge)s/bridge && grep . root_id bridge_id root_port root_path_cost stp_state)
echo "@@lldp"; lldpcli -f json0 show neighbors details 2>/dev/null || echo '{}'
if [ "$(cat /sys/class/net/%(bridge)s/bridge/stp_state)" = 2 ]; then
  echo "@@mstp"; mstpctl -f json showbridge %(bridge)s; echo
  echo "@@mstports"; mstpctl -f json showportdetail %(bridge)s; echo
fi
for f in /proc/net/bonding/*; do [ -e "$f" ] || continue; echo "@@bond ${f##*/}"; cat "$f"; done
""" % dict(bridge=BRIDGE)
# (ip -d link reports a stale root_id for the kernel's 802.1D bridge; sysfs is right. Under mstpd
# (stp_state 2) the kernel's ids are stale altogether: mstpctl is right.)
MSTP_ROLES = {"Root": "Root", "Designated": "Desg", "Alternate": "Altn", "Backup": "Back", "Disabled": "Dsbl"}
MSTP_STATES = {"forwarding": "FWD", "discarding": "BLK", "learning": "LRN"}
MSTP_MAX_COST = 200000000  # 802.1t's highest port cost, what mstpd takes
MSTP_WAIT = 50  # tenths of a second mstpd gets to take a new port


def kernel_name(port):
    """IOS port -> its device in a slice ('FastEthernet0/1' -> 'Fa0-1')."""
    return short(normalize_interface(port)).replace("/", "-")


def colon_mac(ios_mac):
    digits = ios_mac.replace(".", "")
    return ":".join(digits[i:i + 2] for i in range(0, 12, 2))


# --- cabling, from the lab inventory -------------------------------------------------
def hosts(group):
    """{host: its variables} of an inventory group, its children's included."""
    found = dict(group.get("hosts") or {})
    for child in (group.get("children") or {}).values():
        found.update(hosts(child or {}))
    return found


def cabling(inventory):
    """(switches in order, {guest: [(nic, switch, IOS port), ...]}) from an inventory file."""
    with open(inventory) as handle:
        top = yaml.safe_load(handle)["all"]
    groups = top.get("children") or {}
    switches = list(hosts(groups.get("switches") or {}))
    guests = {}
    for name, hostvars in hosts(groups.get("servers") or {}).items():
        uplinks = (hostvars or {}).get("uplinks") or []
        guests[name] = [(u["interface"], u["switch"], normalize_interface(u["port"])) for u in uplinks
                        if u["switch"] in switches]
    return switches, guests


def models(inventory):
    """{switch: (ports, STP mode, output style)} of the inventory's switches: the simulator's device
    for each (ios_sim_model, default "access"; ios_sim_stp_mode, default pvst: how the switch starts;
    the host's variable, else the switches group's)."""
    with open(inventory) as handle:
        top = yaml.safe_load(handle)["all"]
    group = (top.get("children") or {}).get("switches") or {}
    found = {}
    for name, hostvars in hosts(group).items():
        hostvars = dict(group.get("vars") or {}, **(hostvars or {}))  # the group's variables, the host's first
        model = hostvars.get("ios_sim_model", "access")
        found[name] = (MODELS[model], hostvars.get("ios_sim_stp_mode", "pvst"), STYLES.get(model, "catalyst"))
    return found


def inter_switch(switches, devices):
    """[(switch, IOS port, next switch, IOS port)]: the lab's switches in a chain, each joined to the
    next by its last port (the one after the first, toward the next, by the one before that)."""
    out = []
    for index, (left, right) in enumerate(zip(switches, switches[1:])):
        ports = devices[left][0]
        out.append((left, normalize_interface(ports[-1] if index == 0 else ports[-2]),
                    right, normalize_interface(devices[right][0][-1])))
    return out


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


# --- reading a switch's kernel ------------------------------------------------------------
def parse_state(text):
    """The READ script's output -> {"links": {name: ip -d link entry}, "bridge": {sysfs name: value},
    "bonds": {name: parsed /proc/net/bonding}, "lldp": {device: [neighbour]} (lldp.parse),
    "mstp": mstpd's view of the bridge (None under the kernel's 802.1D)}."""
    state = {"links": {}, "bridge": {}, "bonds": {}, "lldp": {}, "mstp": None}
    mstp = {}
    for section in re.split(r"^@@", text, flags=re.M)[1:]:
        header, dummy, body = section.partition("\n")
        words = header.split()
        if words[0] == "links":
            state["links"] = {link["ifname"]: link for link in json.loads(body)}
        elif words[0] == "bridge":
            state["bridge"] = dict(line.split(":", 1) for line in body.split())
        elif words[0] == "lldp":
            state["lldp"] = lldp.parse(body)
        elif words[0] == "bond":
            state["bonds"][words[1]] = parse_bonding(body)
        elif words[0] in ("mstp", "mstports"):
            mstp[words[0]] = json.loads(body)
    if mstp:
        state["mstp"] = dict(bridge=mstp["mstp"][0], ports={p["port"]: p for p in mstp.get("mstports", [])})
    return state


def _info(link, key="info_data"):
    return (link.get("linkinfo") or {}).get(key) or {}


def _bridge_id(text):
    """sysfs's '0000.00000c000001' ("prio.mac") -> (priority, IOS MAC)."""
    prio, dummy, mac = text.partition(".")
    return int(prio, 16), ".".join(mac[i:i + 4] for i in range(0, 12, 4))


def _mstp_id(text):
    """mstpd's '0.000.00:00:0C:00:00:01' (priority / 4096, system id extension, MAC) -> (priority, IOS MAC)."""
    digits = status.mstp_id(text)
    return _bridge_id(digits)


# --- the configuration the switch's kernel should have -----------------------------------------
def wanted(switch, ports):
    """What the kernel of `switch`, holding `ports` ({IOS port: device}), should have: the bridge's
    priority and MAC, each port's settings, the bonds."""
    config = dict(priority=switch.priority(switch.tree_of(1)), mac=colon_mac(switch.mac), bonds={}, ports={},
                  mstp=switch.mode != "pvst")
    for name, device in ports.items():
        settings = switch.interfaces.get(name, {})
        up = "shutdown" not in settings
        group = settings.get("channel-group")
        if group:
            number, mode = group.split()[1], group.split()[-1]
            bond = config["bonds"].setdefault("Po" + number, dict(
                mode=BOND_MODES[mode], rate="fast" if settings.get("lacp rate") == "lacp rate fast" else "slow",
                system=config["mac"],
                members=[], **_bridge_port(switch, "Port-channel" + number)))
            bond["members"].append((device, up))
        else:
            config["ports"][device] = dict(up=up, **_bridge_port(switch, name))
    return config


def _bridge_port(switch, name):
    # IOS port priority 0-240 in steps of 16: the kernel bridge's 0-63 (128 -> 32), mstpd's 0-15 (128 -> 8)
    cost, highest = switch.port_cost(name), MAX_COST if switch.mode == "pvst" else MSTP_MAX_COST
    if cost > highest:
        raise FabricError("%s %s: STP cost %d is above what the lab's %s takes (%d)"
                          % (switch.hostname, name, cost, "kernel bridge" if highest == MAX_COST else "mstpd", highest))
    return dict(cost=cost, port_priority=switch.port_priority(name), edge=switch.portfast(name))


def commands(want, have):
    """Shell commands turning the switch's kernel `have` (parse_state) into `want`."""
    links, mstp = have["links"], have["mstp"]
    out = []
    if links[BRIDGE].get("address") != want["mac"]:
        out.append("ip link set %s address %s" % (BRIDGE, want["mac"]))
    if mstp is not None:
        if _mstp_id(mstp["bridge"]["bridge-id"])[0] != want["priority"]:
            out.append("mstpctl settreeprio %s 0 %d" % (BRIDGE, want["priority"] // 4096))
    elif _info(links[BRIDGE]).get("priority") != want["priority"]:
        out.append("ip link set %s type bridge priority %d" % (BRIDGE, want["priority"]))
    for name, link in sorted(links.items()):
        if link.get("linkinfo", {}).get("info_kind") == "bond" and not _same_bond(link, want["bonds"].get(name)):
            out.append("ip link del %s" % name)  # its members fall out with it
            links = {k: v for k, v in links.items() if k != name and v.get("master") != name}
    for name, bond in sorted(want["bonds"].items()):
        if name not in links:
            mode, active = bond["mode"]
            # LACP speaks for the switch: its base MAC is the system id the server sees as partner
            options = (" lacp_rate %s lacp_active %s ad_actor_system %s" % (bond["rate"], active, bond["system"])
                       if mode == "802.3ad" else "")
            out.append("ip link add %s type bond mode %s miimon 100%s" % (name, mode, options))
            out.append("ip link set %s master %s up" % (name, BRIDGE))
        for device, up in bond["members"]:
            out += _attach(device, name, up, links)
        out += _port_settings(name, bond, links.get(name), mstp, want["mstp"])
    for device, port in sorted(want["ports"].items()):
        out += _attach(device, BRIDGE, port["up"], links)
        out += _port_settings(device, port, links.get(device) if links.get(device, {}).get("master") == BRIDGE
                              else None, mstp, want["mstp"])
    return out


def _attach(device, master, up, links):
    """The device in `master` (taken down first: a bond takes only ports that are down), up or down."""
    current = links.get(device, {})
    if current.get("master") == master:
        is_up = "UP" in current.get("flags", [])
        return [] if is_up == up else ["ip link set %s %s" % (device, "up" if up else "down")]
    return ["ip link set %s down" % device, "ip link set %s master %s" % (device, master)] + (
        ["ip link set %s up" % device] if up else [])


def _same_bond(link, bond):
    if bond is None:
        return False
    data, (mode, active) = _info(link), bond["mode"]
    if data.get("mode") != mode:
        return False
    return mode != "802.3ad" or (data.get("ad_lacp_rate") == bond["rate"] and data.get("ad_lacp_active") == active
                                 and data.get("ad_actor_system") == bond["system"])


def _port_settings(device, want, current, mstp, user_space):
    """A bridge port's cost and priority: the kernel's (802.1D) or mstpd's (its external cost, which
    RSTP uses, and the CIST's internal one alike); mstpd first waits for a port it has not taken yet."""
    if not user_space:
        data = _info(current, "info_slave_data") if current else {}
        if data.get("cost") == want["cost"] and data.get("priority") == want["port_priority"] // 4:
            return []
        return ["ip link set %s type bridge_slave cost %d priority %d"
                % (device, want["cost"], want["port_priority"] // 4)]
    port = ((mstp or {}).get("ports") or {}).get(device) if current else None
    if port and (int(port["admin-external-cost"]), int(port["port-id"].split(".")[0], 16) * 16,
                 port["admin-edge-port"] == "yes") == (want["cost"], want["port_priority"], want["edge"]):
        return []
    out = [] if port else ["for _ in $(seq %d); do mstpctl showport %s %s >/dev/null 2>&1 && break; sleep 0.1; done"
                           % (MSTP_WAIT, BRIDGE, device)]
    # IOS: a port is edge only with portfast (never detected), so auto-edge stays off
    return out + ["mstpctl setportpathcost %s %s %d" % (BRIDGE, device, want["cost"]),
                  "mstpctl settreeportcost %s %s 0 %d" % (BRIDGE, device, want["cost"]),
                  "mstpctl settreeportprio %s %s 0 %d" % (BRIDGE, device, want["port_priority"] // 16),
                  "mstpctl setportautoedge %s %s no" % (BRIDGE, device),
                  "mstpctl setportadminedge %s %s %s" % (BRIDGE, device, "yes" if want["edge"] else "no")]


# --- the fabric ----------------------------------------------------------------------------
class KernelFabric:
    """The Fabric of tests.ios_sim.switch, over the switches' own guest kernels."""

    def __init__(self, switches, servers, isls=(), run=ssh, ttl=1.0, clock=time.monotonic):
        """switches: their names; servers: {server: [(NIC, switch, IOS port)]}; isls: inter_switch()."""
        self.names, self.servers, self.isls = switches, servers, list(isls)
        self.run, self.ttl, self.clock = run, ttl, clock
        self.switches = []
        self.lock = threading.Lock()
        # {switch: (read at, state)}; no entry: never read, or invalidated. Not 0.0 as "never":
        # the monotonic clock counts from boot, so right after a boot "0.0" is not long ago.
        self.cache = {}

    def join(self, switch):
        self.switches.append(switch)

    def ports(self, switch):
        """{IOS port: device} of `switch`'s cabled ports: those facing servers, and its inter-switch ports."""
        name = switch.hostname
        out = {port: kernel_name(port) for cables in self.servers.values() for dummy, peer, port in cables
               if peer == name}
        for left, left_port, right, right_port in self.isls:
            for end, port in ((left, left_port), (right, right_port)):
                if end == name:
                    out[port] = kernel_name(port)
        return out

    def state(self, switch):
        """The switch's kernel, read at most once per ttl."""
        with self.lock:
            read_at, state = self.cache.get(switch.hostname, (None, None))
            if read_at is None or self.clock() - read_at > self.ttl:
                state = parse_state(self.run(switch.hostname, READ))
                self.cache[switch.hostname] = (self.clock(), state)
            return state

    def sync(self, switch):
        """Make the switch's kernel what its configuration says."""
        lines = commands(wanted(switch, self.ports(switch)), self.state(switch))
        if lines:
            self.run(switch.hostname, "set -e\n" + "\n".join(lines) + "\n")
        with self.lock:
            self.cache.pop(switch.hostname, None)

    def _names(self, switch):
        return {device: port for port, device in self.ports(switch).items()}

    def bundle(self, switch, number, members):
        """(Port-channel flags, {member: flag}) from the switch's bond."""
        bond = self.state(switch)["bonds"].get("Po%d" % number)
        flags = {member: _member_flag(bond, kernel_name(member)) for member in members}
        return "S" + ("U" if "P" in flags.values() else "D"), flags

    def neighbors(self, switch):
        """The LLDP/CDP neighbours the switch's lldpd hears, each with its IOS port ("local")."""
        names, out = self._names(switch), []
        for device, entries in sorted(self.state(switch)["lldp"].items()):
            if device in names:
                out += [dict(entry, local=names[device]) for entry in entries]
        return sorted(out, key=lambda n: natural(n["local"]))

    def spanning_tree(self, switch, vlan):
        """The switch's tree as its kernel (802.1D) or mstpd (RSTP, MSTP) reports it."""
        state, names = self.state(switch), self._names(switch)
        tree = _mstp_tree(state) if state["mstp"] is not None else _kernel_tree(state)
        tree["ports"] = [("Port-channel" + device[2:] if device.startswith("Po") else names.get(device, device),)
                         + row for device, row in tree["ports"]]
        if tree["root_port"] is not None:
            device = tree["root_port"]
            tree["root_port"] = short("Port-channel" + device[2:] if device.startswith("Po")
                                      else names.get(device, device))
        tree["root_priority"] += vlan
        return tree


def _kernel_tree(state):
    """The kernel's 802.1D view: sysfs for the ids, `ip -d link` for each port."""
    links, bridge = state["links"], state["bridge"]
    is_root = bridge["root_id"] == bridge["bridge_id"]
    priority, mac = _bridge_id(bridge["root_id"])
    root_device = None if is_root else next(
        (n for n, l in links.items() if l.get("master") == BRIDGE
         and int(_info(l, "info_slave_data").get("no", "0"), 16) == int(bridge["root_port"])), None)
    ports = []
    for device, link in sorted(links.items(), key=lambda item: natural(item[0])):
        data = _info(link, "info_slave_data")
        if link.get("master") != BRIDGE or data.get("state") not in STATES:
            continue
        role = "Root" if device == root_device else "Altn" if data["state"] == "blocking" else "Desg"
        ports.append((device, (role, STATES[data["state"]], data.get("cost"), data.get("priority", 32) * 4, False)))
    return dict(root_priority=priority, root_mac=mac, root_cost=0 if is_root else int(bridge["root_path_cost"]),
                root_port=root_device, ports=ports)


def _mstp_tree(state):
    """mstpd's view (the CIST): the root, the root port, each port's RSTP role and state; a port that is
    down (role Disabled) is not in the tree, as on IOS."""
    bridge = state["mstp"]["bridge"]
    priority, mac = _mstp_id(bridge["designated-root"])
    ports = []
    for device, port in sorted(state["mstp"]["ports"].items(), key=lambda item: natural(item[0])):
        if port["role"] == "Disabled" or port["state"] not in MSTP_STATES:
            continue
        ports.append((device, (MSTP_ROLES[port["role"]], MSTP_STATES[port["state"]], int(port["external-port-cost"]),
                               int(port["port-id"].split(".")[0], 16) * 16, port["oper-edge-port"] == "yes")))
    return dict(root_priority=priority, root_mac=mac, root_cost=int(bridge["path-cost"]),
                root_port=bridge["root-port"].split()[0] if bridge["root-port"] else None, ports=ports)


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
