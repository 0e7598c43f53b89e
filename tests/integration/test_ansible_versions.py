"""The collection on the oldest ansible-core it claims (meta/runtime.yml): the
unit tests and the fuzzer pass in a virtualenv of its own (scripts/setup:
.cache/ansible-oldest). The pinned ansible-core of requirements.txt runs
everything else in the test run."""

from __future__ import annotations

import os
import re

import pytest
import yaml

from tests.helpers import ROOT, run

pytestmark = pytest.mark.integration
OLDEST = os.path.join(ROOT, ".cache", "ansible-oldest", "bin", "python")


def claimed_oldest():
    with open(os.path.join(ROOT, "meta", "runtime.yml")) as handle:
        return re.fullmatch(r">=\s*([0-9.]+)", yaml.safe_load(handle)["requires_ansible"]).group(1)


def test_unit_tests_pass_on_the_oldest_ansible_core_claimed():
    version = run(OLDEST, "-c", "import ansible; print(ansible.__version__)").stdout.strip()
    assert version == claimed_oldest()
    out = run(OLDEST, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/unit",
              env={"PYTHONDONTWRITEBYTECODE": "1"}, timeout=600).stdout
    last = out.strip().splitlines()[-1]
    assert re.match(r"^\d+ passed in ", last) and int(last.split()[0]) > 600, out[-3000:]
