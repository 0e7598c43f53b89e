# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A host's links (status.collect) judged against its selected method, one line per link.
Controller only (link_health): a module that reads the links carries no catalog."""

from __future__ import annotations

from ansible_collections.redundant.interfaces.plugins.module_utils.catalog import METHODS
from ansible_collections.redundant.interfaces.plugins.module_utils.status import CABLE_ONLY


def health(method, links, names=()):
    """(healthy, summary lines) for a host whose selected method is `method`:
    its links of that kind (the named ones, else all) must exist and be redundant."""
    kind, mode = METHODS[method].kind, METHODS[method].mode
    wanted = list(names) or sorted(n for n, link in links.items()
                                   if link["kind"] == kind and (mode is None or link.get("mode") == mode))
    lines, healthy = [], True
    if not wanted:
        return False, ["%s: no %s found" % (method, METHODS[method].what)]
    for name in wanted:
        link = links.get(name)
        if link is None:
            lines.append("%s: missing (%s)" % (name, method))
            healthy = False
            continue
        verdict = link["verdict"]
        problems = list(link["reasons"]) if verdict != "redundant" else []
        if link["kind"] != kind or (mode and link.get("mode") != mode):
            verdict = "wrong method"
            problems.insert(0, "%s wants %s" % (method, mode or kind))
        healthy = healthy and not problems
        blind = " - %s (%s)" % (CABLE_ONLY, link["monitor"]) if link.get("protection") == CABLE_ONLY else ""
        lines.append("%s: %s %s, %s%s%s" % (name, link.get("mode") or link.get("protocol") or "stp", link["kind"],
                                            verdict, ": " + "; ".join(problems) if problems else _ports(link), blind))
    return healthy, lines


def _ports(link):
    if link["kind"] == "bond":
        ports = ", ".join("%s %s" % (n, p["mii_status"]) for n, p in sorted(link["ports"].items()))
        extra = "; active %s" % link["active_port"] if link.get("active_port") else ""
        partner = (link.get("aggregator") or {}).get("partner_mac")
        return " (%s%s%s)" % (ports, extra, "; partner %s" % partner if partner else "")
    return " (%s; root %s)" % (", ".join(" ".join(filter(None, (n, p.get("role"), p["state"])))
                                         for n, p in sorted(link["ports"].items())), link["root_id"])
