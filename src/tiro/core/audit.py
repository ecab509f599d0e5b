"""The audit trail: append-only, hash-chained, written in the same transaction as the change.

Each entry's hash covers its content and the previous entry's hash, so editing or deleting
any row breaks every hash after it; ``verify_chain`` finds the first break. Appends take a
transaction-level lock (PostgreSQL advisory lock; SQLite's write lock is already held from
BEGIN IMMEDIATE) so two writers cannot both chain onto the same predecessor — and a unique
``prev_hash`` would refuse it if they did.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from tiro.core.db import utcnow
from tiro.core.models import AuditEntry

GENESIS = "0" * 64
AUDIT_LOCK_KEY = 7_041_955  # arbitrary constant naming the audit chain's advisory lock


def _plain(value: Any) -> Any:
    """JSON-normal form, so the hash is the same before and after a database round trip."""
    return None if value is None else json.loads(json.dumps(value, default=str, sort_keys=True))


def _utc_naive(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def entry_hash(prev_hash: str, at: dt.datetime, fields: dict[str, Any]) -> str:
    """SHA-256 over the canonical JSON of an entry and its predecessor's hash."""
    payload = {"prev": prev_hash, "at": _utc_naive(at).isoformat(timespec="microseconds")}
    payload.update(fields)
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _fields(entry: AuditEntry) -> dict[str, Any]:
    return {
        "actor": entry.actor,
        "action": entry.action,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "before": entry.before,
        "after": entry.after,
        "note": entry.note,
    }


def record_audit(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: str | int,
    before: Any = None,
    after: Any = None,
    note: str | None = None,
) -> AuditEntry:
    """Append one entry to the chain inside the caller's transaction."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": AUDIT_LOCK_KEY})
    last = session.execute(
        select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
    ).scalar_one_or_none()
    prev_hash = last or GENESIS
    at = _utc_naive(utcnow()).replace(tzinfo=dt.UTC)
    entry = AuditEntry(
        at=at,
        actor=actor,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        before=_plain(before),
        after=_plain(after),
        note=note,
        prev_hash=prev_hash,
    )
    entry.hash = entry_hash(prev_hash, at, _fields(entry))
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class ChainReport:
    """Outcome of a chain check: how many entries, and the first bad one if any."""

    entries: int
    ok: bool
    first_bad_id: int | None = None
    reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "entries": self.entries,
            "ok": self.ok,
            "first_bad_id": self.first_bad_id,
            "reason": self.reason,
        }


def verify_chain(session: Session) -> ChainReport:
    """Recompute every hash in order; report the first entry that does not match."""
    prev = GENESIS
    count = 0
    for entry in session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars():
        count += 1
        if entry.prev_hash != prev:
            return ChainReport(count, False, entry.id, "prev_hash does not match predecessor")
        if entry_hash(prev, entry.at, _fields(entry)) != entry.hash:
            return ChainReport(count, False, entry.id, "content does not match its hash")
        prev = entry.hash
    return ChainReport(count, True)
