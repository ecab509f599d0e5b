"""Users, tokens and the audit chain on SQLite and PostgreSQL."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from tiro.core import auth
from tiro.core.audit import GENESIS, record_audit, verify_chain
from tiro.core.db import get_engine, session_scope
from tiro.core.errors import Forbidden, Unauthorized
from tiro.core.models import ApiToken, AuditEntry

pytestmark = pytest.mark.postgres


def test_token_is_stored_hashed_and_authenticates(session):
    auth.add_user(session=session, name="park", role="analyst", actor="test")
    secret = auth.issue_token(session=session, name="park", actor="test")
    stored = session.execute(sa.select(ApiToken.token_hash)).scalar_one()
    assert secret not in stored and stored == auth.hash_token(secret)
    user = auth.user_for_token(session=session, token=secret)
    assert user.name == "park"
    assert auth.require(user, "viewer") is user
    with pytest.raises(Forbidden):
        auth.require(user, "operator")
    with pytest.raises(Unauthorized):
        auth.user_for_token(session=session, token=secret + "x")
    auth.revoke_tokens(session=session, name="park", actor="test")
    with pytest.raises(Unauthorized):
        auth.user_for_token(session=session, token=secret)


def test_chain_links_and_verifies(session):
    first = record_audit(
        session, actor="a", action="x.create", entity="x", entity_id=1, after={"v": 1}
    )
    second = record_audit(
        session,
        actor="b",
        action="x.update",
        entity="x",
        entity_id=1,
        before={"v": 1},
        after={"v": 2},
    )
    session.commit()
    assert first.prev_hash == GENESIS and second.prev_hash == first.hash
    assert verify_chain(session).as_dict() == {
        "entries": 2,
        "ok": True,
        "first_bad_id": None,
        "reason": None,
    }


def test_audit_rows_cannot_be_changed_or_deleted(session):
    record_audit(session, actor="a", action="x.create", entity="x", entity_id=1, after={"v": 1})
    session.commit()
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        session.execute(sa.update(AuditEntry).values(actor="mallory"))
        session.flush()
    session.rollback()
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        session.execute(sa.delete(AuditEntry))
        session.flush()
    session.rollback()


def test_tampering_is_detected(session, db_backend):
    for i in range(3):
        record_audit(session, actor="a", action="x.set", entity="x", entity_id=1, after={"v": i})
    session.commit()
    # Tamper as a superuser would: drop the guard, change the middle row's content.
    if db_backend == "postgresql":
        session.execute(sa.text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change"))
    else:
        session.execute(sa.text("DROP TRIGGER audit_log_no_update"))
    middle = session.execute(
        sa.select(AuditEntry).order_by(AuditEntry.id).offset(1).limit(1)
    ).scalar_one()
    session.execute(sa.update(AuditEntry).where(AuditEntry.id == middle.id).values(after={"v": 99}))
    session.commit()
    report = verify_chain(session)
    assert not report.ok and report.first_bad_id == middle.id


def test_concurrent_appends_keep_one_linear_chain(db_url):
    engine = get_engine(db_url)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(10):
                with session_scope(engine) as s:
                    record_audit(
                        s, actor=f"w{n}", action="x.set", entity="x", entity_id=n, after={"i": i}
                    )
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with session_scope(engine) as s:
        report = verify_chain(s)
    assert report.ok and report.entries == 40
