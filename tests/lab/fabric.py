"""The lab as a fabric of guest kernels: every server and every switch of a lab inventory is a
user-mode Linux guest of its own (tests/lab/up), every cable a wire between two of them.

A wire is a veth pair between the two guests' network namespaces (ri-lab-NAME), each end named
after the device it feeds (`eth0` in ri-lab-lacp1, `Fa0-1` in ri-lab-sw1) and glued by tc mirred,
both ways, to a tap (`teth0`, `tFa0-1`) that its guest opens as a vector NIC; inside, lab-wire
plugs the device into it (layouts `server` and `switch`). A tap, not a raw socket on the veth: the
host kernel moves a received frame's 802.1Q tag into the packet's metadata, which a raw socket
does not hand on (UML asks for no PACKET_AUXDATA) and a tap writes back into the frame, so VLANs
cross the wire (measured: with raw sockets a tagged frame arrived untagged); and a tap does not
hand its guest back the frames it sent, as a raw socket does. Servers are cabled as their `uplinks` say, switches chained by their
last ports (tests/ios_sim/kernel.py: inter_switch). Switches run Debian 13, where mstpd is.

A cut is a pulled cable: both guests take their plug down at once, so the device at each end
loses carrier, as both ends of a real cable do within milliseconds, and from the first plug down
no frame crosses (what reaches a plug that is down is dropped). The server's bonding driver (MII
monitor), its bridge and lldpd see their NIC lose carrier; the switch's bridge or mstpd, its bond
(the Port-channel), lldpd and so the IOS simulator see the port go down. Mending plugs both ends
back. The wire itself (the veth pair and the taps on the host) stays up: a host device that goes
down stops UML's vector NIC for good (measured on raw sockets: after the host's end went down and
up, the guest never received a frame on that NIC again).

    python -m tests.lab.fabric up INVENTORY       # boot the lab (unless that same lab is up)
    python -m tests.lab.fabric down               # stop it, leave nothing behind
    python -m tests.lab.fabric cut GUEST DEVICE   # pull the cable at GUEST's DEVICE (either end)
    python -m tests.lab.fabric mend GUEST DEVICE  # plug it back
    python -m tests.lab.fabric switches INVENTORY # the simulator's NAME=PORT arguments
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import yaml

from tests.ios_sim.kernel import cabling, hosts, inter_switch, kernel_name, models, ssh

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKOUT = os.path.dirname(os.path.dirname(HERE))
CACHE = os.environ.get("LAB_CACHE", os.path.join(CHECKOUT, ".cache", "lab"))
# the fabric that is up: its guests and cables (LAB_FABRIC: another file, for a second lab beside it)
STATE = os.environ.get("LAB_FABRIC", os.path.join(CACHE, "fabric.json"))
SWITCH_SUITE = "trixie"  # mstpd (RSTP, MSTP) runs on Debian 13 only
# a guest's memory (LAB_MEM_SERVER, LAB_MEM_SWITCH: lighter ones, benchmarks/lab.py measures them)
MEMORY = {"server": os.environ.get("LAB_MEM_SERVER", "512M"), "switch": os.environ.get("LAB_MEM_SWITCH", "256M")}
# guests booting at once (LAB_BOOTS; default all): a large lab on two cores boots in waves, else
# each guest's wait for its sshd (tests/lab/up) runs out
BOOTS = int(os.environ.get("LAB_BOOTS", "0"))
OFFLOADS = "tx off sg off tso off gso off gro off"  # as on the management tap: UML's vector NIC wants none


def tap(device):
    """The tap a guest opens for the wire end `device` (the prefix keeps it apart from the veth)."""
    return "t" + device


@dataclasses.dataclass(frozen=True)
class Guest:
    name: str
    layout: str  # server or switch (lab-wire)
    devices: tuple  # what lab-wire plugs into vec1, vec2, ...: the wires' ends, in order
    params: str = ""  # more lab.* kernel parameters
    suite: str = "bookworm"

    def command_line(self):
        return "lab.glue=%s%s" % (",".join(self.devices), " " + self.params if self.params else "")


@dataclasses.dataclass(frozen=True)
class Cable:
    a: str
    a_device: str
    b: str
    b_device: str

    def ends(self):
        return ((self.a, self.a_device), (self.b, self.b_device))


def namespace(guest):
    return "ri-lab-%s" % guest


def plan(inventory):
    """(guests, cables) of the lab an inventory describes: its servers (lab_suite: their Debian
    release, default bookworm) and switches (ios_sim_model, ios_sim_stp_mode)."""
    switches, servers = cabling(inventory)
    devices = models(inventory)
    with open(inventory) as handle:
        hostvars = hosts((yaml.safe_load(handle)["all"].get("children") or {}).get("servers") or {})
    cables = [Cable(server, nic, switch, kernel_name(port))
              for server, uplinks in servers.items() for nic, switch, port in uplinks]
    cables += [Cable(left, kernel_name(left_port), right, kernel_name(right_port))
               for left, left_port, right, right_port in inter_switch(switches, devices)]
    guests = []
    for server in servers:
        guests.append(Guest(server, "server", _devices(server, cables),
                            suite=(hostvars.get(server) or {}).get("lab_suite", "bookworm")))
    for index, switch in enumerate(switches):
        params = "lab.stp=%s" % devices[switch][1] + (" lab.address=1" if index == 0 else "")
        guests.append(Guest(switch, "switch", _devices(switch, cables), params, SWITCH_SUITE))
    return guests, cables


def _devices(guest, cables):
    return tuple(device for cable in cables for name, device in cable.ends() if name == guest)


def _run(*argv, check=True, **kwargs):
    proc = subprocess.run(argv, capture_output=True, text=True, check=False, **kwargs)
    if check and proc.returncode:
        raise SystemExit("%s: %s" % (" ".join(argv), (proc.stderr or proc.stdout).strip()))
    return proc


def _alive(pid_file):
    try:
        with open(pid_file) as handle:
            os.kill(int(handle.read()), 0)
        return True
    except (OSError, ValueError):
        return False


def _saved():
    try:
        with open(STATE) as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


def _as_saved(guests, cables):
    return dict(guests=[dataclasses.asdict(g) for g in guests], cables=[dataclasses.asdict(c) for c in cables])


def running(guests, cables):
    """Whether this very lab is up: the same guests and cables, every guest alive."""
    saved = _saved()
    return saved is not None and json.loads(json.dumps(_as_saved(guests, cables))) == saved and all(
        _alive(os.path.join(CACHE, "%s.pid" % g.name)) for g in guests)


def up(inventory):
    """Boot the lab of `inventory` (every guest again: a guest's wires die with its peer's namespace).
    Returns False when that lab is up already."""
    guests, cables = plan(inventory)
    if running(guests, cables):
        return False
    down()
    # guests of these names that a killed run left behind (its state file gone with its checkout)
    _stop([g.name for g in guests if os.path.exists(os.path.join("/run/netns", namespace(g.name)))])
    for suite in sorted({g.suite for g in guests}):
        _run(os.path.join(HERE, "build"), suite)
    os.makedirs(CACHE, exist_ok=True)
    with open(STATE, "w") as handle:  # first: down() finds whatever this leaves behind
        json.dump(_as_saved(guests, cables), handle, indent=1)
    for guest in guests:
        _run("ip", "netns", "add", namespace(guest.name))
        _run("ip", "-n", namespace(guest.name), "link", "set", "lo", "up")
    for cable in cables:
        _run("ip", "link", "add", cable.a_device, "netns", namespace(cable.a), "type", "veth",
             "peer", "name", cable.b_device, "netns", namespace(cable.b))
        for guest, device in cable.ends():
            _glue(namespace(guest), device)
    started = time.monotonic()
    with ThreadPoolExecutor(BOOTS or len(guests)) as pool:
        results = list(pool.map(_boot, guests))
    failed = [text for ok, text in results if not ok]
    if failed:
        raise SystemExit("\n".join(failed))
    print("\n".join(text for dummy, text in results))
    print("lab up: %d guests, %d cables in %.1f s" % (len(guests), len(cables), time.monotonic() - started))
    return True


def _glue(netns, device):
    """The wire's end `device` and its guest's tap, every frame of each sent out of the other
    (u32 matching everything: the host kernel may lack cls_matchall)."""
    _run("ip", "-n", netns, "tuntap", "add", "dev", tap(device), "mode", "tap")
    for one, other in ((device, tap(device)), (tap(device), device)):
        _run("ip", "netns", "exec", netns, "ethtool", "-K", one, *OFFLOADS.split())
        _run("ip", "-n", netns, "link", "set", one, "up")
        _run("tc", "-n", netns, "qdisc", "add", "dev", one, "ingress")
        _run("tc", "-n", netns, "filter", "add", "dev", one, "parent", "ffff:", "protocol", "all",
             "u32", "match", "u32", "0", "0", "action", "mirred", "egress", "redirect", "dev", other)


def _boot(guest):
    nics = " ".join("vec%d:transport=tap,ifname=%s" % (index, tap(device))
                    for index, device in enumerate(guest.devices, 1))
    env = dict(os.environ, LAB_WIRED="1", LAB_NICS=nics, LAB_SUITE=guest.suite, LAB_MEM=MEMORY[guest.layout])
    proc = subprocess.run([os.path.join(HERE, "up"), guest.name, guest.layout, guest.command_line()], env=env,
                          capture_output=True, text=True, check=False)
    return proc.returncode == 0, (proc.stdout + proc.stderr).strip()


def _stop(names):
    """Stop these guests at once and remove their namespaces (tests/lab/down)."""
    with ThreadPoolExecutor(len(names) or 1) as pool:
        list(pool.map(lambda name: _run(os.path.join(HERE, "down"), name, check=False), names))


def down():
    """Stop every guest of the saved lab and remove their namespaces (the wires go with them)."""
    saved = _saved() or dict(guests=[])
    names = [guest["name"] for guest in saved["guests"]]
    _stop(names)
    for name in names:
        for path in ("%s.ctl" % name, "%s.console" % name):
            if os.path.exists(os.path.join(CACHE, path)):
                os.unlink(os.path.join(CACHE, path))
    if os.path.exists(STATE):
        os.unlink(STATE)


def find(guest, device):
    """The saved lab's cable with `device` of `guest` at one end."""
    saved = _saved() or dict(cables=[])
    for cable in (Cable(**c) for c in saved["cables"]):
        if (guest, device) in cable.ends():
            return cable
    raise SystemExit("no cable at %s %s in the lab that is up" % (guest, device))


def cut(guest, device, state="down"):
    """Pull (state down) or plug back (up) the cable at `guest`'s `device`: both ends at once."""
    cable = find(guest, device)
    with ThreadPoolExecutor(2) as pool:
        # both connections ready first (the simulator's shared masters, tests/ios_sim/kernel.ssh), so the
        # two ends go down within milliseconds of each other (a first connection takes a second or two:
        # one end would lose carrier long before the other)
        list(pool.map(lambda end: ssh(end[0], "true"), cable.ends()))
        list(pool.map(lambda end: ssh(end[0], "ip link set c-%s %s" % (end[1], state)), cable.ends()))
    return cable


def switches(inventory):
    """NAME=PORT for each switch: the simulator's arguments (the inventory's ansible_port)."""
    with open(inventory) as handle:
        top = yaml.safe_load(handle)["all"]
    group = (top.get("children") or {}).get("switches") or {}
    defaults = group.get("vars") or {}
    return ["%s=%s" % (name, (hostvars or {}).get("ansible_port", defaults.get("ansible_port")))
            for name, hostvars in hosts(group).items()]


def main(argv):
    verb, args = argv[0], argv[1:]
    if verb == "up":
        if not up(args[0]):
            print("lab already up")
    elif verb == "down":
        down()
    elif verb in ("cut", "mend"):
        cable = cut(args[0], args[1], "down" if verb == "cut" else "up")
        print("%s: %s %s - %s %s" % (verb, cable.a, cable.a_device, cable.b, cable.b_device))
    elif verb == "switches":
        print(" ".join(switches(args[0])))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
