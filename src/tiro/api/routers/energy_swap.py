"""SWAP ledger routes: 비축유 SWAP (``/api/v1/energy/swap``).

Reads need no token; every change needs the operator role and an ``Idempotency-Key``
header, and is audited as the caller. The alert routes live in ``energy_alerts``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Query
from pydantic import Field
from sqlalchemy.orm import Session

from tiro.api.deps import get_session, require_role
from tiro.core.models import User
from tiro.core.parameters import get_params
from tiro.core.validation import InputModel
from tiro.energy.inputs import Barrels
from tiro.energy.swap import queries as swap_queries
from tiro.energy.swap import service as swap_service

router = APIRouter(prefix="/api/v1/energy", tags=["energy: SWAP ledger"])
LoanId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Loan id.")]
KEY_HEADER = Header(None, alias="Idempotency-Key", description="Idempotency key (required).")


class LoanBody(InputModel):
    """A loan request tied to a private cargo."""

    refiner: str = Field(..., max_length=30)
    site: str = Field(..., max_length=30)
    grade: str = Field(..., max_length=60)
    vessel: str = Field(..., max_length=120)
    origin: str = Field(..., max_length=80)
    cargo_grade: str = Field(..., max_length=60)
    cargo_bbl: Barrels
    loading_date: dt.date
    eta: dt.date
    requested_bbl: Barrels


class ConfirmBody(InputModel):
    """Bill of lading for the cargo (never above the declared cargo)."""

    bl_number: str = Field(..., max_length=80)
    confirmed_bbl: Barrels


class ReleaseBody(InputModel):
    """Release date (not after today) and optional volume (default: all approved)."""

    on: dt.date
    volume_bbl: Barrels | None = None


class ArriveBody(InputModel):
    """Arrival date of the refiner's cargo (not before the release, not after today)."""

    on: dt.date


class RepayBody(InputModel):
    """Barrels repaid in kind and the date (not before the previous step, not after today)."""

    volume_bbl: Barrels
    on: dt.date


@router.get("/swap/sites", summary="Reserve sites (비축기지)")
def swap_sites(session: Session = Depends(get_session, scope="function")) -> list[dict]:
    """KNOC reserve sites with capacity (cited) and per-grade stock, floor and loans (sample)."""
    return swap_queries.list_sites(session=session)


@router.get("/swap/status", summary="SWAP balances and loans (현황)")
def swap_status(
    as_of: dt.date | None = Query(None, description="Date for overdue flags (default today)."),
    site: str | None = Query(None, description="Only this site."),
    refiner: str | None = Query(None, description="Only this refiner."),
    session: Session = Depends(get_session, scope="function"),
) -> dict:
    """Balances per site and grade, loans with overdue flags, totals by refiner."""
    return swap_queries.status(
        session=session, as_of=as_of or dt.date.today(), site=site, refiner=refiner
    )


@router.post("/swap/loans", summary="Request a SWAP loan (대여 신청)", status_code=201)
def swap_request(
    body: LoanBody,
    key: str | None = KEY_HEADER,
    user: User = Depends(require_role("operator")),
    session: Session = Depends(get_session, scope="function"),
) -> dict:
    """Register a loan tied to a private cargo (operator; idempotent by key; audited)."""
    return swap_service.request_loan(
        session=session, params=get_params(), key=key, actor=user.name, **body.model_dump()
    )


@router.post("/swap/loans/{loan_id}/confirm", summary="Loading confirmed (선적 확인)")
def swap_confirm(
    loan_id: LoanId,
    body: ConfirmBody,
    key: str | None = KEY_HEADER,
    user: User = Depends(require_role("operator")),
    session: Session = Depends(get_session, scope="function"),
) -> dict:
    """Record the B/L; the loan is capped at the confirmed cargo."""
    return swap_service.confirm_loading(
        session=session, key=key, actor=user.name, loan_id=loan_id, **body.model_dump()
    )


@router.post("/swap/loans/{loan_id}/release", summary="Release reserve oil (비축유 방출)")
def swap_release(
    loan_id: LoanId,
    body: ReleaseBody,
    key: str | None = KEY_HEADER,
    user: User = Depends(require_role("operator")),
    session: Session = Depends(get_session, scope="function"),
) -> dict:
    """Release to the refiner; refused (409) when the site would fall below its floor."""
    return swap_service.release(
        session=session, params=get_params(), key=key, actor=user.name, loan_id=loan_id,
        on=body.on, volume_bbl=body.volume_bbl,
    )  # fmt: skip


@router.post("/swap/loans/{loan_id}/arrive", summary="Cargo arrived (반입)")
def swap_arrive(
    loan_id: LoanId,
    body: ArriveBody,
    key: str | None = KEY_HEADER,
    user: User = Depends(require_role("operator")),
    session: Session = Depends(get_session, scope="function"),
) -> dict:
    """The refiner's cargo arrived in Korea; repayment is now due."""
    return swap_service.arrive(
        session=session, key=key, actor=user.name, loan_id=loan_id, on=body.on
    )


@router.post("/swap/loans/{loan_id}/repay", summary="Repay in kind (상환)")
def swap_repay(
    loan_id: LoanId,
    body: RepayBody,
    key: str | None = KEY_HEADER,
    user: User = Depends(require_role("operator")),
    session: Session = Depends(get_session, scope="function"),
) -> dict:
    """Repay barrels in kind; a repayment above what is owed is refused (422)."""
    return swap_service.repay(
        session=session, key=key, actor=user.name, loan_id=loan_id,
        volume_bbl=body.volume_bbl, on=body.on,
    )  # fmt: skip
