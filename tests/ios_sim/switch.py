"""One simulated IOS switch: its configuration state and its CLI.

`Switch.execute(line)` takes one line as typed at the prompt and returns the
output; `prompt()` is what the switch shows next. Unknown input gets IOS's
own `% Invalid input detected` so that cisco.ios fails on it. `show` outputs
are generated from the state in IOS's formats.
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


def _natural(name):
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


class Switch:
    def __init__(self, hostname, ports=()):
        self.hostname = hostname
        self.mode, self.interface, self.pending = "exec", None, None
        self.stp = {}  # vlan -> priority
        self.interfaces = {normalize_interface(p): {} for p in ports}
        self.startup = None
        self.log = []  # every line received, for tests (check mode sends no config)

    def prompt(self):
        suffix = {"exec": "#", "config": "(config)#", "interface": "(config-if)#"}[self.mode]
        return self.hostname + suffix

    def execute(self, line):
        line = line.strip()
        self.log.append(line)
        if self.pending:
            pending, self.pending = self.pending, None
            return pending()
        if not line:
            return ""
        handler = {"exec": self._exec, "config": self._config, "interface": self._interface}[self.mode]
        return handler(line)

    # --- exec mode ------------------------------------------------------------
    def _exec(self, line):
        if re.match(r"^terminal (length|width) \d+$", line) or line in ("enable", "terminal no editing"):
            return ""
        if line in ("configure terminal", "conf t"):
            self.mode = "config"
            return "Enter configuration commands, one per line.  End with CNTL/Z.\n"
        if line == "show privilege":
            return "Current privilege level is 15\n"
        if line == "show version":
            return self.show_version()
        if line.startswith("show running-config"):
            return self._filtered(self.running_config(), line)
        if line == "show etherchannel summary":
            return self.show_etherchannel()
        match = re.match(r"^show spanning-tree vlan (\d+)$", line)
        if match:
            return self.show_spanning_tree(int(match.group(1)))
        if line == "copy running-config startup-config":
            self.pending = self._save
            return "Destination filename [startup-config]? "
        if line == "write memory":
            return self._save()
        return INVALID

    def _save(self):
        self.startup = self.running_config()
        return "Building configuration...\n[OK]\n"

    # --- configuration modes -------------------------------------------------
    def _config(self, line):
        if line in ("end", "exit"):
            self.mode = "exec"
            return ""
        match = re.match(r"^interface (\S+)$", line)
        if match:
            try:
                self.interface = normalize_interface(match.group(1))
            except SwitchError:
                return INVALID
            self.interfaces.setdefault(self.interface, {})
            self.mode = "interface"
            return ""
        match = re.match(r"^(no )?spanning-tree vlan ([\d,\-]+) priority ?(\d+)?$", line)
        if match:
            for vlan in _vlans(match.group(2)):
                if match.group(1):
                    self.stp.pop(vlan, None)
                elif match.group(3) and int(match.group(3)) % 4096 == 0 and int(match.group(3)) <= 61440:
                    self.stp[vlan] = int(match.group(3))
                else:
                    return INVALID
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
        config = self.interfaces[self.interface]
        negate = line.startswith("no ")
        text = line[3:] if negate else line
        if text == "switchport":
            return ""
        for key, pattern in INTERFACE_LINES:
            if text == key or pattern.match(text):
                if negate:
                    config.pop(key, None)
                elif pattern.match(text):
                    config[key] = text
                    if key == "channel-group":
                        self._port_channel(int(pattern.match(text).group(1)))
                else:
                    return INVALID
                return ""
        return INVALID

    def _port_channel(self, number):
        self.interfaces.setdefault("Port-channel%d" % number, {})

    # --- show outputs ---------------------------------------------------------
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

    @staticmethod
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

    def show_version(self):
        return ("Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E4, RELEASE SOFTWARE\n"
                "%s uptime is 1 day, 2 hours, 3 minutes\n"
                'System image file is "flash:/c2960x-universalk9-mz.152-7.E4.bin"\n'
                "cisco WS-C2960X-48TS-L (APM86XXX) processor (revision B0) with 524288K bytes of memory.\n"
                "Model number                    : WS-C2960X-48TS-L\n" % self.hostname)

    def show_etherchannel(self):
        lines = ["Flags:  D - down        P - bundled in port-channel",
                 "        S - Layer2      U - in use", "",
                 "Group  Port-channel  Protocol    Ports",
                 "------+-------------+-----------+-----------------------------------------------"]
        groups = {}
        for name, config in self.interfaces.items():
            if "channel-group" in config:
                groups.setdefault(int(config["channel-group"].split()[1]), []).append(name)
        for number in sorted(groups):
            ports = " ".join("%s(P)" % _short(p) for p in sorted(groups[number], key=_natural))
            lines.append("%-6d %-13s %-11s %s" % (number, "Po%d(SU)" % number, "LACP", ports))
        return "\n".join(lines) + "\n"

    def show_spanning_tree(self, vlan):
        prio = self.stp.get(vlan, 32768) + vlan
        return ("\nVLAN%04d\n  Spanning tree enabled protocol ieee\n"
                "  Root ID    Priority    %d\n             Address     0000.0c00.0001\n"
                "             This bridge is the root\n"
                "  Bridge ID  Priority    %d  (priority %d sys-id-ext %d)\n             Address     0000.0c00.0001\n"
                % (vlan, prio, prio, prio - vlan, vlan))


def _vlans(text):
    out = []
    for part in text.split(","):
        low, dummy, high = part.partition("-")
        out += list(range(int(low), int(high or low) + 1))
    return out


def _short(name):
    for full, abbreviations in (("GigabitEthernet", "Gi"), ("FastEthernet", "Fa"), ("TenGigabitEthernet", "Te")):
        if name.startswith(full):
            return abbreviations + name[len(full):]
    return name
