# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""RSTP on a bridge, whichever stack made it: mstpd runs the spanning tree.

The kernel bridge does 802.1D only. With STP turned on, Linux asks
/sbin/bridge-stp (shipped with mstpd) whether user space takes the bridge; it
does so only in the initial network namespace. No stack has RSTP settings, so
for a bridge with protocol rstp this renders, beside the stack's own files:

- a script that waits until mstpd holds the bridge and all its ports, then sets
  them with mstpctl (RSTP, the priority and timers, point-to-point ports that
  are never edge ports: they face switches);
- a udev rule and a unit that run it whenever the bridge appears (at boot, on
  ifup, when NetworkManager or networkd create it), so every stack gets it alike.

The engine also runs the script right after the stack has brought the bridge up.
"""

from __future__ import annotations

from ansible_collections.redundant.interfaces.plugins.module_utils.backends import common
from ansible_collections.redundant.interfaces.plugins.module_utils.catalog import OPTIONS

DIRECTORY = common.SCRIPTS + "rstp"
UNITS = "/etc/systemd/system/redundant-rstp-"
UNIT = UNITS + "%s.service"
RULE = "/etc/udev/rules.d/90-redundant-rstp-%s.rules"
WAIT = 60  # seconds the script waits for mstpd to hold the bridge and its ports
# udev's unit and the engine both run the script when a bridge appears; interleaved, one run's
# widening step can land between the other's max_age and forward_delay and mstpd refuses the
# second: every run of a bridge's script holds this lock
LOCK = "/run/redundant-interfaces-rstp-%s.lock"
# the kernel takes bridge timers in any order, mstpd checks 802.1D's rule at every step:
# widen forward_delay and max_age first, then set the wanted values
WIDEN = (("setfdelay", 30), ("setmaxage", 40))

SCRIPT = """#!/bin/sh
%(header)s# Sets RSTP on %(bridge)s once mstpd holds it and its ports; run by %(unit)s
# whenever %(bridge)s appears, and by the role after a change.
bridge=%(bridge)s
ports="%(ports)s"
state=/sys/class/net/$bridge/bridge/stp_state
fail() { echo "rstp $bridge: $*" >&2; exit 1; }
command -v mstpctl >/dev/null || fail "mstpctl is missing: install mstpd"
exec 9>"%(lock)s"
flock -w %(lock_wait)d 9 || fail "another run of this script holds %(lock)s for %(lock_wait)d s"
# a bridge made before mstpd was installed runs the kernel's STP: hand it over
[ "$(cat "$state" 2>/dev/null)" = 1 ] && ip link set "$bridge" type bridge stp_state 0 && \\
  ip link set "$bridge" type bridge stp_state 1
held() {
  [ "$(cat "$state" 2>/dev/null)" = 2 ] && mstpctl showbridge "$bridge" >/dev/null 2>&1 || return 1
  for port in $ports; do mstpctl showport "$bridge" "$port" >/dev/null 2>&1 || return 1; done
}
tries=0
until held; do
  tries=$((tries + 1))
  [ "$tries" -le %(tries)d ] || fail "mstpd does not hold the bridge and its ports ($ports) after %(wait)d s \\
(stp_state $(cat "$state" 2>/dev/null || echo missing); 2 means user-space STP)"
  sleep 0.5
done
set -e
%(commands)s
"""

UNIT_TEXT = """%(header)s[Unit]
Description=RSTP settings of bridge %(bridge)s (redundant.interfaces)
BindsTo=sys-subsystem-net-devices-%(bridge)s.device
After=sys-subsystem-net-devices-%(bridge)s.device

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=%(script)s
"""

RULE_TEXT = """%(header)sACTION=="add", SUBSYSTEM=="net", KERNEL=="%(bridge)s", TAG+="systemd", \
ENV{SYSTEMD_WANTS}+="%(unit)s"
"""


def script_path(name):
    return "%s/%s" % (DIRECTORY, name)


def paths(link):
    """Every file this renders for a link (present or not)."""
    return [script_path(link.name), UNIT % link.name, RULE % link.name]


def _value(name, link):
    return link.options.get(name, OPTIONS[name].kernel_default)


def commands(link):
    """The mstpctl calls that give a bridge its RSTP settings, in order."""
    bridge = link.name
    out = [["setforcevers", bridge, "rstp"]]
    out += [[verb, bridge, str(value)] for verb, value in WIDEN]
    out += [["sethello", bridge, str(_value("hello_time", link))],
            ["setmaxage", bridge, str(_value("max_age", link))],
            ["setfdelay", bridge, str(_value("forward_delay", link))],
            ["setageing", bridge, str(_value("ageing_time", link))],
            ["settreeprio", bridge, "0", str(_value("priority", link) // 4096)]]
    for port in link.ports:
        settings = link.port_options.get(port, {})
        out += [["setportp2p", bridge, port, "yes"], ["setportautoedge", bridge, port, "no"],
                ["setportadminedge", bridge, port, "no"]]
        if "path_cost" in settings:
            out.append(["settreeportcost", bridge, port, "0", str(settings["path_cost"])])
        if "port_priority" in settings:  # the kernel's 0-63 -> 802.1w's 0-15 (x16)
            out.append(["settreeportprio", bridge, port, "0", str(settings["port_priority"] // 4)])
    return out


def render(link):
    """{path: text} of one present rstp bridge."""
    unit = (UNIT % link.name).rsplit("/", 1)[1]
    values = dict(header=common.header(link), bridge=link.name, ports=" ".join(link.ports), unit=unit,
                  script=script_path(link.name), wait=WAIT, tries=WAIT * 2,
                  lock=LOCK % link.name, lock_wait=WAIT * 2,
                  commands="\n".join("mstpctl " + " ".join(argv) for argv in commands(link)))
    return {script_path(link.name): SCRIPT % values, UNIT % link.name: UNIT_TEXT % values,
            RULE % link.name: RULE_TEXT % values}


def files(links, current):
    """{path: text or None}: the rstp bridges' files, and those of links that are no longer rstp removed."""
    return common.files(links, current, lambda link: render(link) if link.rstp else {})


def read_paths(links):
    """What plan() reads: every path these links could have here."""
    return [path for link in links if link.kind == "bridge" for path in paths(link)]
