"""``tiro db seed`` calls each domain's loader; a reference module without one is skipped."""

from __future__ import annotations

import importlib.machinery
import sys
import types

from tiro.core import reference
from tiro.core.db import get_engine


def test_a_reference_module_without_a_loader_is_skipped(db_url, monkeypatch):
    package = types.ModuleType("tiro.filesonly")
    package.__spec__ = importlib.machinery.ModuleSpec("tiro.filesonly", None, is_package=True)
    package.__path__ = []
    module = types.ModuleType("tiro.filesonly.reference")
    module.__spec__ = importlib.machinery.ModuleSpec("tiro.filesonly.reference", None)
    monkeypatch.setitem(sys.modules, "tiro.filesonly", package)
    monkeypatch.setitem(sys.modules, "tiro.filesonly.reference", module)
    monkeypatch.setattr(reference, "DOMAINS", ("filesonly", "energy"))
    counts = reference.seed_reference_data(actor="test", engine=get_engine(db_url))
    assert "filesonly" not in counts and counts["energy"] > 0
