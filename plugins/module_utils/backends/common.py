# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The contract of a network stack (Backend) and what every stack shares: the
live Step, the header that marks our files (and says which link owns them),
the file set of a list of links, keeping a replaced file's original text, and
value spelling.

Each stack is one Backend subclass in its own module, registered by name
(REGISTRY); the engine knows stacks only through this class.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


HEADER = "# Managed by redundant.interfaces (%s, link %s: %s). Changes here are overwritten.\n"
_HEADER = re.compile(r"^(?:#![^\n]*\n)?# Managed by redundant\.interfaces \((\w+), link ([^:]+): ([^)]*)\)")
MARK = "#redundant.interfaces(%s): "
SCRIPTS = "/etc/redundant-interfaces/"  # scripts the collection writes for a link (written 0755)


@dataclass(frozen=True)
class Step:
    """One live step of a plan: its text is what check mode and --diff show,
    and engine.apply() runs exactly these steps in this order.

    A step runs `argv`, or writes (or removes) the plan's file `write`, or lets
    the stack check all new files first (`precheck`: what it runs, in words).
    Conditions for outcomes of earlier steps, checked when the step runs:
    `when_file` must exist, `when_ok` must succeed, `when_exists` (a device)
    must still exist (and a failure is fine if it is gone afterwards: a
    daemon may remove it meanwhile)."""

    argv: tuple = ()
    write: str | None = None
    remove: bool = False
    precheck: str = ""
    when_file: str | None = None
    when_ok: tuple = ()
    when_exists: str | None = None

    def __str__(self):
        if self.precheck:
            return "check the new files: %s" % self.precheck
        if self.write:
            return "%s %s" % ("remove" if self.remove else "write", self.write)
        text = " ".join(self.argv)
        if self.when_file:
            return "%s (if %s exists)" % (text, self.when_file)
        if self.when_ok:
            return "%s (if `%s` succeeds)" % (text, " ".join(self.when_ok))
        if self.when_exists:
            return "%s (if %s still exists)" % (text, self.when_exists)
        return text


def read_files(host, files, directories):
    """{path: text or None} of these files and every file of these directories."""
    paths = list(files)
    for directory in directories:
        paths += ["%s/%s" % (directory, name) for name in host.listdir(directory)]
    return {p: host.read(p) for p in paths}


def cmd(*argv, **when):
    return Step(argv=tuple(argv), **when)


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


def release_others(link, current, result, take, give_back, skip=lambda path: False):
    """{path: text} of the files not ours whose parts for the link's ports `take(text, ports,
    link name)` takes out (a present link) or `give_back(text, link name)` returns (a removed
    one); `result` holds what this plan writes already."""
    out = {}
    for path, text in current.items():
        if text is None or owner(text) or skip(path):
            continue
        text = result.get(path, text)
        changed = take(text, link.ports, link.name) if link.state == "present" else give_back(text, link.name)
        if changed != text:
            out[path] = changed
    return out


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


REGISTRY = {}


def register(cls):
    """Class decorator: one instance per stack, found by NAME."""
    REGISTRY[cls.NAME] = cls()
    return cls


@dataclass(frozen=True)
class Sign:
    """What a stack shows of itself on a host (Backend.sign): the words for a message, and whether
    it is weak (it counts only when no other stack is there: ifupdown configuring nothing but lo)."""

    what: str
    weak: bool = False

    def __str__(self):
        return self.what


class Backend:
    """A network stack: the files it reads, how it renders the model, and its
    live steps. Subclasses set the constants and implement render, up,
    up_ports and rollback_up; the rest has defaults most stacks share.

    `host` is engine.Host (run, read, link); `change` (Change) says what changes
    for the link: its files, the kernel's differences, the device as it is."""

    NAME = ""
    FILES = ()  # paths it reads
    DIRECTORIES = ()  # whose files it reads
    EXECUTABLE = ()  # paths written 0755
    PRIVATE = ()  # path prefixes written 0600
    RESTARTS = False  # its down/up take the whole link down and up (the device is recreated)
    # taking a link down gives its ports their own profiles back at once: the engine clears the
    # ports' addresses before the link goes down, not after (that would take the profiles' away)
    AUTOCONNECTS = False
    # it makes a device of its files again when it goes: a removed link's device is deleted by
    # up_ports, after the stack has reloaded its files, not before the files go
    REMAKES = False
    PRECHECK = ""  # what precheck() runs, in words; "" when the stack has no checker
    FOREIGN_FILES = ()  # what it reads when another stack takes the links
    FOREIGN_DIRECTORIES = ()
    DRIVES = ()  # the stacks it runs through (their signs are its own, never a second stack)

    def current(self, host):
        """{path: text or None} of the files it reads (FILES, DIRECTORIES)."""
        return read_files(host, self.FILES, self.DIRECTORIES)

    def foreign(self, host):
        """{path: text or None} of the files it reads when another stack takes the links."""
        return read_files(host, self.FOREIGN_FILES, self.FOREIGN_DIRECTORIES)

    def sign(self, host, which, active):
        """What shows this stack manages the host (a Sign), or None. `which(command)` finds a
        program, `active(unit)` says whether a systemd unit runs."""
        return None

    @property
    def lets_go(self):
        """Whether it can let go of links another stack takes (foreign_files and its steps)."""
        return bool(self.FOREIGN_FILES or self.FOREIGN_DIRECTORIES)

    def render(self, link):
        """{path: text} of one present link."""
        raise NotImplementedError

    def release(self, link, current, result):
        """{path: text or None}: what the ports' own files become (see files())."""
        return {}

    def files(self, links, current):
        """{path: new text or None (delete)} for these links, given the current files."""
        return files(links, current, self.render, self.release)

    def managed_links(self, texts):
        return managed_links(texts)

    def mode(self, path):
        """The file mode a written file gets."""
        if path in self.EXECUTABLE or path.startswith(SCRIPTS):
            return 0o755
        return 0o600 if self.PRIVATE and path.startswith(self.PRIVATE) else 0o644

    def precheck(self, new_files, host):
        """The stack's own verdict on the new files before anything changes: a problem, or None."""
        return None

    def down(self, link, host, change):
        """[Step] taking the link's old live state down."""
        return []

    def up(self, link, host, change):
        """[Step] bringing the link up from its new files."""
        raise NotImplementedError

    def up_ports(self, link, host):
        """[Step] after a removal: the ports go back to their own configuration."""
        raise NotImplementedError

    def rollback_down(self, link):
        """argv lists for the rollback script: take the new link down."""
        return []

    def rollback_up(self, link):
        """argv lists for the rollback script, with the old files back."""
        raise NotImplementedError

    def foreign_files(self, links, current):
        """When another stack takes the links: {path: text or None} so this one lets go."""
        return {}

    def foreign_down(self, link, host):
        return []

    def foreign_up(self, link, host):
        return []
