"""Engine: plan, host checks, apply order and verification, on a fake host."""

from __future__ import annotations

import pytest

from ansible_collections.redundant.interfaces.plugins.module_utils import engine
from ansible_collections.redundant.interfaces.plugins.module_utils.backends import common, ifupdown
from ansible_collections.redundant.interfaces.plugins.module_utils.model import build_links
from tests.unit.plugins.module_utils.fakes import FakeHost, RecordingHost, bond_state, nic

IFUPDOWN = engine.BACKENDS["ifupdown"]
MAIN = "source /etc/network/interfaces.d/*\n\nallow-hotplug eth0\niface eth0 inet dhcp\n"


def actions(plan, backend, h):
    """The plan's live steps as check mode shows them."""
    return [str(step) for step in engine.steps(plan, backend, h)]


def readable(drifts):
    """{link: [Drift]} in its readable form."""
    return {name: [str(d) for d in found] for name, found in drifts.items()}


LINK = dict(name="bond0", ports=["eth0", "eth1"])


def links(**extra):
    return build_links("bond_lacp", [dict(LINK, **extra)])


def host(**kw):
    kw.setdefault("files", {ifupdown.INTERFACES: MAIN})
    kw.setdefault("links", {"eth0": nic("eth0"), "eth1": nic("eth1")})
    return FakeHost(**kw)


def test_first_run_plans_files_and_live_steps_in_order():
    h = host(up={"eth0"})
    plan = engine.plan(links(), IFUPDOWN, h, live_apply=True)
    assert sorted(plan.files) == sorted([ifupdown.INTERFACES, ifupdown.HOOK, "/etc/network/interfaces.d/bond0"])
    assert readable(plan.drift) == {"bond0": ["bond0 does not exist"]}
    assert actions(plan, IFUPDOWN, h) == [
        "ifdown --force eth0",
        "ip addr flush dev eth0",  # check mode shows every step apply() runs
        "ip addr flush dev eth1",
        "write %s" % ifupdown.HOOK,
        "write %s" % ifupdown.INTERFACES,
        "write /etc/network/interfaces.d/bond0",
        "ifup bond0",
    ]


def test_apply_takes_ports_down_before_writing_and_brings_the_bond_up_after():
    h = host(up={"eth0"})
    desired = links()
    engine.apply(engine.plan(desired, IFUPDOWN, h, True), IFUPDOWN, h, h.write)
    done = [c for c in h.commands if c[0] != "ifquery"]
    assert done == [["ifdown", "--force", "eth0"], ["ip", "addr", "flush", "dev", "eth0"],
                    ["ip", "addr", "flush", "dev", "eth1"], ["ifup", "bond0"]]
    assert "#redundant.interfaces(bond0): iface eth0 inet dhcp" in h.files[ifupdown.INTERFACES]


def test_second_run_with_the_kernel_in_sync_changes_nothing():
    h = host()
    desired = links()
    engine.apply(engine.plan(desired, IFUPDOWN, h, True), IFUPDOWN, h, h.write)
    h.links["bond0"] = bond_state(desired[0])
    again = engine.plan(desired, IFUPDOWN, h, True)
    assert not again.changed
    assert engine.verify(desired, h) == {}


def test_kernel_drift_alone_triggers_a_live_reapply():
    h = host()
    desired = links()
    engine.apply(engine.plan(desired, IFUPDOWN, h, True), IFUPDOWN, h, h.write)
    h.links["bond0"] = dict(bond_state(desired[0]), mode="balance-rr")
    again = engine.plan(desired, IFUPDOWN, h, True)
    assert again.files == {}
    assert readable(again.drift) == {"bond0": ["mode is balance-rr, want 802.3ad"]}
    assert [link.name for link in again.relive] == ["bond0"]


def test_mode_change_recreates_the_bond():
    h = host(up={"bond0"})
    desired = links()
    h.links["bond0"] = dict(bond_state(desired[0]), mode="active-backup")
    engine.apply(engine.plan(desired, IFUPDOWN, h, True), IFUPDOWN, h, h.write)
    done = [c for c in h.commands if c[0] != "ifquery"]
    assert done[0] == ["ifdown", "--force", "bond0"]
    assert ["ip", "link", "del", "dev", "bond0"] in done  # the fake ifdown left it: removed by hand
    assert done[-1] == ["ifup", "bond0"]


def test_persist_only_never_touches_the_kernel():
    h = host(up={"eth0"})
    plan = engine.plan(links(), IFUPDOWN, h, live_apply=False)
    engine.apply(plan, IFUPDOWN, h, h.write)
    assert plan.relive == []
    assert all(c[0] == "ifquery" for c in h.commands)


def test_verify_reports_what_still_differs():
    h = host()
    desired = links()
    h.links["bond0"] = dict(bond_state(desired[0]), ports=["eth0"])
    assert readable(engine.verify(desired, h)) == {"bond0": ["ports are eth0, want eth0 eth1"]}


def test_missing_port_is_refused():
    h = host(links={"eth0": nic("eth0")})
    with pytest.raises(engine.HostError, match=r"bond_lacp_links\[bond0\]: port eth1 does not exist"):
        engine.check_host(links(), IFUPDOWN, h, IFUPDOWN.current(h), var="bond_lacp_links")


def test_port_of_another_managed_link_is_refused():
    other = build_links("bridge_stp", [dict(name="br0", ports=["eth1", "eth2"])])[0]
    h = host(files={ifupdown.INTERFACES: MAIN, "/etc/network/interfaces.d/br0": ifupdown.stanzas(other)})
    with pytest.raises(engine.HostError, match="port eth1 already belongs to br0 .bridge_stp"):
        engine.check_host(links(), IFUPDOWN, h, IFUPDOWN.current(h), var="bond_lacp_links")


def test_port_carrying_the_ansible_connection_is_refused():
    h = host()
    with pytest.raises(engine.HostError, match="port eth0 carries this Ansible connection"):
        engine.check_host(links(), IFUPDOWN, h, IFUPDOWN.current(h), "eth0", "bond_lacp_links")


def test_absent_removes_the_link_and_gives_the_ports_back():
    h = host()
    engine.apply(engine.plan(links(), IFUPDOWN, h, True), IFUPDOWN, h, h.write)
    h.links["bond0"] = bond_state(links()[0])
    h.commands.clear()
    gone = links(state="absent")
    plan = engine.plan(gone, IFUPDOWN, h, True)
    engine.apply(plan, IFUPDOWN, h, h.write)
    assert "/etc/network/interfaces.d/bond0" not in h.files
    assert h.files[ifupdown.INTERFACES] == MAIN
    assert ["ip", "link", "del", "dev", "bond0"] in h.commands
    assert ["ifup", "eth0"] in h.commands  # ifquery eth0 answers 0 in the fake: it has a stanza


def which(name):
    return "/usr/bin/" + name


LOOPBACK = {ifupdown.INTERFACES: "auto lo\niface lo inet loopback\n"}


@pytest.mark.parametrize("files, units, stack", [
    ({ifupdown.INTERFACES: MAIN}, (), "ifupdown"),
    (LOOPBACK, (), "ifupdown"),  # nothing else there: ifupdown it is
    (LOOPBACK, ("NetworkManager",), "nm"),  # Debian with NetworkManager, ifupdown only for lo
    (LOOPBACK, ("systemd-networkd",), "networkd"),
    ({"/etc/netplan/50-cloud-init.yaml": "network: {}\n"}, ("systemd-networkd",), "netplan"),
    ({"/etc/netplan/01-nm.yaml": "network: {}\n"}, ("NetworkManager",), "netplan"),
    ({"/etc/sysconfig/network-scripts/ifcfg-eth0": "DEVICE=eth0\n"}, (), "ifcfg"),
    ({"/etc/sysconfig/network-scripts/ifcfg-eth0": "DEVICE=eth0\n"}, ("NetworkManager",), "nm"),  # ifcfg-rh
])
def test_detect_the_stack(files, units, stack):
    assert engine.detect(engine.signals(FakeHost(files=files, units=units), which)) == stack


@pytest.mark.parametrize("files, units, found", [
    ({}, (), "none of ifcfg, ifupdown, netplan, networkd, nm"),
    (LOOPBACK, ("NetworkManager", "systemd-networkd"), "ifupdown is installed (loopback only); systemd-networkd is "
     "running; NetworkManager is running"),
    ({ifupdown.INTERFACES: MAIN}, ("NetworkManager",), "/etc/network/interfaces configures eth0; NetworkManager"),
    # interfaces.d counts as much as the file that sources it
    (dict(LOOPBACK, **{"/etc/network/interfaces.d/eno1": "auto eno1\niface eno1 inet dhcp\n"}), ("NetworkManager",),
     "/etc/network/interfaces configures eno1; NetworkManager"),
])
def test_ambiguous_or_unknown_hosts_are_refused_saying_what_was_found(files, units, found):
    with pytest.raises(engine.HostError) as error:
        engine.detect(engine.signals(FakeHost(files=files, units=units), which))
    assert "found: %s" % found in str(error.value)
    assert "set the role's backend variable to one of: ifcfg, ifupdown, netplan, networkd, nm" in str(error.value)


def test_options_a_stack_cannot_express_are_refused_before_any_change():
    h = host()
    with pytest.raises(engine.HostError, match=r"bond_lacp_links\[bond0\]: lacp_active cannot be set on networkd "
                                               r"\(the stack has no setting for it\); remove it, or use a stack "
                                               r"that has: ifcfg, ifupdown, nm"):
        engine.check_host(links(lacp_active="off"), engine.BACKENDS["networkd"], h, {}, var="bond_lacp_links")
    assert h.commands == []


def test_a_stack_that_is_not_chosen_lets_go_of_the_links():
    h = host(units=("NetworkManager",))
    seen = engine.signals(h, which)
    others = engine.foreign("networkd", seen)
    assert [o.NAME for o in others] == ["ifupdown", "nm"]
    plan = engine.plan(links(), engine.BACKENDS["networkd"], h, True, others=others)
    conf = plan.files["/etc/NetworkManager/conf.d/90-redundant-interfaces-bond0.conf"][1]
    assert "match-device=interface-name:bond0,interface-name:eth0,interface-name:eth1\nmanaged=0\n" in conf
    assert "#redundant.interfaces(bond0): iface eth0 inet dhcp" in plan.files[ifupdown.INTERFACES][1]
    h.up.add("eth0")
    steps = actions(plan, engine.BACKENDS["networkd"], h)
    assert steps.index("ifdown --force eth0") < steps.index("nmcli general reload conf") < steps.index(
        "networkctl reload")
    running = common.Sign("running")
    assert engine.foreign("netplan", {"netplan": running, "networkd": running, "nm": running}) == []  # its renderers
    assert engine.foreign("nm", {"nm": running, "ifupdown": common.Sign("lo only", weak=True)}) == []


def test_settle_waits_for_a_stack_that_configures_asynchronously():
    h = host()
    desired = links()
    polls = []

    def sleep(seconds):
        polls.append(seconds)
        if len(polls) == 3:  # the daemon gets there on the fourth look
            h.links["bond0"] = bond_state(desired[0])

    assert engine.settle(desired, h, timeout=10, clock=lambda: len(polls), sleep=sleep) == {}
    assert len(polls) == 3
    h.links.pop("bond0")
    assert readable(engine.settle(desired, h, timeout=2, clock=lambda: len(polls), sleep=sleep)) == {
        "bond0": ["bond0 does not exist"]}


def test_networkd_recreates_a_bond_whose_mode_changes_and_leaves_ports_alone_otherwise():
    networkd = engine.BACKENDS["networkd"]
    old = build_links("bond_active_backup", [dict(LINK)])[0]
    h = host(links={"eth0": nic("eth0"), "eth1": nic("eth1"), "bond0": bond_state(old)})
    h.files.update(networkd.render(old))
    steps = actions(engine.plan(links(), networkd, h, True), networkd, h)
    assert steps[0] == "ip link del dev bond0 (if bond0 still exists)"
    assert steps[-2:] == ["networkctl reload", "networkctl reconfigure eth0 eth1"]

    current = links()[0]
    h = host(links={"eth0": nic("eth0"), "eth1": nic("eth1"), "bond0": bond_state(current)})
    h.files.update(networkd.render(current))
    steps = actions(engine.plan(links(ipv4=dict(addresses=["192.0.2.7/24"])), networkd, h, True), networkd, h)
    assert steps == ["write /etc/systemd/network/05-redundant-bond0.network", "networkctl reload"]


QUERIES = ("ifquery", "nmcli -g", "systemctl is-active")


def ran(h):
    """What apply() did, in the words of the plan's steps (queries left out)."""
    out = []
    for c in h.commands:
        if c[0] == "<write>":
            out.append("%s %s" % ("write" if c[1] in h.files else "remove", c[1]))
        elif not " ".join(c).startswith(QUERIES):
            out.append(" ".join(c))
    return out


@pytest.mark.parametrize("stack", sorted(engine.BACKENDS))
@pytest.mark.parametrize("scenario", ["new", "mode change", "removal"])
def test_check_mode_shows_exactly_the_steps_apply_runs(stack, scenario):
    backend = engine.BACKENDS[stack]
    old = build_links("bond_active_backup", [dict(LINK)])[0]
    h = RecordingHost(files={ifupdown.INTERFACES: MAIN} if stack == "ifupdown" else {},
                      links={"eth0": nic("eth0"), "eth1": nic("eth1")}, up={"eth0"})
    if scenario != "new":
        h.links["bond0"] = bond_state(old)
        for path, text in backend.files([old], backend.current(h)).items():
            h.write(path, text)
        h.commands.clear()
    desired = links(state="absent") if scenario == "removal" else links()
    plan = engine.plan(desired, backend, h, True)
    shown = actions(plan, backend, h)
    backend_precheck, backend.precheck = backend.precheck, lambda files, host: None
    try:
        h.commands.clear()
        engine.apply(plan, backend, h, h.write)
    finally:
        backend.precheck = backend_precheck
    done = ran(h)
    # a conditional step runs when its condition holds: shown with it, run without it
    expected = [s.split(" (if ")[0] for s in shown if not s.startswith("check the new files")]
    skipped = [s for s in expected if s not in done]
    assert done == [s for s in expected if s not in skipped]
    assert all(" (if " in shown[[x.split(" (if ")[0] for x in shown].index(s)] for s in skipped), skipped


def test_netplan_checks_the_new_files_before_anything_changes():
    netplan = engine.BACKENDS["netplan"]
    h = RecordingHost(links={"eth0": nic("eth0"), "eth1": nic("eth1")})
    plan = engine.plan(links(), netplan, h, True)
    planned = engine.steps(plan, netplan, h)
    assert str(planned[0]).startswith("check the new files: netplan generate --root-dir")
    saved, netplan.precheck = netplan.precheck, lambda files, host: "netplan generate refused it"
    try:
        with pytest.raises(engine.HostError, match="netplan generate refused it"):
            engine.apply(plan, netplan, h, h.write, planned)
    finally:
        netplan.precheck = saved
    assert h.commands == []  # nothing ran, nothing was written


def test_conditions_are_read_through_the_host():
    ifcfg = engine.BACKENDS["ifcfg"]
    gone = build_links("bond_lacp", [dict(LINK, state="absent")])[0]
    steps = ifcfg.up_ports(gone, FakeHost())
    assert [str(s) for s in steps] == ["ifup eth0 (if /etc/sysconfig/network-scripts/ifcfg-eth0 exists)",
                                       "ifup eth1 (if /etc/sysconfig/network-scripts/ifcfg-eth1 exists)"]
    h = RecordingHost(files={"/etc/sysconfig/network-scripts/ifcfg-eth1": "DEVICE=eth1\n"})
    for step in steps:
        engine.run_step(step, engine.Plan(), ifcfg, h, h.write)
    assert h.commands == [["ifup", "eth1"]]  # a file test through host.read, no shell


def test_an_rstp_bridge_gets_mstpds_files_and_its_script_runs_after_the_stack_brought_it_up():
    h = host()
    rstp = build_links("bridge_stp", [dict(name="br0", ports=["eth0", "eth1"], protocol="rstp")])
    plan = engine.plan(rstp, IFUPDOWN, h, live_apply=True)
    assert {"/etc/redundant-interfaces/rstp/br0", "/etc/systemd/system/redundant-rstp-br0.service",
            "/etc/udev/rules.d/90-redundant-rstp-br0.rules"} <= set(plan.files)
    steps = actions(plan, IFUPDOWN, h)
    assert steps[-3:] == ["systemctl daemon-reload", "ifup br0", "/etc/redundant-interfaces/rstp/br0"]
    engine.apply(plan, IFUPDOWN, h, h.write)
    back = build_links("bridge_stp", [dict(name="br0", ports=["eth0", "eth1"])])  # protocol stp again
    again = engine.plan(back, IFUPDOWN, h, live_apply=False)
    assert {p: new for p, (old, new) in again.files.items() if "rstp" in p} == {
        "/etc/redundant-interfaces/rstp/br0": None, "/etc/systemd/system/redundant-rstp-br0.service": None,
        "/etc/udev/rules.d/90-redundant-rstp-br0.rules": None}


def test_where_a_stack_autoconnects_freed_ports_their_addresses_are_cleared_before_the_link_goes_down():
    # NetworkManager gives a freed port its own profile back at once: a flush after the link's
    # down would take that address away (the management path, in the kernel lab's NM guest)
    nm = engine.BACKENDS["nm"]
    before, dummy = engine.rollback_steps(nm, links())
    assert before.index(["ip", "addr", "flush", "dev", "eth0"]) < before.index(
        ["nmcli", "connection", "down", "redundant-bond0"])
    before, dummy = engine.rollback_steps(IFUPDOWN, links())
    assert before.index(["ip", "addr", "flush", "dev", "eth0"]) > before.index(["ip", "link", "del", "dev", "bond0"])


@pytest.mark.parametrize("files, units, found", [
    # netplan drives networkd and NetworkManager, not ifcfg files: two stacks, the user says which
    ({"/etc/netplan/01.yaml": "network: {}\n", "/etc/sysconfig/network-scripts/ifcfg-eth0": "DEVICE=eth0\n"},
     ("systemd-networkd",), "/etc/sysconfig/network-scripts has ifcfg-eth0; /etc/netplan has 01.yaml"),
])
def test_a_stack_no_other_runs_through_is_a_second_stack(files, units, found):
    with pytest.raises(engine.HostError, match="found: %s; systemd-networkd is running" % found):
        engine.detect(engine.signals(FakeHost(files=files, units=units), which))


def test_detection_is_each_backends_own():
    """The engine asks every registered stack for its sign; a stack it does not know by name counts."""
    class Other(common.Backend):
        NAME = "other"

        def sign(self, host, which, active):
            return common.Sign("other is here")

    seen = {"other": Other().sign(None, which, None)}
    engine.BACKENDS["other"] = Other()
    try:
        assert engine.detect(seen) == "other"
        assert engine.detect(dict(seen, ifupdown=common.Sign("lo only", weak=True))) == "other"
    finally:
        del engine.BACKENDS["other"]
