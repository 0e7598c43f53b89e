"""The report action on the controller: what it reads from hostvars (each server's method,
uplinks, links and drill; each switch's verification), a server variable that breaks its rule
drawn as unknown rather than failing the report, the file written where dest says (its folder
made), and a dest that cannot be written refused naming it (the drawing itself:
tests/unit/plugins/module_utils/test_report.py)."""

from __future__ import annotations

from ansible_collections.redundant.interfaces.plugins.action import report as action
from tests.unit.plugins.action.actions import run_action
from tests.unit.plugins.module_utils.test_report import bond

UPLINKS = [dict(interface="eth0", switch="sw1", port="Fa0/1"), dict(interface="eth1", switch="sw1", port="Fa0/2")]
LACP1 = dict(redundancy_mode="bond_lacp", uplinks=UPLINKS,
             ansible_facts=dict(redundant_links={"bond0": bond("bonding_802.3ad.txt")}))
SW1 = dict(cisco_ios_verified=dict(notes=["VLAN 1: this switch is root"], blocking=[], root_of=["VLAN 1"]))


def run(dest, **servers):
    hostvars = dict(servers, sw1=SW1)
    return run_action(action.ActionModule, "report", dict(dest=dest, servers=sorted(servers), switches=["sw1"]),
                      "localhost", dict(hostvars, localhost={}))


def test_the_report_is_written_from_hostvars(tmp_path):
    dest = tmp_path / "reports" / "site.html"  # its folder does not exist yet
    result = run(str(dest), lacp1=LACP1)
    assert not result.get("failed"), result.get("msg")
    assert result["summary"] == ["lacp1: bond_lacp, redundant"]
    page = dest.read_text()
    assert "lacp1" in page and "bond0" in page and "STP root" in page  # sw1's root_of, not a note's words


def test_a_server_variable_that_breaks_its_rule_is_drawn_as_unknown(tmp_path):
    broken = dict(LACP1, redundancy_mode="bond_fast", uplinks="eth0 to sw1")
    result = run(str(tmp_path / "site.html"), lacp1=broken)
    assert not result.get("failed") and result["summary"] == ["lacp1: method unknown, redundant"]


def test_a_dest_that_cannot_be_written_is_refused_naming_it(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = run(str(blocker / "site.html"), lacp1=LACP1)  # its folder would be a file
    assert result["failed"] and result["msg"].startswith("report: dest %s cannot be written: " % (blocker / "site.html"))
