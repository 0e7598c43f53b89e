"""One error base: every error the collection reports derives from it, so each
entry point catches exactly one type and anything else keeps its traceback."""

from __future__ import annotations

import pytest

from ansible_collections.redundant.interfaces.plugins.module_utils.decision import DecisionError
from ansible_collections.redundant.interfaces.plugins.module_utils.engine import HostError
from ansible_collections.redundant.interfaces.plugins.module_utils.errors import RedundantError
from ansible_collections.redundant.interfaces.plugins.module_utils.model import LinkError
from ansible_collections.redundant.interfaces.plugins.module_utils.errors import SwitchError
from ansible_collections.redundant.interfaces.plugins.module_utils.transaction import TransactionError


@pytest.mark.parametrize("error", [DecisionError, HostError, LinkError, SwitchError, TransactionError])
def test_every_error_is_the_collections(error):
    assert issubclass(error, RedundantError)
    assert str(error("bond_lacp_links[bond0]: rule")) == "bond_lacp_links[bond0]: rule"
