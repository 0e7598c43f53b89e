# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The redundancy decision tree, as pure functions.

1. Control over managed switches?  no -> 5
2. Interfaces on different switches?  no -> 4
3. May the server bridge as a last resort?  yes -> STP bridge, no -> active-backup
4. Share bandwidth when both are up?  yes -> 802.3ad, no -> active-backup
5. Share bandwidth when both are up?  yes -> balance-alb, no -> active-backup

Every answer comes from an explicit option or is inferred from the uplinks;
an answer that is needed and missing is an error, never a guess.
"""

from __future__ import annotations

from ansible_collections.redundant.interfaces.plugins.module_utils.names import (
    ifname_problem,
    interface_facts,
)
from ansible.module_utils.parsing.convert_bool import boolean
from ansible_collections.redundant.interfaces.plugins.module_utils.catalog import METHODS, SWITCH_LACP
from ansible_collections.redundant.interfaces.plugins.module_utils.errors import RedundantError
from ansible_collections.redundant.interfaces.plugins.module_utils.arguments import argument_spec

QUESTIONS = {
    "switch_managed": (1, "Do you have control over your managed switches?"),
    "separate_switches": (2, "Are the interfaces connected to different switches?"),
    "bridge_fallback": (3, "Should the server take over bridging as a last resort?"),
    "share_bandwidth": (4, "Should the interfaces share bandwidth when both are up?"),
}

ARGUMENT_SPEC = argument_spec("select_mode")
# the host variables that answer the tree (facts come from fact gathering)
INPUTS = tuple(name for name in ARGUMENT_SPEC if name != "facts")


class DecisionError(RedundantError, ValueError):
    """The inputs cannot lead to a decision; the message says why and what to set."""


def checked(params):
    """The inputs with their types checked (and yes/no words read as booleans): the tree also
    runs on a host's raw variables (the switch side), where no argument spec has looked."""
    out = dict(params)
    for name in ("switch_managed", "separate_switches", "bridge_fallback", "share_bandwidth", "switches_stacked"):
        if out.get(name) is not None:
            try:
                out[name] = boolean(out[name], strict=True)
            except TypeError:
                raise DecisionError("select_mode: %s must be true or false, got %r" % (name, out[name])) from None
    uplinks, managed, facts = out.get("uplinks"), out.get("managed_switches"), out.get("facts")
    if uplinks is not None and (not isinstance(uplinks, list) or not all(
            isinstance(u, dict) and isinstance(u.get("interface"), str) and isinstance(u.get("switch"), (str, type(None)))
            for u in uplinks)):
        raise DecisionError("select_mode: uplinks must be a list of {interface, switch, port}, got %r" % (uplinks,))
    if managed is not None and (not isinstance(managed, list) or not all(isinstance(m, str) for m in managed)):
        raise DecisionError("select_mode: managed_switches must be a list of switch names, got %r" % (managed,))
    if facts is not None and not isinstance(facts, dict):
        raise DecisionError("select_mode: facts must be the host's facts (a mapping), got %r" % (facts,))
    return out


def decide(params):
    """Walk the tree for one host. Returns mode (the method: select_mode's public name), bonding_mode, path, warnings."""
    params = checked(params)
    warnings = []
    uplinks = params.get("uplinks")
    facts = params.get("facts") or {}
    if uplinks is not None:
        _check_uplinks(uplinks, facts)
    answers = _answers(params, warnings)
    path = []

    def ask(variable, number=None):
        answer, source = answers[variable]
        default_number, text = QUESTIONS[variable]
        number = number or default_number
        if answer is None:
            raise DecisionError(
                "select_mode: question %d '%s' has no answer; set %s%s"
                % (number, text, variable, _HOW_TO_INFER.get(variable, ""))
            )
        path.append(dict(question=number, text=text, variable=variable, answer=answer, source=source))
        return answer

    if ask("switch_managed"):
        if ask("separate_switches"):
            method = "bridge_stp" if ask("bridge_fallback") else "bond_active_backup"
        else:
            method = "bond_lacp" if ask("share_bandwidth") else "bond_active_backup"
    else:
        # the tree asks the bandwidth question again, as step 5, on this branch
        method = "bond_alb" if ask("share_bandwidth", 5) else "bond_active_backup"

    if METHODS[method].switch == SWITCH_LACP and uplinks:
        warnings.extend(_lacp_link_warnings(uplinks, facts))
    return dict(mode=method, bonding_mode=METHODS[method].mode, path=path, warnings=warnings)


_HOW_TO_INFER = {
    "switch_managed": " (or give uplinks with their switch and list managed_switches)",
    "separate_switches": " (or give uplinks with the switch each interface is cabled to)",
}


def _check_uplinks(uplinks, facts):
    if len(uplinks) < 2:
        raise DecisionError(
            "select_mode: uplinks lists %d interface(s); redundancy needs at least two" % len(uplinks)
        )
    seen = set()
    known = facts.get("interfaces")
    for uplink in uplinks:
        name = uplink["interface"]
        problem = ifname_problem(name)
        if problem:
            raise DecisionError("select_mode: uplinks interface %r %s" % (name, problem))
        if name in seen:
            raise DecisionError("select_mode: uplinks lists interface %s twice" % name)
        seen.add(name)
        if known is not None and name not in known:
            raise DecisionError(
                "select_mode: uplinks interface %s does not exist on this host (it has: %s)"
                % (name, ", ".join(sorted(known)))
            )


def _answers(params, warnings):
    """variable -> (answer or None, where it came from)."""
    uplinks = params.get("uplinks") or []
    switches = [u.get("switch") for u in uplinks]
    have_switches = bool(uplinks) and all(switches)
    distinct = sorted(set(switches)) if have_switches else []
    stacked = params.get("switches_stacked")

    inferred_managed = None
    managed = params.get("managed_switches")
    if have_switches and managed is not None:
        unmanaged = [s for s in distinct if s not in managed]
        inferred_managed = not unmanaged
        if unmanaged and len(unmanaged) < len(distinct):
            warnings.append(
                "select_mode: uplink switches %s are not in managed_switches; "
                "treating the switches as not under your control" % ", ".join(unmanaged)
            )
    inferred_separate = len(distinct) > 1 if have_switches else None

    answers = {
        "switch_managed": _pick(params, "switch_managed", inferred_managed, "managed_switches", warnings),
        "separate_switches": _pick(params, "separate_switches", inferred_separate, "uplinks", warnings),
        "bridge_fallback": _pick(params, "bridge_fallback", None, None, warnings),
        "share_bandwidth": _pick(params, "share_bandwidth", None, None, warnings),
    }
    if stacked and answers["separate_switches"][0]:
        # a stack or MLAG pair acts as one switch (and can carry 802.3ad)
        answers["separate_switches"] = (False, "switches_stacked")
    return answers


def _pick(params, variable, inferred, inferred_from, warnings):
    explicit = params.get(variable)
    if explicit is None:
        return inferred, inferred_from
    if inferred is not None and inferred != explicit:
        warnings.append(
            "select_mode: %s=%s contradicts %s (which implies %s); using the explicit value"
            % (variable, explicit, inferred_from, inferred)
        )
    return explicit, "option"


def _lacp_link_warnings(uplinks, facts):
    """802.3ad aggregates only ports of equal speed and duplex."""
    if not facts:
        return []
    speeds, duplexes, unknown = {}, {}, []
    for uplink in uplinks:
        name = uplink["interface"]
        info = interface_facts(facts, name) or {}
        speed, duplex = info.get("speed"), info.get("duplex")
        if speed is None or speed in (-1, 0) or duplex in (None, "unknown"):
            unknown.append(name)
        if speed not in (None, -1, 0):
            speeds[name] = speed
        if duplex not in (None, "unknown"):
            duplexes[name] = duplex
    for what, seen in (("speed", speeds), ("duplex", duplexes)):
        if len(set(seen.values())) > 1:
            raise DecisionError(
                "select_mode: 802.3ad needs all uplinks at the same %s; found %s"
                % (what, ", ".join("%s=%s" % item for item in sorted(seen.items())))
            )
    if unknown:
        return [
            "select_mode: speed or duplex of %s is unknown; 802.3ad only aggregates ports "
            "of equal speed and duplex" % ", ".join(unknown)
        ]
    return []
