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

Unknown input gets IOS's `% Invalid input detected` so that cisco.ios fails on it.
"""

from __future__ import annotations

import re

from ansible_collections.redundant.interfaces.plugins.module_utils.switchside import SwitchError, normalize_interface

INVALID = "% Invalid input detected at '^' marker.\n"
# interface line -> the key it sets (one value per key, IOS's running-config order)
INTERFACE_LINES = (
    ("description", re.compile(r"^description (.+)$")),
    ("switchport access vlan", re.compile(r"^switchport access vlan (\d+)$")),
    ("switchport trunk allowed vlan", re.compile(r"^switchport trunk allowed vlan ([\d,\-]+)$")),
    ("switchport mode", re.compile(r"^switchport mode (access|trunk)$")),
    ("channel-protocol", re.compile(r"^channel-protocol (lacp|pagp)$")),
    ("lacp rate", re.compile(r"^lacp rate (fast|normal)$")),
    ("spanning-tree port-priority", re.compile(r"^spanning-tree port-priority (\d+)$")),
    ("spanning-tree cost", re.compile(r"^spanning-tree cost (\d+)$")),
    ("channel-group", re.compile(r"^channel-group (\d+) mode (active|passive|on|auto|desirable)$")),
    ("shutdown", re.compile(r"^(shutdown)$")),
)
SHORT = (("TenGigabitEthernet", "Te"), ("GigabitEthernet", "Gi"), ("FastEthernet", "Fa"), ("Port-channel", "Po"))
# IOS short-method default path costs
DEFAULT_COST = {"Te": 2, "Gi": 4, "Fa": 19, "Po": 3}


class FabricError(Exception):
    """The fabric could not make the configuration real or read its state."""


def _natural(name):
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def short(name):
    for full, abbreviation in SHORT:
        if name.startswith(full):
            return abbreviation + name[len(full):]
    return name


def vlan_list(text):
    out = []
    for part in text.split(","):
        low, dummy, high = part.partition("-")
        out += list(range(int(low), int(high or low) + 1))
    return out


class Switch:
    """One switch's configuration and its show outputs."""

    def __init__(self, hostname, ports=(), number=1, fabric=None):
        self.hostname = hostname
        self.mac = "0000.0c00.%04x" % number  # base MAC, the STP tie-breaker
        self.stp = {}  # vlan -> priority
        self.interfaces = {normalize_interface(p): {} for p in ports}
        self.startup = None
        self.dirty = False  # configuration changed since the fabric last synced
        self.fabric = fabric or StaticFabric()
        self.fabric.join(self)

    # --- state ------------------------------------------------------------------
    def settle(self):
        """Hand configuration changes to the fabric (again, if it failed last time)."""
        if self.dirty:
            self.fabric.sync(self)
            self.dirty = False

    def priority(self, vlan):
        return self.stp.get(vlan, 32768)

    def channel_groups(self):
        """{number: [member, ...]} as configured."""
        groups = {}
        for name in sorted(self.interfaces, key=_natural):
            line = self.interfaces[name].get("channel-group")
            if line:
                groups.setdefault(int(line.split()[1]), []).append(name)
        return groups

    def vlan_ports(self, vlan):
        """Configured ports (Port-channels for their members) carrying this VLAN."""
        members = {m for group in self.channel_groups().values() for m in group}
        ports = []
        for name, config in sorted(self.interfaces.items(), key=lambda item: _natural(item[0])):
            if name in members or not config:
                continue
            if config.get("switchport mode") == "switchport mode trunk":
                allowed = config.get("switchport trunk allowed vlan")
                if allowed is None or vlan in vlan_list(allowed.split()[-1]):
                    ports.append(name)
            elif int(config.get("switchport access vlan", "x 1").split()[-1]) == vlan:
                ports.append(name)
        return ports

    def port_cost(self, name):
        line = self.interfaces.get(name, {}).get("spanning-tree cost")
        return int(line.split()[-1]) if line else DEFAULT_COST.get(short(name)[:2], 19)

    def port_priority(self, name):
        line = self.interfaces.get(name, {}).get("spanning-tree port-priority")
        return int(line.split()[-1]) if line else 128

    # --- show outputs -------------------------------------------------------------
    def running_config(self):
        lines = ["Building configuration...", "", "Current configuration : 1024 bytes", "!",
                 "version 15.2", "hostname %s" % self.hostname, "!"]
        for vlan, prio in sorted(self.stp.items()):
            lines.append("spanning-tree vlan %d priority %d" % (vlan, prio))
        lines.append("!")
        for name in sorted(self.interfaces, key=_natural):
            lines.append("interface %s" % name)
            config = self.interfaces[name]
            lines += [" " + config[key] for key, dummy in INTERFACE_LINES if key in config]
            lines.append("!")
        lines.append("end")
        return "\n".join(lines) + "\n"

    def show_version(self):
        return ("Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E4, RELEASE SOFTWARE\n"
                "%s uptime is 1 day, 2 hours, 3 minutes\n"
                'System image file is "flash:/c2960x-universalk9-mz.152-7.E4.bin"\n'
                "cisco WS-C2960X-48TS-L (APM86XXX) processor (revision B0) with 524288K bytes of memory.\n"
                "Model number                    : WS-C2960X-48TS-L\n" % self.hostname)

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
            protocol = "LACP" if all("lacp" in self.interfaces[m].get("channel-protocol", "lacp") for m in members) else "-"
            ports = "  ".join("%s(%s)" % (short(m), states[m]) for m in members)
            lines.append("%-6d %-15s %-9s %s" % (number, "Po%d(%s)" % (number, flags), protocol, ports))
        return "\n".join(lines) + "\n"

    def show_spanning_tree(self, vlan):
        tree = self.fabric.spanning_tree(self, vlan)
        own = self.priority(vlan) + vlan
        root = ("             This bridge is the root\n" if tree["root_port"] is None else
                "             Cost        %d\n             Port        %d (%s)\n"
                % (tree["root_cost"], 1, tree["root_port"]))
        lines = ["", "VLAN%04d" % vlan, "  Spanning tree enabled protocol ieee",
                 "  Root ID    Priority    %d" % tree["root_priority"],
                 "             Address     %s" % tree["root_mac"],
                 root.rstrip("\n"),
                 "             Hello Time   2 sec  Max Age 20 sec  Forward Delay 15 sec", "",
                 "  Bridge ID  Priority    %d    (priority %d sys-id-ext %d)" % (own, own - vlan, vlan),
                 "             Address     %s" % self.mac,
                 "             Hello Time   2 sec  Max Age 20 sec  Forward Delay 15 sec",
                 "             Aging Time  300 sec", "",
                 "Interface           Role Sts Cost      Prio.Nbr Type",
                 "------------------- ---- --- --------- -------- --------------------------------"]
        for index, (name, role, state, cost, priority) in enumerate(tree["ports"], 1):
            lines.append("%-19s %-4s %-3s %-9d %-8s %s" % (short(name), role, state, cost,
                                                           "%d.%d" % (priority, index), "P2p"))
        return "\n".join(lines) + "\n\n"

    def show_spanning_tree_root(self):
        lines = ["                                        Root    Hello Max Fwd",
                 "Vlan                   Root ID          Cost    Time  Age Dly  Root Port",
                 "---------------- -------------------- --------- ----- --- ---  ------------"]
        for vlan in sorted(set(self.stp) | {1}):
            tree = self.fabric.spanning_tree(self, vlan)
            lines.append(("VLAN%04d         %5d %s %9d %5d %3d %3d  %s" % (
                vlan, tree["root_priority"], tree["root_mac"], tree["root_cost"], 2, 20, 15,
                tree["root_port"] or "")).rstrip())
        return "\n".join(lines) + "\n"


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
        physical = [n for n in switch.interfaces if not n.startswith("Port-channel")]
        return sorted(physical, key=_natural)[-1] if len(self.switches) > 1 and physical else None

    def spanning_tree(self, switch, vlan):
        root = min(self.switches, key=lambda s: (s.priority(vlan), s.mac))
        isl = self.isl(switch)
        ports = [(name, "Desg", "FWD") for name in switch.vlan_ports(vlan) if name != isl]
        if isl:
            ports.append((isl, "Desg" if root is switch else "Root", "FWD"))
        ports = [(name, role, state, switch.port_cost(name), switch.port_priority(name)) for name, role, state in ports]
        return dict(root_priority=root.priority(vlan) + vlan, root_mac=root.mac,
                    root_cost=0 if root is switch else switch.port_cost(isl),
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
        suffix = {"user": ">", "exec": "#", "config": "(config)#", "interface": "(config-if)#"}[self.mode]
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
                   "interface": self._interface}[self.mode]
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
        if line == "show privilege":
            return "Current privilege level is 15\n"
        if line == "show version":
            return switch.show_version()
        if line.startswith("show running-config"):
            return _filtered(switch.running_config(), line)
        if line == "show etherchannel summary":
            return switch.show_etherchannel()
        if line == "show spanning-tree root":
            return switch.show_spanning_tree_root()
        match = re.match(r"^show spanning-tree vlan (\d+)$", line)
        if match:
            return switch.show_spanning_tree(int(match.group(1)))
        if line == "copy running-config startup-config":
            self.pending = self._save
            return "Destination filename [startup-config]? "
        if line == "write memory":
            return self._save("")
        return INVALID

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
        match = re.match(r"^(no )?spanning-tree vlan ([\d,\-]+) priority ?(\d+)?$", line)
        if match:
            for vlan in vlan_list(match.group(2)):
                if match.group(1):
                    switch.stp.pop(vlan, None)
                elif match.group(3) and int(match.group(3)) % 4096 == 0 and int(match.group(3)) <= 61440:
                    switch.stp[vlan] = int(match.group(3))
                else:
                    return INVALID
            switch.dirty = True
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
