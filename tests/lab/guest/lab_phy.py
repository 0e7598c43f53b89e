"""The physical layer of a lab guest's wires (started by lab-wire for the fabric's layouts).

A real NIC that is set down (`ip link set eth0 down`, what the failover drill does) drops the
link, and the switch port at the other end of the cable loses carrier; a shut switch port does the
same to the server. In the lab a plugged device DEVICE is glued to its wire (vector NIC vecN) by
its veth peer c-DEVICE, so its admin state stays on this side. This watcher tells the far end:
when DEVICE goes down or up, it sends a frame of the local experimental EtherType 0x88B6 to the
nearest-bridge group address on vecN; the far guest's watcher sets its own c-DEVICE down or up,
so its device loses or regains carrier. At its start a watcher sends each device's state with a
question ("down?"), and the far watcher, if it runs, answers with its own: the two guests of a
wire boot at different times, and a server's NICs are down until its network is configured. A tc
filter on each vecN drops these frames before the glue, so they never reach a device, a bridge or
a bond. A pulled cable (tests/lab/fabric.py cut) sets c-DEVICE down at both ends and changes no
device's admin state, so no frame undoes it.

    python3 lab_phy.py DEVICE=vecN ...
"""

from __future__ import annotations

import ctypes
import errno
import os
import select
import socket
import struct
import subprocess
import sys

PHY_TYPE = 0x88B6
ETH_P_ALL = 0x0003
GROUP = bytes.fromhex("0180c200000e")  # nearest bridge: no bridge forwards it
RTMGRP_LINK = 1
SO_ATTACH_FILTER = 26
REPEAT = 3  # each change is sent three times (raw frames have no retransmission); applying is idempotent
# classic BPF: keep incoming frames of PHY_TYPE, drop the rest (what this guest sent included)
FILTER = [(0x20, 0, 0, 0xFFFFF004),  # ld pkttype
          (0x15, 3, 0, 4),  # outgoing -> drop
          (0x28, 0, 0, 12),  # ldh [12]: the EtherType
          (0x15, 0, 1, PHY_TYPE),  # not ours -> drop
          (0x06, 0, 0, 0x40000),  # keep
          (0x06, 0, 0, 0)]  # drop


def admin_up(device):
    with open("/sys/class/net/%s/flags" % device) as handle:
        return bool(int(handle.read(), 16) & 1)


def listen(vec):
    """A socket on the wire that receives the far end's PHY frames only."""
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    code = ctypes.create_string_buffer(b"".join(struct.pack("HBBI", *insn) for insn in FILTER))
    sock.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, struct.pack("HL", len(FILTER), ctypes.addressof(code)))
    sock.bind((vec, ETH_P_ALL))
    return sock, code  # the program's memory must live as long as the socket


def tell(vec, up, ask=False):
    """Send this end's admin state (b"up", b"down"; with b"?": and ask for the far end's)."""
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as sock:
        sock.bind((vec, 0))
        mac = sock.getsockname()[4]
        word = (b"up" if up else b"down") + (b"?" if ask else b"")
        frame = GROUP + mac + struct.pack("!H", PHY_TYPE) + word.ljust(46, b"\0")
        for dummy in range(REPEAT):
            sock.send(frame)


def main(pairs):
    vec_of = dict(pair.split("=", 1) for pair in pairs)
    links = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
    links.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)  # a switch sets up dozens of ports at once
    links.bind((0, RTMGRP_LINK))
    wires, keep = {}, []
    for device, vec in vec_of.items():
        sock, code = listen(vec)
        wires[sock] = device
        keep.append(code)
    state = {device: admin_up(device) for device in vec_of}
    for device, vec in vec_of.items():
        tell(vec, state[device], ask=True)
    print("lab-phy: watching %s" % " ".join(sorted(pairs)), flush=True)
    while True:
        for sock in select.select([links] + list(wires), [], [])[0]:
            if sock is links:
                try:
                    links.recv(65536)
                except OSError as error:
                    # ENOBUFS: events were lost while a burst of them came (measured: a switch of 27
                    # ports at boot); no matter, every device's state is read again below
                    if error.errno != errno.ENOBUFS:
                        raise
                for device, was in state.items():
                    now = admin_up(device)
                    if now != was:
                        state[device] = now
                        tell(vec_of[device], now)
                continue
            word = sock.recv(2048)[14:19].rstrip(b"\0")
            if word.rstrip(b"?") in (b"up", b"down"):
                device = wires[sock]
                subprocess.run(["ip", "link", "set", "c-" + device, word.rstrip(b"?").decode()], check=False)
                if word.endswith(b"?"):
                    tell(vec_of[device], state[device])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]) if os.geteuid() == 0 else "lab-phy: run as root")
