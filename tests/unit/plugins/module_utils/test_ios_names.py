"""IOS interface names both ways: one explicit table, exact matches only."""

from __future__ import annotations

import pytest

from ansible_collections.redundant.interfaces.plugins.module_utils import ios_names
from ansible_collections.redundant.interfaces.plugins.module_utils.errors import SwitchError


@pytest.mark.parametrize("name, full, short", [
    ("Tw1/0/23", "TwoGigabitEthernet1/0/23", "Tw1/0/23"),
    ("Twe1/0/3", "TwentyFiveGigE1/0/3", "Twe1/0/3"),
    ("Twe 1/0/3", "TwentyFiveGigE1/0/3", "Twe1/0/3"),  # CDP
    ("Two 1/0/1", "TwoGigabitEthernet1/0/1", "Tw1/0/1"),
    ("Fi1/0/5", "FiveGigabitEthernet1/0/5", "Fi1/0/5"),
    ("Fo1/1/1", "FortyGigabitEthernet1/1/1", "Fo1/1/1"),
    ("Fa0/13", "FastEthernet0/13", "Fa0/13"),
    ("Ten 1/1/4", "TenGigabitEthernet1/1/4", "Te1/1/4"),
    ("Te3/1/2", "TenGigabitEthernet3/1/2", "Te3/1/2"),
    ("Hu1/0/49", "HundredGigE1/0/49", "Hu1/0/49"),
    ("Gig 1", "GigabitEthernet1", "Gi1"),
    ("gi2/0/1", "GigabitEthernet2/0/1", "Gi2/0/1"),
    ("Eth 0/0", "Ethernet0/0", "Et0/0"),
    ("TwentyFiveGigE1/0/1", "TwentyFiveGigE1/0/1", "Twe1/0/1"),
    ("Po34", "Port-channel34", "Po34"),
    ("Ap1/0/1", "AppGigabitEthernet1/0/1", "Ap1/0/1"),
    ("Gi1/0/1.100", "GigabitEthernet1/0/1.100", "Gi1/0/1.100"),
])
def test_every_family_both_ways(name, full, short):
    assert ios_names.full(name) == full
    assert ios_names.short(full) == short
    assert ios_names.full(short) == full  # the round trip is exact


@pytest.mark.parametrize("name", ["T1/0/1", "Twen1/0/1", "Gigabit1/0/1", "Fiv", "G1/0/1", "Serial0/0", "xe-0/0/0",
                                  "1/0/1", "", "Gi1/0/1 ", "Gi  1/0/1", "Gi1/0/1\n", None, 7, "666",
                                  "c843.09a2.0f03", "Port 6"])
def test_no_prefix_guessing(name):
    assert ios_names.full(name) is None
    assert ios_names.as_read(name) == name  # read from a device: kept as printed


def test_each_spelling_names_one_type():
    spellings = [s.lower() for full, short, others, speed in ios_names.TYPES for s in (full, short) + others]
    assert len(spellings) == len(set(spellings))


def test_logical_interfaces():
    assert ios_names.is_logical("Po3") and ios_names.is_logical("Vlan10")
    assert not ios_names.is_logical("Twe1/0/1") and not ios_names.is_logical("bogus")


@pytest.mark.parametrize("name, full", [
    ("Gi1/0/1", "GigabitEthernet1/0/1"), ("gi1/0/1", "GigabitEthernet1/0/1"), ("Fa0/23", "FastEthernet0/23"),
    ("Te1/1/1", "TenGigabitEthernet1/1/1"), ("Po3", "Port-channel3"), ("FastEthernet0/1", "FastEthernet0/1"),
    ("Twe1/0/1", "TwentyFiveGigE1/0/1"), ("Hu1/0/49", "HundredGigE1/0/49"),
    ("Tw1/0/1", "TwoGigabitEthernet1/0/1"), ("Fi1/0/5", "FiveGigabitEthernet1/0/5"), ("Fo1/1/1", "FortyGigabitEthernet1/1/1"),
])
def test_interface_names_are_normalized(name, full):
    assert ios_names.normalize(name) == full


@pytest.mark.parametrize("name", ["G1/0/1", "Serial0/0", "xe-0/0/0", "Gi", "1/0/1", "", "Twen1/0/1", "T1/0/1"])
def test_unknown_interface_names_are_refused(name):
    with pytest.raises(SwitchError, match="cannot be normalized|not an IOS interface"):
        ios_names.normalize(name)
