"""The link module's flows on a fake host: check mode, direct apply, the
commit-confirmed arm and detach, and every branch of the confirmation."""

from __future__ import annotations

import pytest

from ansible_collections.redundant.interfaces.plugins.module_utils import announce, engine, flows, probes, transaction
from ansible_collections.redundant.interfaces.plugins.module_utils.backends import ifupdown
from ansible_collections.redundant.interfaces.plugins.module_utils.model import build_links
from ansible_collections.redundant.interfaces.plugins.module_utils.errors import RedundantError
from tests.unit.plugins.module_utils.fakes import FakeHost, bond_state, nic

MAIN = "source /etc/network/interfaces.d/*\n\nallow-hotplug eth0\niface eth0 inet dhcp\n"
LINK = dict(name="bond0", ports=["eth0", "eth1"])
QUERIES = ("ifquery", "systemctl", "ip -j", "which")


def params(**kw):
    return dict(dict(method="bond_lacp", links=[dict(LINK)], backend="ifupdown", live=True, backup=False,
                     variable=None, confirm_timeout=0, transaction=None), **kw)


class Host(FakeHost):
    """A Debian host with two NICs and the bonding driver; the kernel follows ifup/ifdown of the bond."""

    def __init__(self, **kw):
        kw.setdefault("files", {ifupdown.INTERFACES: MAIN, flows.BONDING: "\n"})
        kw.setdefault("links", {"eth0": nic("eth0"), "eth1": nic("eth1")})
        super().__init__(**kw)
        self.kernel_follows = True

    def _run(self, cmd):
        rc = super()._run(cmd)
        if self.kernel_follows and cmd[:2] == ["ifup", "bond0"]:
            self.links["bond0"] = bond_state(build_links("bond_lacp", [dict(LINK)])[0])
        return rc


@pytest.fixture
def ctx(monkeypatch):
    """A Context whose file writes land in the fake host."""
    host = Host()
    monkeypatch.setattr(flows.Job, "write", lambda job, path, text: host.write(path, text))
    monkeypatch.setattr(engine, "settle", lambda links, h, timeout=30.0: engine.verify(links, h))
    monkeypatch.setattr(announce, "PAUSES", (0.0,))
    return flows.Context(params(), host, which=lambda name: "/usr/bin/" + name, move=None, environ={})


def commands(host):
    return [" ".join(c) for c in host.commands if not " ".join(c).startswith(QUERIES)]


def test_check_mode_plans_and_changes_nothing(ctx):
    ctx.check_mode, ctx.diff = True, True
    result = flows.run(ctx)
    assert result["changed"] and result["backend"] == "ifupdown"
    assert result["actions"][-1] == "ifup bond0"
    assert result["diff"][-1]["prepared"].startswith("live steps:\n  ")
    assert commands(ctx.host) == [] and "/etc/network/interfaces.d/bond0" not in ctx.host.files
    assert result["live"] == {"bond0": None}


def test_direct_apply_runs_the_planned_steps_and_proves_the_kernel(ctx):
    result = flows.run(ctx)
    assert "failed" not in result
    assert commands(ctx.host) == [a for a in result["actions"] if not a.startswith(("write", "remove"))]
    assert "/etc/network/interfaces.d/bond0" in ctx.host.files
    assert result["live"]["bond0"]["mode"] == "802.3ad"
    assert result["announced"] == []  # the fake kernel gives the bond no address
    assert not flows.run(ctx)["changed"]  # the second run has nothing to do


def test_a_kernel_that_does_not_follow_fails_the_task_naming_the_difference(ctx):
    ctx.host.kernel_follows = False
    result = flows.run(ctx)
    assert result["failed"]
    assert result["msg"] == "bond_lacp_links: after the change the kernel still differs: bond0: bond0 does not exist"


def test_a_host_without_bonding_is_refused_before_any_change(ctx):
    del ctx.host.files[flows.BONDING]
    with pytest.raises(engine.HostError, match="bond_lacp_links: this host's kernel has no bonding driver"):
        flows.run(ctx)
    assert [c for c in ctx.host.commands if c[0] == "modprobe"] == [["modprobe", "bonding"]]
    assert commands(ctx.host) == ["modprobe bonding"]


def test_the_connections_own_interface_is_taken_only_commit_confirmed(ctx, monkeypatch):
    ctx.environ = {"SSH_CONNECTION": "192.0.2.1 50000 192.0.2.10 22"}
    monkeypatch.setattr(flows, "connection_interface", lambda host, environ: "eth0" if environ else None)
    with pytest.raises(engine.HostError, match=r"bond_lacp_links\[bond0\]: port eth0 carries this Ansible connection"):
        flows.run(ctx)
    armed = []
    monkeypatch.setattr(transaction, "arm", lambda *a: armed.append(a) or "unit-1")
    monkeypatch.setattr(transaction, "detach", lambda tid, work, within, run: armed.append((within, work())))
    monkeypatch.setattr(flows.signal, "signal", lambda *a: None)
    ctx.params["confirm_timeout"] = 120
    result = flows.run(ctx)
    assert result["rollback_unit"] == "unit-1" and result["go"].endswith("/%s/go" % result["transaction"])
    tid, files, before, after, timeout, dummy, announce_on = armed[0]
    assert (tid, timeout, announce_on) == (result["transaction"], 120, ["bond0", "eth0", "eth1"])
    assert sorted(files) == result["files"]  # every file the change writes is kept for the rollback
    assert ["ip", "link", "del", "dev", "bond0"] in before and after == [["ifup", "-a"], ["ifup", "-a", "--allow=hotplug"]]
    within, done = armed[1]
    assert within == 120 - flows.MARGIN  # the go must come while the controller may still confirm
    assert done["live"]["bond0"]["mode"] == "802.3ad"  # the detached change ran and proved itself


@pytest.fixture
def tx(monkeypatch):
    """transaction's host side in a dict: what the confirmation sees and does."""
    state = dict(known=True, started=False, result=None, fired=[], confirmed=[])
    monkeypatch.setattr(transaction, "known", lambda tid: state["known"])
    monkeypatch.setattr(transaction, "rollback_started", lambda tid: state["started"])
    monkeypatch.setattr(transaction, "wait_rolled_back", lambda tid: True)
    # result() reads, never waits: a confirmation whose session may predate the change's cut is not kept
    monkeypatch.setattr(transaction, "result", lambda tid: state["result"])
    monkeypatch.setattr(transaction, "fire", lambda tid, run: state["fired"].append(tid))
    monkeypatch.setattr(transaction, "confirm", lambda tid, run: state["confirmed"].append(tid))
    monkeypatch.setattr(probes, "run", lambda links, host, expect: state["probed"])
    state["probed"] = [probes.Check("lacp", "bond0", "partner, every port aggregated", None, True, "partner x")]
    return state


def confirm(ctx, **kernel):
    ctx.host.links.update(kernel)
    ctx.params["transaction"] = "t1"
    return flows.run(ctx)


def healthy():
    return bond_state(build_links("bond_lacp", [dict(LINK)])[0])


def test_a_healthy_change_is_confirmed(ctx, tx):
    tx["result"] = dict(changed=True, files=["x"])
    result = confirm(ctx, bond0=healthy())
    assert result == dict(changed=True, files=["x"], transaction="t1", confirmed=True, probes=[dict(
        probe="lacp", link="bond0", what="partner, every port aggregated", passed=True, saw="partner x")])
    assert tx["confirmed"] == ["t1"] and tx["fired"] == []


def test_a_failing_probe_rolls_back_at_once_naming_the_probe_and_what_it_saw(ctx, tx):
    tx["result"] = dict(changed=True, files=["x"])
    tx["probed"].append(probes.Check("gateway", "bond0", "203.0.113.1 on bond0.200", None, False, "no answer: FAILED"))
    result = confirm(ctx, bond0=healthy())
    assert result["failed"] and result["rolled_back"] and tx["fired"] == ["t1"] and tx["confirmed"] == []
    assert result["msg"] == ("bond_lacp_links: bond0: probe gateway (203.0.113.1 on bond0.200) failed: no answer: "
                             "FAILED; rolled back to the previous configuration")
    assert [p["passed"] for p in result["probes"]] == [True, False]  # every probe's reading is reported


def test_probes_run_only_on_a_link_the_kernel_holds_as_configured(ctx, tx):
    tx["result"] = dict(changed=True)
    tx["probed"] = None  # would fail the test if the flow used it
    result = confirm(ctx, bond0=None)
    assert result["failed"] and "the link is not healthy" in result["msg"] and result["probes"] == []


def test_a_change_still_being_applied_is_not_confirmed_by_a_session_that_may_predate_it(ctx, tx):
    result = confirm(ctx, bond0=healthy())
    assert result["pending"] and not result.get("failed") and "still being applied" in result["msg"]
    assert tx["confirmed"] == [] and tx["fired"] == []


@pytest.mark.parametrize("outcome, kernel, message", [
    (dict(failed=True, msg="ifup bond0 failed (rc=1): no", files=["x"]), healthy(),
     "ifup bond0 failed (rc=1): no; rolled back to the previous configuration"),
    (dict(changed=True), None, "bond_lacp_links: the link is not healthy: bond0: bond0 does not exist; rolled back"),
])
def test_an_unhealthy_or_failed_change_is_rolled_back_now(ctx, tx, outcome, kernel, message):
    tx["result"] = outcome
    result = confirm(ctx, bond0=kernel)
    assert result["failed"] and result["rolled_back"] and result["msg"].startswith(message)
    assert tx["fired"] == ["t1"] and tx["confirmed"] == []
    if outcome and "files" in outcome:
        assert result["files"] == ["x"]  # what the change did is still reported


def test_a_rollback_the_host_started_itself_is_reported_not_repeated(ctx, tx):
    tx["started"] = True
    result = confirm(ctx, bond0=healthy())
    assert result["failed"] and result["rolled_back"]
    assert "restored its previous configuration by itself" in result["msg"]
    assert tx["fired"] == [] and tx["confirmed"] == []


def test_the_connection_interface_is_read_from_the_session(ctx):
    ctx.host.run = lambda cmd: (0, '[{"ifname": "eth0", "addr_info": [{"local": "192.0.2.10"}]}]', "")
    assert flows.connection_interface(ctx.host, {"SSH_CONNECTION": "192.0.2.1 5 192.0.2.10 22"}) == "eth0"
    assert flows.connection_interface(ctx.host, {}) is None


BRIDGE = dict(name="br0", ports=["eth0", "eth1"])


@pytest.mark.parametrize("change, roots, match", [
    (dict(backend="networkd", links=[dict(LINK, lacp_active="on")]), {},
     r"bond_lacp_links\[bond0\]: lacp_active cannot be set on networkd"),
    (dict(backend="openvswitch"), {}, "bond_lacp_backend: 'openvswitch' is not a network stack"),
    (dict(confirm_timeout=10), {}, "bond_lacp_confirm_timeout: 10 s is too short .* use at least 30, or 0"),
    (dict(confirm_timeout="29"), {}, "bond_lacp_confirm_timeout: 29 s is too short"),
    (dict(confirm_timeout=-5), {}, "bond_lacp_confirm_timeout: -5 must be a whole number of seconds"),
    (dict(confirm_timeout="soon"), {}, "bond_lacp_confirm_timeout: 'soon' must be a whole number"),
    (dict(method="bridge_stp", links=[dict(BRIDGE, priority=4096)]), {"sw2": (4096, "cisco_ios_stp_secondary_priority")},
     r"bridge_stp_links\[br0\]: priority 4096 ties switch sw2's STP priority 4096 \(cisco_ios_stp_secondary_priority\)"),
    (dict(method="bridge_stp", links=[dict(BRIDGE, priority=0)]), {"sw1": (4096, "cisco_ios_stp_priority")},
     "priority 0 beats switch sw1's STP priority 4096"),
    (dict(confirm_timeout=30), {}, r"bond_lacp_confirm_timeout: 30 s leaves bond_lacp_links\[bond0\]'s probes no "
                                   r"room for their wait of 20 s .* use at least 50, or a shorter probes.wait"),
    (dict(confirm_timeout=60, links=[dict(LINK, probes=dict(wait=40))]), {}, "use at least 70"),
    (dict(links=[dict(LINK, probes=dict(lldp=True))]), {},
     r"bond_lacp_links\[bond0\]: probes.lldp: no uplink of this server names eth0, eth1, so nothing says which "
     r"switch port to expect"),
])
def test_the_controller_refuses_before_connecting(change, roots, match):
    with pytest.raises(RedundantError, match=match):
        flows.check_request(params(**change), roots)


def test_an_lldp_probe_needs_only_the_uplinks_of_its_ports():
    uplinks = {nic: dict(names=["sw1"], port="GigabitEthernet1/0/%d" % i) for i, nic in enumerate(("eth0", "eth1"))}
    change = dict(links=[dict(LINK, probes=dict(lldp=True))], confirm_timeout=65)  # wait 35 with lldp
    assert flows.check_request(params(**change), {}, dict(uplinks=uplinks))
    with pytest.raises(RedundantError, match="use at least 65"):
        flows.check_request(params(**{**change, "confirm_timeout": 64}), {}, dict(uplinks=uplinks))


@pytest.mark.parametrize("change", [
    dict(backend="networkd"), dict(confirm_timeout=50), dict(confirm_timeout="0"), dict(confirm_timeout=10, live=False),
    dict(confirm_timeout=30, links=[dict(LINK, probes=dict(lacp=False))]),  # nothing to probe: no wait to leave room for
    dict(method="bridge_stp", links=[dict(BRIDGE)]), dict(backend="nm", links=[dict(LINK, lacp_active="on")]),
])
def test_what_the_controller_lets_through(change):
    roots = {"sw1": (0, "cisco_ios_stp_priority"), "sw2": (4096, "cisco_ios_stp_secondary_priority")}
    assert flows.check_request(params(**change), roots)  # the default priority 61440 never ties a switch


def test_one_link_has_one_owner(ctx):
    other = build_links("bond_active_backup", [dict(LINK)])[0]
    ctx.host.files.update(engine.BACKENDS["ifupdown"].render(other))
    with pytest.raises(engine.HostError, match=r"bond_lacp_links\[bond0\]: bond0 already belongs to "
                                               r"bond_active_backup \(/etc/network/interfaces.d/bond0\)"):
        flows.run(ctx)


def test_a_transaction_the_host_no_longer_holds_is_reported_untouched(ctx, tx):
    tx["known"] = False
    result = confirm(ctx, bond0=healthy())
    assert result["failed"] and not result["changed"] and not tx["fired"] and not tx["confirmed"]
    assert result["msg"].startswith("bond_lacp_links: transaction t1 is not on this host: it was confirmed by an "
                                    "earlier attempt whose answer was lost, or the change never started")


# --- RSTP: mstpd must be there, outside a container, and take exactly the rstp bridges -------
def bridges(protocol, name="br0"):
    return build_links("bridge_stp", [dict(name=name, ports=["eth0", "eth1"], protocol=protocol)])


def has(*names):
    return lambda name: "/usr/sbin/" + name if name in names else None


@pytest.mark.parametrize("text, taken", [
    (None, None),
    ("#MSTP_BRIDGES='br0'\n", None),
    ("MSTP_BRIDGES=''\n", None),
    ("MSTP_BRIDGES='br0 br1'\n", ["br0", "br1"]),
    ('MSTP_BRIDGES="vmbr0"\nMSTP_BRIDGES="br0"  # ours\n', ["br0"]),
])
def test_mstp_bridges_reads_the_last_assignment(text, taken):
    assert flows.mstp_bridges(text) == taken


def test_rstp_on_a_host_with_mstpd_and_stp_without_it_pass():
    flows.ensure_mstpd(FakeHost(), has("mstpd", "mstpctl"), bridges("rstp"), "v")
    flows.ensure_mstpd(FakeHost(), has(), bridges("stp"), "v")
    flows.ensure_mstpd(FakeHost(files={flows.STP_CONF: "MSTP_BRIDGES='br1'\n"}), has("mstpd", "mstpctl"),
                       bridges("stp"), "v")


@pytest.mark.parametrize("protocol, files, which, message", [
    ("rstp", {}, has(), "v[br0]: protocol rstp needs mstpd (user-space RSTP), which this host lacks"),
    ("rstp", {"/run/.containerenv": ""}, has("mstpd", "mstpctl"),
     "v[br0]: protocol rstp cannot work in a container: Linux hands a bridge's STP to mstpd only in the "
     "initial network namespace"),
    ("rstp", {"/proc/1/environ": "container=podman\0PATH=/bin\0"}, has("mstpd", "mstpctl"), "in a container"),
    ("rstp", {flows.STP_CONF: "MSTP_BRIDGES='br1'\n"}, has("mstpd", "mstpctl"),
     "v[br0]: /etc/bridge-stp.conf lists MSTP_BRIDGES=br1 without br0, so mstpd would leave it to the "
     "kernel's 802.1D; add br0 there"),
    ("stp", {}, has("mstpd", "mstpctl"),
     "v[br0]: protocol stp, but this host has mstpd, which takes br0 from the kernel and runs RSTP "
     "(/etc/bridge-stp.conf gives it every bridge); set protocol rstp"),
])
def test_rstp_that_cannot_run_is_refused_before_any_change(protocol, files, which, message):
    with pytest.raises(engine.HostError) as raised:
        flows.ensure_mstpd(FakeHost(files=files), which, bridges(protocol), "v")
    assert message in str(raised.value)
