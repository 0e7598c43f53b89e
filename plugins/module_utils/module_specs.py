# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every module's options, each with its documentation, in one place.

argument_spec(name) is what the module (and its action) validates with;
scripts/generate.py writes the modules' option docs from the same entries
(plugins/doc_fragments/options.py), so the two cannot drift. The roles' specs
come from the catalog (role_specs.py).
"""

from __future__ import annotations

from ansible_collections.redundant.interfaces.plugins.module_utils.catalog import CONTRACT, METHODS, PLAYBOOKS, STACKS
from ansible_collections.redundant.interfaces.plugins.module_utils.drill import RECORD

DOC_KEYS = ("description",)


def _method():
    return dict(type="str", required=True, choices=sorted(METHODS), description=[
        "The redundancy method: the role the links are for, and so the link kind and bonding mode."] + [
        "C(%s): %s." % (m.name, m.summary) for m in METHODS.values()])


def _names(what):
    return dict(type="list", elements="str", description=what)


O_REFS = {"C(uplinks)": "O(uplinks)", "C(managed_switches)": "O(managed_switches)"}


def variable_spec(var, description=None):
    """An argument spec entry for a contract variable: its type, choices, elements, default and doc
    (a role's variable as it is, a module option that takes its value with `description`)."""
    entry = dict(type=var.type)
    if var.choices:
        entry["choices"] = list(var.choices)
    if var.elements:
        entry["elements"] = var.elements
    if var.default is not None:
        entry["default"] = var.default
    entry["description"] = var.description if description is None else description
    return entry


def _variable(name, refs=None):
    """A module option that takes a contract variable's value, its doc speaking of the module's options."""
    return variable_spec(CONTRACT[name], _refer(CONTRACT[name].description, refs or {}))


def _refer(description, refs):
    """The variable's doc, speaking of the module's options where it names them."""
    texts = description if isinstance(description, list) else [description]
    for old, new in refs.items():
        texts = [text.replace(old, new) for text in texts]
    return texts


SPECS = {
    "link": dict(
        method=_method(),
        links=dict(type="list", elements="dict", required=True, description=[
            "The links, as the role variable C(<method>_links) takes them (see the role's argument spec)."]),
        backend=dict(type="str", default="auto", choices=["auto"] + sorted(STACKS), description=[
            "The network stack to configure; V(auto) detects it and refuses an ambiguous host, saying what it "
            "found. V(ifupdown) Debian's C(/etc/network/interfaces.d); V(networkd) systemd-networkd "
            "C(.netdev)/C(.network) files; V(nm) NetworkManager keyfiles; V(netplan) one YAML file per link "
            "(checked with C(netplan generate) before anything changes); V(ifcfg) RHEL "
            "C(/etc/sysconfig/network-scripts) files.",
            "Detection order - netplan files win (netplan drives networkd or NetworkManager itself), then a "
            "running NetworkManager (which also reads ifcfg files), a running systemd-networkd, ifcfg files, and "
            "ifupdown. Two that both claim the host are refused."]),
        live=dict(type="bool", default=True, description=[
            "Apply to the running kernel as well as the files. V(false) only writes the configuration, for the "
            "next boot or C(ifup)."]),
        backup=dict(type="bool", default=True, description="Keep a timestamped copy of every file changed or removed."),
        variable=dict(type="str", description="The role variable the links came from, for messages."),
        confirm_timeout=dict(type="int", default=0, description=[
            "Commit-confirmed apply, in seconds; V(0) applies directly. Before anything live changes, the files "
            "about to change are copied aside and a transient systemd timer is armed on the host that restores "
            "them and the previous links after this many seconds. The change then runs in a process of its own; "
            "the action plugin reconnects (a new SSH session), the module checks the links are healthy and "
            "disarms the timer. If the controller cannot come back in time, or the play dies, the host restores "
            "itself. The apply failing or an unhealthy link rolls back at once.",
            "Only through this path may a link take the interface the Ansible connection uses.",
            "Check mode never arms anything. Needs systemd on the host."]),
        transaction=dict(type="str", description=[
            "Internal to the action plugin - confirm this armed transaction (check health, disarm the rollback, "
            "or roll back at once when unhealthy)."]),
        expect=dict(type="dict", description=[
            "Internal to the action plugin - what the links' probes compare with, from the inventory: C(roots), "
            "the STP priorities of its root switches; C(uplinks), each NIC's switch names and port."]),
    ),
    "select_mode": dict(
        {name: _variable(name, O_REFS) for name in ("switch_managed", "separate_switches", "bridge_fallback",
                                                    "share_bandwidth", "switches_stacked")},
        uplinks=dict(type="list", elements="dict", description=[
            "Which NIC is cabled to which switch and port. At least two, no NIC twice."], options=dict(
            interface=dict(type="str", required=True, description="The server's NIC, a Linux interface name."),
            switch=dict(type="str", description="Inventory name of the switch the NIC is cabled to."),
            port=dict(type="str", description="Full name of the switch port, for example C(GigabitEthernet1/0/1)."),
        )),
        managed_switches=_variable("managed_switches", O_REFS),
        facts=dict(type="dict", description=[
            "The host's facts as gathered by M(ansible.builtin.setup) (C(ansible_facts)).",
            "When omitted, the action uses the facts gathered for the host, if any."]),
    ),
    "contract": dict(
        playbook=dict(type="str", required=True, choices=list(PLAYBOOKS), description=[
            "The collection's playbook the play belongs to: the variables it reads are checked (those of the "
            "playbooks it imports too)."]),
        scope=dict(type="str", choices=["server", "switch", "controller"], description=[
            "What this host is to the play: its variables (a server's, a switch's) are checked with every variable "
            "all hosts read. Default by the inventory's groups: C(switches), C(servers), else the controller."]),
    ),
    "switch_config": dict(
        servers=dict(_names("Inventory names of the servers to consider."), required=True),
        switches=dict(_names("Inventory names of every switch (an uplink naming another is an error)."),
                      required=True),
        settings=dict(type="dict", default={}, description=[
            "The switch's settings, C(cisco_ios_*) role variables without the prefix; they win over the "
            "switch's own C(cisco_ios_*) variables, which the action reads otherwise (the cisco_ios role's "
            "argument spec lists them)."]),
        existing=dict(type="list", elements="dict", default=[], description=[
            "The Port-channels already on the device, as M(cisco.ios.ios_lag_interfaces) gathers them; their "
            "numbers are kept."]),
        shown=dict(type="dict", default={}, description=[
            "The switch's own answers, command to text: C(show spanning-tree summary) (its spanning-tree mode and "
            "path-cost method) and, in MST mode, C(show spanning-tree mst configuration) (which instance carries "
            "which VLAN); C(show lldp neighbors detail) and C(show cdp neighbors detail): a server port the switch "
            "sees another switch on (a switch of the inventory, or a neighbour that forwards and is not the "
            "server) is refused, a table the switch cannot give (the protocol off) only warned about.",
            "Empty (an offline plan): the mode is C(cisco_ios_stp_mode), PVST+ when that is C(detect); no "
            "neighbour is checked."]),
    ),
    "switch_verify": dict(
        config=dict(type="dict", required=True,
                    description="The C(config) returned by M(redundant.interfaces.switch_config)."),
        shown=dict(type="dict", required=True, description=[
            "The switch's answers, command to text, for C(show etherchannel summary) and every command in the "
            "config's C(stp.commands) (C(show spanning-tree vlan N), or C(show spanning-tree mst N) in MST mode).",
            "The collection reads them itself, strictly: a line it cannot read fails the check, naming it."]),
        partners=dict(type="bool", default=True, description=[
            "Whether every LACP member must have its partner.",
            "Right after a push, before the servers are configured, set V(false). A member shown down (C(D), no "
            "link from the server yet) or stand-alone (C(I), no LACP partner yet) is then only noted."]),
    ),
    "link_health": dict(
        method=_method(),
        links=dict(type="dict", required=True, description="The C(ansible_facts.redundant_links) of the host."),
        names=dict(_names("The links the method's role configured (default every link of its kind and mode)."),
                   default=[]),
    ),
    "report": dict(
        servers=dict(_names("Inventory names of the servers."), required=True),
        switches=dict(_names("Inventory names of the switches."), default=[]),
        dest=dict(type="path", required=True, description="Where to write the HTML file (on the controller)."),
        title=dict(type="str", default="Redundancy report", description="Page title."),
    ),
    "link_facts": dict(
        names=_names("Only these links (default every bond and bridge)."),
    ),
    "lldp_neighbors": dict(
        interfaces=_names(["The NICs whose neighbours to wait for (default the NICs of the host's C(uplinks) and the "
                           "ports of its C(redundancy_links); V([]) every interface lldpd reports).",
                           "Read them before they join a bond: a bond member can report its sibling's neighbour."]),
        wait=dict(type="int", description=[
            "Seconds to wait for every NIC in O(interfaces) to have a neighbour (switches send LLDP every 30 s by "
            "default); what is still missing then is returned in C(missing). V(0) reads once.",
            "Default the host's C(redundancy_lldp_wait) (%s s unset)." % CONTRACT["redundancy_lldp_wait"].default]),
    ),
    "cabling": dict(
        neighbors=dict(type="dict", required=True, description=[
            "The server's neighbours, the C(neighbors) of M(redundant.interfaces.lldp_neighbors)."]),
        mode=_variable("redundancy_cabling_mode"),
        unread=dict(type="dict", default={}, description=[
            "NICs the server could not read, NIC to why: the C(unread) of M(redundant.interfaces.lldp_neighbors) "
            "(a NIC that is down, in a dry run). Reported as not read, never as a missing cable."]),
        switches=_names(["Inventory names of every switch (default the C(switches) group).",
                         "A neighbour is one of them by its system name without its domain and case, by a name in "
                         "the switch's C(redundancy_lldp_names) variable (the names it advertises when they are not "
                         "its inventory name), or by a management address that is the switch's C(ansible_host); "
                         "else it is not a switch of the inventory."]),
        shown=dict(type="dict", default={}, description=[
            "The switches' own views, switch to a list of texts of C(show lldp neighbors detail) and C(show cdp "
            "neighbors detail). Default: each switch's C(redundancy_switch_neighbors) variable, the registered "
            "result of M(cisco.ios.ios_command) running those two commands."]),
    ),
    "failover_drill": dict(
        target=dict(type="str", required=True, description=[
            "An address that must stay reachable through the link (the gateway, a peer): an IPv4 or IPv6 unicast "
            "address of another host, or a host name, resolved on the host before any port goes down."]),
        names=_names("Only these links (default every bond and bridge)."),
        interval=dict(type="float", default=0.01, description="Seconds between probes (0.002 to 1)."),
        failure=_variable("drill_failure"),
        settle=dict(type="int", default=45, description=[
            "Seconds to wait for the state to flip, and to recover after the port returns (1 to 600)."]),
        record=dict(type="path", default=RECORD, description=[
            "Where the host keeps the result of its last drill (time, ok, rows), which "
            "M(redundant.interfaces.link_facts) reads back for the redundancy report.",
            "Written after every drill that cut ports, passed or failed; not in check mode."]),
    ),
}


# the options a module checks against a contract variable's range itself: module -> {option: variable}
RANGES = {"lldp_neighbors": {"wait": "redundancy_lldp_wait"}}


def argument_spec(name):
    """The module's argument_spec: its entries without their documentation."""
    return _strip(SPECS[name])


def _strip(options):
    return {key: {k: (_strip(v) if k == "options" else v) for k, v in entry.items() if k not in DOC_KEYS}
            for key, entry in options.items()}


def doc_options(options):
    """`options:` as module documentation wants them (suboptions, not options)."""
    return {key: {("suboptions" if k == "options" else k): (doc_options(v) if k == "options" else v)
                  for k, v in entry.items()} for key, entry in options.items()}


def shared_options():
    """{option: entry} of the options several modules take word for word (documented once)."""
    seen = {}
    for options in SPECS.values():
        for key, entry in options.items():
            seen.setdefault(key, []).append(entry)
    return {key: entries[0] for key, entries in seen.items()
            if len(entries) > 1 and all(e == entries[0] for e in entries)}


def fragments(name):
    """The doc fragments a module's DOCUMENTATION extends for its options."""
    shared = shared_options()
    own = [key for key in SPECS[name] if key not in shared]
    return (["redundant.interfaces.options.%s" % name] if own else []) + [
        "redundant.interfaces.options.%s" % key for key in SPECS[name] if key in shared]


def refuse_on_host(module_class, name):
    """The module body of a controller-only action: validate, then say where it runs."""
    module = module_class(argument_spec=argument_spec(name), supports_check_mode=True)
    module.fail_json(msg="%s runs on the controller through its action plugin" % name)
