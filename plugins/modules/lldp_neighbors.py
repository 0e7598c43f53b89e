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
    reading (no address, no other setting) and down again after it, also in check mode - nothing
    stays changed (C(raised) lists them).
  - Says which NICs are already a bond's or bridge's port (C(enslaved)); read the cabling before a
    NIC joins a bond, where a member can report its sibling's neighbour.
  - Needs lldpd running on the host; installing and starting it is the caller's choice
    (C(redundancy_lldp_install) in the collection's playbooks). Reads only; works in check mode.
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
from ansible_collections.redundant.interfaces.plugins.module_utils.specs import argument_spec

INSTALL = "set redundancy_lldp_install: true to have the playbook install and start it"


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
    wanted, deadline = module.params["interfaces"] or [], time.monotonic() + max(module.params["wait"], 0)
    lldpcli = module.get_bin_path("lldpcli")
    if not lldpcli:
        module.fail_json(msg="lldp_neighbors: lldpd is not installed; install it, or %s" % INSTALL)
    absent = [nic for nic in wanted if not os.path.isdir("/sys/class/net/%s" % nic)]
    wanted = [nic for nic in wanted if nic not in absent]
    raised = [nic for nic in wanted if not is_up(nic)]
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
                     enslaved=enslaved)


if __name__ == "__main__":
    main()
