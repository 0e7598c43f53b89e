"""Run a controller-only action as Ansible would: a task with its arguments, this host's
variables, every host's in hostvars and the inventory's groups (no connection is made)."""

from __future__ import annotations

from unittest.mock import MagicMock

from ansible.parsing.dataloader import DataLoader
from ansible.playbook.task import Task
from ansible.template import Templar


def run_action(action_class, name, args, host, hostvars, groups=None):
    task = Task()
    task.args = args
    task.action = "redundant.interfaces." + name
    loader = DataLoader()
    action = action_class(task, MagicMock(), MagicMock(check_mode=False), loader, Templar(loader=loader), None)
    groups = groups or dict(all=list(hostvars), servers=[h for h in hostvars if not h.startswith("sw")],
                            switches=[h for h in hostvars if h.startswith("sw")])
    task_vars = dict(hostvars.get(host, {}), inventory_hostname=host, hostvars=hostvars, groups=groups)
    return action.run(task_vars=task_vars)
