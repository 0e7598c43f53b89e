"""The execution environment definition is accepted by ansible-builder and
uses the same pins as requirements.txt."""

from __future__ import annotations

import os
import re

import pytest
import yaml

from tests.helpers import ROOT, run

pytestmark = pytest.mark.integration


def pins(path):
    with open(os.path.join(ROOT, path)) as handle:
        return dict(re.match(r"^([A-Za-z0-9_.\[\]-]+)==(\S+)", line).groups()
                    for line in handle if re.match(r"^[A-Za-z0-9]", line))


def test_ansible_builder_create_accepts_it(tmp_path):
    run("ansible-builder", "create", "-f", os.path.join(ROOT, "execution-environment.yml"),
        "-c", str(tmp_path / "context"))
    containerfile = (tmp_path / "context" / "Containerfile").read_text()
    assert "ansible-core==%s" % pins("requirements.txt")["ansible-core"] in containerfile
    assert (tmp_path / "context" / "_build" / "requirements.txt").exists()


def test_ee_pins_agree_with_requirements_txt():
    main = pins("requirements.txt")
    for name, version in pins("requirements-ee.txt").items():
        assert main.get(name) == version, name
    with open(os.path.join(ROOT, "execution-environment.yml")) as handle:
        ee = yaml.safe_load(handle)
    assert ee["dependencies"]["ansible_core"]["package_pip"] == "ansible-core==" + main["ansible-core"]


def test_galaxy_dependencies_agree_with_requirements_yml():
    with open(os.path.join(ROOT, "galaxy.yml")) as handle:
        galaxy = yaml.safe_load(handle)["dependencies"]
    with open(os.path.join(ROOT, "requirements.yml")) as handle:
        listed = {c["name"]: c["version"] for c in yaml.safe_load(handle)["collections"]}
    assert galaxy == listed
