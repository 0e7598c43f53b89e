"""Link inputs shared by the renderer tests: one per mode and option set."""

CASES = {
    "bond_active_backup_mii": ("bond_active_backup", dict(
        name="bond0", ports=["eth0", "eth1"], primary="eth0", primary_reselect="better", updelay=200,
        downdelay=200, fail_over_mac="active", num_grat_arp=3, mtu=9000,
        ipv4=dict(addresses=["192.0.2.10/24"], gateway="192.0.2.1"),
        ipv6=dict(addresses=["2001:db8::10/64"], gateway="2001:db8::1"),
        dns=["192.0.2.53", "2001:db8::53"], dns_search=["example.com"])),
    "bond_active_backup_arp": ("bond_active_backup", dict(
        name="bond0", ports=["eth0", "eth1"], arp_interval=500, arp_ip_target=["192.0.2.1", "192.0.2.2"],
        arp_validate="all", arp_all_targets="all", arp_missed_max=3, ipv4=dict(method="dhcp"))),
    "bond_lacp": ("bond_lacp", dict(
        name="bond0", ports=["eth0", "eth1", "eth2"], xmit_hash_policy="layer3+4", ad_select="bandwidth",
        min_links=2, lacp_active="on", ipv4=dict(addresses=["198.51.100.5/24"]),
        vlans=[dict(id=100, ipv4=dict(addresses=["203.0.113.5/24"], gateway="203.0.113.1")),
               dict(id=200, name="storage", ipv6=dict(method="auto"))])),
    "bond_alb": ("bond_alb", dict(name="bond1", ports=["enp1s0", "enp2s0"], lp_interval=2, resend_igmp=2)),
    "bridge_stp": ("bridge_stp", dict(
        name="br0", ports=["eth0", "eth1"], forward_delay=4, hello_time=1, max_age=6,
        port_options=dict(eth0=dict(path_cost=100, port_priority=40), eth1=dict(path_cost=200)),
        ipv4=dict(addresses=["192.0.2.20/24"], gateway="192.0.2.1"))),
    "bridge_stp_defaults": ("bridge_stp", dict(name="br0", ports=["eth0", "eth1"])),
}
