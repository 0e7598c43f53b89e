"""Simulated IOS switches: configuration state, the CLI and the show outputs.

- `Switch` holds one switch's configuration and builds `show` output from it
  in IOS's own formats (so the ntc-templates parsers read it as they read a
  real switch).
- `Session` is one CLI login: mode, privilege, the line being typed. With an
  enable secret the session starts at `>` and `enable` asks for it.
- `Fabric` is the pluggable part: what the switches' links really do (which
  member is bundled, who is STP root, port roles). `StaticFabric` answers
  from configuration alone; `tests.ios_sim.kernel.KernelFabric` makes the
  configuration real in the lab's guest kernels and answers from them. A
  fabric's `sync(switch)` runs whenever a session leaves configuration mode
  with changes made.

The revert timer follows IOS's Configuration Rollback Confirmed Change: with
an archive path (`archive` / `path ...`), `configure terminal revert timer N`
keeps the running configuration and enters configuration mode; unless
`configure confirm` comes within N minutes, the switch returns to what it
kept by itself (`configure revert now` at once). The switch's management path
runs in-band, VLAN 1 over its uplink (the last port of its model): a
configuration that takes the uplink out of VLAN 1 (a channel-group, another
access VLAN, a trunk without VLAN 1, shutdown) cuts every session, and no new
one comes up until the configuration gives the path back (Switch.cut_off).

Unknown input gets IOS's `% Invalid input detected` so that cisco.ios fails on it.
"""

from __future__ import annotations

import copy
import re
import threading

from ansible_collections.redundant.interfaces.plugins.module_utils import ios_names
from ansible_collections.redundant.interfaces.plugins.module_utils.ios_show import vlan_list
from ansible_collections.redundant.interfaces.plugins.module_utils.errors import SwitchError
from ansible_collections.redundant.interfaces.plugins.module_utils.ios_names import normalize as normalize_interface

INVALID = "% Invalid input detected at '^' marker.\n"
# interface line -> the key it sets (one value per key, IOS's running-config order)
INTERFACE_LINES = (
    ("description", re.compile(r"^description (.+)$")),
    ("switchport access vlan", re.compile(r"^switchport access vlan (\d+)$")),
    ("switchport trunk allowed vlan", re.compile(r"^switchport trunk allowed vlan ([\d,\-]+)$")),
    ("switchport mode", re.compile(r"^switchport mode (access|trunk)$")),
    ("channel-protocol", re.compile(r"^channel-protocol (lacp|pagp)$")),
    ("lacp rate", re.compile(r"^lacp rate (fast|normal)$")),
    # portfast: IOS 12.2/15.0 `spanning-tree portfast [trunk]`, IOS 15.2(2)E and IOS-XE `portfast edge [trunk]`
    # too (an older release refuses `edge`: Session._interface)
    ("spanning-tree portfast", re.compile(r"^spanning-tree portfast( edge)?( trunk)?$|^spanning-tree portfast disable$")),
    ("spanning-tree port-priority", re.compile(r"^spanning-tree port-priority (\d+)$")),
    ("spanning-tree cost", re.compile(r"^spanning-tree cost (\d+)$")),
    ("channel-group", re.compile(r"^channel-group (\d+) mode (active|passive|on|auto|desirable)$")),
    ("shutdown", re.compile(r"^(shutdown)$")),
)
MST_PORT_LINE = re.compile(r"^spanning-tree mst (\d+) (cost|port-priority) (\d+)$")
MODES = ("pvst", "rapid-pvst", "mst")
PROTOCOL = {"ieee": "pvst", "rstp": "rapid-pvst", "mstp": "mst"}
# IOS-XE prints member flags as words
WORDS = {"P": "bndl", "s": "susp", "H": "hot-sby", "I": "indep", "D": "down"}
ALL_VLANS = list(range(1, 4095))


def default_cost(name, method):
    """IOS's default path cost of a port: by its speed, short (802.1D-1998) or long (802.1t) method."""
    if name.startswith("Port-channel"):  # as two bundled 1 Gb/s members
        return 10000 if method == "long" else 3
    speed = ios_names.SPEED.get((ios_names.split(name) or ("", ""))[0]) or 1000
    if method == "long":
        return 20000000 // speed
    return 100 if speed <= 10 else 19 if speed <= 100 else 4 if speed < 10000 else 2


# The port layouts of the lab's switches (inventory: ios_sim_model), uplinks last.
MODELS = {
    # a 24-port Fast Ethernet access switch with four Gigabit uplinks
    "access": ["FastEthernet0/%d" % n for n in range(1, 25)] + ["GigabitEthernet1/0/%d" % n for n in range(1, 5)],
    # a Catalyst 9300 with 2.5 Gb/s multigigabit ports and a 4 x 25 Gb/s network module
    "c9300": ["TwoGigabitEthernet1/0/%d" % n for n in range(1, 25)] + ["TwentyFiveGigE1/1/%d" % n for n in range(1, 5)],
}
# How each prints its show output: the Catalyst 9300 runs IOS-XE 17 (member flags as words, the path-cost
# method line without "Configured", a legend under the etherchannel table)
STYLES = {"c9300": "iosxe"}


class FabricError(Exception):
    """The fabric could not make the configuration real or read its state."""


def natural(name):
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


short = ios_names.short


class Switch:
    """One switch's configuration and its show outputs."""

    def __init__(self, hostname, ports=(), number=1, fabric=None, mode="pvst", style="catalyst", archive=None,
                 minute=60.0, schedule=None):
        self.hostname = hostname
        self.mac = "0000.0c00.%04x" % number  # base MAC, the STP tie-breaker
        self.mode, self.style = mode, style  # style: catalyst (P, s, H flags) or iosxe (bndl, susp, hot-sby)
        self.stp = {}  # vlan -> priority (PVST+, Rapid-PVST+)
        self.mst_priority = {}  # MST instance -> priority
        self.region = {}  # MST instance (not 0) -> [vlans]
        self.interfaces = {normalize_interface(p): {} for p in ports}
        # the last port given joins the switches of a fabric (the lab's inter-switch link)
        self.uplink = normalize_interface(ports[-1]) if ports else None
        self.startup = None
        self.archive = archive  # the archive path (`archive` / `path`), None without one
        self.archived = 0  # configurations archived so far
        self.minute = minute  # seconds in one of the revert timer's minutes (tests: fewer)
        self.schedule = schedule or _timer  # schedule(seconds, fn) -> cancel()
        self.armed = None  # a running revert timer: (the kept configuration, its cancel)
        self.lock = threading.RLock()  # the timer fires in a thread of its own
        self.dirty = False  # configuration changed since the fabric last synced
        self.fabric = fabric or StaticFabric()
        self.fabric.join(self)

    # --- state ------------------------------------------------------------------
    def kept(self):
        """What a revert returns to: the whole configuration."""
        return copy.deepcopy(dict(mode=self.mode, stp=self.stp, mst_priority=self.mst_priority, region=self.region,
                                  interfaces=self.interfaces))

    def arm(self, minutes):
        """configure terminal revert timer: keep the configuration, revert to it unless confirmed."""
        with self.lock:
            self.archived += 1
            self.armed = (self.kept(), self.schedule(minutes * self.minute, self.revert))

    def confirm(self):
        with self.lock:
            if self.armed is None:
                return False
            self.armed[1]()
            self.armed = None
            return True

    def revert(self):
        """The timer expired (or configure revert now): the kept configuration comes back."""
        with self.lock:
            if self.armed is None:
                return
            kept, cancel = self.armed
            cancel()
            self.armed = None
            for name, value in kept.items():
                setattr(self, name, value)
            self.dirty = True
        self.settle()

    def cut_off(self):
        """Why the in-band management path (VLAN 1 over the uplink) is down, or None when it is up."""
        config = self.interfaces.get(self.uplink, {}) if self.uplink else {}
        if "shutdown" in config:
            return "%s is shut down" % self.uplink
        if "channel-group" in config:
            return "%s is a member of channel-group %s" % (self.uplink, config["channel-group"].split()[1])
        if config.get("switchport mode") == "switchport mode trunk":
            allowed = config.get("switchport trunk allowed vlan")
            if allowed is not None and 1 not in vlan_list(allowed.split()[-1]):
                return "%s is a trunk without VLAN 1" % self.uplink
        elif int(config.get("switchport access vlan", "x 1").split()[-1]) != 1:
            return "%s is in access VLAN %s" % (self.uplink, config["switchport access vlan"].split()[-1])
        return None

    def settle(self):
        """Hand configuration changes to the fabric (again, if it failed last time)."""
        if self.dirty:
            self.fabric.sync(self)
            self.dirty = False

    def tree_of(self, vlan):
        """The spanning tree a VLAN is in: itself, or its MST instance."""
        if self.mode != "mst":
            return vlan
        return next((n for n, vlans in sorted(self.region.items()) if vlan in vlans), 0)

    def tree_vlans(self, tree):
        if self.mode != "mst":
            return [tree]
        taken = {v for vlans in self.region.values() for v in vlans}
        return [v for v in ALL_VLANS if v not in taken] if tree == 0 else self.region.get(tree, [])

    def trees(self):
        if self.mode == "mst":
            return sorted({0} | set(self.region))
        return sorted(set(self.stp) | {1})

    def priority(self, tree):
        """The bridge priority of a tree (a VLAN, or an MST instance), without the sys-id-ext."""
        return (self.mst_priority if self.mode == "mst" else self.stp).get(tree, 32768)

    def channel_groups(self):
        """{number: [member, ...]} as configured."""
        groups = {}
        for name in sorted(self.interfaces, key=natural):
            line = self.interfaces[name].get("channel-group")
            if line:
                groups.setdefault(int(line.split()[1]), []).append(name)
        return groups

    def vlan_ports(self, tree):
        """Configured ports (Port-channels for their members) carrying this tree's VLANs."""
        wanted = set(self.tree_vlans(tree))
        members = {m for group in self.channel_groups().values() for m in group}
        ports = []
        for name, config in sorted(self.interfaces.items(), key=lambda item: natural(item[0])):
            if name in members or not config:
                continue
            if config.get("switchport mode") == "switchport mode trunk":
                allowed = config.get("switchport trunk allowed vlan")
                if allowed is None or wanted & set(vlan_list(allowed.split()[-1])):
                    ports.append(name)
            elif int(config.get("switchport access vlan", "x 1").split()[-1]) in wanted:
                ports.append(name)
        return ports

    def _port_setting(self, name, tree, what):
        config, tree = self.interfaces.get(name, {}), self.tree_of(1) if tree is None else tree
        key = "spanning-tree mst %d %s" % (tree, what) if self.mode == "mst" else "spanning-tree " + what
        return int(config[key].split()[-1]) if key in config else None

    def port_cost(self, name, tree=None):
        cost = self._port_setting(name, tree, "cost")
        return cost if cost is not None else default_cost(name, "long" if self.mode == "mst" else "short")

    def port_priority(self, name, tree=None):
        priority = self._port_setting(name, tree, "port-priority")
        return 128 if priority is None else priority

    def portfast(self, name):
        """Whether the port is an edge port by its configuration: portfast without `trunk` acts on a port
        that is not a trunk only (IOS: "will only have effect when the interface is in a non-trunking mode")."""
        config = self.interfaces.get(name, {})
        line = config.get("spanning-tree portfast", "")
        if not line or line.endswith("disable"):
            return False
        return line.endswith("trunk") or config.get("switchport mode") != "switchport mode trunk"

    # --- show outputs -------------------------------------------------------------
    def running_config(self):
        lines = ["Building configuration...", "", "Current configuration : 1024 bytes", "!",
                 "version 15.2", "hostname %s" % self.hostname, "!"]
        lines.append("spanning-tree mode %s" % self.mode)
        if self.region:
            lines += ["spanning-tree mst configuration"] + [
                " instance %d vlan %s" % (n, _ranges(v)) for n, v in sorted(self.region.items())]
        for vlan, prio in sorted(self.stp.items()):
            lines.append("spanning-tree vlan %d priority %d" % (vlan, prio))
        for tree, prio in sorted(self.mst_priority.items()):
            lines.append("spanning-tree mst %d priority %d" % (tree, prio))
        lines.append("!")
        for name in sorted(self.interfaces, key=natural):
            lines.append("interface %s" % name)
            config = self.interfaces[name]
            lines += [" " + config[key] for key, dummy in INTERFACE_LINES if key in config]
            lines += [" " + config[key] for key in sorted(config) if key.startswith("spanning-tree mst ")]
            lines.append("!")
        if self.archive:
            lines += ["archive", " path %s" % self.archive, "!"]
        lines.append("end")
        return "\n".join(lines) + "\n"

    def show_archive(self):
        """show archive, as IOS prints it with and without a path."""
        if not self.archive:
            return " Archive feature not enabled\n"  # as IOS says it (tests/fixtures/ios/archive/not_enabled.txt)
        head = "The maximum archive configurations allowed is 10.\n"
        rows = "".join("   %-8d %s-Dec--4-00-00-%02d.000-%d\n" % (n, self.archive, n, n - 1)
                       for n in range(1, self.archived + 1))
        return (head + "There are currently %d archive configurations saved.\n" % self.archived
                + "The next archive file will be named %s-<timestamp>-%d\n" % (self.archive, self.archived)
                + " Archive #  Name\n" + rows)

    def show_version(self):
        if self.style == "iosxe":
            return ("Cisco IOS XE Software, Version 17.09.04a\n"
                    "Cisco IOS Software [Cupertino], Catalyst L3 Switch Software (CAT9K_IOSXE), Version 17.9.4a, "
                    "RELEASE SOFTWARE (fc3)\n%s uptime is 1 day, 2 hours, 3 minutes\n"
                    'System image file is "flash:packages.conf"\n'
                    "cisco C9300-24UX (X86) processor with 1338934K/6147K bytes of memory.\n"
                    "Model Number                       : C9300-24UX\n" % self.hostname)
        # a Fast Ethernet Catalyst 2960 on 15.0, before the `portfast edge` wording (15.2(2)E)
        return ("Cisco IOS Software, C2960 Software (C2960-LANBASEK9-M), Version 15.0(2)SE11, RELEASE SOFTWARE (fc3)\n"
                "%s uptime is 1 day, 2 hours, 3 minutes\n"
                'System image file is "flash:/c2960-lanbasek9-mz.150-2.SE11.bin"\n'
                "cisco WS-C2960-24TC-L (PowerPC405) processor (revision B0) with 65536K bytes of memory.\n"
                "Model number                    : WS-C2960-24TC-L\n" % self.hostname)

    def show_etherchannel(self):
        groups = self.channel_groups()
        lines = ["Flags:  D - down        P - bundled in port-channel",
                 "        I - stand-alone s - suspended",
                 "        H - Hot-standby (LACP only)",
                 "        R - Layer3      S - Layer2",
                 "        U - in use      f - failed to allocate aggregator", "",
                 "        M - not in use, minimum links not met",
                 "        u - unsuitable for bundling",
                 "        w - waiting to be aggregated",
                 "        d - default port", "", "",
                 "Number of channel-groups in use: %d" % len(groups),
                 "Number of aggregators:           %d" % len(groups), "",
                 "Group  Port-channel  Protocol    Ports",
                 "------+-------------+-----------+-----------------------------------------------"]
        for number, members in sorted(groups.items()):
            flags, states = self.fabric.bundle(self, number, members)
            ports = [(short(m), states[m]) for m in members]
            if self.style == "iosxe":  # IOS-XE: tabs, flags as words
                lines.append("%d\tPo%d(%s)\t\t%s\t %s" % (number, number, flags, self._protocol(members), " ".join(
                    "%s(%s)" % (name, WORDS.get(flag, flag)) for name, flag in ports)))
                continue
            cells = ["%-15s" % ("%s(%s)" % port) for port in ports]  # Catalyst: three members a line
            lines.append(("%-6d %-15s %-11s %s" % (number, "Po%d(%s)" % (number, flags), self._protocol(members),
                                                   " ".join(cells[:3]))).rstrip())
            lines += [(" " * 34 + " ".join(cells[i:i + 3])).rstrip() for i in range(3, len(cells), 3)]
        if self.style == "iosxe":  # IOS-XE's legend appendix under the table, with or without rows
            lines += ["", "", "RU - L3 port-channel UP State", "SU - L2 port-channel UP state", "P/bndl -  Bundled",
                      "S/susp  - Suspended"]
        return "\n".join(lines) + "\n"

    def _protocol(self, members):
        modes = {self.interfaces[m]["channel-group"].split()[-1] for m in members}
        if modes <= {"on"}:
            return "-"
        return "PAgP" if modes & {"auto", "desirable"} else "LACP"

    def show_summary(self):
        roots = [t for t in self.trees() if self.fabric.spanning_tree(self, t)["root_port"] is None]
        names = ["MST%d" % t if self.mode == "mst" else "VLAN%04d" % t for t in roots]
        # both wordings real devices print: Catalyst IOS "Configured Pathcost method used is short (Operational
        # value is long)", IOS-XE 17 the method in use, its value padded to the column of the lines above
        if self.style == "iosxe":
            method = "Pathcost method used                    is %s" % ("long" if self.mode == "mst" else "short")
        else:
            method = "Configured Pathcost method used is %s" % (
                "short (Operational value is long)" if self.mode == "mst" else "short")
        # the portfast defaults as each release names them (IOS-XE: the `portfast edge` commands')
        edge = " Edge" if self.style == "iosxe" else ""
        return ("Switch is in %s mode%s\nRoot bridge for: %s\nExtended system ID                      is enabled\n"
                "Portfast Default                        is disabled\n"
                "Port%s%s BPDU Guard Default        is disabled\n"
                "Portfast%s BPDU Filter Default       is disabled\n%s\n\n"
                % (self.mode, " (IEEE Standard)" if self.mode == "mst" else "", ", ".join(names) or "none",
                   "fast" if edge else "Fast", edge, edge, method))

    def show_mst_configuration(self):
        rows = [(0, list(self.tree_vlans(0)))] + sorted(self.region.items())
        return ("Name      []\nRevision  0     Instances configured %d\n\nInstance  Vlans mapped\n"
                "--------  ---------------------------------------------------------------------\n%s"
                "-------------------------------------------------------------------------------\n"
                % (len(rows), "".join("%-9d %s\n" % (n, _ranges(v)) for n, v in rows)))

    def show_mst(self, tree):
        """show spanning-tree mst N (IOS's MST layout)."""
        info, own = self.fabric.spanning_tree(self, tree), self.priority(tree)
        lines = ["", "##### MST%d    vlans mapped:   %s" % (tree, _ranges(self.tree_vlans(tree))),
                 "Bridge        address %s  priority      %d (%d sysid %d)" % (self.mac, own + tree, own, tree)]
        if info["root_port"] is None:
            lines.append("Root          this switch for %s" % ("the CIST" if tree == 0 else "MST%d" % tree))
        else:
            root = (info["root_mac"], info["root_priority"], info["root_priority"] - tree, tree)
            port = (info["root_port"], info["root_cost"])
            lines += ["Root          address %s  priority      %d (%d sysid %d)" % root,
                      "              port    %-15s cost          %-9d rem hops 19" % port]
        lines += ["", "Interface        Role Sts Cost      Prio.Nbr Type",
                  "---------------- ---- --- --------- -------- --------------------------------"]
        lines += self._port_rows(info["ports"], 16)
        return "\n".join(lines) + "\n\n"

    def _port_rows(self, ports, width):
        return ["%-*s %-4s %-3s %-9d %-8s %s" % (width, short(name), role, state, cost, "%d.%d" % (priority, index),
                                                 "P2p Edge" if edge else "P2p")
                for index, (name, role, state, cost, priority, edge) in enumerate(ports, 1)]

    def show_spanning_tree(self, vlan):
        number = self.tree_of(vlan)
        tree = self.fabric.spanning_tree(self, number)
        own = self.priority(number) + number
        root = ("             This bridge is the root\n" if tree["root_port"] is None else
                "             Cost        %d\n             Port        %d (%s)\n"
                % (tree["root_cost"], 1, tree["root_port"]))
        protocol = {"pvst": "ieee", "rapid-pvst": "rstp", "mst": "mstp"}[self.mode]
        header = "MST%d" % number if self.mode == "mst" else "VLAN%04d" % vlan
        lines = ["", header, "  Spanning tree enabled protocol %s" % protocol,
                 "  Root ID    Priority    %d" % tree["root_priority"],
                 "             Address     %s" % tree["root_mac"],
                 root.rstrip("\n"),
                 "             Hello Time   2 sec  Max Age 20 sec  Forward Delay 15 sec", "",
                 "  Bridge ID  Priority    %d    (priority %d sys-id-ext %d)" % (own, own - number, number),
                 "             Address     %s" % self.mac,
                 "             Hello Time   2 sec  Max Age 20 sec  Forward Delay 15 sec",
                 "             Aging Time  300 sec", "",
                 "Interface           Role Sts Cost      Prio.Nbr Type",
                 "------------------- ---- --- --------- -------- --------------------------------"]
        lines += self._port_rows(tree["ports"], 19)
        return "\n".join(lines) + "\n\n"

    def show_spanning_tree_root(self):
        lines = ["                                        Root    Hello Max Fwd",
                 "Vlan                   Root ID          Cost    Time  Age Dly  Root Port",
                 "---------------- -------------------- --------- ----- --- ---  ------------"]
        for number in self.trees():
            tree = self.fabric.spanning_tree(self, number)
            lines.append(("%-16s %5d %s %9d %5d %3d %3d  %s" % (
                "MST%04d" % number if self.mode == "mst" else "VLAN%04d" % number, tree["root_priority"],
                tree["root_mac"], tree["root_cost"], 2, 20, 15,
                tree["root_port"] or "")).rstrip())
        return "\n".join(lines) + "\n"

    def show_lldp_detail(self):
        """show lldp neighbors detail, from what the fabric's ports hear (Catalyst layout)."""
        rows = [n for n in self.fabric.neighbors(self) if n["via"] == "LLDP"]
        lines = []
        for n in rows:
            lines += ["-" * 48, "Local Intf: %s" % short(n["local"]), "Chassis id: %s" % _ios_id(n["chassis_id"]),
                      "Port id: %s" % _ios_id(n["port_id"]), "Port Description: %s" % (n["port_descr"] or "")]
            lines += ["System Name: %s" % n["system_name"]] if n["system_name"] else ["System Name - not advertised"]
            caps = ",".join(CAPABILITY_CODES.get(c, "O") for c in n["capabilities"]) or "S"
            lines += ["", "System Description:", n["system_descr"] or "", "", "Time remaining: 110 seconds",
                      "System Capabilities: %s" % caps, "Enabled Capabilities: %s" % caps]
            lines += ["Management Addresses:"] + ["    IP: %s" % a for a in n["mgmt"] if ":" not in a] if any(
                ":" not in a for a in n["mgmt"]) else ["Management Addresses - not advertised"]
            lines += ["Auto Negotiation - not supported", "Physical media capabilities - not advertised",
                      "Media Attachment Unit type - not advertised",
                      "Vlan ID: %s" % (n["vlan"] if n["vlan"] else "- not advertised"), ""]
        return "\n".join(lines + ["", "Total entries displayed: %d" % len(rows), ""])

    def show_cdp_detail(self):
        """show cdp neighbors detail: the neighbours heard by CDP (lldpd speaks it with -c)."""
        lines = []
        for n in (n for n in self.fabric.neighbors(self) if n["via"].startswith("CDP")):
            lines += ["-" * 25, "Device ID: %s" % (n["system_name"] or n["chassis_id"]), "Entry address(es): "]
            lines += ["  IP address: %s" % a for a in n["mgmt"] if ":" not in a]
            lines += ["Platform: Linux,  Capabilities: Host ",
                      "Interface: %s,  Port ID (outgoing port): %s" % (n["local"], n["port_id"]),
                      "Holdtime : 120 sec", "", "Version :", n["system_descr"] or "", "", "advertisement version: 2", ""]
        return "\n".join(lines) + "\n"


# LLDP capability -> IOS's letter in show lldp neighbors
CAPABILITY_CODES = {"router": "R", "bridge": "B", "tel": "T", "docsis": "C", "wlan": "W", "repeater": "P",
                    "station": "S", "other": "O"}


def _ios_id(value):
    """A MAC as IOS prints it (5a0b.6d1e.2f01); anything else as it is."""
    digits = (value or "").replace(":", "").lower()
    if re.fullmatch(r"[0-9a-f]{12}", digits) and ":" in (value or ""):
        return ".".join(digits[i:i + 4] for i in range(0, 12, 4))
    return value or ""


class StaticFabric:
    """Links as configured: every member bundles, and the switches of one fabric
    are joined by their last physical port (the inter-switch link), so the STP
    root is the switch with the lowest (priority, MAC) and the others reach it
    over that link. The interface a kernel-backed fabric replaces."""

    def __init__(self):
        self.switches = []

    def join(self, switch):
        self.switches.append(switch)

    def sync(self, switch):
        """Nothing to make real: answers come from the configuration."""

    def bundle(self, switch, number, members):
        """(Port-channel flags, {member: flag}): S layer 2, U in use, P bundled."""
        return "SU", {member: "P" for member in members}

    def isl(self, switch):
        return switch.uplink if len(self.switches) > 1 else None

    def neighbors(self, switch):
        """Nothing is cabled to a configuration: no LLDP or CDP neighbours."""
        return []

    def spanning_tree(self, switch, tree):
        """tree: the switch's own tree number (a VLAN, or an MST instance). Switches in other
        modes take part with the tree of the same VLANs (a PVST+ neighbour's VLAN 1 is the CIST)."""
        vlan = (switch.tree_vlans(tree) or [1])[0]
        root = min(self.switches, key=lambda s: (s.priority(s.tree_of(vlan)), s.mac))
        root_tree = root.tree_of(vlan)
        isl = self.isl(switch)
        ports = [(name, "Desg", "FWD") for name in switch.vlan_ports(tree) if name != isl]
        if isl:
            ports.append((isl, "Desg" if root is switch else "Root", "FWD"))
        ports = [(name, role, state, switch.port_cost(name, tree), switch.port_priority(name, tree),
                  switch.portfast(name)) for name, role, state in ports]
        return dict(root_priority=root.priority(root_tree) + root_tree, root_mac=root.mac,
                    root_cost=0 if root is switch else switch.port_cost(isl, tree),
                    root_port=None if root is switch else short(isl), ports=ports)


class Session:
    """One CLI login to a switch."""

    def __init__(self, switch, enable_secret=None):
        self.switch = switch
        self.enable_secret = enable_secret
        self.mode = "exec" if enable_secret is None else "user"
        self.interface, self.pending = None, None
        self.secret_next = False  # the next line is a password: not echoed, not logged

    def prompt(self):
        suffix = {"user": ">", "exec": "#", "config": "(config)#", "interface": "(config-if)#",
                  "mst": "(config-mst)#", "archive": "(config-archive)#"}[self.mode]
        return self.switch.hostname + suffix

    def execute(self, line):
        line = line.strip()
        self.secret_next = False
        if self.pending:
            pending, self.pending = self.pending, None
            return pending(line)
        if not line:
            return ""
        handler = {"user": self._user, "exec": self._exec, "config": self._config,
                   "interface": self._interface, "mst": self._mst, "archive": self._archive}[self.mode]
        try:
            if self.mode in ("user", "exec"):
                self.switch.settle()  # another session's changes
            out = handler(line)
            if self.mode in ("user", "exec"):
                self.switch.settle()
        except FabricError as error:  # the command fails the way IOS reports errors
            return "%% Error: %s\n" % error
        return out

    # --- exec modes ---------------------------------------------------------------
    def _user(self, line):
        if line == "enable":
            self.pending, self.secret_next = self._enable, True
            return "Password: "
        if line == "show privilege":
            return "Current privilege level is 1\n"
        if re.match(r"^terminal (length|width) \d+$", line) or line == "show version":
            return self._exec(line)
        return INVALID

    def _enable(self, secret):
        if secret != self.enable_secret:
            return "% Bad secrets\n\n"
        self.mode = "exec"
        return ""

    def _exec(self, line):
        switch = self.switch
        if re.match(r"^terminal (length|width) \d+$", line) or line in ("enable", "terminal no editing"):
            return ""
        if line in ("disable",):
            self.mode = "user" if self.enable_secret is not None else "exec"
            return ""
        if line in ("configure terminal", "conf t"):
            self.mode = "config"
            return "Enter configuration commands, one per line.  End with CNTL/Z.\n"
        match = re.match(r"^configure terminal revert timer (\d+)$", line)
        if match:
            return self._revert_timer(int(match.group(1)))
        if line == "configure confirm":
            return "" if switch.confirm() else "% No Rollback Confirmed Change pending\n"
        if line == "configure revert now":
            if switch.armed is None:
                return "% No Rollback Confirmed Change pending\n"
            switch.revert()
            return "Rollback Done\n"
        if line == "show archive":
            return switch.show_archive()
        if line == "show privilege":
            return "Current privilege level is 15\n"
        if line == "show version":
            return switch.show_version()
        if line.startswith("show running-config"):
            return _filtered(switch.running_config(), line)
        if line == "show etherchannel summary":
            return switch.show_etherchannel()
        if line == "show lldp neighbors detail":
            return switch.show_lldp_detail()
        if line == "show cdp neighbors detail":
            return switch.show_cdp_detail()
        if line == "show spanning-tree root":
            return switch.show_spanning_tree_root()
        if line == "show spanning-tree summary":
            return switch.show_summary()
        if line == "show spanning-tree mst configuration":
            return switch.show_mst_configuration()
        match = re.match(r"^show spanning-tree mst (\d+)$", line)
        if match and switch.mode == "mst":
            return switch.show_mst(int(match.group(1)))
        match = re.match(r"^show spanning-tree vlan (\d+)$", line)
        if match:
            return switch.show_spanning_tree(int(match.group(1)))
        if line == "copy running-config startup-config":
            self.pending = self._save
            return "Destination filename [startup-config]? "
        if line == "write memory":
            return self._save("")
        return INVALID

    def _revert_timer(self, minutes):
        switch = self.switch
        if not 1 <= minutes <= 120:
            return INVALID
        if not switch.archive:
            return "% Rollback Confirmed Change: the archive path is not configured\n"
        if switch.armed is not None:
            return "% Rollback Confirmed Change: a revert timer is already running\n"
        switch.arm(minutes)
        self.mode = "config"
        return "Enter configuration commands, one per line.  End with CNTL/Z.\n"

    def _save(self, answer):
        if answer not in ("", "startup-config"):
            return INVALID
        self.switch.startup = self.switch.running_config()
        return "Building configuration...\n[OK]\n"

    # --- configuration modes --------------------------------------------------------
    def _config(self, line):
        switch = self.switch
        if line in ("end", "exit"):
            self.mode = "exec"
            return ""
        match = re.match(r"^interface (\S+)$", line)
        if match:
            try:
                self.interface = normalize_interface(match.group(1))
            except SwitchError:
                return INVALID
            switch.interfaces.setdefault(self.interface, {})
            self.mode = "interface"
            return ""
        match = re.match(r"^spanning-tree mode (\S+)$", line)
        if match and match.group(1) in MODES:
            switch.mode, switch.dirty = match.group(1), True
            return ""
        if line == "spanning-tree mst configuration":
            self.mode = "mst"
            return ""
        if line == "archive":
            self.mode = "archive"
            return ""
        # the root priority of VLANs (PVST+, Rapid-PVST+) or of one MST instance
        match = re.match(r"^(no )?spanning-tree (?:vlan ([\d,\-]+)|mst (\d+)) priority ?(\d+)?$", line)
        if match:
            table = switch.stp if match.group(2) else switch.mst_priority
            priority = match.group(4)
            for tree in vlan_list(match.group(2)) if match.group(2) else [int(match.group(3))]:
                if match.group(1):
                    table.pop(tree, None)
                elif priority and int(priority) % 4096 == 0 and int(priority) <= 61440:
                    table[tree] = int(priority)
                else:
                    return INVALID
            switch.dirty = True
            return ""
        return INVALID

    def _mst(self, line):
        """spanning-tree mst configuration: the region's VLAN to instance map."""
        if line in ("exit", "end"):
            self.mode = "config" if line == "exit" else "exec"
            return ""
        match = re.match(r"^(no )?instance (\d+) vlan ([\d,\-]+)$", line)
        if match and 0 < int(match.group(2)) <= 4094:
            region, vlans = self.switch.region, set(vlan_list(match.group(3)))
            for number in list(region):
                region[number] = [v for v in region[number] if v not in vlans]
            if not match.group(1):
                region[int(match.group(2))] = sorted(set(region.get(int(match.group(2)), [])) | vlans)
            self.switch.region = {n: v for n, v in region.items() if v}
            self.switch.dirty = True
            return ""
        if re.match(r"^(name \S+|revision \d+)$", line):
            return ""
        return INVALID

    def _archive(self, line):
        """archive: where the configuration archive goes."""
        if line in ("exit", "end"):
            self.mode = "config" if line == "exit" else "exec"
            return ""
        match = re.match(r"^(no )?path (\S+)$", line)
        if match:
            self.switch.archive = None if match.group(1) else match.group(2)
            return ""
        if re.match(r"^maximum \d+$", line):
            return ""
        return INVALID

    def _interface(self, line):
        if line == "end":
            self.mode, self.interface = "exec", None
            return ""
        if line == "exit":
            self.mode, self.interface = "config", None
            return ""
        if line.startswith("interface "):
            self.mode = "config"
            return self._config(line)
        config = self.switch.interfaces[self.interface]
        negate = line.startswith("no ")
        text = line[3:] if negate else line
        if text == "switchport":
            return ""
        match = MST_PORT_LINE.match(text) or re.match(r"^spanning-tree mst (\d+) (cost|port-priority)$", text)
        if match:
            key = "spanning-tree mst %s %s" % match.group(1, 2)
            if negate:
                config.pop(key, None)
            elif len(match.groups()) == 3:
                config[key] = text
            else:
                return INVALID
            self.switch.dirty = True
            return ""
        if text.startswith("spanning-tree portfast edge") and self.switch.style != "iosxe":
            return INVALID  # 15.0 knows no `edge` keyword
        for key, pattern in INTERFACE_LINES:
            if text == key or pattern.match(text):
                self.switch.dirty = True
                if negate:
                    config.pop(key, None)
                elif pattern.match(text):
                    config[key] = text
                    if key == "channel-group":
                        self.switch.interfaces.setdefault("Port-channel%s" % pattern.match(text).group(1), {})
                else:
                    return INVALID
                return ""
        return INVALID


def _timer(seconds, fn):
    """Run fn after `seconds` in a thread of its own; return what cancels it."""
    timer = threading.Timer(seconds, fn)
    timer.daemon = True
    timer.start()
    return timer.cancel


def _ranges(vlans):
    """[1, 2, 3, 10] -> '1-3,10'."""
    out, vlans = [], sorted(vlans)
    for vlan in vlans:
        if out and vlan == out[-1][1] + 1:
            out[-1][1] = vlan
        else:
            out.append([vlan, vlan])
    return ",".join("%d-%d" % (a, b) if a != b else "%d" % a for a, b in out)


def _filtered(text, command):
    section = re.search(r"\| section (\S+)", command)
    include = re.search(r"\| include (.+)$", command)
    if section:
        pattern, out, keep = re.compile(section.group(1)), [], False
        for line in text.splitlines():
            if not line.startswith(" "):
                keep = bool(pattern.search(line))
            if keep:
                out.append(line)
        return "\n".join(out) + ("\n" if out else "")
    if include:
        return "".join(line + "\n" for line in text.splitlines() if re.search(include.group(1), line))
    return text
