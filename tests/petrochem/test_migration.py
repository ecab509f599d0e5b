"""Migration 0004_petrochem builds exactly the tables the models declare (both databases)."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tiro.core.db import get_engine
from tiro.models import metadata

TABLES = {
    "petrochem_projects", "petrochem_project_units", "petrochem_project_steps",
    "petrochem_support_items",
}  # fmt: skip


@pytest.mark.postgres
def test_migration_matches_models(db_url) -> None:
    with get_engine(db_url).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert [d for d in diff if any(t in repr(d) for t in TABLES)] == []
    assert set(metadata.tables) >= TABLES
