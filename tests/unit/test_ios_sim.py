"""The IOS simulator's CLI: modes, state, IOS-style refusals, generated show output."""

from __future__ import annotations

from tests.ios_sim.switch import INVALID, Switch


def configure(switch, *lines):
    return [switch.execute(line) for line in ("configure terminal",) + lines + ("end",)]


def test_prompts_follow_the_mode():
    sw = Switch("sw1", ["Gi1/0/1"])
    assert sw.prompt() == "sw1#"
    sw.execute("configure terminal")
    assert sw.prompt() == "sw1(config)#"
    sw.execute("interface GigabitEthernet1/0/1")
    assert sw.prompt() == "sw1(config-if)#"
    sw.execute("end")
    assert sw.prompt() == "sw1#"


def test_unknown_input_is_refused_like_ios():
    sw = Switch("sw1", ["Gi1/0/1"])
    assert sw.execute("show foo") == INVALID
    assert configure(sw, "spanning-tree vlan 1 priority 1000")[1] == INVALID
    assert configure(sw, "interface Gi1/0/1", "switchport nonsense")[2] == INVALID


def test_configuration_is_kept_and_shown():
    sw = Switch("sw1", ["Fa0/1", "Fa0/2", "Fa0/23"])
    configure(sw, "spanning-tree vlan 1 priority 0", "interface FastEthernet0/23", "spanning-tree cost 100",
              "interface Fa0/1", "channel-protocol lacp", "channel-group 4 mode active",
              "interface Fa0/2", "channel-group 4 mode active")
    running = sw.execute("show running-config")
    assert "spanning-tree vlan 1 priority 0" in running
    assert "interface FastEthernet0/23\n spanning-tree cost 100\n" in running
    assert "interface Port-channel4\n" in running
    section = sw.execute("show running-config | section ^interface")
    assert section.startswith("interface FastEthernet0/1") and "spanning-tree vlan" not in section
    assert "4      Po4(SU)       LACP        Fa0/1(P) Fa0/2(P)" in sw.execute("show etherchannel summary")
    assert "This bridge is the root" in sw.execute("show spanning-tree vlan 1")
    configure(sw, "interface FastEthernet0/23", "no spanning-tree cost")
    assert "spanning-tree cost" not in sw.execute("show running-config | section FastEthernet0/23")


def test_copy_asks_for_the_destination_then_saves():
    sw = Switch("sw1")
    assert sw.execute("copy running-config startup-config") == "Destination filename [startup-config]? "
    assert "[OK]" in sw.execute("")
    assert sw.startup == sw.running_config()
