"""Make redundant.interfaces importable by its FQCN, as ansible-test does."""

from __future__ import annotations

import pytest

# the same loader the build scripts import first
import scripts.collection  # noqa: F401 pylint: disable=unused-import


_TIMINGS = []
ALONE = ("tests/integration/test_molecule.py",)  # every scenario boots its own and runs alone
SHARED = {"tests/integration/test_site.py": "site lab", "tests/integration/test_cabling.py": "site lab"}
PER_PARAM = ("tests/integration/test_commit_confirmed.py",)  # a guest of its own per parameter (stack)


@pytest.fixture
def timings(request):
    """Lines for the run's closing summary (scenario times, lab boot times). They travel in the
    test's report, so they reach the summary from pytest-xdist's workers as well."""
    lines = []
    yield lines
    request.node.user_properties.extend(("timing", line) for line in lines)


def pytest_runtest_logreport(report):
    if report.when == "teardown":
        _TIMINGS.extend(value for key, value in report.user_properties if key == "timing")


try:  # the test command's workers; the oldest ansible-core's unit run goes without them
    from xdist.scheduler import LoadScopeScheduling
except ImportError:
    LoadScopeScheduling = object


class Scheduling(LoadScopeScheduling):
    """pytest-xdist's work units for the test command's two workers (scripts/test).

    A module's tests run on one worker: a module shares what it boots (a lab guest, the site lab)
    between its tests. Modules that boot the same lab, under the same names and ports, share a
    unit; each Molecule scenario is a unit of its own, as is each stack's guest of the
    commit-confirmed tests. (xdist's own `loadgroup` marks do not
    group on pytest 9: they rewrite a node attribute pytest no longer reads.)"""

    def _split_scope(self, nodeid):
        module = nodeid.split("::", 1)[0]
        if module in ALONE:
            return nodeid
        if module in PER_PARAM and nodeid.endswith("]"):
            return module + nodeid[nodeid.rindex("["):]
        return SHARED.get(module, module)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    return Scheduling(config, log)


def pytest_terminal_summary(terminalreporter):
    if _TIMINGS:
        terminalreporter.section("timings")
        for line in _TIMINGS:
            terminalreporter.write_line(line)
