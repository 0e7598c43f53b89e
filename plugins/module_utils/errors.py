# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one base of every error the collection reports to a person.

Each entry point (module, action) catches RedundantError and fails the task
with its message; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


class RedundantError(Exception):
    """Refused input, or a host/switch that cannot take the change; the message
    names the variable (or link, switch, transaction) and the rule."""


class SwitchError(RedundantError, ValueError):
    """The inventory cannot give a switch a configuration, or the switch shows what it must not;
    the message names what to fix."""
