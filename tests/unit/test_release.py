"""The release tells one version: galaxy.yml's, the changelog's last release and every
version_added of the plugins' and roles' documentation; galaxy.yml depends on the collections
the plugins, roles and playbooks use, and on nothing else; no placeholder address."""

from __future__ import annotations

import glob
import os
import re

import yaml

from tests.helpers import ROOT


def load(*path):
    with open(os.path.join(ROOT, *path)) as handle:
        return yaml.safe_load(handle)


def version_key(version):
    return tuple(int(part) for part in version.split("."))


def test_galaxy_changelog_and_version_added_tell_one_version():
    version = load("galaxy.yml")["version"]
    releases = load("changelogs", "changelog.yaml")["releases"]
    assert max(releases, key=version_key) == version
    assert "v%s\n" % version in open(os.path.join(ROOT, "CHANGELOG.rst")).read()
    added = set()
    for path in glob.glob(os.path.join(ROOT, "plugins", "**", "*.py"), recursive=True) + \
            glob.glob(os.path.join(ROOT, "roles", "*", "meta", "argument_specs.yml")):
        with open(path) as handle:
            added.update(re.findall(r"version_added:\s*['\"]?([0-9.]+)", handle.read()))
    assert added and all(version_key(v) <= version_key(version) for v in added), added


def test_galaxy_depends_on_what_the_collection_uses_and_nothing_else():
    used = set()
    for path in glob.glob(os.path.join(ROOT, "plugins", "**", "*.py"), recursive=True) + \
            glob.glob(os.path.join(ROOT, "roles", "**", "*.yml"), recursive=True) + \
            glob.glob(os.path.join(ROOT, "playbooks", "*.yml")) + [os.path.join(ROOT, "site.yml")]:
        with open(path) as handle:
            used.update(re.findall(r"\b(ansible\.netcommon|ansible\.utils|cisco\.ios|community\.general|"
                                   r"containers\.podman|ansible\.posix)\.", handle.read()))
    used.add("ansible.netcommon")  # network_cli, the connection of every switch inventory (README)
    assert set(load("galaxy.yml")["dependencies"]) == used
    tests_only = {c["name"] for c in load("tests", "requirements.yml")["collections"]}
    assert not tests_only & used


def test_no_placeholder_address():
    galaxy = load("galaxy.yml")
    for key in ("repository", "documentation", "homepage", "issues"):
        assert "example" not in str(galaxy.get(key) or ""), key
