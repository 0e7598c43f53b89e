"""The derived configuration rendered for the cisco.ios resource modules and the lines they lack:
which trees and ports get which spanning-tree lines, portfast on a bond's ports only, channels the
switch already has whole left out, descriptions safe by construction."""

from __future__ import annotations

from ansible_collections.redundant.interfaces.plugins.module_utils.switch_render import resources
from ansible_collections.redundant.interfaces.plugins.module_utils.switchside import derive, members_on_device
from tests.unit.plugins.module_utils.switches import (
    RPVST, SERVERS, SWITCHES, bridging, lacp_server, numbers, up, with_server,
)


def test_secondary_root_and_no_root():
    secondary = derive("sw2", SERVERS, SWITCHES, settings=dict(stp_root="secondary"))
    assert resources(secondary)["global_lines"] == ["spanning-tree vlan 1 priority 4096"]
    untouched = derive("sw2", SERVERS, SWITCHES, settings=dict(stp_root="none"))
    assert resources(untouched)["global_lines"] == []


# ios_lag_interfaces (cisco.ios 11.6) gathered from a device that lists each Port-channel interface
# after its members: every channel a second time without members (the lab's fleet of 25 servers
# showed it, two LACP servers on one switch: the no-op run sent both channels again)
TWICE = [{"name": "Port-channel12", "members": [{"member": "FastEthernet0/9", "mode": "active"},
                                                {"member": "FastEthernet0/10", "mode": "active"}]},
         {"name": "Port-channel42", "members": [{"member": "FastEthernet0/1", "mode": "active"},
                                                {"member": "FastEthernet0/2", "mode": "active"}]},
         {"name": "Port-channel12", "members": [{}]}, {"name": "Port-channel42", "members": [{}]}]


def test_a_channel_the_switch_has_whole_is_not_sent_again():
    servers = dict(lacp_server("Fa0/9", "Fa0/10", name="db1"), **lacp_server("Fa0/1", "Fa0/2", name="db2"))
    existing = members_on_device(TWICE)
    cfg = derive("sw1", servers, SWITCHES, existing_groups=numbers(TWICE))
    assert {p["channel_group"] for p in cfg["ports"].values()} == {12, 42}  # the device's numbers kept
    assert resources(cfg, existing)["lag_interfaces"] == []
    assert len(resources(cfg)["lag_interfaces"]) == 2  # nothing known of the device: both sent
    # a member missing, or in another mode: that channel is sent, whole; the other is not
    partly = dict(existing, **{"FastEthernet0/10": (12, "passive")})
    del partly["FastEthernet0/2"]
    assert [pc["name"] for pc in resources(cfg, partly)["lag_interfaces"]] == ["Port-channel12", "Port-channel42"]
    assert [pc["name"] for pc in resources(cfg, dict(existing, **{"FastEthernet0/10": (12, "passive")}))[
        "lag_interfaces"]] == ["Port-channel12"]


def test_a_bonds_ports_are_edge_ports_and_a_bridging_servers_never():
    servers = dict(bridging("Twe1/0/1"), **lacp_server("Tw1/0/1", "Tw1/0/2"),
                   web1=dict(method="bond_active_backup", uplinks=[up("eth0", "sw1", "Gi1/0/7")]))

    def lines(settings=None, device=None):
        cfg = derive("sw1", servers, SWITCHES, settings=dict(settings or {}, port_channels={"db1": 4}), device=device)
        return {entry["parents"][0]: entry["lines"] for entry in resources(cfg)["port_lines"]}

    offline = lines()
    assert offline["interface GigabitEthernet1/0/7"] == ["spanning-tree portfast"]
    assert offline["interface Port-channel4"] == ["spanning-tree portfast"]
    assert offline["interface TwoGigabitEthernet1/0/1"] == ["channel-protocol lacp", "lacp rate fast"]  # STP runs on its Port-channel
    assert "interface TwentyFiveGigE1/0/1" not in offline  # a bridging server: never portfast
    assert lines(dict(trunk_vlans=[10, 20]))["interface GigabitEthernet1/0/7"] == ["spanning-tree portfast trunk"]
    # a switch whose summary names "Portfast Edge" defaults takes the `edge` wording
    xe = lines(dict(trunk_vlans=[10]), dict(RPVST, portfast_edge=True))
    assert xe["interface Port-channel4"] == ["spanning-tree portfast edge trunk"]
    assert not [line for entry in lines(dict(portfast=False)).values() for line in entry if "portfast" in line]


def test_the_mode_decides_the_commands():
    servers = dict(bridging("Twe1/0/1"), **lacp_server("Tw1/0/1", "Tw1/0/2"))
    pvst = resources(derive("sw1", servers, SWITCHES))
    assert pvst["global_lines"] == ["spanning-tree vlan 1 priority 0"]
    assert {"name": "TwentyFiveGigE1/0/1", "mode": "access", "access": {"vlan": 1},
            "spanning_tree": {"cost": 100}} in pvst["l2_interfaces"]
    region = dict(mode="mst", pathcost="long", mst={0: list(range(1, 10)) + list(range(21, 4095)),
                                                    1: list(range(10, 21))})
    cfg = derive("sw1", servers, SWITCHES, settings=dict(stp_vlans=[1, 10], access_vlan=10), device=region)
    mst = resources(cfg)
    assert mst["global_lines"] == ["spanning-tree mst 0 priority 0", "spanning-tree mst 1 priority 0"]
    assert dict(parents=["interface TwentyFiveGigE1/0/1"], lines=["spanning-tree mst 1 cost 2000000"]) \
        in mst["port_lines"]
    assert not any("spanning_tree" in entry for entry in mst["l2_interfaces"])  # no PVST cost in MST mode
    assert cfg["stp"]["commands"] == ["show spanning-tree mst 0", "show spanning-tree mst 1"]
    assert dict(parents=["interface TwoGigabitEthernet1/0/1"], lines=["channel-protocol lacp", "lacp rate fast"]) in mst["port_lines"]


def test_descriptions_are_safe_by_construction():
    commands = resources(derive("sw1", with_server("web-1.example"), SWITCHES))
    text = repr(commands)
    assert "web-1.example eth0 (bond_alb)" in text
    assert not any(ord(c) < 32 for c in str(commands))
