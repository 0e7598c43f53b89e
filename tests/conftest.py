"""Make redundant.interfaces importable by its FQCN, as ansible-test does."""

from __future__ import annotations

import os

import pytest
from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_AnsibleCollectionFinder(paths=[os.path.join(ROOT, ".collections")])._install()


_TIMINGS = []


@pytest.fixture
def timings():
    """Lines for the run's closing summary (scenario times, lab boot times)."""
    return _TIMINGS


def pytest_terminal_summary(terminalreporter):
    if _TIMINGS:
        terminalreporter.section("timings")
        for line in _TIMINGS:
            terminalreporter.write_line(line)
