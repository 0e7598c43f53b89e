"""RSTP files for any stack: the mstpctl settings, the script, the unit and udev rule."""

from __future__ import annotations

import subprocess

from ansible_collections.redundant.interfaces.plugins.module_utils.backends import common, mstpd
from ansible_collections.redundant.interfaces.plugins.module_utils.model import build_links


def bridge(**extra):
    return build_links("bridge_stp", [dict(dict(name="br0", ports=["eth0", "eth1"], protocol="rstp"), **extra)])[0]


def test_commands_force_rstp_keep_the_server_last_and_make_ports_point_to_point_never_edge():
    got = [" ".join(argv) for argv in mstpd.commands(bridge(forward_delay=4, hello_time=1, max_age=6,
                                                            port_options={"eth1": {"path_cost": 200,
                                                                                   "port_priority": 40}}))]
    assert got[0] == "setforcevers br0 rstp"
    # timers widened first, so every step keeps 802.1D's rule that mstpd checks
    assert got[1:6] == ["setfdelay br0 30", "setmaxage br0 40", "sethello br0 1", "setmaxage br0 6",
                        "setfdelay br0 4"]
    assert "settreeprio br0 0 15" in got  # 61440 = 15 x 4096: the highest, never root
    for port in ("eth0", "eth1"):
        assert {"setportp2p br0 %s yes" % port, "setportautoedge br0 %s no" % port,
                "setportadminedge br0 %s no" % port} <= set(got)
    assert "settreeportcost br0 eth1 0 200" in got and "settreeportprio br0 eth1 0 10" in got
    assert not any("eth0 0" in line for line in got)  # no cost or priority asked for eth0


def test_render_writes_an_owned_script_a_unit_and_a_udev_rule():
    files = mstpd.render(bridge())
    script = files["/etc/redundant-interfaces/rstp/br0"]
    assert script.startswith("#!/bin/sh\n# Managed by redundant.interfaces")
    assert all(common.owner(text)[1] == "br0" for text in files.values())
    assert "mstpctl setforcevers br0 rstp" in script
    subprocess.run(["sh", "-n"], input=script, text=True, check=True)  # valid shell
    unit = files["/etc/systemd/system/redundant-rstp-br0.service"]
    assert "BindsTo=sys-subsystem-net-devices-br0.device" in unit
    assert "ExecStart=/etc/redundant-interfaces/rstp/br0" in unit
    rule = files["/etc/udev/rules.d/90-redundant-rstp-br0.rules"]
    assert 'KERNEL=="br0"' in rule and 'ENV{SYSTEMD_WANTS}+="redundant-rstp-br0.service"' in rule
    assert common.Backend().mode("/etc/redundant-interfaces/rstp/br0") == 0o755


def test_a_bridge_back_on_stp_loses_its_rstp_files_and_an_stp_bridge_gets_none():
    current = mstpd.render(bridge())
    gone = mstpd.files([bridge(protocol="stp")], current)
    assert gone == {path: None for path in current}
    assert mstpd.files([bridge(protocol="stp")], {}) == {}
    assert mstpd.read_paths([bridge()]) == sorted(current, key=mstpd.paths(bridge()).index)


FAKE_MSTPCTL = """#!/bin/sh
# mstpd in one file: the bridge times it holds, 802.1D's rule checked at every step like mstpd does
exec 8>"$STATE.lock"; flock 8
read fdelay maxage < "$STATE"
case "$1" in
  setfdelay) fdelay=$3 ;;
  setmaxage) maxage=$3 ;;
esac
echo "$RUN $1" >> "$STATE.log"
if [ $((2 * (fdelay - 1))) -lt "$maxage" ]; then echo "times refused: $fdelay $maxage" >&2; exit 255; fi
echo "$fdelay $maxage" > "$STATE"
flock -u 8
sleep 0.01
"""


def test_two_runs_at_once_take_turns_so_mstpd_never_sees_their_steps_interleaved(tmp_path):
    # udev's unit and the engine start the script together; mstpd checks the rule at every step
    (tmp_path / "bin").mkdir()
    fake = tmp_path / "bin" / "mstpctl"
    fake.write_text(FAKE_MSTPCTL)
    fake.chmod(0o755)
    (tmp_path / "br0" / "bridge").mkdir(parents=True)
    (tmp_path / "br0" / "bridge" / "stp_state").write_text("2\n")
    state = tmp_path / "state"
    state.write_text("15 20\n")
    script = mstpd.render(bridge(forward_delay=4, max_age=6))["/etc/redundant-interfaces/rstp/br0"]
    script = script.replace("/sys/class/net", str(tmp_path)).replace(mstpd.LOCK % "br0", str(tmp_path / "lock"))
    (tmp_path / "rstp").write_text(script)
    env = {"PATH": "%s:/usr/bin:/bin" % (tmp_path / "bin"), "STATE": str(state)}
    runs = [subprocess.Popen(["sh", str(tmp_path / "rstp")], env=dict(env, RUN=str(n)),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for n in (1, 2)]
    outputs = [run.communicate(timeout=60) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    order = [line.split()[0] for line in (tmp_path / "state.log").read_text().splitlines()]
    assert sorted(set(order)) == ["1", "2"]
    assert order == sorted(order, key=order.index)  # one run's calls, then the other's
    assert state.read_text().split() == ["4", "6"]
