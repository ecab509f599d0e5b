"""Database rule violations are clean refusals, never tracebacks or 500s (issue 9 item 2).

A CHECK constraint holds the ledger's invariants; a value that reaches one — through a
parameter overlay or a path no service check anticipated — must come back as a typed error
naming the rule: one line on the CLI, problem+json over HTTP.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient

from tiro.api import problems
from tiro.api.deps import get_session
from tiro.core.db import get_engine, session_scope
from tiro.core.errors import Conflict, InvalidInput

INSERT_USER = sa.text(
    "INSERT INTO users (name, role, created_at, updated_at) "
    "VALUES (:n, :r, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
)


@pytest.mark.postgres
def test_session_scope_turns_check_and_unique_violations_into_typed_errors(db_url):
    engine = get_engine(db_url)
    with pytest.raises(InvalidInput) as check, session_scope(engine) as s:
        s.execute(INSERT_USER, {"n": "kim", "r": "emperor"})
    assert check.value.status == 422 and check.value.exit_code == 2
    assert "ck_users_role_known" in check.value.one_line()
    with session_scope(engine) as s:
        s.execute(INSERT_USER, {"n": "kim", "r": "viewer"})
    with pytest.raises(Conflict) as unique, session_scope(engine) as s:
        s.execute(INSERT_USER, {"n": "kim", "r": "admin"})
    assert unique.value.status == 409 and "UNIQUE" in unique.value.message
    # nothing of either failed transaction was kept
    with session_scope(engine) as s:
        assert s.execute(sa.text("SELECT role FROM users")).scalars().all() == ["viewer"]


def test_api_answers_problem_json_for_an_integrity_error(configured):
    app = FastAPI()
    problems.install(app)
    app.state.engine = get_engine(configured)

    @app.post("/flush")
    def flush(session=Depends(get_session, scope="function")) -> dict:  # type: ignore[no-untyped-def]
        session.execute(INSERT_USER, {"n": "lee", "r": "emperor"})
        return {"ok": True}

    @app.post("/commit")
    def commit(session=Depends(get_session, scope="function")) -> dict:  # type: ignore[no-untyped-def]
        session.execute(INSERT_USER, {"n": "park", "r": "viewer"})
        session.execute(INSERT_USER, {"n": "park", "r": "viewer"})
        return {"ok": True}

    @app.post("/at-commit")
    def at_commit(session=Depends(get_session, scope="function")) -> dict:  # type: ignore[no-untyped-def]
        from tiro.core.models import User

        session.add(User(name="choi", role="emperor"))  # flushed only by the commit
        return {"ok": True}

    with TestClient(app, raise_server_exceptions=False) as client:
        bad = client.post("/flush")
        assert bad.status_code == 422
        assert bad.headers["content-type"].startswith("application/problem+json")
        body = bad.json()
        assert body["field"].endswith("role_known") and "CHECK" in body["detail"]
        assert "INSERT" not in bad.text  # no SQL, no traceback
        twice = client.post("/commit")
        assert twice.status_code == 409 and twice.json()["type"] == "urn:tiro:error:Conflict"
        late = client.post("/at-commit")  # the route returned; the commit refused it
        assert late.status_code == 422 and late.json()["field"].endswith("role_known")


@pytest.mark.postgres
def test_overlay_that_would_break_a_ledger_check_is_refused(db_url, tmp_path):
    """A negative premium used to reach CHECK premium_le_due on release (IntegrityError).

    Now the overlay is refused by the leaf's range, naming the leaf; and should a value still
    reach a ledger constraint (here by a direct update), the caller gets a typed error naming
    the rule, not a driver exception.
    """
    from tests.energy.swap_factories import PARAMS, small_ledger

    mine = tmp_path / "negative_premium.yaml"
    mine.write_text(
        "description: a what-if with a negative premium\noverrides:\n"
        "  energy.swap.premium_rate:\n"
        "    2026-03-09: {value: -0.5, reference: {title: what-if, section: '3'}}\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput) as refused:
        PARAMS.with_scenario(mine)
    assert refused.value.field == "scenario"
    assert "energy.swap.premium_rate value of 2026-03-09: -0.5 is outside" in refused.value.message

    engine = get_engine(db_url)
    with session_scope(engine) as s:
        small_ledger(s)  # Oman at test: stock 1,000,000, floor 400,000
    with pytest.raises(InvalidInput) as broken, session_scope(engine) as s:
        s.execute(sa.text("UPDATE energy_site_stocks SET stock_bbl = 399999"))
    assert "CHECK" in broken.value.message and broken.value.field.endswith("stock_above_floor")
    with session_scope(engine) as s:  # rolled back: the stock is untouched
        assert s.execute(sa.text("SELECT stock_bbl FROM energy_site_stocks")).scalar() == 1_000_000


@pytest.mark.postgres
def test_a_value_too_large_for_its_column_is_invalid_input(db_url, db_backend):
    """PostgreSQL refuses a 121-character name in VARCHAR(120) with a DataError."""
    if db_backend == "sqlite":
        pytest.skip("SQLite does not enforce VARCHAR lengths")
    engine = get_engine(db_url)
    with pytest.raises(InvalidInput) as caught, session_scope(engine) as s:
        s.execute(INSERT_USER, {"n": "x" * 121, "r": "viewer"})
    assert "does not fit its database column" in caught.value.message


def test_a_user_name_longer_than_its_column_is_refused(db_url):
    from tiro.core import auth

    with pytest.raises(InvalidInput) as caught, session_scope(get_engine(db_url)) as s:
        auth.add_user(session=s, name="x" * 121, role="viewer", actor="t")
    assert caught.value.field == "name" and "120" in caught.value.message
