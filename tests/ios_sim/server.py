"""Serve simulated IOS switches over SSH on 127.0.0.1 (asyncssh).

    python -m tests.ios_sim.server [--devices|--lab INVENTORY] sw1=2201 sw2=2202

Any username; the password must be the one in IOS_SIM_PASSWORD (default
"cisco"). With IOS_SIM_ENABLE_SECRET set, logins start at `>` and `enable`
asks for that secret; otherwise they start at `#`. One Switch per name, all
in one fabric, state kept for the server's lifetime: a StaticFabric, or with
--lab the KernelFabric over the switches' own lab guests that INVENTORY
describes (they must be up; their kernels are reset to the empty
configuration at start). With
either option each switch is the device its ios_sim_model / ios_sim_stp_mode
in INVENTORY say; without, a Fast Ethernet access switch in PVST+. With IOS_SIM_LOG
set, every line received is appended there ("sw1 <line>"; secrets masked).
Every switch has an archive path (IOS_SIM_ARCHIVE, default flash:rollback;
empty: none), so the revert timer works; IOS_SIM_MINUTE shortens its minute.
A switch whose configuration cuts its management path (switch.Switch.cut_off)
drops its sessions and takes no new one.
"""

from __future__ import annotations

import asyncio
import os
import sys

import asyncssh

from tests.ios_sim.kernel import KernelFabric, cabling, inter_switch, models
from tests.ios_sim.switch import MODELS, Session, StaticFabric, Switch


LOG = os.environ.get("IOS_SIM_LOG")  # every line the switches receive, for the tests
ARCHIVE = os.environ.get("IOS_SIM_ARCHIVE", "flash:rollback")  # each switch's archive path; empty: none
MINUTE = float(os.environ.get("IOS_SIM_MINUTE", "60"))  # seconds in a revert timer's minute


class _Auth(asyncssh.SSHServer):
    def __init__(self, switch):
        self.switch = switch

    def connection_made(self, conn):
        if self.switch.cut_off():  # its management path is down: nothing answers
            conn.close()

    def begin_auth(self, username):
        return True

    def password_auth_supported(self):
        return True

    def validate_password(self, username, password):
        return password == os.environ.get("IOS_SIM_PASSWORD", "cisco")


def _session(switch):
    async def handle(process):
        cli = Session(switch, os.environ.get("IOS_SIM_ENABLE_SECRET"))
        process.stdout.write("\r\n" + cli.prompt())
        try:
            while True:
                secret = cli.secret_next
                process.channel.set_echo(not secret)
                line = await process.stdin.readline()
                if not line:
                    break
                # in a thread: a kernel fabric waits on the lab guests, the other sessions go on
                out = await asyncio.get_running_loop().run_in_executor(None, cli.execute, line.rstrip("\r\n"))
                if LOG:
                    with open(LOG, "a") as log:
                        log.write("%s %s\n" % (switch.hostname, "<secret>" if secret else line.rstrip("\r\n")))
                if switch.cut_off():  # the line cut the switch's own management path: the session dies
                    break
                process.stdout.write(out + ("" if cli.pending else cli.prompt()))  # the pty adds the \r
        except (asyncssh.BreakReceived, asyncssh.TerminalSizeChanged, asyncssh.DisconnectError):
            pass
        process.exit(0)
        await asyncio.get_running_loop().run_in_executor(None, _settle, switch)
    return handle


def _settle(switch):
    """A session that left while in configuration mode: its changes still count."""
    try:
        switch.settle()
    except Exception as error:  # nobody left to tell but the log
        print("%s: %s" % (switch.hostname, error), file=sys.stderr, flush=True)


async def serve(switches):
    key = asyncssh.generate_private_key("ssh-ed25519")
    for name, (switch, port) in switches.items():
        await asyncssh.create_server(lambda switch=switch: _Auth(switch), "127.0.0.1", port, server_host_keys=[key],
                                     process_factory=_session(switch), line_editor=True)
    print("ready", flush=True)
    await asyncio.Event().wait()


def main(argv):
    fabric, devices = StaticFabric(), {}
    if argv[:1] == ["--devices"]:
        devices, argv = models(argv[1]), argv[2:]
    elif argv[:1] == ["--lab"]:
        switches, servers = cabling(argv[1])
        devices = models(argv[1])
        fabric, argv = KernelFabric(switches, servers, inter_switch(switches, devices)), argv[2:]
    switches = {}
    for number, spec in enumerate(argv, 1):
        name, port = spec.split("=")
        ports, mode, style = devices.get(name, (MODELS["access"], "pvst", "catalyst"))
        switches[name] = (Switch(name, ports, number, fabric, mode=mode, style=style, archive=ARCHIVE or None,
                                 minute=MINUTE), int(port))
    for switch, dummy in switches.values():
        fabric.sync(switch)
    asyncio.run(serve(switches))


if __name__ == "__main__":
    main(sys.argv[1:])
