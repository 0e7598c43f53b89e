# -*- coding: utf-8 -*-
# Copyright: redundant.interfaces contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Attributes of the modules that only compute on the controller."""

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
attributes:
  check_mode:
    support: full
    description: Computes only; nothing changes, in check mode or not.
  diff_mode:
    support: none
    description: Computes only; there is nothing to diff.
  platform:
    platforms: posix
    support: full
    description: Runs on the controller.
"""
