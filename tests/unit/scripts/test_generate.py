"""The generator: every generated file is what it writes; and adding an option
is one edit to the catalog, seen by validation, the role spec and every renderer; a stack is
imported from the catalog's list of stacks."""

from __future__ import annotations

import importlib.util
import os

import pytest

from ansible_collections.redundant.interfaces.plugins.module_utils import catalog, engine, live, role_specs
from ansible_collections.redundant.interfaces.plugins.module_utils.backends import ifupdown
from ansible_collections.redundant.interfaces.plugins.module_utils.model import LinkError, build_links
from tests.helpers import ROOT

_SPEC = importlib.util.spec_from_file_location("generate", os.path.join(ROOT, "scripts", "generate.py"))
generate = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(generate)


def test_every_generated_file_is_what_the_generator_writes():
    assert generate.stale() == [], "run: python scripts/generate.py"


def test_the_generator_covers_every_role():
    roles = {path.split("/")[1] for path in generate.files() if path.startswith("roles/")}
    assert roles == set(catalog.METHODS) | {"cisco_ios"}


# A kernel option the collection does not have, as one catalog entry (a bond option legal
# in balance-alb only, spelled by every stack but netplan).
# ifenslave does not know it, so the collection's hook applies it there (hooked).
THROWAWAY = catalog.Option(name="throwaway_opt", kind="bond", type="int", description="A test option.", min=0,
                           max=9, modes=("balance-alb",), kernel_default=0, hooked=catalog.HOOK,
                           keys=dict(ifupdown="bond-throwaway-opt", networkd="ThrowawayOpt", nm="throwaway_opt"))


@pytest.fixture
def extended(monkeypatch):
    """The catalog with THROWAWAY added, the one edit a new option takes."""
    monkeypatch.setitem(catalog.BY_KIND, "bond", catalog.BOND_OPTIONS + (THROWAWAY,))
    monkeypatch.setitem(catalog.OPTIONS, THROWAWAY.name, THROWAWAY)


def link(**options):
    return dict(name="bond0", ports=["eth0", "eth1"], **options)


def test_a_new_option_reaches_validation(extended):
    (built,) = build_links("bond_alb", [link(throwaway_opt=3)])
    assert built.options["throwaway_opt"] == 3
    with pytest.raises(LinkError, match=r"bond_alb_links\[bond0\]: throwaway_opt .*9"):
        build_links("bond_alb", [link(throwaway_opt=10)])
    with pytest.raises(LinkError, match="throwaway_opt is not supported in 802.3ad mode"):
        build_links("bond_lacp", [link(throwaway_opt=3)])


def test_a_new_option_reaches_the_role_spec_and_docs(extended):
    options = role_specs.role_spec("bond_alb")["argument_specs"]["main"]["options"]["bond_alb_links"]["options"]
    entry = options["throwaway_opt"]
    assert entry["type"] == "int"
    assert "Range 0 to 9." in entry["description"] and "Not available on netplan" in entry["description"]
    with pytest.raises(AssertionError):  # the committed files now differ: the generator must run
        assert generate.stale() == []


@pytest.mark.parametrize("stack", sorted(engine.BACKENDS))
def test_a_new_option_reaches_every_renderer(extended, stack):
    (built,) = build_links("bond_alb", [link(throwaway_opt=3)])
    if not THROWAWAY.supported(stack):
        assert catalog.unsupported(["throwaway_opt"], stack) == ["throwaway_opt"]  # refused by name there
        return
    text = "".join(engine.BACKENDS[stack].render(built).values())
    assert THROWAWAY.key(stack) in text


def test_a_new_option_reaches_the_kernel_on_ifupdown_through_the_hook(extended):
    """ifenslave applies only the bond-* keys it knows (test_ifupdown: its real hook); the one edit
    that marks the option hooked puts it in the hook that sets it live from the same stanza."""
    (built,) = build_links("bond_alb", [link(throwaway_opt=3)])
    assert "    bond-throwaway-opt 3" in "".join(engine.BACKENDS["ifupdown"].render(built).values())
    line = '  [ -n "$IF_BOND_THROWAWAY_OPT" ] && ip link set dev "$IFACE" type bond throwaway_opt "$IF_BOND_THROWAWAY_OPT"'
    assert line in ifupdown.hook_script().splitlines()


def test_a_new_option_reaches_the_kernel_read_back(extended, tmp_path, monkeypatch):
    # live.py reads sysfs through the generated sysfs.py: what the generator writes of the catalog
    monkeypatch.setattr(live, "OPTIONS", generate.sysfs_table()["OPTIONS"])
    bonding = tmp_path / "bond0" / "bonding"
    bonding.mkdir(parents=True)
    for name, text in dict(mode="balance-alb 6", slaves="eth0 eth1", throwaway_opt="7").items():
        (bonding / name).write_text(text + "\n")
    state = live.read_link("bond0", str(tmp_path))
    assert state["options"]["throwaway_opt"] == 7
    (built,) = build_links("bond_alb", [link(throwaway_opt=3)])
    assert "throwaway_opt is 7, want 3" in [str(d) for d in live.drift(built, state)]


def test_the_catalog_is_whole_again_after_the_tests():
    assert "throwaway_opt" not in catalog.OPTIONS
    assert THROWAWAY not in catalog.BY_KIND["bond"]


def test_a_new_stack_is_imported_from_the_catalogs_list(monkeypatch):
    """The engine names no stack: it imports backends/stacks.py, generated from catalog.STACKS, and every
    module listed registers a Backend of its name (Ansible packs for a host only what is imported by name)."""
    monkeypatch.setattr(catalog, "STACKS", catalog.STACKS + ("wicked",))
    assert "    wicked,\n" in generate.stack_imports()
    assert sorted(engine.BACKENDS) == sorted(name for name in catalog.STACKS if name != "wicked")
    assert all(backend.NAME == name for name, backend in engine.BACKENDS.items())
