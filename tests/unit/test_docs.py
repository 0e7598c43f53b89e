"""The docs hold together: every guide of docs/docsite/rst is in the docs site's table of contents
and every entry there is a guide; the README stays one page, and every file it points to exists
(scripts/docs builds the site itself, every warning an error, in the test command)."""

from __future__ import annotations

import glob
import os
import re

import yaml

from tests.helpers import ROOT

GUIDES = os.path.join(ROOT, "docs", "docsite", "rst")


def readme():
    with open(os.path.join(ROOT, "README.md")) as handle:
        return handle.read()


def test_every_guide_is_in_the_table_of_contents_and_nothing_else():
    with open(os.path.join(ROOT, "docs", "docsite", "extra-docs.yml")) as handle:
        listed = [entry for section in yaml.safe_load(handle)["sections"] for entry in section["toctree"]]
    found = sorted(os.path.basename(path)[:-len(".rst")] for path in glob.glob(os.path.join(GUIDES, "*.rst")))
    assert sorted(listed) == found
    assert len(set(listed)) == len(listed)


def test_each_guide_has_the_label_antsibull_docs_links_it_by():
    for path in glob.glob(os.path.join(GUIDES, "*.rst")):
        with open(path) as handle:
            text = handle.read()
        name = os.path.basename(path)[:-len(".rst")]
        assert ".. _ansible_collections.redundant.interfaces.docsite.%s:\n" % name in text, name


def test_the_readme_is_one_page():
    assert len(readme().splitlines()) <= 150


def test_every_file_the_readme_names_exists():
    named = set(re.findall(r"`((?:scripts|docs|benchmarks|playbooks|tests|inventory|roles)/[^` ]+)`", readme()))
    named |= {"docs/docsite/rst/" + name for name in re.findall(r"`([a-z]+\.rst)`", readme())}
    assert named, "the README names no file"
    assert [path for path in sorted(named) if not os.path.exists(os.path.join(ROOT, path.rstrip("/")))] == []
