"""Migration 0002_energy builds exactly the tables the models declare (both databases)."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tiro.core.db import get_engine
from tiro.models import metadata

ENERGY_TABLES = {
    "energy_reserve_sites", "energy_site_stocks", "energy_refiners",
    "energy_swap_loans", "energy_swap_requests", "energy_alert_decisions",
}  # fmt: skip


@pytest.mark.postgres
def test_migration_matches_models(db_url) -> None:
    with get_engine(db_url).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)

    ours = [d for d in diff if any(t in repr(d) for t in ENERGY_TABLES)]
    assert ours == []
    assert set(metadata.tables) >= ENERGY_TABLES
