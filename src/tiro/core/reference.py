"""Loading every domain's reference data into the database (``tiro db seed``)."""

from __future__ import annotations

import importlib
import importlib.util

from sqlalchemy import Engine

from tiro.core.db import session_scope
from tiro.models import DOMAINS


def seed_reference_data(*, actor: str, engine: Engine | None = None) -> dict[str, int]:
    """Call each domain's ``reference.load_reference``; one transaction per domain.

    A domain whose ``reference`` module has no ``load_reference`` keeps its reference data in
    files and has nothing to seed; it is skipped rather than failing the whole seed.
    """
    counts: dict[str, int] = {}
    for domain in DOMAINS:
        name = f"tiro.{domain}.reference"
        if not importlib.util.find_spec(f"tiro.{domain}") or not importlib.util.find_spec(name):
            continue
        loader = getattr(importlib.import_module(name), "load_reference", None)
        if loader is None:  # reference data read from files only: nothing to put in SQL
            continue
        with session_scope(engine) as session:
            loaded = loader(session=session)
        counts[domain] = int(sum(loaded.values())) if isinstance(loaded, dict) else int(loaded)
    return counts
