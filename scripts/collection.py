"""Make redundant.interfaces importable by its FQCN from this checkout (.collections), the way
Ansible finds collections: what the build scripts import first."""

import os

from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_AnsibleCollectionFinder(paths=[os.path.join(ROOT, ".collections")])._install()
