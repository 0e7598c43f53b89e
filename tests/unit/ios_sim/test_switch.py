"""The IOS simulator: modes, enable, state, IOS-style refusals, and show output
that the ntc-templates parsers (the ones the cisco_ios role verifies with) read."""

from __future__ import annotations

import os

from ntc_templates.parse import parse_output

from tests.ios_sim.switch import INVALID, Session, StaticFabric, Switch


def configure(cli, *lines):
    return [cli.execute(line) for line in ("configure terminal",) + lines + ("end",)]


def parsed(cli, command):
    return parse_output(platform="cisco_ios", command=command, data=cli.execute(command))


def test_prompts_follow_the_mode():
    cli = Session(Switch("sw1", ["Gi1/0/1"]))
    assert cli.prompt() == "sw1#"
    cli.execute("configure terminal")
    assert cli.prompt() == "sw1(config)#"
    cli.execute("interface GigabitEthernet1/0/1")
    assert cli.prompt() == "sw1(config-if)#"
    cli.execute("end")
    assert cli.prompt() == "sw1#"


def test_enable_asks_for_the_secret():
    cli = Session(Switch("sw1"), enable_secret="s3cret")
    assert cli.prompt() == "sw1>"
    assert cli.execute("show privilege") == "Current privilege level is 1\n"
    assert cli.execute("configure terminal") == INVALID
    assert cli.execute("enable") == "Password: " and cli.secret_next
    assert "Bad secrets" in cli.execute("wrong") and cli.prompt() == "sw1>"
    cli.execute("enable")
    assert cli.execute("s3cret") == "" and cli.prompt() == "sw1#"
    assert cli.execute("show privilege") == "Current privilege level is 15\n"


def test_unknown_input_is_refused_like_ios():
    cli = Session(Switch("sw1", ["Gi1/0/1"]))
    assert cli.execute("show foo") == INVALID
    assert configure(cli, "spanning-tree vlan 1 priority 1000")[1] == INVALID
    assert configure(cli, "interface Gi1/0/1", "switchport nonsense")[2] == INVALID
    assert configure(cli, "interface Bogus1")[1] == INVALID


def test_configuration_is_kept_and_shown():
    sw = Switch("sw1", ["Fa0/1", "Fa0/2", "Fa0/23"])
    cli = Session(sw)
    configure(cli, "spanning-tree vlan 1 priority 0", "interface FastEthernet0/23", "spanning-tree cost 100",
              "interface Fa0/1", "channel-protocol lacp", "channel-group 4 mode active",
              "interface Fa0/2", "channel-group 4 mode active")
    running = cli.execute("show running-config")
    assert "spanning-tree vlan 1 priority 0" in running
    assert "interface FastEthernet0/23\n spanning-tree cost 100\n" in running
    assert "interface Port-channel4\n" in running
    section = cli.execute("show running-config | section ^interface")
    assert section.startswith("interface FastEthernet0/1") and "spanning-tree vlan" not in section
    configure(cli, "interface FastEthernet0/23", "no spanning-tree cost")
    assert "spanning-tree cost" not in cli.execute("show running-config | section FastEthernet0/23")


def test_a_second_session_has_its_own_mode_but_the_same_state():
    sw = Switch("sw1", ["Fa0/1"])
    first, second = Session(sw), Session(sw)
    first.execute("configure terminal")
    assert second.prompt() == "sw1#"
    first.execute("spanning-tree vlan 1 priority 4096")
    assert "priority 4096" in second.execute("show running-config | include spanning-tree")


def test_etherchannel_summary_reads_with_the_ntc_template():
    cli = Session(Switch("sw1", ["Fa0/1", "Fa0/2"]))
    configure(cli, "interface Fa0/1", "channel-group 7 mode active", "interface Fa0/2", "channel-group 7 mode active")
    (row,) = parsed(cli, "show etherchannel summary")
    assert row["group"] == "7" and row["bundle_name"] == "Po7" and row["bundle_status"] == "SU"
    assert row["bundle_protocol"] == "LACP"
    assert row["member_interface"] == ["Fa0/1", "Fa0/2"] and row["member_interface_status"] == ["P", "P"]


def test_the_lowest_priority_of_the_fabric_is_root_and_costs_show():
    fabric = StaticFabric()
    ports = ["Fa0/1", "Fa0/23", "Gi1/0/4"]
    sw1, sw2 = Switch("sw1", ports, 1, fabric), Switch("sw2", ports, 2, fabric)
    one, two = Session(sw1), Session(sw2)
    configure(one, "spanning-tree vlan 1 priority 0", "interface Fa0/23", "description stp1 eth0",
              "spanning-tree cost 100")
    configure(two, "spanning-tree vlan 1 priority 4096")
    roots = {cli.switch.hostname: parsed(cli, "show spanning-tree root")[0] for cli in (one, two)}
    assert roots["sw1"]["root_cost"] == "0" and roots["sw1"]["root_port"] == ""
    assert roots["sw2"]["root_id"] == sw1.mac and roots["sw2"]["root_port"] == "Gi1/0/4"
    assert roots["sw1"]["priority"] == "1"
    ports = {row["interface"]: row for row in parsed(one, "show spanning-tree vlan 1")}
    assert ports["Fa0/23"]["cost"] == "100" and ports["Fa0/23"]["status"] == "FWD"
    assert "This bridge is the root" in one.execute("show spanning-tree vlan 1")
    assert "This bridge is the root" not in two.execute("show spanning-tree vlan 1")


def _types(cli):
    return {row.split()[0]: row.split()[5:] for row in cli.execute("show spanning-tree vlan 1").splitlines()
            if row.startswith(("Fa", "Tw"))}


def test_portfast_makes_an_edge_port_as_ios_does_in_each_releases_wording():
    cli = Session(Switch("sw1", ["Fa0/1", "Fa0/2", "Fa0/3"], 1, StaticFabric()))
    assert configure(cli, "interface Fa0/1", "description web1 eth0", "spanning-tree portfast",
                     "interface Fa0/2", "switchport mode trunk", "spanning-tree portfast",
                     "interface Fa0/3", "switchport mode trunk", "spanning-tree portfast trunk")[1:] == [""] * 10
    # portfast without `trunk` has no effect on a trunk (IOS says so when it takes the line)
    assert _types(cli) == {"Fa0/1": ["P2p", "Edge"], "Fa0/2": ["P2p"], "Fa0/3": ["P2p", "Edge"]}
    assert configure(cli, "interface Fa0/1", "spanning-tree portfast edge")[2] == INVALID  # 15.0: no such keyword
    configure(cli, "interface Fa0/1", "no spanning-tree portfast")
    assert _types(cli)["Fa0/1"] == ["P2p"]
    xe = Session(Switch("sw2", ["Tw1/0/1", "Tw1/0/2"], 2, StaticFabric(), style="iosxe"))
    assert configure(xe, "interface Tw1/0/1", "spanning-tree portfast edge", "interface Tw1/0/2",
                     "switchport mode trunk", "spanning-tree portfast edge trunk")[1:] == [""] * 6
    assert " spanning-tree portfast edge trunk" in xe.execute("show running-config")
    assert _types(xe) == {"Tw1/0/1": ["P2p", "Edge"], "Tw1/0/2": ["P2p", "Edge"]}


def test_copy_asks_for_the_destination_then_saves():
    sw = Switch("sw1")
    cli = Session(sw)
    assert cli.execute("copy running-config startup-config") == "Destination filename [startup-config]? "
    assert "[OK]" in cli.execute("")
    assert sw.startup == sw.running_config()


# --- the modes and families real switches have; read with the collection's own readers ---------------
def _keys(tree):
    return sorted(tree), sorted(next(iter(tree["ports"].values())))


def test_mst_mode_reads_like_a_real_mst_switch():
    from ansible_collections.redundant.interfaces.plugins.module_utils import ios_show
    from tests.helpers import FIXTURES
    sw = Switch("sw2", ["TwentyFiveGigE1/0/1", "TwoGigabitEthernet1/0/2", "GigabitEthernet1/0/4"], 2, mode="mst")
    cli = Session(sw)
    assert configure(cli, "spanning-tree mst configuration", "instance 1 vlan 10-20", "exit",
                     "spanning-tree mst 0 priority 4096", "interface Twe1/0/1", "spanning-tree mst 0 cost 50000",
                     "switchport access vlan 1")[1:] == [""] * 8
    assert ios_show.stp_summary(cli.execute("show spanning-tree summary")) == dict(mode="mst", pathcost="long",
                                                                                   portfast_edge=False)
    assert ios_show.mst_configuration(cli.execute("show spanning-tree mst configuration"))[1] == list(range(10, 21))
    (tree,) = ios_show.stp_trees(cli.execute("show spanning-tree mst 0"))
    assert tree["is_root"] and tree["bridge_priority"] == 4096
    assert tree["ports"]["TwentyFiveGigE1/0/1"]["cost"] == 50000
    with open(os.path.join(FIXTURES, "ios", "stp_mst", "mst1_two_gig.txt")) as handle:
        (real,) = ios_show.stp_trees(handle.read())
    assert _keys(tree) == _keys(real)  # the simulator's output reads to the real capture's structure
    assert "spanning-tree mst 0 priority 4096" in cli.execute("show running-config")


def test_an_mst_switch_beside_a_pvst_switch_sees_its_vlan_1_root_as_the_cist_root():
    from ansible_collections.redundant.interfaces.plugins.module_utils import ios_show
    fabric = StaticFabric()
    sw1 = Switch("sw1", ["Fa0/1", "Gi1/0/4"], 1, fabric)
    sw2 = Switch("sw2", ["Tw1/0/1", "Twe1/1/4"], 2, fabric, mode="mst")
    configure(Session(sw1), "spanning-tree vlan 1 priority 0")
    configure(Session(sw2), "spanning-tree mst 0 priority 4096")
    (cist,) = ios_show.stp_trees(Session(sw2).execute("show spanning-tree mst 0"))
    assert (cist["is_root"], cist["root_address"], cist["root_port"]) == (False, sw1.mac, "TwentyFiveGigE1/1/4")
    (vlan1,) = ios_show.stp_trees(Session(sw1).execute("show spanning-tree vlan 1"))
    assert vlan1["is_root"]


def test_rapid_pvst_and_iosxe_flags_and_protocols():
    from ansible_collections.redundant.interfaces.plugins.module_utils import ios_show
    sw = Switch("sw1", ["Tw1/0/1", "Tw1/0/2", "Fi1/0/3", "Fi1/0/4", "Fi1/0/9"], 1, mode="rapid-pvst", style="iosxe")
    cli = Session(sw)
    configure(cli, "interface Tw1/0/1", "channel-group 1 mode active", "interface Tw1/0/2",
              "channel-group 1 mode active", "interface Fi1/0/3", "channel-group 2 mode desirable",
              "interface Fi1/0/4", "channel-group 3 mode on", "interface Fi1/0/9", "switchport access vlan 1")
    text = cli.execute("show etherchannel summary")
    assert "Tw1/0/1(bndl) Tw1/0/2(bndl)" in text
    groups = ios_show.etherchannel(text)
    assert [groups[n]["protocol"] for n in (1, 2, 3)] == ["lacp", "pagp", "none"]
    assert groups[1]["members"] == {"TwoGigabitEthernet1/0/1": "bundled", "TwoGigabitEthernet1/0/2": "bundled"}
    summary = cli.execute("show spanning-tree summary")
    assert "Pathcost method used                    is short" in summary and "Configured" not in summary
    assert ios_show.stp_summary(summary) == dict(mode="rapid-pvst", pathcost="short", portfast_edge=True)
    (tree,) = ios_show.stp_trees(cli.execute("show spanning-tree vlan 1"))
    assert tree["vlan"] == 1 and tree["ports"]["FiveGigabitEthernet1/0/9"]["cost"] == 4
    assert "RU - L3 port-channel UP State" in text  # IOS-XE's legend under the table


def test_the_other_wordings_an_empty_table_and_both_path_cost_lines():
    from ansible_collections.redundant.interfaces.plugins.module_utils import ios_show
    for style, line in (("catalyst", "Configured Pathcost method used is short (Operational value is long)"),
                        ("iosxe", "Pathcost method used                    is long")):
        cli = Session(Switch("sw1", ["Gi1/0/1"], 1, mode="mst", style=style))
        assert line in cli.execute("show spanning-tree summary")
        assert ios_show.stp_summary(cli.execute("show spanning-tree summary")) == dict(
            mode="mst", pathcost="long", portfast_edge=style == "iosxe")  # IOS-XE names `portfast edge` defaults
        text = cli.execute("show etherchannel summary")  # no port-channel: an empty table (legend after it on IOS-XE)
        assert "Number of channel-groups in use: 0" in text and ios_show.etherchannel(text) == {}


class HeardFabric(StaticFabric):
    """A fabric whose ports hear one server on Fa0/1 (LLDP) and a switch on Fa0/2 (CDP)."""

    def neighbors(self, switch):
        server = dict(local="FastEthernet0/1", via="LLDP", system_name="web1", system_descr="Debian GNU/Linux 12",
                      chassis_id="46:c0:b1:d2:83:8a", port_id="3e:96:6b:75:9e:83", port_id_type="mac",
                      port_descr="eth0", mgmt=["192.0.2.2", "fe80::1"], vlan=None, capabilities=["station"])
        return [server, dict(server, local="FastEthernet0/2", via="CDPv2", port_id="eth1", port_descr="eth1")]


def test_neighbour_tables_read_with_the_collections_reader():
    from ansible_collections.redundant.interfaces.plugins.module_utils.ios_show import neighbors_detail

    cli = Session(Switch("sw1", ["Fa0/1", "Fa0/2"], fabric=HeardFabric()))
    lldp, = neighbors_detail(cli.execute("show lldp neighbors detail"), "lldp")
    assert (lldp["local"], lldp["device"], lldp["port_id"], lldp["port_descr"], lldp["mgmt"]) == (
        "FastEthernet0/1", "web1", "3e96.6b75.9e83", "eth0", "192.0.2.2")
    cdp, = neighbors_detail(cli.execute("show cdp neighbors detail"), "cdp")
    assert (cdp["local"], cdp["device"], cdp["port_id"]) == ("FastEthernet0/2", "web1", "eth1")
    empty = Session(Switch("sw2", ["Fa0/1"]))
    assert neighbors_detail(empty.execute("show lldp neighbors detail"), "lldp") == []
    assert "Total entries displayed: 0" in empty.execute("show lldp neighbors detail")


class Timers:
    """The revert timer's clock in the test's hands: what is scheduled, fired when the test says."""

    def __init__(self):
        self.due = []

    def __call__(self, seconds, fn):
        entry = [seconds, fn, True]
        self.due.append(entry)
        return lambda: entry.__setitem__(2, False)

    def fire(self):
        for entry in self.due:
            if entry[2]:
                entry[2] = False
                entry[1]()


def armed_switch():
    timers = Timers()
    switch = Switch("sw1", ["Fa0/1", "Gi1/0/1"], archive="flash:rollback", schedule=timers)
    return switch, Session(switch), timers


def test_a_revert_timer_needs_an_archive_path_and_counts_in_minutes():
    cli = Session(Switch("sw1", ["Fa0/1"]))
    assert "archive path is not configured" in cli.execute("configure terminal revert timer 1")
    assert cli.prompt() == "sw1#" and cli.execute("show archive") == " Archive feature not enabled\n"
    configure(cli, "archive", "path flash:rollback", "maximum 14")
    assert "archive\n path flash:rollback\n" in cli.execute("show running-config")
    switch, cli, timers = armed_switch()
    assert cli.execute("configure terminal revert timer 121") == INVALID
    assert cli.execute("configure terminal revert timer 2").startswith("Enter configuration commands")
    assert cli.prompt() == "sw1(config)#" and timers.due[0][0] == 120  # IOS's minutes
    assert "The next archive file will be named flash:rollback-<timestamp>-1" in cli.execute("end") + cli.execute(
        "show archive")


def test_an_unconfirmed_change_reverts_when_the_timer_expires_and_a_confirmed_one_stays():
    switch, cli, timers = armed_switch()
    before = cli.execute("show running-config")
    cli.execute("configure terminal revert timer 1")
    for line in ("interface FastEthernet0/1", "description web1 eth0", "end"):
        cli.execute(line)
    assert "description web1 eth0" in cli.execute("show running-config")
    timers.fire()
    assert cli.execute("show running-config") == before
    assert cli.execute("configure confirm") == "% No Rollback Confirmed Change pending\n"
    cli.execute("configure terminal revert timer 1")
    configure(cli, "interface FastEthernet0/1", "description web1 eth0")
    assert cli.execute("configure confirm") == ""
    timers.fire()  # cancelled: nothing happens
    assert "description web1 eth0" in cli.execute("show running-config")


def test_configure_revert_now_reverts_at_once():
    switch, cli, timers = armed_switch()
    before = cli.execute("show running-config")
    cli.execute("configure terminal revert timer 5")
    configure(cli, "spanning-tree vlan 1 priority 0")
    assert cli.execute("configure revert now") == "Rollback Done\n"
    assert cli.execute("show running-config") == before and switch.armed is None


def test_the_management_path_runs_in_vlan_1_over_the_uplink():
    switch, cli, timers = armed_switch()  # the uplink is the last port, Gi1/0/1
    assert switch.cut_off() is None
    for lines, why in ((["channel-group 5 mode active"], "GigabitEthernet1/0/1 is a member of channel-group 5"),
                       (["switchport access vlan 20"], "GigabitEthernet1/0/1 is in access VLAN 20"),
                       (["switchport mode trunk", "switchport trunk allowed vlan 10,20"], "a trunk without VLAN 1"),
                       (["shutdown"], "GigabitEthernet1/0/1 is shut down")):
        cli.execute("configure terminal revert timer 1")
        configure(cli, "interface GigabitEthernet1/0/1", *lines)
        assert why in switch.cut_off()
        timers.fire()
        assert switch.cut_off() is None  # the revert gave the path back
    configure(cli, "interface FastEthernet0/1", "channel-group 5 mode active")  # any other port: no matter
    assert switch.cut_off() is None
