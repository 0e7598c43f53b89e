"""The decision tree: every path, inference from uplinks, contradictions, every error."""

from __future__ import annotations

import itertools

import pytest

from ansible_collections.redundant.interfaces.plugins.module_utils.catalog import METHODS
from ansible_collections.redundant.interfaces.plugins.module_utils.decision import (
    DecisionError,
    decide,
)

ANSWERS = ("switch_managed", "separate_switches", "bridge_fallback", "share_bandwidth")


def expected_mode(managed, separate, fallback, share):
    """The seed's tree, written out as a table to check the code against."""
    if not managed:
        return "bond_alb" if share else "bond_active_backup"
    if separate:
        return "bridge_stp" if fallback else "bond_active_backup"
    return "bond_lacp" if share else "bond_active_backup"


def params(**kwargs):
    base = dict.fromkeys(ANSWERS)
    base.update(switches_stacked=False, uplinks=None, managed_switches=None, facts=None)
    base.update(kwargs)
    return base


def uplinks(*switches):
    return [dict(interface="eth%d" % i, switch=s, port="Gi1/0/%d" % (i + 1)) for i, s in enumerate(switches)]


@pytest.mark.parametrize("combo", list(itertools.product((True, False), repeat=4)))
def test_every_answer_combination(combo):
    result = decide(params(**dict(zip(ANSWERS, combo))))
    assert result["mode"] == expected_mode(*combo)
    assert result["bonding_mode"] == METHODS[result["mode"]].mode
    assert all(step["source"] == "option" for step in result["path"])
    assert result["warnings"] == []


@pytest.mark.parametrize(
    "answers, mode, asked",
    [
        (dict(switch_managed=True, separate_switches=True, bridge_fallback=True), "bridge_stp", [1, 2, 3]),
        (dict(switch_managed=True, separate_switches=True, bridge_fallback=False), "bond_active_backup", [1, 2, 3]),
        (dict(switch_managed=True, separate_switches=False, share_bandwidth=True), "bond_lacp", [1, 2, 4]),
        (dict(switch_managed=True, separate_switches=False, share_bandwidth=False), "bond_active_backup", [1, 2, 4]),
        (dict(switch_managed=False, share_bandwidth=True), "bond_alb", [1, 5]),
        (dict(switch_managed=False, share_bandwidth=False), "bond_active_backup", [1, 5]),
    ],
)
def test_only_questions_on_the_path_are_needed(answers, mode, asked):
    result = decide(params(**answers))
    assert result["mode"] == mode
    assert [step["question"] for step in result["path"]] == asked


def test_path_records_question_text_and_answer():
    path = decide(params(switch_managed=False, share_bandwidth=True))["path"]
    assert path == [
        dict(question=1, text="Do you have control over your managed switches?",
             variable="switch_managed", answer=False, source="option"),
        dict(question=5, text="Should the interfaces share bandwidth when both are up?",
             variable="share_bandwidth", answer=True, source="option"),
    ]


@pytest.mark.parametrize(
    "answers, variable, number",
    [
        (dict(), "switch_managed", 1),
        (dict(switch_managed=True), "separate_switches", 2),
        (dict(switch_managed=True, separate_switches=True), "bridge_fallback", 3),
        (dict(switch_managed=True, separate_switches=False), "share_bandwidth", 4),
        (dict(switch_managed=False), "share_bandwidth", 5),
    ],
)
def test_unanswered_question_names_it_and_the_variable(answers, variable, number):
    with pytest.raises(DecisionError) as err:
        decide(params(**answers))
    assert "question %d" % number in str(err.value)
    assert "set %s" % variable in str(err.value)


def test_separate_switches_inferred_from_uplinks():
    result = decide(params(switch_managed=True, bridge_fallback=True, uplinks=uplinks("sw1", "sw2")))
    assert result["mode"] == "bridge_stp"
    assert result["path"][1]["source"] == "uplinks"
    assert result["path"][1]["answer"] is True


@pytest.mark.parametrize("given, mode, step, question, variable, source", [
    # one switch, from the uplinks
    (dict(switch_managed=True, share_bandwidth=True, uplinks=uplinks("sw1", "sw1")), "bond_lacp", 1,
     (2, "Are the interfaces connected to different switches?"), "separate_switches", "uplinks"),
    # unmanaged switches, from managed_switches
    (dict(share_bandwidth=True, uplinks=uplinks("a", "b"), managed_switches=[]), "bond_alb", 0,
     (1, "Do you have control over your managed switches?"), "switch_managed", "managed_switches"),
])
def test_answers_inferred_from_the_inventory(given, mode, step, question, variable, source):
    result = decide(params(**given))
    assert result["mode"] == mode
    assert result["path"][step] == dict(question=question[0], text=question[1], variable=variable, answer=False,
                                        source=source)


def test_switch_managed_inferred_from_managed_switches():
    result = decide(params(share_bandwidth=True, uplinks=uplinks("sw1", "sw1"), managed_switches=["sw1"]))
    assert result["mode"] == "bond_lacp"
    assert result["path"][0]["source"] == "managed_switches"


def test_partly_managed_switches_count_as_unmanaged_with_warning():
    result = decide(params(share_bandwidth=False, uplinks=uplinks("sw1", "other"), managed_switches=["sw1"]))
    assert result["mode"] == "bond_active_backup"
    assert result["path"][0]["answer"] is False
    assert any("other" in w and "managed_switches" in w for w in result["warnings"])


def test_uplinks_without_managed_switches_do_not_answer_question_1():
    with pytest.raises(DecisionError, match="question 1"):
        decide(params(uplinks=uplinks("sw1", "sw2")))


def test_uplinks_missing_a_switch_do_not_answer_question_2():
    links = uplinks("sw1", "sw2")
    del links[1]["switch"]
    with pytest.raises(DecisionError, match="set separate_switches"):
        decide(params(switch_managed=True, uplinks=links))


def test_stacked_switches_act_as_one_and_carry_lacp():
    result = decide(params(share_bandwidth=True, switches_stacked=True,
                           uplinks=uplinks("sw1", "sw2"), managed_switches=["sw1", "sw2"]))
    assert result["mode"] == "bond_lacp"
    assert result["path"][1]["answer"] is False
    assert result["path"][1]["source"] == "switches_stacked"
    assert result["warnings"] == []


def test_stacked_overrides_explicit_separate_switches():
    result = decide(params(switch_managed=True, separate_switches=True, share_bandwidth=True, switches_stacked=True))
    assert result["mode"] == "bond_lacp"


def test_stacked_without_separate_switches_changes_nothing():
    result = decide(params(switch_managed=True, share_bandwidth=True, switches_stacked=True,
                           uplinks=uplinks("sw1", "sw1")))
    assert result["mode"] == "bond_lacp"
    assert result["path"][1]["source"] == "uplinks"


@pytest.mark.parametrize(
    "explicit, switches, implied",
    [(True, ("sw1", "sw1"), False), (False, ("sw1", "sw2"), True)],
)
def test_explicit_answer_wins_over_uplinks_with_a_warning(explicit, switches, implied):
    result = decide(params(switch_managed=True, separate_switches=explicit, bridge_fallback=True,
                           share_bandwidth=True, uplinks=uplinks(*switches)))
    assert result["path"][1]["answer"] is explicit
    assert result["path"][1]["source"] == "option"
    (warning,) = result["warnings"]
    assert "separate_switches=%s contradicts uplinks" % explicit in warning
    assert "implies %s" % implied in warning


def test_explicit_switch_managed_contradicting_managed_switches_warns():
    result = decide(params(switch_managed=True, share_bandwidth=True,
                           uplinks=uplinks("sw1", "sw1"), managed_switches=[]))
    assert result["mode"] == "bond_lacp"
    assert any("switch_managed=True contradicts managed_switches" in w for w in result["warnings"])


def test_fewer_than_two_uplinks_fails():
    with pytest.raises(DecisionError, match="lists 1 interface.*at least two"):
        decide(params(switch_managed=False, share_bandwidth=True, uplinks=uplinks("sw1")))


def test_nic_listed_twice_fails_naming_it():
    links = uplinks("sw1", "sw2")
    links[1]["interface"] = "eth0"
    with pytest.raises(DecisionError, match="interface eth0 twice"):
        decide(params(switch_managed=False, share_bandwidth=True, uplinks=links))


@pytest.mark.parametrize("name", ["", "a" * 16, "eth0;reboot", "../x", "eth 0", "-eth"])
def test_impossible_interface_name_fails(name):
    links = uplinks("sw1", "sw2")
    links[0]["interface"] = name
    with pytest.raises(DecisionError, match="uplinks interface"):
        decide(params(switch_managed=False, share_bandwidth=True, uplinks=links))


def facts(**speeds):
    result = {"interfaces": ["lo"] + sorted(speeds)}
    for name, (speed, duplex) in speeds.items():
        result[name] = {"device": name, "speed": speed}
        if duplex:
            result[name]["duplex"] = duplex
    return result


@pytest.mark.parametrize("switches, nics, match", [
    (("a", "b"), dict(eth0=(1000, "full"), eth2=(1000, "full")), "interface eth1 does not exist on this host.*eth0"),
    (("sw1", "sw1"), dict(eth0=(1000, "full"), eth1=(10000, "full")), "same speed; found eth0=1000, eth1=10000"),
    (("sw1", "sw1"), dict(eth0=(1000, "full"), eth1=(1000, "half")), "same duplex; found eth0=full, eth1=half"),
])
def test_uplinks_the_host_cannot_carry_fail_naming_them(switches, nics, match):
    managed = switches[0] == "sw1"
    with pytest.raises(DecisionError, match=match):
        decide(params(switch_managed=managed, share_bandwidth=True, uplinks=uplinks(*switches), facts=facts(**nics)))


def test_lacp_equal_links_pass_quietly():
    result = decide(params(switch_managed=True, share_bandwidth=True, uplinks=uplinks("sw1", "sw1"),
                           facts=facts(eth0=(1000, "full"), eth1=(1000, "full"))))
    assert result["mode"] == "bond_lacp"
    assert result["warnings"] == []


def test_lacp_unknown_speed_or_duplex_warns():
    result = decide(params(switch_managed=True, share_bandwidth=True, uplinks=uplinks("sw1", "sw1"),
                           facts=facts(eth0=(-1, None), eth1=(1000, None))))
    assert result["mode"] == "bond_lacp"
    (warning,) = result["warnings"]
    assert "eth0, eth1" in warning and "unknown" in warning


def test_speed_mismatch_is_fine_without_lacp():
    result = decide(params(switch_managed=False, share_bandwidth=True, uplinks=uplinks("a", "b"),
                           facts=facts(eth0=(1000, "full"), eth1=(10000, "full"))))
    assert result["mode"] == "bond_alb"
