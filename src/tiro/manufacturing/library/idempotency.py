"""Idempotency keys for the library's creating steps: a retried request is answered once.

A client that times out on ``POST /contracts`` and sends it again must not get two
contracts. With an ``Idempotency-Key`` header the first answer is stored in the same
transaction as the step it answers (``LibraryIdempotencyKey``); the same actor sending the
same key and the same request again gets that answer back — no new row, no audit entry —
and the same key with another request is a 409 naming the header (the IETF
httpapi-idempotency-key draft's behaviour). Two requests racing with one key queue on the
key: SQLite serialises writers from BEGIN (core's ``BEGIN IMMEDIATE``), PostgreSQL takes a
transaction-level advisory lock on (actor, key) before looking; the unique (actor, key)
constraint is the last guard either way.

The key travels from the route to :func:`tiro.manufacturing.library.members.run_step`
in a context variable, so the services keep their signatures; ``run_step`` takes it
(:func:`take`) once, so a step nested inside another never claims it twice.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from tiro.core.errors import Conflict, InvalidInput
from tiro.manufacturing.library.tables import LibraryIdempotencyKey

HEADER = "Idempotency-Key"
MAX_KEY = 120
#: Visible ASCII, no spaces: what an HTTP header carries unambiguously.
KEY_PATTERN = r"^[\x21-\x7e]{1,120}$"


@dataclass(frozen=True)
class Once:
    """One keyed request: who sent it, the key, the route and the hash of what was asked."""

    actor: str
    key: str
    route: str
    request_hash: str


_CURRENT: ContextVar[Once | None] = ContextVar("library_idempotency", default=None)


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    return str(value)


def plain(data: Any) -> Any:
    """``data`` as JSON would carry it (dates ISO 8601, as the API encodes them)."""
    return json.loads(json.dumps(data, default=_encode, sort_keys=True))


def request_hash(route: str, payload: dict[str, Any]) -> str:
    """SHA-256 of the route and the validated request, in canonical JSON."""
    canonical = json.dumps({"route": route, "request": plain(payload)}, sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def check_key(key: str) -> str:
    """A key is 1-120 visible ASCII characters (no spaces)."""
    if not key or len(key) > MAX_KEY or not all(0x21 <= ord(c) <= 0x7E for c in key):
        raise InvalidInput(f"1 to {MAX_KEY} visible ASCII characters without spaces", field=HEADER)
    return key


@contextmanager
def keyed(*, actor: str, key: str | None, route: str, payload: dict[str, Any]) -> Iterator[None]:
    """Within the block, the library step run for ``actor`` answers once per ``key``."""
    if key is None:
        yield
        return
    once = Once(actor, check_key(key), route, request_hash(route, payload))
    token = _CURRENT.set(once)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def take() -> Once | None:
    """The keyed request of this context, handed out once."""
    once = _CURRENT.get()
    if once is not None:
        _CURRENT.set(None)
    return once


def claim(session: Session, once: Once) -> dict[str, Any] | None:
    """The stored first answer for the key, or None when the key is new (then the caller
    runs the step and :func:`record`\\ s it in the same transaction). Another request under
    the key is a 409 naming the header."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:k))"),
            {"k": f"manufacturing.library:{once.actor}:{once.key}"},
        )
    row = session.execute(
        select(LibraryIdempotencyKey).where(
            LibraryIdempotencyKey.actor == once.actor, LibraryIdempotencyKey.key == once.key
        )
    ).scalar_one_or_none()
    if row is None:
        return None
    if row.request_hash != once.request_hash:
        raise Conflict(
            f"{HEADER} {once.key!r} was already used by {once.actor} for another request "
            f"({row.route}); send a new key for a new request",
            field=HEADER,
        )
    return row.response


def record(session: Session, once: Once, response: Any) -> Any:
    """Store the first answer under the key; returns it as JSON carries it (so the first
    answer and every replay are the same bytes)."""
    answer = plain(response)
    session.add(
        LibraryIdempotencyKey(
            actor=once.actor,
            key=once.key,
            route=once.route,
            request_hash=once.request_hash,
            response=answer,
        )
    )
    session.flush()
    return answer
