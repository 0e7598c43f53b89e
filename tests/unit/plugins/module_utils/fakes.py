"""A host in dicts for the engine and the flows: files, kernel links, commands."""

from __future__ import annotations

from ansible_collections.redundant.interfaces.plugins.module_utils import engine


class FakeHost(engine.Host):
    """Files and kernel links in dicts; commands recorded, `ifquery --state` answered from `up`."""

    def __init__(self, files=None, links=None, up=(), units=()):
        super().__init__(self._run)
        self.files = dict(files or {})
        self.links = dict(links or {})
        self.up = set(up)
        self.units = set(units)  # systemd units that are active
        self.commands = []

    def _run(self, cmd):
        self.commands.append(cmd)
        if cmd[:3] == ["systemctl", "is-active", "--quiet"]:
            return (0 if cmd[3] in self.units else 3), "", ""
        if cmd[:2] == ["ifquery", "--state"]:
            return (0, "%s=%s\n" % (cmd[2], cmd[2]), "") if cmd[2] in self.up else (1, "", "")
        return 0, "", ""

    def read(self, path):
        return self.files.get(path)

    def listdir(self, path):
        return sorted(p.rsplit("/", 1)[1] for p in self.files if p.startswith(path + "/"))

    def link(self, name):
        return self.links.get(name)

    def addresses(self):
        return {}

    def write(self, path, text):
        if text is None:
            self.files.pop(path, None)
        else:
            self.files[path] = text


def nic(name):
    return dict(name=name, kind="other", mtu=1500, operstate="up", master=None, mode=None, ports=[],
                options={}, port_options={})


def bond_state(link):
    return dict(name=link.name, kind="bond", mtu=1500, operstate="up", master=None, mode=link.mode,
                ports=list(link.ports), options=dict(link.options), port_options={})


class RecordingHost(FakeHost):
    """FakeHost that also records the files written, in order, among the commands."""

    def write(self, path, text):
        self.commands.append(["<write>", path])
        super().write(path, text)


def fake_bridge(root, stp="1", bridge_id="f000.aa", root_id="0000.bb", ports=(("eth0", 3, 100), ("eth1", 4, 100))):
    base = root / "br0"
    files = {"bridge/stp_state": stp, "bridge/bridge_id": bridge_id, "bridge/root_id": root_id,
             "bridge/priority": "61440", "mtu": "1500", "operstate": "up"}
    for port, state, cost in ports:
        files.update({"brif/%s/state" % port: str(state), "brif/%s/path_cost" % port: str(cost),
                      "brif/%s/priority" % port: "32"})
    for rel, text in files.items():
        (base / rel).parent.mkdir(parents=True, exist_ok=True)
        (base / rel).write_text(text + "\n")
    return str(root)
