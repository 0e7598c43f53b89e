"""The redundancy report, rendered from link facts read in the kernel lab
(the /proc/net/bonding fixtures) and a bridge's sysfs: the picture shows
each NIC's role, the table each host's method, why, health and drill."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from ansible_collections.redundant.interfaces.plugins.module_utils import report
from ansible_collections.redundant.interfaces.plugins.module_utils.status import (
    bond_verdict,
    parse_bonding,
    read_bridge,
    bridge_verdict,
    watched,
)
from tests.unit.plugins.module_utils.fakes import fake_bridge
from tests.unit.plugins.module_utils.test_status import BONDING


def bond(fixture):
    with open(os.path.join(BONDING, fixture)) as handle:
        parsed = parse_bonding(handle.read())
    parsed["verdict"], parsed["reasons"] = bond_verdict(parsed)
    return watched(dict(kind="bond", **parsed))


def up(nic, switch, port):
    return dict(interface=nic, switch=switch, port=port)


def lab(tmp_path):
    bridge = dict(kind="bridge", **read_bridge("br0", fake_bridge(tmp_path)))
    bridge["verdict"], bridge["reasons"] = bridge_verdict(bridge)
    watched(bridge)
    servers = {
        "lacp1": dict(method="bond_lacp", path=[dict(variable="share_bandwidth", answer=True)],
                      uplinks=[up("eth0", "sw1", "Fa0/1"), up("eth1", "sw1", "Fa0/2")],
                      links={"bond0": bond("bonding_802.3ad.txt")},
                      drill=dict(time="2026-11-21 13:05 UTC", ok=True, rows=[
                          dict(link="bond0", port="eth0", ok=True, loss_cut_ms=36.8, loss_back_ms=11.7),
                          dict(link="bond0", port="eth1", ok=False, loss_cut_ms=None, loss_back_ms=None)])),
        "backup1": dict(method="bond_active_backup", path=[],
                        uplinks=[up("eth0", "sw1", "Gi1/0/3"), up("eth1", "sw2", "Gi1/0/3")],
                        links={"bond0": bond("bonding_active-backup.txt")}),
        "stp1": dict(method="bridge_stp", uplinks=[up("eth0", "sw1", "Fa0/23"), up("eth1", "sw2", "Fa0/23")],
                     links={"br0": bridge}),
        "alb1": dict(method="bond_alb", uplinks=[up("eth0", "sw1", "Fa0/5"), up("eth1", "sw2", "Fa0/5")],
                     links={"bond0": bond("bonding_802.3ad_degraded.txt")}),
    }
    switches = {"sw1": dict(notes=["VLAN 1: this switch is root"], root_of=["VLAN 1"]),
                "sw2": dict(notes=["VLAN 1: root x via Gi1/0/4"], root_of=[])}
    return servers, switches


def test_port_roles_come_from_the_kernel_view(tmp_path):
    servers, dummy = lab(tmp_path)
    assert report.port_role(servers["lacp1"]["links"], "eth0") == "aggregated"
    ab = servers["backup1"]["links"]
    active = ab["bond0"]["active_port"]
    assert report.port_role(ab, active) == "active"
    assert report.port_role(ab, ({"eth0", "eth1"} - {active}).pop()) == "standby"
    assert report.port_role(servers["stp1"]["links"], "eth0") == "forwarding"
    assert report.port_role(servers["stp1"]["links"], "eth1") == "blocking"
    assert report.port_role({}, "eth0") == "unknown"


def test_every_port_of_a_balance_alb_bond_carries_traffic():
    links = {"bond0": bond("bonding_balance-alb.txt")}
    assert links["bond0"]["active_port"] == "eth0"  # the one that takes broadcasts, not the only one used
    assert [report.port_role(links, nic) for nic in ("eth0", "eth1")] == ["active", "active"]


def test_a_cable_blocked_at_the_switch_end_is_drawn_blocked_with_that_end_named(tmp_path):
    servers, switches = lab(tmp_path)
    servers["stp1"]["links"]["br0"]["ports"]["eth1"]["state"] = "forwarding"  # the server forwards on both,
    switches["sw2"]["blocking"] = ["FastEthernet0/23"]  # the switch's end blocks (802.1D toward a bridge)
    picture = ET.fromstring(report.svg(servers, switches))
    ns = "{http://www.w3.org/2000/svg}"
    titles = [line.find(ns + "title").text for line in picture.iter(ns + "line") if line.find(ns + "title") is not None]
    assert "stp1 eth1 - sw2 Fa0/23: STP blocking at sw2 FastEthernet0/23" in titles
    assert "stp1 eth0 - sw1 Fa0/23: forwarding" in titles
    marks = [(float(c.get("cx")), float(c.get("cy"))) for c in picture.iter(ns + "circle")]
    assert len(marks) == 1 and marks[0][1] == 79  # at the switch's end


def test_the_picture_has_every_switch_server_and_cable(tmp_path):
    servers, switches = lab(tmp_path)
    picture = ET.fromstring(report.svg(servers, switches))  # well-formed SVG
    ns = "{http://www.w3.org/2000/svg}"
    texts = [t.text for t in picture.iter(ns + "text")]
    for name in ("sw1", "sw2", "lacp1", "backup1", "stp1", "alb1", "STP root"):
        assert name in texts
    cables = [line for line in picture.iter(ns + "line") if line.find(ns + "title") is not None]
    assert len(cables) == 8
    titles = [c.find(ns + "title").text for c in cables]
    assert "stp1 eth1 - sw2 Fa0/23: STP blocking at stp1 eth1" in titles  # the server's bridge port blocks
    assert any(t.startswith("lacp1 eth0 - sw1 Fa0/1: aggregated") for t in titles)


def boxes_by_band(picture):
    """[{name: (left, right)}] per band (an SVG group), from each box's first line of text."""
    ns = "{http://www.w3.org/2000/svg}"
    bands = []
    for band in picture.iter(ns + "g"):
        texts, boxes = list(band.iter(ns + "text")), {}
        for rect in band.iter(ns + "rect"):
            left = float(rect.get("x"))
            right = left + float(rect.get("width"))
            name = next(t.text for t in texts if t.get("font-weight") == "bold" and left < float(t.get("x")) < right
                        and abs(float(t.get("y")) - float(rect.get("y"))) < 30)
            boxes[name] = (left, right)
        bands.append(boxes)
    return bands


def test_a_small_lab_is_one_band_without_captions(tmp_path):
    servers, switches = lab(tmp_path)
    picture = ET.fromstring(report.svg(servers, switches))
    assert [sorted(band) for band in boxes_by_band(picture)] == [sorted(list(servers) + list(switches))]
    assert not [t for t in picture.iter("{http://www.w3.org/2000/svg}text") if (t.text or "").endswith("servers")]


def test_a_fleet_of_fifty_draws_as_bands_a_screen_wide_each_switch_above_its_servers():
    # 50 servers whose names alternate between two pairs of switches (sw1/sw2, sw3/sw4)
    switches = {name: dict(notes=[]) for name in ("sw1", "sw2", "sw3", "sw4")}
    servers = {"srv%02d" % i: dict(method="bond_active_backup", links={}, uplinks=[
        up("eth0", "sw%d" % (1 + i % 2 * 2), "Gi1/0/%d" % (i + 1)), up("eth1", "sw%d" % (2 + i % 2 * 2), "Gi1/0/%d" % (i + 1))])
        for i in range(50)}
    picture = ET.fromstring(report.svg(servers, switches))
    width = float(picture.get("width"))
    assert width <= 1200  # a screen wide, however many servers
    bands = boxes_by_band(picture)
    drawn = [name for band in bands for name in band if name.startswith("srv")]
    assert sorted(drawn) == sorted(servers)  # each server once
    for band in bands:
        mine = [name for name in band if name.startswith("srv")]
        assert 0 < len(mine) <= report.PER_ROW
        pair = {int(name[3:]) % 2 for name in mine}
        assert len(pair) == 1  # a band holds servers of one pair of switches, drawn above them
        tops = sorted(box for name, box in band.items() if name.startswith("sw"))
        assert sorted(name for name in band if name.startswith("sw")) == (["sw1", "sw2"] if pair == {0} else ["sw3", "sw4"])
        for switch in (name for name in band if name.startswith("sw")):
            middle = sum(band[switch]) / 2
            assert min(band[n][0] for n in mine) < middle < max(band[n][1] for n in mine), switch
        assert all(a[1] < b[0] for a, b in zip(tops, tops[1:])) and tops[0][0] >= 0 and tops[-1][1] <= width
    captions = [t.text for t in picture.iter("{http://www.w3.org/2000/svg}text") if "servers " in (t.text or "")]
    assert "sw1 · sw2: servers 1-5 of 25" in captions and len(captions) == len(bands) == 10
    legend = [float(t.get("x")) for t in picture if t.tag.endswith("text")]
    assert legend and max(legend) < width


def test_the_page_has_a_row_per_host_with_why_health_and_drill(tmp_path):
    servers, switches = lab(tmp_path)
    page = report.html(servers, switches)

    class Rows(HTMLParser):
        def __init__(self):
            super().__init__()
            self.rows, self.cell = [], None

        def handle_starttag(self, tag, attrs):
            if tag == "tr":
                self.rows.append([])
            if tag == "td":
                self.cell = ""

        def handle_endtag(self, tag):
            if tag == "td":
                self.rows[-1].append(self.cell)
                self.cell = None

        def handle_data(self, data):
            if self.cell is not None:
                self.cell += data

    parser = Rows()
    parser.feed(page)
    rows = {row[0]: row for row in parser.rows if row and row[0] in servers}
    assert rows["lacp1"][1:4] == ["bond_lacp", "share_bandwidth=True", "redundant"]
    assert rows["lacp1"][6] == ("2026-11-21 13:05 UTC: bond0 eth0: ok (cut 36.8 ms, back 11.7 ms); "
                                "bond0 eth1: FAILED (cut - ms, back - ms)")
    assert rows["alb1"][3] == "degraded" and rows["backup1"][6] == "not run"
    assert rows["lacp1"][5] == "not checked"
    # an MII-watched bond is marked: a far end that stops forwarding with carrier up goes unseen
    assert rows["backup1"][4].endswith("redundant only against cable loss: MII every 100 ms, carrier only")
    assert "cable loss" not in rows["lacp1"][4] + rows["stp1"][4]
    assert "<script" not in report.html({"<script>": dict(method="x")}, {})


def test_the_cables_drawn_are_the_wires_and_a_miscabled_one_is_marked(tmp_path):
    """backup1's cables swapped: the picture draws them where the wire says, marked, and the
    table names each NIC; lacp1's discovered cables are drawn as they are."""
    servers, switches = lab(tmp_path)
    swapped = [dict(u, interface={"eth0": "eth1", "eth1": "eth0"}[u["interface"]]) for u in servers["backup1"]["uplinks"]]
    problems = ["eth0: inventory sw1 GigabitEthernet1/0/3, wire sw2 TwentyFiveGigE1/1/3"]
    servers["backup1"]["cabling"] = dict(refused=True, problems=problems, discovered=False, wire=swapped)
    servers["lacp1"]["cabling"] = dict(refused=False, problems=[], discovered=True, wire=servers["lacp1"]["uplinks"])
    ns = "{http://www.w3.org/2000/svg}"
    titles = [line.find(ns + "title").text for line in ET.fromstring(report.svg(servers, switches)).iter(ns + "line")
              if line.find(ns + "title") is not None]
    assert sorted(t for t in titles if t.startswith("backup1")) == sorted(
        "backup1 %s - %s %s: miscabled (the inventory says otherwise)" % (u["interface"], u["switch"], u["port"])
        for u in swapped)
    assert any(t.startswith("lacp1 eth0 - sw1 Fa0/1: aggregated") for t in titles)
    page = report.html(servers, switches)
    assert '<td class="miscabled">eth0: inventory sw1 GigabitEthernet1/0/3, wire sw2 TwentyFiveGigE1/1/3</td>' in page
    assert "<td>discovered from the wire</td>" in page
