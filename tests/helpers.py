"""Shared test helpers: run the project's own commands from the checkout."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.dirname(sys.executable)
EE_IMAGE = "localhost/redundant-interfaces/ee"  # scripts/ee builds it from execution-environment.yml
FIXTURES = os.path.join(ROOT, "tests", "fixtures")  # captures read by the unit tests, one folder per source


def capture(*path):
    """The text of a capture under tests/fixtures."""
    with open(os.path.join(FIXTURES, *path)) as handle:
        return handle.read()


def sources(folder):
    """A fixtures folder's SOURCES.yml ({capture: where it is published}), every entry naming its
    repository, path and commit."""
    import yaml  # pylint: disable=import-outside-toplevel

    with open(os.path.join(FIXTURES, folder, "SOURCES.yml")) as handle:
        entries = yaml.safe_load(handle)
    assert all(len(entry["commit"]) == 40 and entry["repo"] and entry["path"] for entry in entries.values())
    return entries


def lab(*argv, check=True, timeout=120):
    """tests/lab/fabric.py's command line (cut, mend, ...) on the lab that is up."""
    return run(sys.executable, "-m", "tests.lab.fabric", *argv, check=check, timeout=timeout,
               env=dict(PYTHONPATH=os.pathsep.join((ROOT, os.path.join(ROOT, ".collections")))))


def run(*argv, check=True, env=None, cwd=ROOT, timeout=600):
    """Run a command of the venv from the checkout; return CompletedProcess."""
    full_env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"),
                    ANSIBLE_NOCOLOR="1", PATH=BIN + os.pathsep + os.environ.get("PATH", ""))
    full_env.update(env or {})
    # stdin of its own: a killed ssh may leave a shared stdin non-blocking, which Ansible refuses
    proc = subprocess.run(argv, cwd=cwd, env=full_env, capture_output=True, text=True, timeout=timeout, check=False,
                          stdin=subprocess.DEVNULL)
    if check and proc.returncode != 0:
        raise AssertionError("%s failed (%d):\n%s\n%s" % (" ".join(argv), proc.returncode, proc.stdout, proc.stderr))
    return proc


def in_ee(*argv, network="none", volumes=(), timeout=600, check=True):
    """A command in the execution environment, the checkout mounted read-only as its project
    (/runner/project) with its ansible.cfg; `network` "host" reaches what listens on the host's
    loopback (nothing else is routed to a test's guests); `volumes`: more "HOST:CONTAINER:ro"."""
    mounts = ["--volume=%s:/runner/project:ro" % ROOT] + ["--volume=%s" % volume for volume in volumes]
    return run("podman", "run", "--rm", "--network", network, *mounts, "--workdir", "/runner/project",
               "--env", "ANSIBLE_CONFIG=/runner/project/ansible.cfg", "--env", "ANSIBLE_DEPRECATION_WARNINGS=false",
               "--env", "ANSIBLE_NOCOLOR=1", EE_IMAGE, *argv, check=check, timeout=timeout,
               env={"CONTAINERS_CONF": os.path.join(ROOT, "tests", "images", "containers.conf")})


def lab_ssh_args():
    """ansible_ssh_common_args for a kernel-lab guest whose ansible_host is its lab name."""
    return ('-o ProxyCommand="%s %%h" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null '
            "-o ServerAliveInterval=5 -o ServerAliveCountMax=3" % os.path.join(ROOT, "tests", "lab", "proxy"))


def lab_inventory(path, name):
    """Write an inventory of one kernel-lab guest (host lab-NAME) to `path`; return its path as text."""
    path.write_text(
        "all:\n  hosts:\n    lab-%s:\n"
        "      ansible_host: %s\n      ansible_user: root\n      ansible_ssh_private_key_file: %s\n"
        "      ansible_ssh_common_args: '%s'\n"
        % (name, name, os.path.join(ROOT, ".cache", "lab", "id_ed25519"), lab_ssh_args()))
    return str(path)


def adhoc(module, args, host="localhost"):
    """Run one module ad hoc (`ansible HOST -m MODULE -a ARGS`); return (status, result)."""
    proc = run("ansible", host, "-o", "-m", module, "-a", args, check=False)
    line = next(line for line in proc.stdout.splitlines() if line.startswith(host + " | "))
    status, result = line[len(host) + 3:].split(" => ", 1)
    return status, json.loads(result)


def recap(out):
    """{host: {ok, changed, failed}} from ansible-playbook's PLAY RECAP."""
    return {host: dict(ok=int(ok), changed=int(changed), failed=int(failed))
            for host, ok, changed, failed in re.findall(
                r"^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)", out, re.M)}


# what a line the IOS simulator received begins with when it configures (a check-mode run sends none)
IOS_CONFIG_WORDS = ("configure", "interface", "spanning", "channel", "copy")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ios_sim(log, **env):
    """The IOS simulator serving the lab inventory's switches sw1 and sw2 on free loopback ports, every
    line received logged to `log`; (the server process, the environment the inventory overlay
    tests/ios_sim/inventory.yml reads its ports from)."""
    ports = dict(sw1=free_port(), sw2=free_port())
    full = dict(os.environ, IOS_SIM_LOG=str(log), PYTHONPATH=os.pathsep.join([ROOT, os.path.join(ROOT, ".collections")]),
                **env)
    server = subprocess.Popen([sys.executable, "-m", "tests.ios_sim.server", "--devices", "inventory/lab.yml"]
                              + ["%s=%d" % kv for kv in ports.items()], cwd=ROOT, env=full, stdout=subprocess.PIPE,
                              text=True)
    assert server.stdout.readline().strip() == "ready"
    return server, {"IOS_SIM_PORT_SW1": str(ports["sw1"]), "IOS_SIM_PORT_SW2": str(ports["sw2"]),
                    "IOS_SIM_ENABLE_SECRET": env.get("IOS_SIM_ENABLE_SECRET", ""), "ANSIBLE_DEPRECATION_WARNINGS": "false"}
