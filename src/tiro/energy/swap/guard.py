"""Idempotency keys and row locks for the SWAP ledger.

Every SWAP request carries an idempotency key. The first result is stored with a hash of the
request; the same key again returns that result (``replayed: true``), and the same key with a
different request is refused. Concurrency: SQLite writes are serialised from BEGIN (core's
``BEGIN IMMEDIATE``); on PostgreSQL a transaction-level advisory lock on the key makes two
requests with one key queue, and ``SELECT ... FOR UPDATE`` locks the stock and loan rows.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from tiro.core.errors import Conflict, InvalidInput, NotFound
from tiro.energy.models import SiteStock, SwapLoan, SwapRequest

MAX_KEY = 120


def _plain(data: Any) -> Any:
    return json.loads(json.dumps(data, default=str, sort_keys=True))


def payload_hash(operation: str, payload: dict[str, Any]) -> str:
    """A stable hash of what was asked, so a reused key with other content is caught."""
    canonical = json.dumps({"op": operation, **_plain(payload)}, sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def check_key(key: str | None) -> str:
    """Idempotency keys are required, non-blank and at most 120 characters."""
    if key is None or not key.strip():
        raise InvalidInput("every SWAP request needs an idempotency key", field="idempotency_key")
    if len(key) > MAX_KEY:
        raise InvalidInput(f"longer than {MAX_KEY} characters", field="idempotency_key")
    return key.strip()


def _lock_key(session: Session, key: str) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": f"swap:{key}"})


def run_idempotent(
    session: Session,
    *,
    key: str,
    operation: str,
    payload: dict[str, Any],
    action: Callable[[], dict[str, Any]],
) -> dict[str, Any]:
    """Run ``action`` once per key; a repeat returns the stored first result."""
    key = check_key(key)
    digest = payload_hash(operation, payload)
    _lock_key(session, key)
    existing = session.get(SwapRequest, key)
    if existing is not None:
        if existing.operation != operation or existing.payload_hash != digest:
            raise Conflict(
                f"key {key!r} was already used for another request ({existing.operation}); "
                "use a new key for a new request",
                field="idempotency_key",
            )
        return {**existing.response, "replayed": True}
    result = _plain(action())
    session.add(
        SwapRequest(
            key=key,
            operation=operation,
            payload_hash=digest,
            loan_id=result.get("id"),
            response=result,
        )
    )
    session.flush()
    return {**result, "replayed": False}


def locked_loan(session: Session, loan_id: int) -> SwapLoan:
    """The loan row, locked for update (PostgreSQL) inside the caller's transaction."""
    loan = session.execute(
        select(SwapLoan)
        .where(SwapLoan.id == loan_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if loan is None:
        raise NotFound(f"no SWAP loan {loan_id}", field="loan_id")
    return loan


def locked_stock(session: Session, site: str, grade: str) -> SiteStock:
    """The site-grade stock row, locked for update; unknown site or grade is an error."""
    stock = session.execute(
        select(SiteStock)
        .where(SiteStock.site_code == site, SiteStock.grade == grade)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if stock is None:
        raise InvalidInput(f"site {site!r} holds no grade {grade!r}", field="grade")
    return stock
