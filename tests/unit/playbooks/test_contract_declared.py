"""Every variable the collection reads is declared in the contract: each Jinja expression of the
playbooks and roles, and each variable the plugins take from a host, is a contract variable, a
result the collection's own tasks register, or Ansible's own. No playbook carries a default or a
list of choices of its own: those come from the contract lookup."""

from __future__ import annotations

import glob
import os
import re

import jinja2
import jinja2.meta
import yaml

from tests.helpers import ROOT

from ansible_collections.redundant.interfaces.plugins.module_utils.catalog import CONTRACT

YAML_FILES = sorted(glob.glob(os.path.join(ROOT, "playbooks", "*.yml")) + [os.path.join(ROOT, "site.yml")]
                    + glob.glob(os.path.join(ROOT, "roles", "*", "tasks", "*.yml"))
                    + glob.glob(os.path.join(ROOT, "roles", "*", "defaults", "*.yml"))
                    + glob.glob(os.path.join(ROOT, "roles", "*", "vars", "*.yml")))
PY_FILES = sorted(glob.glob(os.path.join(ROOT, "plugins", "**", "*.py"), recursive=True))
# keys whose value is a bare Jinja expression
CONDITIONS = ("when", "that", "changed_when", "failed_when", "until")
# Ansible's own variables and Jinja's globals
ANSIBLE = {"groups", "hostvars", "inventory_hostname", "inventory_dir", "playbook_dir", "omit", "item",
           "ansible_check_mode", "ansible_diff_mode", "ansible_facts", "lookup", "query", "q", "dict", "range",
           "true", "false", "none", "True", "False", "None", "lipsum", "cycler", "joiner", "namespace"}
# facts the collection's own actions set on a host (ansible_facts of cabling, link_facts, the drill)
OWN_FACTS = {"redundancy_cabling", "redundant_links", "redundant_drill"}


class _Any(dict):
    """Every filter and test name exists (Ansible's own, whose code the scan does not need)."""

    def __contains__(self, name):
        return True

    def get(self, name, default=None):
        return super().get(name) or (lambda *args, **kwargs: None)


ENV = jinja2.Environment()
ENV.filters, ENV.tests = _Any(ENV.filters), _Any(ENV.tests)


def walk(node, key=None):
    """(key, text) of every string in a YAML document."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from walk(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from walk(v, key)
    elif isinstance(node, str):
        yield key, node


def documents():
    for path in YAML_FILES:
        with open(path) as handle:
            yield path, yaml.safe_load(handle)


def registered():
    """What the collection's own tasks register or set, and what a role's vars/main.yml derives from
    them (results, not inputs)."""
    names = set()
    for path, doc in documents():
        if "/vars/" in path:
            names.update(doc)
        for key, text in walk(doc):
            if key == "register":
                names.add(text)
        for task in _tasks(doc):
            names.update((task.get("ansible.builtin.set_fact") or {}).keys())
    return names


def _tasks(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _tasks(value)
    elif isinstance(node, list):
        for value in node:
            yield from _tasks(value)


def expressions(key, text):
    if key in CONDITIONS and "{{" not in text:
        return [text]
    return re.findall(r"{{(.*?)}}", text, re.S)


def read_in_yaml():
    """{variable: files} of every variable a Jinja expression reads, and the contract lookups' names."""
    found = {}
    for path, doc in documents():
        for key, text in walk(doc):
            for expression in expressions(key, text):
                tree = ENV.parse("{{ %s }}" % expression)
                for name in jinja2.meta.find_undeclared_variables(tree):
                    found.setdefault(name, set()).add(os.path.relpath(path, ROOT))
                for name in re.findall(r"lookup\('redundant\.interfaces\.contract', '([a-z_]+)'\)", expression):
                    found.setdefault(name, set()).add(os.path.relpath(path, ROOT))
    return found


def read_in_python():
    """{variable: files} of every variable a plugin takes from a host's variables by name."""
    found = {}
    pattern = re.compile(r"(?:task_vars|variables|hostvars(?:\[[^]]+\])?|hv)(?:\.get\(|\[)\s*\"([a-z_]+)\"")
    for path in PY_FILES:
        with open(path) as handle:
            for name in pattern.findall(handle.read()):
                found.setdefault(name, set()).add(os.path.relpath(path, ROOT))
    return found


def test_every_variable_the_playbooks_and_roles_read_is_declared():
    known = set(CONTRACT) | ANSIBLE | registered() | OWN_FACTS
    undeclared = {name: sorted(paths) for name, paths in read_in_yaml().items()
                  if name not in known and not name.startswith("ansible_")}
    assert not undeclared, "read but not in the contract (catalog.VARIABLES): %s" % undeclared


def test_every_variable_the_plugins_read_from_a_host_is_declared():
    known = set(CONTRACT) | ANSIBLE | registered() | OWN_FACTS
    undeclared = {name: sorted(paths) for name, paths in read_in_python().items()
                  if name not in known and not name.startswith("ansible_")}
    assert not undeclared, "read but not in the contract (catalog.VARIABLES): %s" % undeclared


def test_no_playbook_carries_a_default_of_a_contract_variable():
    inline = []
    for path, doc in documents():
        if "/defaults/" in path:
            continue  # the roles' defaults are generated from the contract
        for key, text in walk(doc):
            for expression in expressions(key, text):
                for name in re.findall(r"\b([a-z_]+)\s*\|\s*default\(", expression):
                    if name in CONTRACT:
                        inline.append("%s: %s" % (os.path.relpath(path, ROOT), name))
    assert not inline, inline


def test_the_scan_sees_what_it_looks_for():
    """The scanners find the reads they exist to find (a scanner that finds nothing proves nothing)."""
    yaml_reads, python_reads = read_in_yaml(), read_in_python()
    assert {"redundancy_cabling_mode", "site_serial", "drill_target", "cisco_ios_state"} <= set(yaml_reads)
    assert {"uplinks", "redundancy_links", "redundancy_mode"} <= set(python_reads)
    assert "redundancy_lldp" in registered()
