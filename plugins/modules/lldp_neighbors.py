#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: lldp_neighbors
short_description: Read each NIC's LLDP neighbour from lldpd
version_added: 0.1.0
description:
  - Reads C(lldpcli -f json0 show neighbors details) and returns, per NIC, every neighbour lldpd
    has heard there - system name, chassis id, port id and description, management addresses, the
    port VLAN when advertised, the enabled capabilities and the protocol (LLDP, or CDP when lldpd
    runs with C(-c)).
  - Waits up to O(wait) seconds for every NIC in O(interfaces) to have one, and returns the ones
    still without a neighbour in C(missing).
  - A NIC of O(interfaces) that is administratively down hears nothing, so it is set up for the
    reading (no address, no other setting) and down again after it - nothing stays changed
    (C(raised) lists them). Check mode touches nothing, not even for a moment - such a NIC is not
    read, and C(unread) says so.
  - Says which NICs are already a bond's or bridge's port (C(enslaved)); read the cabling before a
    NIC joins a bond, where a member can report its sibling's neighbour.
  - Needs lldpd running on the host; installing and starting it is the caller's choice
    (C(redundancy_lldp_install) in the collection's playbooks). Reads only; works in check mode.
  - Its action fills O(interfaces) and O(wait) from the host's variables when the task leaves them
    out (the NICs of C(uplinks) and the ports of C(redundancy_links); C(redundancy_lldp_wait)).
author:
  - Redundant Interfaces Maintainers (@redundant-interfaces)
extends_documentation_fragment:
  - redundant.interfaces.reader
  - redundant.interfaces.options.lldp_neighbors
"""

EXAMPLES = r"""
- name: Read the NICs' switch ports
  redundant.interfaces.lldp_neighbors:
    interfaces: [eth0, eth1]
  register: lldp
"""

RETURN = r"""
neighbors:
  description: NIC to its neighbours, in lldpd's order.
  returned: success
  type: dict
  sample:
    eth0:
      - {via: LLDP, system_name: sw1.example.net, chassis_id: "00:00:0c:00:00:01", chassis_id_type: mac,
         port_id: Gi1/0/3, port_id_type: local, port_descr: GigabitEthernet1/0/3, mgmt: [192.0.2.250],
         vlan: 1, capabilities: [bridge]}
missing:
  description: The NICs of O(interfaces) with no neighbour after O(wait) seconds.
  returned: success
  type: list
  elements: str
raised:
  description: The NICs that were down, set up for the reading and down again after it.
  returned: success
  type: list
  elements: str
absent:
  description: The NICs of O(interfaces) the host does not have.
  returned: success
  type: list
  elements: str
unread:
  description: NIC to why it was not read (a NIC that is down, in check mode).
  returned: success
  type: dict
enslaved:
  description: NIC to the bond or bridge it is a port of, for every NIC of O(interfaces) that is one.
  returned: success
  type: dict
"""

import os
import time

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.redundant.interfaces.plugins.module_utils.errors import RedundantError
from ansible_collections.redundant.interfaces.plugins.module_utils.lldp import parse
from ansible_collections.redundant.interfaces.plugins.module_utils.names import ifname_problem
from ansible_collections.redundant.interfaces.plugins.module_utils.arguments import RANGES, argument_spec

INSTALL = "set redundancy_lldp_install: true to have the playbook install and start it"
DOWN_IN_CHECK_MODE = "down, and a dry run does not set it up to listen (run without --check to read it)"


def read(module, lldpcli):
    rc, out, err = module.run_command([lldpcli, "-f", "json0", "show", "neighbors", "details"])
    if rc:
        module.fail_json(msg="lldp_neighbors: lldpd is not answering (%s): start it, or %s"
                         % ((err or out).strip(), INSTALL))
    return parse(out)


def is_up(nic):
    with open("/sys/class/net/%s/flags" % nic) as handle:
        return int(handle.read(), 16) & 1 == 1


def set_link(module, nics, state):
    for nic in nics:
        rc, out, err = module.run_command(["ip", "link", "set", nic, state])
        if rc:
            module.fail_json(msg="lldp_neighbors: cannot set %s %s: %s" % (nic, state, (err or out).strip()))


def master(nic):
    link = "/sys/class/net/%s/master" % nic
    return os.path.basename(os.readlink(link)) if os.path.islink(link) else None


def main():
    module = AnsibleModule(argument_spec=argument_spec("lldp_neighbors"), supports_check_mode=True)
    wait, bound = module.params["wait"], RANGES["lldp_neighbors"]["wait"]
    if wait is None:
        wait = bound["default"]
    elif not bound["min"] <= wait <= bound["max"]:
        module.fail_json(msg="lldp_neighbors: wait %d is out of range (%d to %d s)" % (wait, bound["min"], bound["max"]))
    wanted, deadline = module.params["interfaces"] or [], time.monotonic() + wait
    lldpcli = module.get_bin_path("lldpcli")
    if not lldpcli:
        module.fail_json(msg="lldp_neighbors: lldpd is not installed; install it, or %s" % INSTALL)
    for nic in wanted:
        problem = ifname_problem(nic)
        if problem:
            module.fail_json(msg="lldp_neighbors: interface %r %s" % (nic, problem))
    absent = [nic for nic in wanted if not os.path.isdir("/sys/class/net/%s" % nic)]
    wanted = [nic for nic in wanted if nic not in absent]
    down = [nic for nic in wanted if not is_up(nic)]
    # a dry run changes nothing, not even for the reading: a NIC that is down stays down, unread
    unread = {nic: DOWN_IN_CHECK_MODE for nic in down} if module.check_mode else {}
    raised = [] if module.check_mode else down
    wanted = [nic for nic in wanted if nic not in unread]
    set_link(module, raised, "up")
    try:
        while True:
            seen = read(module, lldpcli)
            missing = [nic for nic in wanted if not seen.get(nic)]
            if not missing or time.monotonic() >= deadline:
                break
            time.sleep(1)
    except RedundantError as exc:
        module.fail_json(msg="lldp_neighbors: %s" % exc)
    finally:
        set_link(module, raised, "down")
    masters = {nic: master(nic) for nic in wanted}
    enslaved = {nic: name for nic, name in masters.items() if name}
    module.exit_json(changed=False, neighbors=seen, missing=missing + absent, absent=absent, raised=raised,
                     unread=unread, enslaved=enslaved)


if __name__ == "__main__":
    main()
