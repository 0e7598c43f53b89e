# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The redundancy report: one HTML page with an SVG topology (switches on top,
servers below, one line per NIC to its switch port, coloured by what the
kernel says the port does) and a table per host (method and why, health,
last drill).

Input, per server: method, path (select_mode's answers), uplinks, links
(link_facts), drill (link_facts' last drill kept on the host: time, rows;
optional), cabling (the cabling action's fact: the wire's cables and what
disagrees with the inventory; optional); per switch: notes and blocking
(switch_verify: the ports its spanning trees block). The cables drawn are the
wire's when it was read; one the inventory puts elsewhere is drawn as
miscabled, and one blocked at either end as blocking, with the end named.
"""

from __future__ import annotations

from html import escape

from ansible_collections.redundant.interfaces.plugins.module_utils.drill import measured
from ansible_collections.redundant.interfaces.plugins.module_utils.ios_names import as_read as ios_full
from ansible_collections.redundant.interfaces.plugins.module_utils.status import CABLE_ONLY

# what a port does -> (colour, dash, label)
STYLE = {
    "active": ("#1a7f37", "", "active"),
    "aggregated": ("#1a7f37", "", "aggregated (LACP)"),
    "forwarding": ("#1a7f37", "", "forwarding"),
    "standby": ("#9a6700", "6,4", "standby"),
    "blocking": ("#9a6700", "2,4", "STP blocking"),
    "down": ("#cf222e", "", "down"),
    "unknown": ("#6e7781", "3,3", "not read"),
    "miscabled": ("#cf222e", "8,3", "miscabled (the inventory says otherwise)"),
}
WIDTH, SERVER_W, SWITCH_W = 180, 150, 160
UNKNOWN = "method unknown"  # a server whose redundancy_mode broke its rule, and no decision
# servers per band: six across (1 120 px) stays within a laptop screen's width; a band is BAND_H tall
PER_ROW, BAND_H = 6, 310
# bond modes whose ports all carry traffic (balance-alb receives on each port too): the "active
# slave" /proc/net/bonding names there is only the one that takes broadcasts
SHARING = ("balance-alb", "balance-tlb", "balance-rr", "balance-xor", "broadcast")


def port_role(links, nic):
    """What a server NIC does according to the kernel's view of its link."""
    for link in links.values():
        port = link.get("ports", {}).get(nic)
        if port is None:
            continue
        if link["kind"] == "bridge":
            state = port.get("state")
            return {"forwarding": "forwarding", "disabled": "down"}.get(state, "blocking")
        if port.get("mii_status") != "up":
            return "down"
        if link.get("mode") == "802.3ad":
            return "aggregated" if port.get("aggregator_id") == (link.get("aggregator") or {}).get("id") else "standby"
        if link.get("active_port") and link.get("mode") not in SHARING:
            return "active" if link["active_port"] == nic else "standby"
        return "active"
    return "unknown"


def _cable(host, uplink, links, switches):
    """(role, blocked end) of one cable: the server's view of its NIC, unless the switch's spanning tree
    blocks the other end; the blocked end is (device owner, port), None when nothing blocks."""
    nic, switch, port = uplink.get("interface"), uplink.get("switch"), ios_full(uplink.get("port"))
    role = port_role(links, nic)
    if role == "blocking":
        return role, (host, str(nic))
    if role not in ("down", "unknown") and port in (switches.get(switch) or {}).get("blocking", ()):
        return "blocking", (str(switch), port)
    return role, None


def verdict(links):
    verdicts = [link["verdict"] for link in links.values()]
    if not verdicts:
        return "no link"
    for worst in ("not redundant", "degraded"):
        if worst in verdicts:
            return worst
    return "redundant"


def svg(servers, switches):
    """The topology picture: bands stacked down the page, each with switches on top and at most
    PER_ROW servers below, a line per cable. Servers cabled to the same switches share bands (a fleet of
    pairs draws as groups, not as a web across the page; a group too large for one band continues in
    the next, its switches drawn again above it), and each switch stands above the middle of its
    servers; a switch's cables meet it side by side in the order of the servers they come from, so they
    do not cross on their way up; each NIC's name sits beside its own cable; the legend wraps to the
    picture's width."""
    bands = _bands(servers, switches)
    width = max(max(len(names), len(hosts), 1) * WIDTH + 40 for names, hosts, dummy in bands)
    width = max(width, 3 * WIDTH + 40)  # room for the legend in three lines at most
    out = []
    for n, (names, hosts, caption) in enumerate(bands):
        wide = max(len(names), len(hosts), 1) * WIDTH + 40
        out.append('<g transform="translate(%.0f,%d)">' % ((width - wide) / 2, n * BAND_H))
        if len(bands) > 1:
            out.append('<text x="20" y="12" font-size="11" fill="#57606a">%s</text>' % escape(caption))
        out += _band(servers, switches, names, hosts, wide)
        out.append("</g>")
    legend, height = _legend(width, len(bands) * BAND_H)
    return "\n".join(['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" '
                      'font-size="12" role="img" aria-label="redundancy topology">' % (width, height)]
                     + out + legend + ["</svg>"])


def _bands(servers, switches):
    """[(switch names, hosts, caption)] top to bottom: the servers of each set of switches in even
    slices of at most PER_ROW, each slice under the switches it is cabled to; slices that fit together
    share a band (a small lab is one band); switches no server reaches stand in the first band."""
    names = sorted(switches)
    groups = {}
    for host in sorted(servers):
        groups.setdefault(tuple(_switches_of(servers[host], names)), []).append(host)
    reached = {names[i] for key in groups for i in key}
    bands = [([n for n in names if n not in reached], [], [])] if reached != set(names) else []
    for key, hosts in sorted(groups.items()):
        on = " · ".join(names[i] for i in key) or "no switch of the inventory"
        slices = -(-len(hosts) // PER_ROW)
        size = -(-len(hosts) // slices)
        for first in range(0, len(hosts), size):
            part = hosts[first:first + size]
            caption = "%s: servers %d-%d of %d" % (on, first + 1, first + len(part), len(hosts)) \
                if slices > 1 else "%s: %d server%s" % (on, len(hosts), "" if len(hosts) == 1 else "s")
            mine = [names[i] for i in key]
            if bands and len(bands[-1][1]) + len(part) <= PER_ROW \
                    and len(set(bands[-1][0]) | set(mine)) <= PER_ROW:
                last = bands[-1]
                last[0].extend(n for n in mine if n not in last[0])
                last[1].extend(part)
                last[2].append(caption)
            else:
                bands.append((mine, list(part), [caption]))
    return [(sorted(names), hosts, "; ".join(caption)) for names, hosts, caption in bands] or [([], [], "")]


def _band(servers, switches, names, hosts, width):
    """One band's elements: its switches, its servers and the cables between them."""
    hx = {name: 20 + i * WIDTH + (WIDTH - SERVER_W) / 2 for i, name in enumerate(hosts)}
    cables = [cable for host in hosts for cable in _cables(host, servers[host], switches, hx[host])]
    sx = _above(names, cables, width)
    _spread(cables, sx)
    out = []
    for cable in cables:
        out += _cable_drawn(cable)
    for host in hosts:
        info = servers[host]
        health = verdict(info.get("links") or {})
        fill = {"redundant": "#dafbe1", "degraded": "#fff8c5"}.get(health, "#ffebe9")
        out.append('<rect x="%.0f" y="230" width="%d" height="60" rx="6" fill="%s" stroke="#57606a"/>'
                   % (hx[host], SERVER_W, fill))
        out.append('<text x="%.0f" y="252" text-anchor="middle" font-weight="bold">%s</text>'
                   % (hx[host] + SERVER_W / 2, escape(host)))
        out.append('<text x="%.0f" y="270" text-anchor="middle">%s</text>'
                   % (hx[host] + SERVER_W / 2, escape(info.get("method") or UNKNOWN)))
        out.append('<text x="%.0f" y="285" text-anchor="middle" font-size="10">%s</text>'
                   % (hx[host] + SERVER_W / 2, escape(health)))
    for name in names:
        out.append('<rect x="%.0f" y="20" width="%d" height="50" rx="6" fill="#ddf4ff" stroke="#57606a"/>'
                   % (sx[name], SWITCH_W))
        out.append('<text x="%.0f" y="42" text-anchor="middle" font-weight="bold">%s</text>'
                   % (sx[name] + SWITCH_W / 2, escape(name)))
        root = "STP root" if switches[name].get("root_of") else ""
        out.append('<text x="%.0f" y="60" text-anchor="middle" font-size="10">%s</text>'
                   % (sx[name] + SWITCH_W / 2, root))
    return out


def _cables(host, info, switches, left):
    """One server's cables: {host, nic, switch, port, role, blocked, x1} each, x1 where it leaves the box."""
    said = {u.get("interface"): (u.get("switch"), ios_full(u.get("port"))) for u in info.get("uplinks") or []}
    cabling = info.get("cabling") or {}
    uplinks = cabling.get("wire") or info.get("uplinks") or []
    out = []
    for n, uplink in enumerate(uplinks):
        role, blocked = _cable(host, uplink, info.get("links") or {}, switches)
        want = said.get(uplink.get("interface"))
        if cabling.get("problems") and want and want != (uplink.get("switch"), ios_full(uplink.get("port"))):
            role, blocked = "miscabled", None
        out.append(dict(host=host, nic=str(uplink.get("interface")), switch=uplink.get("switch"),
                        port=str(uplink.get("port")), role=role, blocked=blocked,
                        x1=left + 20 + n * (SERVER_W - 40) / max(len(uplinks) - 1, 1)))
    return out


def _switches_of(info, names):
    """The positions (in `names`) of the switches a server's drawn cables reach (the wire's when it was
    read): servers with the same ones share bands."""
    drawn = (info.get("cabling") or {}).get("wire") or info.get("uplinks") or []
    return sorted({names.index(u["switch"]) for u in drawn if u.get("switch") in names})


def _above(names, cables, width):
    """Each switch's left edge: above the middle of the cables that reach it (switches without any
    spread evenly), in that order, never overlapping and within the picture."""
    even = (width - 40) / max(len(names), 1)
    want = {}
    for i, name in enumerate(names):
        ends = [c["x1"] for c in cables if c["switch"] == name]
        want[name] = (sum(ends) / len(ends) if ends else 20 + i * even + even / 2) - SWITCH_W / 2
    order = sorted(names, key=lambda name: (want[name], name))
    gap, x = SWITCH_W + 20, {}
    for i, name in enumerate(order):  # left to right: no overlap
        x[name] = max(want[name], 20, x[order[i - 1]] + gap if i else 20)
    for i in reversed(range(len(order))):  # right to left: within the picture
        limit = width - 20 - SWITCH_W if i == len(order) - 1 else x[order[i + 1]] - gap
        x[order[i]] = min(x[order[i]], limit)
    return x


def _spread(cables, sx):
    """Where each cable meets its switch (x2): side by side along the switch's bottom edge, in the order
    of where the cables start, so two cables to one switch never cross."""
    for name in {c["switch"] for c in cables}:
        mine = sorted((c for c in cables if c["switch"] == name), key=lambda c: c["x1"])
        left = sx.get(name)
        for i, cable in enumerate(mine):
            cable["x2"] = cable["x1"] if left is None else left + SWITCH_W * (i + 1) / (len(mine) + 1)


def _cable_drawn(cable):
    colour, dash, label = STYLE[cable["role"]]
    x1, x2, blocked = cable["x1"], cable["x2"], cable["blocked"]
    out = ['<line x1="%.0f" y1="230" x2="%.0f" y2="70" stroke="%s" stroke-width="3"%s>'
           '<title>%s %s - %s %s: %s%s</title></line>'
           % (x1, x2, colour, ' stroke-dasharray="%s"' % dash if dash else "", escape(cable["host"]),
              escape(cable["nic"]), escape(str(cable["switch"])), escape(cable["port"]), label,
              " at %s" % escape(" ".join(blocked)) if blocked else "")]
    # the NIC's name just above the box, on the side of its cable away from where the cable heads
    at = x1 + (x2 - x1) * 0.1
    out.append('<text x="%.0f" y="212" text-anchor="%s" font-size="10">%s</text>'
               % (at + (-5 if x2 >= x1 else 5), "end" if x2 >= x1 else "start", escape(cable["nic"])))
    if blocked:  # a mark at the end that blocks
        at_server = blocked[0] == cable["host"]
        out.append('<circle cx="%.0f" cy="%d" r="5" fill="%s"/>'
                   % (x1 + (x2 - x1) * (0.06 if at_server else 0.94), 221 if at_server else 79, colour))
    return out


def _legend(width, top):
    """The legend's elements below `top`, wrapped to the picture's width, and the picture's height with it."""
    out, x, y = [], 20, top + 15
    for role in ("active", "aggregated", "standby", "blocking", "down", "miscabled"):
        colour, dash, label = STYLE[role]
        wide = 40 + 7 * len(label)
        if x > 20 and x + wide > width - 10:
            x, y = 20, y + 20
        out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="3"%s/>'
                   % (x, y, x + 24, y, colour, ' stroke-dasharray="%s"' % dash if dash else ""))
        out.append('<text x="%d" y="%d">%s</text>' % (x + 30, y + 4, label))
        x += wide
    return out, y + 15


def _why(path):
    return ", ".join("%s=%s" % (step.get("variable"), step.get("answer")) for step in path or []) or "-"


def _cabling(info):
    if not info:
        return "not checked"
    if info.get("problems"):
        return "<br>".join(escape(line) for line in info["problems"])
    return "discovered from the wire" if info.get("discovered") else "the wire agrees with the inventory"


def _drill(last):
    if not last or not last.get("rows"):
        return "not run"
    return "%s: %s" % (last.get("time", "?"), "; ".join(
        "%s %s: %s (cut %s ms, back %s ms)"
        % (r["link"], r["port"], "ok" if r["ok"] else "FAILED", measured(r.get("loss_cut_ms")),
           measured(r.get("loss_back_ms")))
        for r in last["rows"]))


def _link_line(name, link):
    reasons = " (%s)" % escape("; ".join(link["reasons"])) if link["reasons"] else ""
    blind = ' <span class="blind">%s: %s</span>' % (escape(CABLE_ONLY), escape(link.get("monitor") or "")) \
        if link.get("protection") == CABLE_ONLY else ""
    return "%s: %s %s%s%s" % (escape(name), escape(str(link.get("mode") or "stp")), escape(link["verdict"]), reasons,
                              blind)


def html(servers, switches, title="Redundancy report"):
    rows = []
    for host in sorted(servers):
        info = servers[host]
        links = info.get("links") or {}
        detail = "<br>".join(_link_line(name, link) for name, link in sorted(links.items())) or "-"
        rows.append("<tr><td>%s</td><td>%s</td><td>%s</td><td class=\"%s\">%s</td><td>%s</td><td%s>%s</td>"
                    "<td>%s</td></tr>" % (
                        escape(host), escape(info.get("method") or UNKNOWN), escape(_why(info.get("path"))),
                        verdict(links).replace(" ", "-"), escape(verdict(links)), detail,
                        ' class="miscabled"' if (info.get("cabling") or {}).get("problems") else "",
                        _cabling(info.get("cabling")), escape(_drill(info.get("drill")))))
    switch_rows = "".join("<tr><td>%s</td><td>%s</td></tr>" % (escape(name), "<br>".join(
        escape(n) for n in switches[name].get("notes", [])) or "-") for name in sorted(switches))
    return """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>%(title)s</title>
<style>
body{font-family:sans-serif;margin:2em;color:#24292f}svg{max-width:100%%;height:auto}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #d0d7de;padding:.4em .6em;text-align:left;vertical-align:top}
th{background:#f6f8fa}.redundant{background:#dafbe1}.degraded{background:#fff8c5}.not-redundant,.no-link,.miscabled{background:#ffebe9}.blind{color:#9a6700;font-style:italic}
</style></head><body>
<h1>%(title)s</h1>
%(svg)s
<h2>Servers</h2>
<table><tr><th>host</th><th>method</th><th>why (inventory answers)</th><th>health</th><th>links</th><th>cabling (LLDP/CDP)</th><th>last drill</th></tr>
%(rows)s
</table>
<h2>Switches</h2>
<table><tr><th>switch</th><th>what it shows</th></tr>
%(switch_rows)s
</table>
</body></html>
""" % dict(title=escape(title), svg=svg(servers, switches), rows="\n".join(rows), switch_rows=switch_rows)
