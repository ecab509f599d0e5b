"""The migrated database and the model metadata name their constraints alike, on both backends.

Migrations 0001-0008 passed full CHECK names through the metadata's naming convention, so the
databases held ``ck_users_ck_users_role_known`` (and, on PostgreSQL, names cut to 63
characters with a hash), while the models say ``ck_users_role_known``. 0010 renames them; these
tests read the names back from the database itself.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.schema import CreateTable

from tiro.core import migrate
from tiro.core.db import get_engine
from tiro.models import metadata

pytestmark = pytest.mark.postgres

BEFORE = "0009_manufacturing_library"


def _model_check_names(engine: sa.Engine) -> dict[str, set[str]]:
    """Each table's CHECK names as the models would create them on this backend."""
    out = {}
    for name, table in metadata.tables.items():
        ddl = str(CreateTable(table).compile(engine))
        out[name] = set(re.findall(r'CONSTRAINT "?(\w+)"? CHECK', ddl))
    return out


def _db_check_names(engine: sa.Engine) -> dict[str, set[str]]:
    inspector = sa.inspect(engine)
    return {
        name: {c["name"] for c in inspector.get_check_constraints(name)}
        for name in inspector.get_table_names()
        if name != "alembic_version"
    }


def _to(url: str, revision: str, *, down: bool = False) -> None:
    config = migrate.alembic_config(url)
    with get_engine(url).connect() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)
        connection.commit()


def test_check_constraint_names_agree_with_the_models(db_url):
    engine = get_engine(db_url)
    model, db = _model_check_names(engine), _db_check_names(engine)
    assert set(db) == set(model)
    assert {t: n for t, n in db.items() if n != model[t]} == {}
    doubled = sorted(n for names in db.values() for n in names if "_ck_" in n)
    assert doubled == []
    assert db["users"] == {"ck_users_role_known"}
    assert db["energy_inspection_cases"] == {
        f"ck_energy_inspection_cases_{r}"
        for r in (
            "closed_after_inspected",
            "dates_match_state",
            "inspected_after_opened",
            "state_known",
            "type_known",
        )
    }


def test_autogenerate_finds_no_difference(db_url):
    """Tables, columns, indexes and unique constraints: the models describe the database."""
    with get_engine(db_url).connect() as connection:
        context = MigrationContext.configure(connection, opts={"target_metadata": metadata})
        assert compare_metadata(context, metadata) == []


def test_rename_keeps_rows_and_rules_and_goes_back(db_url):
    """A database that already has users and tokens (a parent with children) is renamed in
    place; the rule still refuses a bad row, now under its single name; downgrade restores
    the old names exactly."""
    engine = get_engine(db_url)
    _to(db_url, BEFORE, down=True)
    at_0009 = _db_check_names(engine)
    assert "ck_users_ck_users_role_known" in at_0009["users"]
    now = dt.datetime(2026, 12, 5, tzinfo=dt.UTC)
    with engine.begin() as conn:
        user_id = conn.execute(
            sa.text(
                "INSERT INTO users (name, role, created_at, updated_at) "
                "VALUES ('kim', 'admin', :t, :t) RETURNING id"
            ),
            {"t": now},
        ).scalar_one()
        conn.execute(
            sa.text(
                "INSERT INTO api_tokens (user_id, token_hash, prefix, created_at, updated_at) "
                "VALUES (:u, :h, 'tk_', :t, :t)"
            ),
            {"u": user_id, "h": "a" * 64, "t": now},
        )
    _to(db_url, "heads")
    engine.dispose()
    assert _db_check_names(engine) == _model_check_names(engine)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM api_tokens")).scalar_one() == 1
        assert conn.execute(sa.text("SELECT role FROM users")).scalar_one() == "admin"
    with pytest.raises(sa.exc.IntegrityError, match="ck_users_role_known"), engine.begin() as c:
        c.execute(
            sa.text(
                "INSERT INTO users (name, role, created_at, updated_at) "
                "VALUES ('lee', 'emperor', :t, :t)"
            ),
            {"t": now},
        )
    _to(db_url, BEFORE, down=True)
    engine.dispose()
    assert _db_check_names(engine) == at_0009
    _to(db_url, "heads")
