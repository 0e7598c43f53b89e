"""A host's variables for a playbook, checked before any task reaches it: each variable against
the contract, then the inventory against itself and the names it points to."""

from __future__ import annotations

import copy

import pytest

from ansible_collections.redundant.interfaces.plugins.module_utils.preflight import Inventory, problems, read_by

UPLINKS = [dict(interface="eth0", switch="sw1", port="Gi1/0/1"), dict(interface="eth1", switch="sw1", port="Gi1/0/2")]
LINKS = [dict(name="bond0", ports=["eth0", "eth1"])]
HOSTS = {
    "web1": dict(switch_managed=True, share_bandwidth=True, uplinks=UPLINKS, redundancy_links=LINKS),
    "stp1": dict(switch_managed=True, bridge_fallback=True, redundancy_links=[dict(name="br0", ports=["eth0", "eth1"])],
                 uplinks=[dict(interface="eth0", switch="sw1", port="Gi1/0/3"),
                          dict(interface="eth1", switch="sw2", port="Gi1/0/3")]),
    "sw1": dict(cisco_ios_stp_root="primary"),
    "sw2": dict(cisco_ios_stp_root="secondary"),
    "localhost": {},
}


def inventory(**changes):
    """The lab-like inventory, with {host: {variable: value}} changes (None deletes)."""
    hosts = copy.deepcopy(HOSTS)
    for host, variables in changes.items():
        for name, value in variables.items():
            if value is None:
                hosts[host].pop(name, None)
            else:
                hosts[host][name] = value
    return Inventory(["web1", "stp1"], ["sw1", "sw2"], list(hosts), hosts)


def found(host, scope, playbook, **changes):
    return problems(host, scope, playbook, inventory(**changes))


def test_the_lab_like_inventory_passes_every_playbook():
    for playbook in ("cabling", "discover", "select", "switches", "site", "verify", "report", "failover_drill"):
        for host, scope in (("web1", "server"), ("stp1", "server"), ("sw1", "switch"), ("localhost", "host")):
            assert found(host, scope, playbook) == [], (playbook, host)


def test_every_bad_variable_of_a_host_is_named_at_once():
    got = found("web1", "server", "cabling", web1=dict(redundancy_lldp_wait="35s", redundancy_cabling_mode="Strict"))
    assert [line.split(":")[0] for line in got] == ["redundancy_cabling_mode", "redundancy_lldp_wait"]


@pytest.mark.parametrize("playbook, changes, message", [
    # the inventory agrees with itself, with or without redundancy_mode set
    ("site", dict(web1=dict(redundancy_links=[dict(name="bond0", ports=["eth0", "eth0"])])),
     "redundancy_links[bond0]: port eth0 is listed twice"),
    ("site", dict(web1=dict(redundancy_mode="bond_lacp", redundancy_links=[dict(name="bond0", ports=["eth0", "eth2"])])),
     "redundancy_links[bond0]: port eth2 has no uplink; add it to uplinks"),
    ("switches", dict(web1=dict(redundancy_links=None)), "redundancy_links: not set, while uplinks are: the switches "
                                                         "would be set up for bond_lacp and the server would build "
                                                         "nothing"),
    ("site", dict(web1=dict(redundancy_mode="bond_alb", uplinks=UPLINKS[:1])), "uplinks: [{'interface': 'eth0'"),
    ("site", dict(web1=dict(bridge_stp_links=[dict(name="br1", ports=["eth1", "eth2"])])),
     "bridge_stp_links[br1]: port eth1 is also in redundancy_links[bond0] (bond_lacp): one NIC, one method"),
    # names that do not resolve
    ("site", dict(web1=dict(uplinks=[UPLINKS[0], dict(UPLINKS[1], switch="sw9")])),
     "uplinks[1].switch: 'sw9' is not a switch of the inventory (it has: sw1, sw2)"),
    # a switch setting whose typo would turn the server-priority check off fails, it never skips the check
    ("site", dict(sw1=dict(cisco_ios_stp_root="Primary")), "sw1's cisco_ios_stp_root: 'Primary' must be one of"),
    ("site", dict(stp1=dict(redundancy_links=[dict(name="br0", ports=["eth0", "eth1"], priority=0)])),
     "redundancy_links[br0]: priority 0 ties switch sw1's STP priority 0"),
    # the role's variables, when site.yml includes the role
    ("site", dict(web1=dict(bond_lacp_confirm_timeout="2h")), "bond_lacp_confirm_timeout: '2h' is not a whole number of seconds"),
    ("site", dict(web1=dict(bond_lacp_confirm_timeout=10)), "bond_lacp_confirm_timeout: 10 s is too short"),
    ("site", dict(web1=dict(bond_lacp_backend="openvswitch")), "bond_lacp_backend: 'openvswitch' must be one of"),
    # a decision that cannot be made
    ("select", dict(web1=dict(share_bandwidth=None)), "select_mode: question 4"),
    ("select", dict(web1=dict(redundancy_mode="bond_lcap")), "redundancy_mode: 'bond_lcap' must be one of "
                                                             "bond_active_backup, bond_alb, bond_lacp, bridge_stp; "
                                                             "did you mean 'bond_lacp'?"),
])
def test_a_server_that_disagrees_with_itself_or_the_inventory_is_refused(playbook, changes, message):
    got = found("web1" if "stp1" not in changes else "stp1", "server", playbook, **changes)
    assert any(line.startswith(message) for line in got), got


def test_uplinks_still_to_be_discovered_leave_the_decision_for_later():
    assert found("web1", "server", "site", web1=dict(uplinks="discover")) == []
    assert found("web1", "server", "site", web1=dict(uplinks=None)) == []


@pytest.mark.parametrize("changes, message", [
    (dict(sw1=dict(cisco_ios_stacked_with=["sw2"])), "cisco_ios_stacked_with: sw1 names sw2, but sw2 does not name "
                                                     "sw1 back"),
    (dict(sw1=dict(cisco_ios_stacked_with=["sw1"])), "cisco_ios_stacked_with: sw1 names itself"),
    (dict(sw1=dict(cisco_ios_stacked_with=["sw9"])), "cisco_ios_stacked_with: sw9 is not a switch of the inventory"),
    (dict(sw1=dict(cisco_ios_servers=["web1", "web9"])), "cisco_ios_servers: web9 is not a host of the inventory"),
    (dict(sw1=dict(cisco_ios_stp_vlans=[])), "cisco_ios_stp_vlans: [] lists no VLAN for the primary root"),
    (dict(sw1=dict(cisco_ios_port_channels={"web9": 3})), "cisco_ios_port_channels: web9 is not a server of the "
                                                          "inventory or of cisco_ios_ports"),
    (dict(sw1=dict(cisco_ios_stp_priority=8192)), "cisco_ios_stp_secondary_priority: 4096 must be above"),
    (dict(sw1=dict(cisco_ios_port_channels={"web1": 0})), "cisco_ios_port_channels.web1: 0 is not a channel-group "
                                                          "number"),
    (dict(sw1=dict(cisco_ios_port_channels={"web1": 49})), "cisco_ios_port_channels.web1: channel-group 49 is out of "
                                                           "range (1-48, cisco_ios_channel_group_max)"),
    (dict(sw1=dict(cisco_ios_ports=[dict(port="Gi1/0/9.10", server="db1", mode="bond_alb")])),
     "cisco_ios_ports[0].port: 'Gi1/0/9.10' is a sub-interface"),
    (dict(sw1=dict(cisco_ios_ports=[dict(port="Gi1/0/9", server="db 1", mode="bond_alb")])),
     "cisco_ios_ports[0].server: 'db 1' may only contain"),
])
def test_a_switch_whose_settings_do_not_resolve_is_refused(changes, message):
    got = found("sw1", "switch", "switches", **changes)
    assert any(line.startswith(message) for line in got), got


def test_a_stack_named_on_both_members_passes():
    assert found("sw1", "switch", "site", sw1=dict(cisco_ios_stacked_with=["sw2"]),
                 sw2=dict(cisco_ios_stacked_with=["sw1"])) == []


def test_the_controller_checks_the_play_and_host_variables():
    assert found("localhost", "host", "site", localhost=dict(site_serial=0))[0].startswith("site_serial: 0 is a batch")
    assert found("localhost", "host", "report", localhost=dict(site_report=""))[0].startswith("site_report: '' is empty")


def test_discovery_writes_a_file_per_server_and_refuses_a_name_that_escapes_the_folder():
    hosts = copy.deepcopy(HOSTS)
    hosts["../etc"] = dict(HOSTS["web1"])
    bad = Inventory(["web1", "../etc"], ["sw1", "sw2"], list(hosts), hosts)
    assert problems("../etc", "server", "discover", bad)[0].startswith("../etc: the inventory name cannot be a file")
    assert problems("../etc", "server", "cabling", bad) == []


def test_each_playbook_reads_its_own_variables_and_those_of_what_it_imports():
    names = {var.name for var in read_by("site", "server")}
    assert {"uplinks", "redundancy_cabling_mode", "site_serial", "site_report"} <= names
    assert "drill_target" not in names and "cisco_ios_stp_root" not in names
    assert {"drill_target", "drill_confirm"} <= {var.name for var in read_by("failover_drill", "server")}
    assert "discover_dest" in {var.name for var in read_by("discover", "server")}
