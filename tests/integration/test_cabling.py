"""Cabling from the wire, in the embedded lab: every switch port speaks LLDP (lldpd in each
switch slice, its port ids the IOS names) and every server runs lldpd.

The lab is cabled with backup1's two cables swapped against inventory/lab.yml (LAB_WIRE):
site.yml refuses backup1 before any change, naming each cable, and configures the other
three; the discovery playbook writes the wire's uplinks as host_vars; then site.yml with no
`uplinks` in the inventory at all ends with every server redundant, backup1 included."""

from __future__ import annotations

import copy
import os
import re

import pytest
import yaml

from tests.helpers import ROOT, recap, run

pytestmark = pytest.mark.integration
LAB = os.path.join(ROOT, "tests", "lab")
SERVERS = ("lacp1", "backup1", "alb1", "stp1")
REFUSAL = ("cabling: backup1 is refused before any change, the wire disagrees with the inventory:\n"
           "  eth0: inventory sw1 GigabitEthernet1/0/3, wire sw2 TwentyFiveGigE1/1/3\n"
           "  eth1: inventory sw2 TwentyFiveGigE1/1/3, wire sw1 GigabitEthernet1/0/3")


def lab_inventory():
    with open(os.path.join(ROOT, "inventory", "lab.yml")) as handle:
        return yaml.safe_load(handle)


def servers(inventory):
    return inventory["all"]["children"]["servers"]["hosts"]


def write(inventory, path):
    """An inventory file anywhere: the lab's paths made absolute (they are relative to inventory/)."""
    text = yaml.safe_dump(inventory, sort_keys=False).replace("{{ inventory_dir }}/..", ROOT)
    path.write_text(text)
    return str(path)


def guest(name, command):
    return run(os.path.join(LAB, "ssh"), name, command).stdout


@pytest.fixture(scope="module")
def wire(tmp_path_factory):
    """The lab up with backup1's eth0 in sw2's port and eth1 in sw1's."""
    folder = tmp_path_factory.mktemp("cabling")
    swapped = copy.deepcopy(lab_inventory())
    uplinks = servers(swapped)["backup1"]["uplinks"]
    uplinks[0]["interface"], uplinks[1]["interface"] = "eth1", "eth0"
    env = dict(LAB_WIRE=write(swapped, folder / "wire.yml"))
    run(os.path.join(LAB, "site-down"))
    try:
        run(os.path.join(LAB, "site-up"), env=env, timeout=600)
        yield folder, env, {u["interface"]: u for u in uplinks}
    finally:
        run(os.path.join(LAB, "site-down"), check=False)


@pytest.fixture(scope="module")
def miscabled(wire):
    folder, env, dummy = wire
    return run("ansible-playbook", "site.yml", "-e", "site_report=%s" % (folder / "miscabled.html"), env=env,
               check=False, timeout=1500)


@pytest.fixture(scope="module")
def discovered(wire, miscabled):
    """The discovery playbook, then site.yml, both on an inventory without any uplinks."""
    folder, env, dummy = wire
    bare = lab_inventory()
    for hostvars in servers(bare).values():
        hostvars.pop("uplinks")
    inventory = write(bare, folder / "bare.yml")
    found = run("ansible-playbook", "-i", inventory, "playbooks/discover.yml", "-e",
                "discover_dest=%s" % (folder / "found"), env=env, check=False, timeout=600)
    rollout = run("ansible-playbook", "-i", inventory, "site.yml", "-e", "site_report=%s" % (folder / "found.html"),
                  env=env, check=False, timeout=1500)
    return found, rollout


def test_a_miscabled_server_is_refused_naming_each_cable(miscabled):
    assert miscabled.returncode != 0
    assert REFUSAL in miscabled.stdout.replace("\\n", "\n"), miscabled.stdout[-6000:]
    hosts = recap(miscabled.stdout)
    assert hosts["backup1"] == dict(ok=hosts["backup1"]["ok"], changed=0, failed=1)


def test_nothing_changed_on_the_refused_server(miscabled):
    assert guest("backup1", "ip -br link show type bond; ls /etc/network/interfaces.d/") == ""
    states = [line.split()[1] for line in guest("backup1", "ip -br link show eth0; ip -br link show eth1").splitlines()]
    assert states == ["DOWN", "DOWN"]  # as they were: the reading set them up and down again


def test_the_other_servers_proceed_and_end_redundant(miscabled):
    hosts = recap(miscabled.stdout)
    for server in ("lacp1", "alb1", "stp1"):
        assert hosts[server]["changed"] > 0 and hosts[server]["failed"] == 0, miscabled.stdout[-6000:]
    for line in ("lacp1: bond0: 802.3ad bond, redundant", "alb1: bond0: balance-alb bond, redundant",
                 "stp1: br0: rstp bridge, redundant"):
        assert line in miscabled.stdout, line
    assert "sw1: backup1 is left out: its cabling was refused" in miscabled.stderr
    assert "rollout: batch 2 (2 servers): 2 done, 0 rolled back, 0 failed, 0 left" in miscabled.stdout
    assert re.search(r"^backup1\s+-\s+no\s+no\s+refused: cabling$",
                     miscabled.stdout.split("ROLLOUT SUMMARY", 1)[1], re.M)


def test_the_report_draws_the_wire_and_marks_the_miscabled_server(wire, miscabled):
    folder, dummy, cabled = wire
    page = (folder / "miscabled.html").read_text()
    assert "backup1 eth0 - sw2 TwentyFiveGigE1/1/3: miscabled" in page
    assert '<td class="miscabled">eth0: inventory sw1 GigabitEthernet1/0/3, wire sw2 TwentyFiveGigE1/1/3' in page


def test_discovery_writes_the_wires_uplinks_as_host_vars(wire, discovered):
    folder, dummy, cabled = wire
    found, rollout = discovered
    assert found.returncode == 0, found.stdout[-6000:]
    truth = {name: hv["uplinks"] for name, hv in servers(yaml.safe_load(open(wire[1]["LAB_WIRE"]))).items()}
    for server in SERVERS:
        with open(folder / "found" / "host_vars" / ("%s.yml" % server)) as handle:
            written = yaml.safe_load(handle)["uplinks"]
        assert sorted(written, key=lambda u: u["interface"]) == sorted(truth[server], key=lambda u: u["interface"])


def test_a_rollout_from_discovered_uplinks_ends_with_every_server_redundant(discovered):
    found, rollout = discovered
    assert rollout.returncode == 0, rollout.stdout[-6000:] + rollout.stderr[-2000:]
    for line in ("lacp1: bond0: 802.3ad bond, redundant", "backup1: bond0: active-backup bond, redundant",
                 "alb1: bond0: balance-alb bond, redundant", "stp1: br0: rstp bridge, redundant"):
        assert line in rollout.stdout
    assert recap(rollout.stdout)["backup1"]["changed"] > 0
    assert '"eth0: sw2 TwentyFiveGigE1/1/3"' in rollout.stdout  # backup1's cable, from the wire
