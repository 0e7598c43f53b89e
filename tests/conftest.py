"""Make redundant.interfaces importable by its FQCN, as ansible-test does."""

from __future__ import annotations

import os

from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_AnsibleCollectionFinder(paths=[os.path.join(ROOT, ".collections")])._install()
