"""No input escapes: every entry point that takes user data - every variable of the
inventory contract and a host's variables as a play's first check sees them, the link model,
the controller's request checks, the decision, the switch-side derivation and
its show-output check, lldpd's answers and the cabling check - ends either in a valid result or in the collection's
one error type with a message naming the variable; never another exception.
What is accepted never carries a control character into a rendered file or an
IOS command.

Property-based (Hypothesis), near-valid and hostile inputs alike, with a fixed
seed and a bounded budget here; benchmarks/fuzz.py runs the same properties
far longer.
"""

from __future__ import annotations

import json
import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import FIXTURES

from ansible_collections.redundant.interfaces.plugins.module_utils import (
    cabling,
    contract,
    engine,
    flows,
    ios_names,
    ios_show,
    lldp,
    preflight,
)
from ansible_collections.redundant.interfaces.plugins.module_utils.catalog import (
    CONTRACT,
    METHODS,
    OPTIONS,
    PLAYBOOKS,
    PORT,
    SWITCH_SETTINGS,
    VARIABLES,
    options_for,
)
from ansible_collections.redundant.interfaces.plugins.module_utils.decision import decide
from ansible_collections.redundant.interfaces.plugins.module_utils.errors import RedundantError
from ansible_collections.redundant.interfaces.plugins.module_utils.model import LINK_SPEC, build_links
from ansible_collections.redundant.interfaces.plugins.module_utils.switch_checks import check_shown
from ansible_collections.redundant.interfaces.plugins.module_utils.switch_render import resources
from ansible_collections.redundant.interfaces.plugins.module_utils.switchside import derive, spanning_tree

settings.register_profile("test", max_examples=300, derandomize=True, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
# benchmarks/fuzz.py: FUZZ_PROFILE=long FUZZ_EXAMPLES=N, a fresh seed each run
settings.register_profile("long", max_examples=int(os.environ.get("FUZZ_EXAMPLES", "5000")), derandomize=False,
                          deadline=None, database=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
settings.load_profile(os.environ.get("FUZZ_PROFILE", "test"))

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # what no rendered line may carry (\t and \n are layout)
SAFE = re.compile(r"[\x21-\x7e]*")  # an accepted name or value: printable ASCII, no white space

# --- inputs ----------------------------------------------------------------------------------------
HOSTILE = st.sampled_from(["eth0\n", "eth0\nshutdown", "lo", "all", "default", "", " ", "a" * 16, "é0", "$(id)",
                           "eth0;reboot", "../x", "Port-channel1", "Vlan10", "\x00", "eth\r0", "bond0 ", "-x"])
NAMES = st.one_of(st.sampled_from(["eth0", "eth1", "eth2", "bond0", "br0", "sw1", "sw2", "web1"]), HOSTILE,
                  st.text(max_size=18))
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-2 ** 40, 2 ** 40), st.floats(allow_nan=True),
                    NAMES, st.sampled_from(["192.0.2.10/24", "2001:db8::1/64", "198.51.100.1", "fast", "on",
                                            "layer3+4", "active", "120", "4096"]))
ANY = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                    st.dictionaries(NAMES, inner, max_size=4)), max_leaves=12)


def near(value_strategy):
    """Mostly a plausible value, sometimes anything."""
    return st.one_of(value_strategy, value_strategy, value_strategy, ANY)


def option_values(opt):
    if opt.choices:
        return st.sampled_from(list(opt.choices))
    if opt.type == "int":
        low = opt.min if opt.min is not None else 0
        high = min(opt.max if opt.max is not None else 2 ** 31, 2 ** 31)
        return st.integers(low - 2, high + 2)
    if opt.type == "bool":
        return st.booleans()
    if opt.type == "list":
        return st.lists(st.sampled_from(["198.51.100.1", "198.51.100.2", "224.0.0.1"]), max_size=3)
    return NAMES


ADDRESSING = st.fixed_dictionaries({}, optional=dict(
    method=st.sampled_from(["static", "dhcp", "none", "auto", "manual"]),
    addresses=near(st.lists(st.sampled_from(["192.0.2.10/24", "198.51.100.7/24", "2001:db8::1/64", "192.0.2.0/24",
                                             "10.0.0.1"]), max_size=2)),
    gateway=near(st.sampled_from(["192.0.2.1", "2001:db8::ffff", "198.51.100.1"]))))


# what a valid name becomes when a line break, a NUL or CLI syntax rides along
SUFFIXES = st.sampled_from(["\n", "\n", "\nshutdown", "\r", "\x00", " ", ";reboot", "\u2028"])


def name_like(valid):
    """A name where one is expected: mostly valid, a third of the time hostile (often a valid
    name with something riding along, which a partial match would let through)."""
    return st.one_of(valid, valid, st.one_of(HOSTILE, st.builds(str.__add__, valid, SUFFIXES)))


@st.composite
def raw_link(draw, method):
    """A link as a user writes it: a valid skeleton whose names are sometimes hostile, some
    kernel options with plausible or out-of-range values, and now and then anything at all."""
    options = {opt.name: opt for opt in options_for(method)}
    raw = dict(name=draw(name_like(st.sampled_from(["bond0", "br0", "bond1"]))),
               ports=draw(st.lists(name_like(st.sampled_from(["eth0", "eth1", "eth2", "eno1"])), min_size=2,
                                   max_size=3, unique=True)))
    if draw(st.booleans()):
        raw["vlans"] = [dict(id=draw(st.integers(1, 4094)),
                             name=draw(name_like(st.sampled_from(["v10", "bond0.10", "vlan20"]))))]
    if draw(st.booleans()):
        raw["dns_search"] = [draw(st.one_of(st.sampled_from(["example.com", "lab.example."]), HOSTILE))]
    if draw(st.booleans()):
        raw["ipv4"] = draw(ADDRESSING)
    if kind_of(method) == "bridge" and draw(st.booleans()):
        raw["port_options"] = {draw(name_like(st.sampled_from(raw["ports"]))): {
            draw(st.sampled_from(sorted(PORT) + ["cost"])): draw(st.integers(-1, 70000))}}
    for key in draw(st.lists(st.sampled_from(sorted(options)), max_size=2, unique=True)):  # a list: no hash order
        raw[key] = draw(near(option_values(options[key])))
    if draw(st.integers(0, 4)) == 0:  # anything, anywhere
        raw[draw(st.one_of(st.sampled_from(sorted(LINK_SPEC)), NAMES))] = draw(ANY)
    return raw


def kind_of(method):
    return METHODS[method].kind


METHOD = st.sampled_from(sorted(METHODS))


def links_of(size):
    """(method, that method's links as a user writes them), now and then not even a list."""
    return METHOD.flatmap(lambda m: st.tuples(st.just(m), near(st.lists(raw_link(m), max_size=size))))


def refused_cleanly(exc, *prefixes):
    """The collection's error, its message naming the variable (one of the prefixes) and free of control chars."""
    assert isinstance(exc, RedundantError), repr(exc)
    message = str(exc)
    assert message.startswith(prefixes), message
    return message


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(key)
            yield from strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from strings(item)


# --- the properties --------------------------------------------------------------------------------
@given(case=links_of(2))
def test_the_link_model_accepts_cleanly_or_refuses_naming_the_variable(case):
    method, links = case
    var = "%s_links" % method
    try:
        built = build_links(method, links, var)
    except Exception as exc:  # pylint: disable=broad-except
        refused_cleanly(exc, var)
        return
    for link in built:
        for text in strings(link.as_dict()):
            assert SAFE.fullmatch(text) or text in ("", link.method), (link.name, text)
        for backend in engine.BACKENDS.values():
            if link.state == "present" and not engine.unsupported(list(link.options), backend.NAME):
                for path, text in backend.render(link).items():
                    assert not CONTROL.search(path + text), (backend.NAME, path)


@given(case=links_of(1), backend=near(st.sampled_from(["auto", "nm", "networkd", "netplan", "openvswitch"])),
       confirm=near(st.sampled_from([0, 10, 30, 120, "120", "29", -1])), live=near(st.booleans()),
       roots=st.dictionaries(st.sampled_from(["sw1", "sw2"]),
                             st.tuples(st.integers(0, 65535), st.just("cisco_ios_stp_priority"))))
def test_the_controllers_request_check_accepts_or_refuses_naming_the_variable(case, backend, confirm, live, roots):
    method, links = case
    params = dict(method=method, links=links, backend=backend, confirm_timeout=confirm, live=live)
    try:
        flows.check_request(params, roots)
    except Exception as exc:  # pylint: disable=broad-except
        refused_cleanly(exc, "%s_" % method)


DECISION = st.fixed_dictionaries({}, optional=dict(
    switch_managed=near(st.booleans()), separate_switches=near(st.booleans()),
    bridge_fallback=near(st.booleans()), share_bandwidth=near(st.booleans()), switches_stacked=near(st.booleans()),
    uplinks=near(st.lists(st.fixed_dictionaries(dict(interface=NAMES), optional=dict(switch=NAMES, port=NAMES)),
                          max_size=3)),
    managed_switches=near(st.lists(NAMES, max_size=3)),
    facts=near(st.fixed_dictionaries(dict(interfaces=st.lists(NAMES, max_size=3)))),
))


@given(params=DECISION)
def test_the_decision_decides_or_refuses_naming_the_question(params):
    try:
        result = decide(params)
    except Exception as exc:  # pylint: disable=broad-except
        refused_cleanly(exc, "select_mode:")
        return
    assert result["mode"] in METHODS


UPLINK = st.fixed_dictionaries(dict(interface=near(st.sampled_from(["eth0", "eth1", "eno1"])),
                                    switch=near(st.sampled_from(["sw1", "sw2", "sw9"])),
                                    port=near(st.sampled_from(["Gi1/0/1", "Gi1/0/2", "Fa0/1", "Te1/1/1",
                                                               "GigabitEthernet1/0/3", "Port-channel1", "Gi1/0/1\n"]))))
SERVER = st.fixed_dictionaries(dict(mode=near(METHOD), uplinks=near(st.lists(UPLINK, max_size=3))),
                               optional=dict(ports=st.lists(st.sampled_from(["eth0", "eth1", "eth2"]), max_size=3),
                                             priority=st.integers(0, 65535)))
SWITCH_VALUES = {s.key: near(option_values(s)) if s.choices or s.type == "int" else ANY for s in SWITCH_SETTINGS}


@given(servers=st.dictionaries(st.one_of(st.sampled_from(["web1", "db1", "stp1"]), NAMES), SERVER, max_size=3),
       settings_=st.fixed_dictionaries({}, optional={s.key: SWITCH_VALUES[s.key] for s in SWITCH_SETTINGS
                                                     if not s.role}),
       existing=st.dictionaries(st.sampled_from(["GigabitEthernet1/0/1", "FastEthernet0/1"]), st.integers(1, 48)))
def test_the_switch_side_derives_cleanly_or_refuses_naming_the_setting(servers, settings_, existing):
    try:
        cfg = derive("sw1", servers, ["sw1", "sw2"], settings_, existing)
        commands = resources(cfg)
    except Exception as exc:  # pylint: disable=broad-except
        refused_cleanly(exc, "cisco_ios", "switch_config:")
        return
    for text in strings(commands):  # every line that reaches the IOS CLI
        assert not CONTROL.search(text) and "\n" not in text, text


def _capture_lines():
    """Every line of the real captures (tests/fixtures/ios), the material show output is fuzzed from."""
    out = []
    for folder, dummy, files in os.walk(os.path.join(FIXTURES, "ios")):
        for name in sorted(files):
            if name.endswith(".txt"):
                with open(os.path.join(folder, name)) as handle:
                    out += handle.read().splitlines()
    return sorted(set(out))


CAPTURE_LINES = _capture_lines()
SIMULATED_LINES = ["Fa0/1(P)  Fa0/2(bndl)", "19     Po19(SU)  LACP  Fa0/1(P)", "Fa0/23  Desg FWD 100  128.23  P2p"]
LINES = st.one_of(st.sampled_from(CAPTURE_LINES), st.sampled_from(SIMULATED_LINES),
                  st.builds(str.__add__, st.sampled_from(CAPTURE_LINES), SUFFIXES), st.text(max_size=30))
SHOWN_TEXT = near(st.builds("\n".join, st.lists(LINES, max_size=12)))


@given(shown=st.one_of(st.dictionaries(st.sampled_from(["show etherchannel summary", "show spanning-tree vlan 1",
                                                        "show spanning-tree vlan 10"]), SHOWN_TEXT, max_size=3),
                       ANY))
def test_the_show_output_check_judges_or_refuses_naming_the_command(shown):
    servers = dict(lacp1=dict(method="bond_lacp", uplinks=[dict(interface="eth0", switch="sw1", port="Fa0/1"),
                                                           dict(interface="eth1", switch="sw1", port="Fa0/2")]),
                   stp1=dict(method="bridge_stp", uplinks=[dict(interface="eth0", switch="sw1", port="Fa0/23"),
                                                           dict(interface="eth1", switch="sw2", port="Fa0/23")]))
    cfg = derive("sw1", servers, ["sw1", "sw2"])
    try:
        problems, notes = check_shown(cfg, shown)
    except Exception as exc:  # pylint: disable=broad-except
        refused_cleanly(exc, "switch_verify:")
        return
    assert all(isinstance(line, str) for line in problems + notes)


@given(summary=SHOWN_TEXT, region=SHOWN_TEXT)
def test_the_spanning_tree_answers_are_read_or_refused_naming_the_command(summary, region):
    try:
        stp = spanning_tree({"show spanning-tree summary": summary, "show spanning-tree mst configuration": region})
    except Exception as exc:  # pylint: disable=broad-except
        refused_cleanly(exc, "switch_config:")
        return
    assert stp["mode"] in ("pvst", "rapid-pvst", "mst") and stp["pathcost"] in ("short", "long")


# every interface name below is refused: a control character or CLI syntax rides along, or the kernel keeps it
BAD_IFNAMES = st.one_of(st.sampled_from(["lo", "all", "default", "", " ", "a" * 16, "é0", "$(id)", "eth0;reboot",
                                         "../x", "\x00", "eth\r0", "bond0 ", "-x"]),
                        st.builds(str.__add__, st.sampled_from(["eth0", "eth9", "bond7", "v10"]), SUFFIXES))


def with_bad(field, bad, suffix):
    raw = dict(name="bond0", ports=["eth0", "eth1"], vlans=[dict(id=10)], dns_search=["example.com"])
    if field == "name":
        raw["name"] = bad
    elif field == "port":
        raw["ports"] = ["eth0", bad]
    elif field == "vlan name":
        raw["vlans"] = [dict(id=10, name=bad or " ")]  # an empty name means the default, bond0.10
    elif field == "primary":
        raw["primary"] = bad
    else:
        raw["dns_search"] = ["example.com" + suffix]
    return raw


@given(method=st.sampled_from(["bond_active_backup", "bond_alb"]),
       field=st.sampled_from(["name", "port", "vlan name", "primary", "dns_search"]), bad=BAD_IFNAMES, suffix=SUFFIXES)
def test_a_bad_name_anywhere_in_a_valid_link_is_refused(method, field, bad, suffix):
    var = "%s_links" % method
    try:
        build_links(method, [with_bad(field, bad, suffix)], var)
    except Exception as exc:  # pylint: disable=broad-except
        refused_cleanly(exc, var)
        return
    raise AssertionError("accepted %s %r / %r" % (field, bad, suffix))


@given(where=st.sampled_from(["server", "nic", "port"]), bad=BAD_IFNAMES, suffix=SUFFIXES)
def test_a_bad_name_anywhere_in_a_valid_inventory_never_reaches_the_switch(where, bad, suffix):
    uplinks = [dict(interface="eth0", switch="sw1", port="Gi1/0/1"), dict(interface="eth1", switch="sw2", port="Gi1/0/1")]
    if where == "nic":
        uplinks[0]["interface"] = bad
    elif where == "port":
        uplinks[0]["port"] = "Gi1/0/1" + suffix
    server = "web1" + suffix if where == "server" else "web1"
    try:
        derive("sw1", {server: dict(method="bond_alb", uplinks=uplinks)}, ["sw1", "sw2"])
    except Exception as exc:  # pylint: disable=broad-except
        refused_cleanly(exc, "cisco_ios")
        return
    raise AssertionError("accepted %s %r / %r" % (where, bad, suffix))


def test_the_catalog_options_are_all_exercised():
    """The link strategy draws from the catalog, so a new option is fuzzed without an edit here."""
    assert {opt.name for m in METHODS for opt in options_for(m)} <= set(OPTIONS) | set(PORT)


# --- the wire: lldpd's answers and the cabling check -------------------------------------------------
NEIGHBOUR = st.fixed_dictionaries({}, optional=dict(
    system_name=st.one_of(st.sampled_from(["sw1", "SW2.example.net", "sw9"]), NAMES, ANY),
    port_id=st.one_of(st.sampled_from(["Gi1/0/1", "Fa0/1", "Twe1/1/3", "00:11:22:33:44:55"]), NAMES, ANY),
    port_id_type=st.sampled_from(["local", "ifname", "mac", "ifalias"]), port_descr=NAMES, mgmt=ANY,
    chassis_id=NAMES, via=NAMES))
UPLINKS = st.one_of(st.none(), st.just("discover"), ANY, st.lists(st.fixed_dictionaries(dict(
    interface=NAMES, switch=st.sampled_from(["sw1", "sw2", "sw9"]), port=st.one_of(st.sampled_from(
        ["Gi1/0/1", "FastEthernet0/1"]), NAMES))), max_size=3))


NEIGHBOURS = st.one_of(ANY, st.dictionaries(NAMES, st.lists(st.one_of(NEIGHBOUR, ANY), max_size=3), max_size=3))


@given(uplinks=UPLINKS, neighbours=NEIGHBOURS)
def test_the_cabling_check_judges_or_refuses_naming_the_variable(uplinks, neighbours):
    try:
        result = cabling.check(cabling.inventory_uplinks("web1", uplinks),
                               cabling.wire("web1", neighbours, None, ["sw1", "sw2"]))
    except Exception as exc:  # pylint: disable=broad-except
        refused_cleanly(exc, "cabling:")
        return
    assert all(isinstance(line, str) for line in result["problems"] + result["summary"])
    for uplink in result["uplinks"]:  # what becomes inventory, and so IOS lines, is an IOS name
        assert uplink["switch"] in ("sw1", "sw2") and ios_names.full(uplink["port"]) == uplink["port"]
        assert SAFE.fullmatch(uplink["port"])


LLDPD_ANSWER = st.one_of(ANY, st.builds(lambda body: {"lldp": body}, ANY),
                         st.builds(lambda body: {"lldp": [{"interface": body}]}, ANY),
                         st.builds(lambda name, body: {"lldp": {"interface": {name: body}}}, NAMES, ANY),
                         st.builds(lambda body: {"lldp": [{"interface": [dict(body, name="eth0")]}]},
                                   st.dictionaries(st.sampled_from(["chassis", "port", "vlan", "via"]), ANY)))


@given(answer=st.one_of(LLDPD_ANSWER, st.builds(json.dumps, LLDPD_ANSWER), st.text(max_size=40)))
def test_lldpds_answer_is_read_or_refused(answer):
    try:
        seen = lldp.parse(answer)
    except Exception as exc:  # pylint: disable=broad-except
        refused_cleanly(exc, "lldpcli:")
        return
    assert all(isinstance(nic, str) and all(isinstance(n, dict) for n in entries) for nic, entries in seen.items())


# --- the inventory contract: every variable, and a host's variables as a play sees them ----------------
TEXT_FROM_E = st.sampled_from(["true", "false", "yes", "no", "on", "off", "maybe", "1", "0", "-1", "35", "35s",
                               "2.5", "", " ", "1e3", "０", "１2"])
ADDRESSES = st.sampled_from(["192.0.2.1", "2001:db8::1", "gw.example.net", "300.1.1.1", "127.0.0.1", "::1",
                             "224.0.0.1", "0.0.0.0", "-c1", "--help", "gw_1.example", "a..b", "1.2.3", "fe80::zz"])
SERIALS = st.one_of(st.sampled_from([0, 1, 2, "0%", "1%", "25%", "100%", "150%", "1, 10", True, 2.5, -1, "x%"]),
                    st.lists(st.sampled_from([0, 1, 5, "10%", "100%", "0%", 2.5, True, "abc"]), max_size=4))


def contract_values(var):
    """Near-valid and hostile values for one variable of the contract, drawn from its entry."""
    if var.kind == "uplinks":
        return st.one_of(st.sampled_from(["discover", "discovr", "Discover"]), near(st.lists(UPLINK, max_size=3)))
    if var.kind == "serial":
        return near(SERIALS)
    if var.kind == "links":
        return near(st.one_of(links_of(2).map(lambda case: case[1]), st.lists(ANY, max_size=2)))
    if var.choices:
        return near(st.one_of(st.sampled_from(list(var.choices)), st.sampled_from(list(var.choices)).map(str.upper),
                              st.booleans(), NAMES))
    if var.type == "bool":
        return near(st.one_of(st.booleans(), TEXT_FROM_E, st.integers(-1, 2)))
    if var.type == "int":
        low, high = (var.min if var.min is not None else 0), (var.max if var.max is not None else 5000)
        return near(st.one_of(st.integers(low - 2, high + 2), st.integers(low, high).map(str), TEXT_FROM_E,
                              st.floats(low - 1, high + 1)))
    element = {"ifname": name_like(st.sampled_from(["eth0", "bond0", "br0"])), "address": ADDRESSES,
               "vlan": st.one_of(st.integers(-1, 4100), st.floats(0, 4100), TEXT_FROM_E)}.get(var.kind, NAMES)
    if var.type == "list":
        return near(st.one_of(st.lists(element, max_size=3), element))
    if var.type == "dict":
        return near(st.dictionaries(NAMES, st.one_of(st.integers(-1, 5000), NAMES), max_size=3))
    return near(st.one_of(element, st.builds(str.__add__, st.sampled_from(["reports/x.html", "out", "servers"]),
                                             SUFFIXES)))


def accepted_as_declared(var, read):
    """What the contract accepted is what its entry says: the type, range and choices, and no text
    that could carry a control character or an option into a command or an IOS line."""
    if var.kind != "links":  # a link's own values: the link model's property above
        for text in strings(read):
            assert not CONTROL.search(text) and "\u2028" not in text, (var.name, text)
    if read is None or read == var.default:  # unset: the contract's default (test_contract checks each)
        return
    if var.type == "bool":
        assert isinstance(read, bool)
    elif var.type == "int":
        assert isinstance(read, int) and not isinstance(read, bool)
        assert var.min is None or var.min <= read <= var.max
    elif var.choices:
        assert read in var.choices
    elif var.kind == "serial":
        for batch in read if isinstance(read, list) else [read]:
            assert (isinstance(batch, int) and batch >= 1) or re.fullmatch(r"([1-9][0-9]?|100)%", batch), read
    elif var.kind == "uplinks" and isinstance(read, list):
        for uplink in read:
            assert ios_names.full(uplink["port"]) == uplink["port"] and SAFE.fullmatch(uplink["interface"])
    elif var.kind in ("ifname", "address", "token") and read is not None:
        for text in read if isinstance(read, list) else [read]:
            assert SAFE.fullmatch(text) and not text.startswith("-"), (var.name, text)
    elif var.kind == "vlan" and read is not None:
        assert all(1 <= vlan <= 4094 for vlan in (read if isinstance(read, list) else [read]))


@given(data=st.data(), var=st.sampled_from([v for v in VARIABLES if not v.internal]))
def test_every_contract_variable_is_read_as_declared_or_refused_naming_it(data, var):
    value = data.draw(contract_values(var))
    try:
        read = contract.check(var.name, value)
    except Exception as exc:  # pylint: disable=broad-except
        refused_cleanly(exc, var.name)
        return
    accepted_as_declared(var, read)


SERVER_VARS = st.fixed_dictionaries({}, optional={
    name: contract_values(CONTRACT[name]) for name in (
        "redundancy_mode", "switch_managed", "share_bandwidth", "bridge_fallback", "switches_stacked",
        "managed_switches", "uplinks", "redundancy_links", "redundancy_cabling_mode", "redundancy_lldp_wait",
        "drill_target", "drill_links", "site_serial", "discover_dest", "bond_lacp_confirm_timeout",
        "bridge_stp_links", "bond_alb_backend")})
SWITCH_VARS = st.fixed_dictionaries({}, optional={
    s.name: contract_values(s) for s in SWITCH_SETTINGS if not s.internal})
PREFIXES = tuple(CONTRACT) + ("select_mode:", "cisco_ios", "switch_config:", "web1:", "sw1's", "sw2's")


@given(server=SERVER_VARS, switch=SWITCH_VARS, playbook=st.sampled_from(list(PLAYBOOKS)))
def test_a_hosts_variables_pass_the_preflight_or_are_refused_naming_each(server, switch, playbook):
    """The property a play rests on: the check before any task either passes, and then nothing the
    playbook goes on to do with those variables fails with anything but the collection's message
    (nor renders a line with a control character), or it names the variable in every line."""
    hosts = {"web1": server, "sw1": switch, "sw2": {"cisco_ios_stp_root": "secondary"}}
    inventory = preflight.Inventory(["web1"], ["sw1", "sw2"], list(hosts), hosts)
    for host, scope in (("web1", "server"), ("sw1", "switch")):
        found = preflight.problems(host, scope, playbook, inventory)
        for line in found:
            assert line.startswith(PREFIXES) and not CONTROL.search(line.replace("\n", " ")), line
    if playbook != "site" or preflight.problems("web1", "server", "site", inventory) \
            or preflight.problems("sw1", "switch", "site", inventory):
        return
    method = preflight.method_of({k: contract.check(k, v) for k, v in server.items() if CONTRACT[k].read_by("site")})
    if method is None:
        return
    settings = {CONTRACT[name].key: value for name, value in switch.items() if not CONTRACT[name].role}
    uplinks = contract.check("uplinks", server.get("uplinks")) or []
    try:
        cfg = derive("sw1", {"web1": dict(method=method, uplinks=uplinks)}, ["sw1", "sw2"], settings)
        commands = resources(cfg)
    except Exception as exc:  # pylint: disable=broad-except
        refused_cleanly(exc, "cisco_ios", "switch_config:")
        return
    for text in strings(commands):
        assert not CONTROL.search(text) and "\n" not in text, text


@given(text=SHOWN_TEXT, protocol=st.sampled_from(["lldp", "cdp"]))
def test_neighbour_tables_are_read_or_refused_naming_the_command(text, protocol):
    try:
        rows = ios_show.neighbors_detail(text, protocol)
    except Exception as exc:  # pylint: disable=broad-except
        refused_cleanly(exc, "show %s neighbors detail:" % protocol)
        return
    assert all(isinstance(row["local"], str) and row["via"] == protocol.upper() for row in rows)
