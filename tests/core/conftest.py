"""Fixtures shared by the core tests."""

from __future__ import annotations

import pytest
from tests.core.param_trees import make_tree

from tiro.core.parameters import _cached
from tiro.core.settings import get_settings


@pytest.fixture
def tree_root(tmp_path, monkeypatch):
    """The small test tree as the process's parameter root (settings and tree caches reset)."""
    root = make_tree(tmp_path / "params")
    monkeypatch.setenv("TIRO_PARAMS_ROOT", str(root))
    get_settings.cache_clear()
    _cached.cache_clear()
    yield root
    get_settings.cache_clear()
    _cached.cache_clear()
