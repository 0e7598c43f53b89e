# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run select_mode on the controller, with the host's gathered facts.

The decision is pure computation, so it needs no round trip to the host;
running here also lets it see the facts already gathered for the host.
"""

from __future__ import annotations

from ansible.plugins.action import ActionBase
from ansible_collections.redundant.interfaces.plugins.module_utils.decision import (
    ARGUMENT_SPEC,
    DecisionError,
    decide,
)


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        dummy, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        if args.get("facts") is None:
            args["facts"] = (task_vars or {}).get("ansible_facts") or None
        try:
            decision = decide(args)
        except DecisionError as exc:
            result.update(failed=True, msg=str(exc))
            return result
        warnings = decision.pop("warnings")
        result.update(changed=False, **decision)
        if warnings:
            result["warnings"] = warnings
        return result
