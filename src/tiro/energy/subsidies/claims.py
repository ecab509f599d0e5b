"""The subsidy claims ledger: submitted -> approved -> paid | rejected, within the budget.

Patterns of the SWAP ledger: every change is one transaction with an audit row; the budget
row is locked (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite serialises writers from
``BEGIN IMMEDIATE``) before it is read, so concurrent approvals queue and never commit more
than the budget; CHECK constraints hold the same rule in the database. A submission carries an
idempotency key (the same key and content return the first claim; other content is refused),
and one claimant's reference (invoice, cargo) can be claimed once. A paid claim cannot be paid
again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tiro.core.audit import record_audit
from tiro.core.errors import Conflict, InvalidInput, NotFound
from tiro.core.parameters import ParameterTree
from tiro.energy.subsidies.models import SubsidyBudget, SubsidyClaim
from tiro.energy.swap.guard import check_key

PROGRAMMES = {"naphtha": "energy.subsidy.naphtha.budget"}
ENTITY = "energy_subsidy_claim"


def _programme(programme: str) -> str:
    if programme not in PROGRAMMES:
        raise InvalidInput(
            f"unknown programme {programme!r}; one of {', '.join(PROGRAMMES)}", field="programme"
        )
    return programme


def claim_dict(claim: SubsidyClaim) -> dict[str, Any]:
    """A claim as plain data (dates as ISO strings)."""
    return {
        "id": claim.id,
        "programme": claim.programme,
        "claimant": claim.claimant,
        "reference": claim.reference,
        "claimed_krw": claim.claimed_krw,
        "approved_krw": claim.approved_krw,
        "status": claim.status,
        "reason": claim.reason,
        "submitted_on": claim.submitted_on.isoformat(),
        "decided_on": claim.decided_on.isoformat() if claim.decided_on else None,
        "paid_on": claim.paid_on.isoformat() if claim.paid_on else None,
    }


def budget_dict(budget: SubsidyBudget) -> dict[str, Any]:
    """The budget with what is left to commit."""
    return {
        "programme": budget.programme,
        "budget_krw": budget.budget_krw,
        "committed_krw": budget.committed_krw,
        "paid_krw": budget.paid_krw,
        "remaining_krw": budget.budget_krw - budget.committed_krw,
        "source": budget.source,
    }


def _locked_budget(
    session: Session, programme: str, params: ParameterTree | None = None, on: dt.date | None = None
) -> SubsidyBudget:
    """The budget row locked for update; created from the parameter on first use."""
    query = (
        select(SubsidyBudget)
        .where(SubsidyBudget.programme == programme)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    budget = session.execute(query).scalar_one_or_none()
    if budget is None:
        if params is None or on is None:
            raise NotFound(f"no budget recorded for {programme}", field="programme")
        path = PROGRAMMES[programme]
        explained = params.explain(path, on)
        budget = SubsidyBudget(
            programme=programme,
            budget_krw=int(explained.value),
            committed_krw=0,
            paid_krw=0,
            source=f"{path} from {explained.effective_from}: {explained.reference.get('title', '')}",
        )
        session.add(budget)
        session.flush()
        budget = session.execute(query).scalar_one()
    return budget


def _locked_claim(session: Session, claim_id: int) -> SubsidyClaim:
    claim = session.execute(
        select(SubsidyClaim)
        .where(SubsidyClaim.id == claim_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if claim is None:
        raise NotFound(f"no subsidy claim {claim_id}", field="claim_id")
    return claim


def submit(
    *,
    session: Session,
    params: ParameterTree,
    key: str,
    actor: str,
    programme: str,
    claimant: str,
    reference: str,
    claimed_krw: int,
    on: dt.date,
) -> dict[str, Any]:
    """Record a claim (status submitted). The same key and content return the first claim."""
    key = check_key(key)
    _programme(programme)
    if not claimant.strip() or not reference.strip():
        raise InvalidInput("claimant and reference are required", field="reference")
    if claimed_krw <= 0:
        raise InvalidInput("a claim must be a positive amount of won", field="claimed_krw")
    budget = _locked_budget(session, programme, params, on)
    content = (programme, claimant, reference, claimed_krw, on)
    existing = session.execute(
        select(SubsidyClaim).where(SubsidyClaim.claim_key == key)
    ).scalar_one_or_none()
    if existing is not None:
        first = (existing.programme, existing.claimant, existing.reference,
                 existing.claimed_krw, existing.submitted_on)  # fmt: skip
        if first != content:
            raise Conflict(
                f"key {key!r} was already used for claim {existing.id}; use a new key",
                field="idempotency_key",
            )
        return {**claim_dict(existing), "replayed": True}
    twice = session.execute(
        select(SubsidyClaim).where(
            SubsidyClaim.programme == programme,
            SubsidyClaim.claimant == claimant,
            SubsidyClaim.reference == reference,
        )
    ).scalar_one_or_none()
    if twice is not None:
        raise Conflict(
            f"{claimant} already claimed {reference!r} ({programme}) as claim {twice.id}",
            field="reference",
        )
    claim = SubsidyClaim(
        programme=programme,
        claimant=claimant,
        reference=reference,
        claim_key=key,
        claimed_krw=claimed_krw,
        status="submitted",
        submitted_on=on,
    )
    session.add(claim)
    session.flush()
    record_audit(session, actor=actor, action="subsidy.submit", entity=ENTITY,
                 entity_id=claim.id, after=claim_dict(claim))  # fmt: skip
    return {**claim_dict(claim), "replayed": False, "budget": budget_dict(budget)}


def approve(
    *,
    session: Session,
    actor: str,
    claim_id: int,
    on: dt.date,
    amount_krw: int | None = None,
) -> dict[str, Any]:
    """Approve a submitted claim for ``amount_krw`` (default: all of it) within the budget.

    The budget row is locked first, so two approvals at once queue; one that no longer fits
    is refused (409) naming what is left, and nothing is written.
    """
    claim = _locked_claim(session, claim_id)
    budget = _locked_budget(session, claim.programme)
    if claim.status != "submitted":
        raise Conflict(f"claim {claim_id} is {claim.status}, not submitted", field="status")
    amount = claim.claimed_krw if amount_krw is None else amount_krw
    if amount <= 0 or amount > claim.claimed_krw:
        raise InvalidInput(f"approve between 1 and {claim.claimed_krw} won", field="amount_krw")
    if on < claim.submitted_on:
        raise InvalidInput(f"approval before submission ({claim.submitted_on})", field="on")
    left = budget.budget_krw - budget.committed_krw
    if amount > left:
        raise Conflict(
            f"the {claim.programme} budget has {left:,} won left; claim {claim_id} needs "
            f"{amount:,} (approve less, or reject it)",
            field="amount_krw",
        )
    before = claim_dict(claim)
    budget.committed_krw += amount
    claim.status, claim.approved_krw, claim.decided_on = "approved", amount, on
    session.flush()
    record_audit(session, actor=actor, action="subsidy.approve", entity=ENTITY,
                 entity_id=claim.id, before=before, after=claim_dict(claim))  # fmt: skip
    return {**claim_dict(claim), "budget": budget_dict(budget)}


def pay(*, session: Session, actor: str, claim_id: int, on: dt.date) -> dict[str, Any]:
    """Pay an approved claim once; paying a paid claim is refused (never paid twice)."""
    claim = _locked_claim(session, claim_id)
    budget = _locked_budget(session, claim.programme)
    if claim.status == "paid":
        raise Conflict(f"claim {claim_id} was already paid on {claim.paid_on}", field="status")
    if claim.status != "approved":
        raise Conflict(f"claim {claim_id} is {claim.status}, not approved", field="status")
    if claim.decided_on and on < claim.decided_on:
        raise InvalidInput(f"payment before approval ({claim.decided_on})", field="on")
    before = claim_dict(claim)
    budget.paid_krw += claim.approved_krw or 0
    claim.status, claim.paid_on = "paid", on
    session.flush()
    record_audit(session, actor=actor, action="subsidy.pay", entity=ENTITY,
                 entity_id=claim.id, before=before, after=claim_dict(claim))  # fmt: skip
    return {**claim_dict(claim), "budget": budget_dict(budget)}


def reject(
    *, session: Session, actor: str, claim_id: int, on: dt.date, reason: str
) -> dict[str, Any]:
    """Reject a submitted claim with the reason (kept on the claim and in the audit)."""
    if not reason or not reason.strip():
        raise InvalidInput("a rejection needs a reason", field="reason")
    claim = _locked_claim(session, claim_id)
    if claim.status != "submitted":
        raise Conflict(f"claim {claim_id} is {claim.status}, not submitted", field="status")
    before = claim_dict(claim)
    claim.status, claim.reason, claim.decided_on = "rejected", reason.strip(), on
    session.flush()
    record_audit(session, actor=actor, action="subsidy.reject", entity=ENTITY,
                 entity_id=claim.id, before=before, after=claim_dict(claim))  # fmt: skip
    return claim_dict(claim)


def ledger(*, session: Session, programme: str) -> dict[str, Any]:
    """The budget and every claim of a programme."""
    _programme(programme)
    budget = session.get(SubsidyBudget, programme)
    claims = session.execute(
        select(SubsidyClaim).where(SubsidyClaim.programme == programme).order_by(SubsidyClaim.id)
    ).scalars()
    return {
        "budget": budget_dict(budget) if budget else None,
        "claims": [claim_dict(c) for c in claims],
    }
