# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every renderer shares: the header that marks our files (and says which
link owns them), the file set of a list of links, keeping a replaced file's
original text, and value spelling.

A renderer module provides:
  NAME, FILES (paths it reads), DIRECTORIES (whose files it reads),
  EXECUTABLE / PRIVATE (paths written 0755 / 0600),
  render(link) -> {path: text}, files(links, current) -> {path: text or None},
  down(link, run, change) / up(link, change) -> argv lists,
  up_ports(link, run) after a removal, optionally precheck(files, current, run).
`change` says what changes for the link: .paths (its files), .drift (the
kernel's differences, live.Drift), .device (the kernel's view of it, None if absent).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


HEADER = "# Managed by redundant.interfaces (%s, link %s: %s). Changes here are overwritten.\n"
_HEADER = re.compile(r"^# Managed by redundant\.interfaces \((\w+), link ([^:]+): ([^)]*)\)")
MARK = "#redundant.interfaces(%s): "


@dataclass
class Change:
    paths: set = field(default_factory=set)
    drift: list = field(default_factory=list)
    device: dict | None = None

    @property
    def recreate(self):
        """The device must be deleted and created again (kind, mode or device options differ)."""
        return bool(self.device) and any(d.device for d in self.drift)


def header(link):
    return HEADER % (link.method, link.name, " ".join(link.ports))


def owner(text):
    """(method, link name, ports) of a file we wrote, else None."""
    match = _HEADER.match(text or "")
    return (match.group(1), match.group(2), tuple(match.group(3).split())) if match else None


def managed_links(texts):
    """{link name: (method, ports, first path)} for the files this collection wrote."""
    found = {}
    for path in sorted(texts):
        info = owner(texts[path])
        if info:
            found.setdefault(info[1], (info[0], info[2], path))
    return found


def owned(texts, name):
    return sorted(path for path, text in texts.items() if (owner(text) or (None, None))[1] == name)


def files(links, current, render, release=None, base=None):
    """{path: new text or None (delete)}: each link's rendered files, its old
    files that are no longer rendered removed, and `release(link, current,
    result)` for what the stack needs done to the files of the ports."""
    result = dict(base or {})
    for link in links:
        new = render(link) if link.state == "present" else {}
        for path in owned(current, link.name):
            if path not in new:
                result[path] = None
        result.update(new)
        if release:
            result.update(release(link, current, result))
    return result


def keep_original(text, link_name):
    """A replaced file's original lines, commented and marked, to give back on removal."""
    mark = MARK % link_name
    if owner(text):
        return "".join(line for line in text.splitlines(True) if line.startswith(mark))
    return "".join(mark + line for line in (text or "").splitlines(True))


def original(text, link_name):
    """The text keep_original() stored in one of our files, or None when there was none."""
    mark = MARK % link_name
    lines = [line[len(mark):] for line in (text or "").splitlines(True) if line.startswith(mark)]
    return "".join(lines) or None


def word(value, true="yes", false="no", sep=" "):
    if isinstance(value, bool):
        return true if value else false
    if isinstance(value, (list, tuple)):
        return sep.join(str(v) for v in value)
    return str(value)


def dhcp(link_or_vlan):
    """networkd/netplan style DHCP choice: yes, ipv4, ipv6 or no."""
    four, six = link_or_vlan.ipv4.method == "dhcp", link_or_vlan.ipv6.method == "dhcp"
    return "yes" if four and six else "ipv4" if four else "ipv6" if six else "no"


def interfaces(link):
    """The link itself and its VLANs: (name, addressing holder, mtu)."""
    return [(link.name, link, link.mtu)] + [(vlan.name, vlan, vlan.mtu) for vlan in link.vlans]
