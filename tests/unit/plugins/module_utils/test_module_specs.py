"""One place for every module's options: what modules validate with is what their docs say."""

from __future__ import annotations

import os

import pytest
import yaml

from ansible_collections.redundant.interfaces.plugins.module_utils import module_specs
from tests.helpers import ROOT

MODULES = sorted(n[:-3] for n in os.listdir(os.path.join(ROOT, "plugins", "modules")) if n.endswith(".py"))


def documentation(name):
    with open(os.path.join(ROOT, "plugins", "modules", name + ".py")) as handle:
        text = handle.read()
    return yaml.safe_load(text.split('DOCUMENTATION = r"""', 1)[1].split('"""', 1)[0])


@pytest.mark.parametrize("name", MODULES)
def test_every_module_documents_its_options_from_its_spec(name):
    assert name in module_specs.SPECS
    doc = documentation(name)
    assert "options" not in doc, "options come from the generated fragment"
    assert set(module_specs.fragments(name)) <= set(doc["extends_documentation_fragment"])


def test_the_argument_spec_carries_no_documentation():
    spec = module_specs.argument_spec("select_mode")
    assert "description" not in spec["uplinks"] and "description" not in spec["uplinks"]["options"]["interface"]
    assert spec["uplinks"]["options"]["interface"] == dict(type="str", required=True)
    assert module_specs.doc_options(module_specs.SPECS["select_mode"])["uplinks"]["suboptions"]["port"]["description"]
