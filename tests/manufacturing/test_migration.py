"""Migration 0006_manufacturing builds exactly the tables the models declare (both databases)."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tiro.core.db import get_engine
from tiro.models import metadata

TABLES = {"manufacturing_models", "manufacturing_model_aliases", "manufacturing_rules"}


@pytest.mark.postgres
def test_migration_matches_models(db_url) -> None:
    with get_engine(db_url).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert [d for d in diff if any(t in repr(d) for t in TABLES)] == []
    assert set(metadata.tables) >= TABLES


def test_one_alembic_head() -> None:
    from alembic.script import ScriptDirectory

    from tiro.core.migrate import alembic_config

    assert len(ScriptDirectory.from_config(alembic_config()).get_heads()) == 1
