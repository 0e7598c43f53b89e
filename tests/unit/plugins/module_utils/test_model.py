"""The link model: built from role input, or refused with the variable and the rule named."""

from __future__ import annotations

import json

import pytest

from ansible_collections.redundant.interfaces.plugins.module_utils.model import Probes, LinkError, build_links
from tests.unit.plugins.module_utils.cases import CASES

PORTS = ["eth0", "eth1"]


def one(method, **raw):
    raw.setdefault("name", "bond0" if method != "bridge_stp" else "br0")
    raw.setdefault("ports", PORTS)
    return build_links(method, [raw])[0]


def refused(method, match, **raw):
    with pytest.raises(LinkError) as err:
        one(method, **raw)
    assert match in str(err.value), str(err.value)
    return str(err.value)


@pytest.mark.parametrize("case", sorted(CASES))
def test_plain_data_for_module_results(case):
    method, raw = CASES[case]
    link = build_links(method, [raw])[0]
    plain = json.loads(json.dumps(link.as_dict()))
    assert plain["name"] == link.name and plain["ports"] == list(link.ports)
    assert plain["options"] == link.options and plain["ipv4"]["addresses"] == list(link.ipv4.addresses)


def test_defaults_per_mode():
    assert one("bond_lacp").options == {"miimon": 100, "lacp_rate": "fast"}
    assert one("bond_alb").options == {"miimon": 100}
    assert one("bond_active_backup").options == {"miimon": 100}
    assert one("bridge_stp").options == {"stp": True, "protocol": "stp", "priority": 61440}


def test_arp_monitoring_replaces_the_miimon_default():
    link = one("bond_active_backup", arp_interval=500, arp_ip_target=["192.0.2.1"])
    assert "miimon" not in link.options
    assert link.options["arp_ip_target"] == ["192.0.2.1"]


def test_message_names_role_variable_link_and_rule():
    msg = refused("bond_alb", "bond_alb_links[bond0]: arp_interval is not supported in balance-alb mode; use miimon",
                  arp_interval=500, arp_ip_target=["192.0.2.1"])
    assert msg.startswith("bond_alb_links[bond0]")


@pytest.mark.parametrize("method, raw, match", [
    ("bond_lacp", dict(foo=1), "unknown option foo"),
    ("bond_lacp", dict(stp=True), "unknown option stp"),
    ("bridge_stp", dict(miimon=100), "unknown option miimon"),
    ("bond_lacp", dict(primary="eth0"), "primary is not supported in 802.3ad mode (only in active-backup"),
    ("bond_active_backup", dict(lacp_rate="fast"), "lacp_rate is not supported in active-backup mode"),
    ("bond_active_backup", dict(xmit_hash_policy="layer2"), "xmit_hash_policy is not supported in active-backup"),
    ("bond_lacp", dict(arp_interval=100, arp_ip_target=["192.0.2.1"]), "not supported in 802.3ad mode; use miimon"),
    ("bond_alb", dict(fail_over_mac="active"), "fail_over_mac is not supported in balance-alb"),
    ("bond_lacp", dict(miimon=-1), "miimon must be between 0 and 2147483647 ms, got -1"),
    ("bond_lacp", dict(miimon="fast"), "miimon must be a whole number"),
    ("bond_lacp", dict(miimon=True), "miimon must be a whole number"),
    ("bond_lacp", dict(lacp_rate="medium"), "lacp_rate must be one of slow, fast"),
    ("bond_lacp", dict(ad_actor_sys_prio=0), "ad_actor_sys_prio must be between 1 and 65535"),
    ("bond_lacp", dict(miimon=0), "no link monitoring: set miimon"),
    ("bond_lacp", dict(min_links=3), "min_links (3) is more than the 2 ports"),
    ("bond_active_backup", dict(updelay=150), "updelay (150) must be a multiple of miimon (100)"),
    ("bond_active_backup", dict(miimon=0, updelay=100, arp_interval=100, arp_ip_target=["192.0.2.1"]),
     "updelay needs miimon"),
    ("bond_active_backup", dict(arp_interval=100), "arp_interval needs arp_ip_target"),
    ("bond_active_backup", dict(arp_ip_target=["192.0.2.1"]), "arp_ip_target needs arp_interval"),
    ("bond_active_backup", dict(miimon=100, arp_interval=100, arp_ip_target=["192.0.2.1"]),
     "miimon and arp_interval cannot be used together"),
    ("bond_active_backup", dict(arp_interval=100, arp_ip_target=["192.0.2.%d" % i for i in range(1, 18)]),
     "arp_ip_target takes at most 16 addresses, got 17"),
    ("bond_active_backup", dict(arp_interval=100, arp_ip_target=["2001:db8::1"]), "must be an IPv4 address"),
    ("bond_active_backup", dict(arp_interval=100, arp_ip_target=["192.0.2.300"]), "not a valid IP address"),
    ("bond_active_backup", dict(arp_interval=100, arp_ip_target=["192.0.2.1", "192.0.2.1"]),
     "arp_ip_target 192.0.2.1 is listed twice"),
    ("bond_active_backup", dict(arp_validate="all"), "arp_validate needs arp_interval"),
    ("bond_active_backup", dict(primary="eth9"), "primary eth9 is not one of the ports"),
    ("bond_active_backup", dict(primary_reselect="better"), "primary_reselect needs primary"),
    ("bridge_stp", dict(stp=False), "stp must be on for a bridge over 2 uplinks"),
    ("bridge_stp", dict(priority=1000), "priority must be a multiple of 4096, got 1000"),
    ("bridge_stp", dict(priority=65536), "priority must be between 0 and 61440"),
    ("bridge_stp", dict(forward_delay=1), "forward_delay must be between 2 and 30 s"),
    ("bridge_stp", dict(hello_time=11), "hello_time must be between 1 and 10 s"),
    ("bridge_stp", dict(max_age=41), "max_age must be between 6 and 40 s"),
    ("bridge_stp", dict(forward_delay=4, max_age=20), "break 802.1D's rule"),
    ("bridge_stp", dict(port_options=dict(eth0=dict(path_cost=0))), "path_cost must be between 1 and 65535"),
    ("bridge_stp", dict(port_options=dict(eth0=dict(port_priority=64))), "port_priority must be between 0 and 63"),
    ("bridge_stp", dict(port_options=dict(eth0=dict(cost=5))), "port_options.eth0: unknown option cost"),
    ("bridge_stp", dict(port_options=dict(eth7=dict(path_cost=5))), "port_options names eth7"),
    ("bond_lacp", dict(port_options=dict(eth0=dict(path_cost=5))), "port_options only applies to bridges"),
    ("bond_lacp", dict(ports=["eth0"]), "ports lists 1 interface(s); a redundant link needs at least two"),
    ("bond_lacp", dict(ports=[]), "ports lists 0 interface(s)"),
    ("bond_lacp", dict(ports=["eth0", "eth0"]), "port eth0 is listed twice"),
    ("bond_lacp", dict(ports=["eth0", "eth1;reboot"]), "port 'eth1;reboot' may only contain"),
    ("bond_lacp", dict(ports=["eth0", "a" * 16]), "Linux allows at most 15"),
    ("bond_lacp", dict(name="bond/0"), "name 'bond/0' may only contain"),
    ("bond_lacp", dict(name="eth0"), "cannot list itself (eth0) as a port"),
    ("bond_lacp", dict(state="gone"), "state must be present or absent"),
    ("bond_lacp", dict(ipv4=dict(addresses=["192.0.2.10"])), "needs a prefix length"),
    ("bond_lacp", dict(ipv4=dict(addresses=["192.0.2.10/33"])), "not a valid IPv4 address/prefix"),
    ("bond_lacp", dict(ipv4=dict(addresses=["2001:db8::1/64"])), "is not an IPv4 address"),
    ("bond_lacp", dict(ipv4=dict(addresses=["192.0.2.0/24"])), "network or broadcast address"),
    ("bond_lacp", dict(ipv4=dict(addresses=["127.0.0.5/8"])), "is not a unicast host address"),
    ("bond_lacp", dict(ipv6=dict(addresses=["ff02::1/64"])), "is not a unicast host address"),
    ("bond_lacp", dict(dns=["0.0.0.0"]), "is not a unicast host address"),
    ("bond_active_backup", dict(arp_interval=100, arp_ip_target=["224.0.0.1"]), "is not a unicast host address"),
    ("bond_lacp", dict(ipv4=dict(addresses=["192.0.2.10/24"], gateway="198.51.100.1")), "not in any of the link's"),
    ("bond_lacp", dict(ipv4=dict(method="static")), "method static needs addresses"),
    ("bond_lacp", dict(ipv4=dict(method="dhcp", addresses=["192.0.2.10/24"])), "only used with method static"),
    ("bond_lacp", dict(ipv4=dict(method="auto")), "ipv4.method must be one of none, static, dhcp"),
    ("bond_lacp", dict(ipv4=dict(address="192.0.2.1/24")), "unknown key address"),
    ("bond_lacp", dict(ipv6=dict(addresses=["2001:db8::1/64"], gateway="192.0.2.1")), "must be an IPv6 address"),
    ("bond_lacp", dict(dns=["not-an-ip"]), "dns 'not-an-ip' is not a valid IP address"),
    ("bond_lacp", dict(dns_search=["bad domain"]), "is not a domain name"),
    ("bond_lacp", dict(mtu=67), "mtu must be a whole number from 68 to 65535"),
    ("bond_lacp", dict(mtu=1000, ipv6=dict(method="auto")), "below 1280, the minimum for IPv6"),
    ("bond_lacp", dict(vlans=[dict(id=4095)]), "id must be a VLAN id from 1 to 4094"),
    ("bond_lacp", dict(vlans=[dict(id=10), dict(id=10)]), "VLAN id 10 is listed twice"),
    ("bond_lacp", dict(mtu=1500, vlans=[dict(id=10, mtu=9000)]), "larger than the link's mtu"),
    ("bond_lacp", dict(vlans=[dict(id=10, tag=1)]), "unknown key tag"),
    # wrong types get a message about the type, never a character-by-character reading
    ("bond_lacp", dict(ports="eth0 eth1"), "ports must be a list of interface names, got str 'eth0 eth1'"),
    ("bond_lacp", dict(ports={"eth0": 1}), "ports must be a list of interface names, got dict"),
    ("bond_lacp", dict(ipv4=dict(addresses="192.0.2.1/24")), "ipv4: addresses must be a list of address/prefix"),
    ("bond_lacp", dict(dns="192.0.2.53"), "dns must be a list of addresses, got str"),
    ("bond_lacp", dict(dns_search="example.com"), "dns_search must be a list of domains, got str"),
    ("bond_lacp", dict(vlans=dict(id=10)), "vlans must be a list of mappings, got dict"),
    # names the kernel keeps, and control characters, in any name
    ("bond_lacp", dict(ports=["eth0", "lo"]), "port 'lo' is the loopback device"),
    ("bond_lacp", dict(name="all"), "name 'all' is reserved"),
    ("bond_lacp", dict(name="bond0\n"), "may only contain"),
    ("bond_lacp", dict(dns_search=["example.com\nnameserver 203.0.113.1"]), "is not a domain name"),
    ("bond_lacp", dict(dns_search=["exämple.com"]), "is not a domain name"),
    # probes
    ("bond_lacp", dict(probes="gateway"), "probes must be a mapping (gateway, targets, lacp, root, lldp, wait), got str"),
    ("bond_lacp", dict(probes=dict(arp=True)), "probes: unknown key arp (takes gateway, targets, lacp, root"),
    ("bond_lacp", dict(probes=dict(gateway="yes")), "probes.gateway must be true or false, got 'yes'"),
    ("bond_alb", dict(probes=dict(lacp=True)), "probes.lacp: only an 802.3ad bond (bond_lacp) has an LACP "
                                               "partner; this link is a bond in mode balance-alb"),
    ("bond_active_backup", dict(probes=dict(root=True)), "probes.root: only a bridge takes part in STP"),
    ("bond_lacp", dict(probes=dict(wait=0)), "probes.wait must be between 1 and 300 s, got 0"),
    ("bond_lacp", dict(probes=dict(wait=True)), "probes.wait must be a whole number"),
    ("bond_lacp", dict(probes=dict(targets=["192.0.2.7"])), "probes.targets: 192.0.2.7: the link and its VLANs have "
                                                            "no IPv4 address to ask from"),
    ("bond_lacp", dict(ipv4=dict(addresses=["198.51.100.10/24"]), probes=dict(targets=["192.0.2.7"])),
     "probes.targets: 192.0.2.7 is not on any of the link's IPv4 networks (198.51.100.10/24)"),
    ("bond_lacp", dict(ipv4=dict(addresses=["198.51.100.10/24"]), probes=dict(targets=["198.51.100.7"] * 2)),
     "probes target 198.51.100.7 is listed twice"),
    ("bond_lacp", dict(ipv4=dict(method="dhcp"), probes=dict(targets=["not-an-address"])),
     "probes.targets 'not-an-address' is not a valid IP address"),
])
def test_bad_input_is_refused_with_the_rule(method, raw, match):
    refused(method, match, **raw)


def test_probes_default_per_method_and_take_targets_on_any_network_of_the_link():
    def probes(method, **raw):
        return build_links(method, [dict(name="l0", ports=["eth0", "eth1"], **raw)])[0].probes
    assert probes("bond_lacp") == Probes(gateway=True, lacp=True, wait=20)
    assert probes("bond_alb") == Probes(gateway=True, lacp=False, wait=20)
    assert probes("bond_lacp", probes=dict(lldp=True)).wait == 35  # a switch sends LLDP every 30 s
    found = probes("bond_lacp", ipv4=dict(method="dhcp"), vlans=[dict(id=10, ipv6=dict(addresses=["2001:db8::2/64"]))],
                   probes=dict(targets=["192.0.2.7", "2001:db8::1"], lacp=False, wait=5))
    assert found == Probes(gateway=True, targets=("192.0.2.7", "2001:db8::1"), lacp=False, wait=5)


def test_port_in_two_links():
    with pytest.raises(LinkError, match=r"bond_lacp_links: port eth1 is in two links, bond0 and bond1"):
        build_links("bond_lacp", [dict(name="bond0", ports=["eth0", "eth1"]),
                                  dict(name="bond1", ports=["eth1", "eth2"])])


def test_link_name_used_twice():
    with pytest.raises(LinkError, match="interface name bond0 is used twice"):
        build_links("bond_lacp", [dict(name="bond0", ports=["eth0", "eth1"]),
                                  dict(name="bond0", ports=["eth2", "eth3"])])


def test_not_a_list_or_unknown_method():
    with pytest.raises(LinkError, match="must be a list"):
        build_links("bond_lacp", {"name": "bond0"})
    with pytest.raises(LinkError, match="method must be one of"):
        build_links("bond_rr", [])
    with pytest.raises(LinkError, match=r"bond_lacp_links\[0\]: each link must be a mapping"):
        build_links("bond_lacp", ["bond0"])


def test_numbers_given_as_strings_are_accepted():
    assert one("bond_lacp", miimon="200").options["miimon"] == 200


def test_addresses_are_normalized():
    link = one("bond_lacp", ipv6=dict(addresses=["2001:DB8:0::10/64"]))
    assert link.ipv6.addresses == ("2001:db8::10/64",)
    assert link.ipv6.method == "static"


def test_rstp_takes_only_the_port_priorities_8021w_has():
    raw = dict(name="br0", ports=["eth0", "eth1"], protocol="rstp", port_options={"eth0": {"port_priority": 33}})
    with pytest.raises(LinkError, match=r"port_options.eth0: port_priority 33 is not a multiple of 4; with "
                                        r"protocol rstp"):
        build_links("bridge_stp", [raw])
    with pytest.raises(LinkError, match="protocol must be one of stp, rstp, got 'mstp'"):
        build_links("bridge_stp", [dict(raw, protocol="mstp", port_options=None)])
    assert build_links("bridge_stp", [dict(raw, port_options={"eth0": {"port_priority": 32}})])[0].rstp


def test_an_active_backup_bond_with_a_gateway_watches_it_by_arp_unless_told_otherwise():
    gateway = dict(ipv4=dict(addresses=["192.0.2.10/24"], gateway="192.0.2.1"))
    assert one("bond_active_backup", **gateway).options == dict(arp_interval=200, arp_ip_target=["192.0.2.1"])
    # any monitor option named keeps what was named (MII with its delays, or the user's own ARP)
    assert one("bond_active_backup", updelay=200, **gateway).options == dict(miimon=100, updelay=200)
    assert one("bond_active_backup", miimon=50, **gateway).options == dict(miimon=50)
    assert one("bond_active_backup", arp_interval=1000, arp_ip_target=["192.0.2.9"], **gateway).options == dict(
        arp_interval=1000, arp_ip_target=["192.0.2.9"])
    assert one("bond_alb", **gateway).options["miimon"] == 100  # balance-alb has no ARP monitor
    vlan = dict(vlans=[dict(id=10, ipv4=dict(addresses=["192.0.2.10/24"], gateway="192.0.2.1"))])
    assert one("bond_active_backup", **vlan).options == dict(miimon=100)  # the bond itself has no gateway
