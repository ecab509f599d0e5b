"""Import-subsidy routes (``/api/v1/energy/subsidy``): freight refund and naphtha differential.

Pure computations over the dated parameters: no token. Numbers are finite and bounded in the
schema, so a negative excess or a NaN is a 422 naming the field.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import polars as pl
from fastapi import APIRouter, Depends, Header, Path, Query
from pydantic import Field
from sqlalchemy.orm import Session

from tiro.api.deps import SCENARIO_QUERY, get_session, http_params, require_role
from tiro.core.models import User
from tiro.core.parameters import get_params
from tiro.core.validation import FiniteFloat, InputModel
from tiro.energy.subsidies import claims
from tiro.energy.subsidies.conversion import conversion_support
from tiro.energy.subsidies.rules import freight_refund, naphtha_allocation

router = APIRouter(prefix="/api/v1/energy", tags=["energy: import subsidies"])
ClaimId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Claim id.")]
Programme = Literal["naphtha"]
KEY_HEADER = Header(None, alias="Idempotency-Key", description="Idempotency key (required).")
MAX_KRW = 10**15


class NaphthaClaim(InputModel):
    """One naphtha import claim."""

    claimant: str = Field(..., min_length=1, max_length=60)
    tonnes: FiniteFloat = Field(..., ge=0, le=1e9)
    import_price_usd_t: FiniteFloat = Field(..., ge=0, le=1e5)
    krw_per_usd: FiniteFloat = Field(..., ge=0, le=1e5)


class NaphthaClaims(InputModel):
    """Claims for one date, and the budget already committed."""

    date: dt.date
    budget_used_krw: int = Field(0, ge=0, le=10**15)
    claims: list[NaphthaClaim] = Field(..., max_length=10_000)


@router.get("/subsidy/freight", summary="Freight-differential refund (운임 차액 환급)")
def get_freight(
    excess_krw_per_litre: float = Query(..., ge=0, le=1e6, allow_inf_nan=False),
    date: dt.date = Query(..., description="Date, YYYY-MM-DD."),
    contract_years: float | None = Query(None, ge=0, le=100, allow_inf_nan=False),
    volume_mbbl_per_year: float | None = Query(None, ge=0, le=1e4, allow_inf_nan=False),
    scenario: str | None = SCENARIO_QUERY,
) -> dict:
    """``{refund_krw_per_litre, cap, eligible}``: excess freight refunded up to the import levy."""
    return freight_refund(
        params=http_params(scenario),
        excess_krw_per_litre=excess_krw_per_litre,
        on=date,
        contract_years=contract_years,
        volume_mbbl_per_year=volume_mbbl_per_year,
    )


@router.get("/subsidy/conversion", summary="Refinery conversion support (설비 전환 지원)")
def get_conversion(
    capex_krw: int = Query(..., ge=0, le=10**15, description="Conversion capex, KRW."),
    added_capacity_bbl_day: float = Query(
        ..., ge=0, le=5e6, allow_inf_nan=False, description="Capacity added for non-ME crude."
    ),
    date: dt.date = Query(..., description="Date, YYYY-MM-DD."),
    rd_krw: int = Query(0, ge=0, le=10**15, description="Technology-development cost, KRW."),
    scenario: str | None = SCENARIO_QUERY,
) -> dict:
    """Support for one declared conversion; rates, cap and threshold are SAMPLE values."""
    return conversion_support(
        params=http_params(scenario),
        on=date,
        capex_krw=capex_krw,
        added_capacity_bbl_day=added_capacity_bbl_day,
        rd_krw=rd_krw,
    )


@router.post("/subsidy/naphtha", summary="Naphtha differential, pro-rated (나프타 차액 지원)")
def post_naphtha(body: NaphthaClaims, scenario: str | None = SCENARIO_QUERY) -> dict:
    """Each claim's differential and the amount payable; pro rata when over the budget left."""
    frame = pl.DataFrame(
        [c.model_dump() for c in body.claims],
        schema={"claimant": pl.Utf8, "tonnes": pl.Float64, "import_price_usd_t": pl.Float64,
                "krw_per_usd": pl.Float64},
    )  # fmt: skip
    return naphtha_allocation(
        params=http_params(scenario),
        claims=frame,
        on=body.date,
        budget_used_krw=body.budget_used_krw,
    )


class ClaimBody(InputModel):
    """A claim on a programme's budget, whole won; one per claimant and reference."""

    programme: Programme = "naphtha"
    claimant: str = Field(..., min_length=1, max_length=60)
    reference: str = Field(..., min_length=1, max_length=120, description="Invoice or cargo.")
    claimed_krw: int = Field(..., ge=1, le=MAX_KRW)
    on: dt.date


class ApproveBody(InputModel):
    """Approval date and amount (default: all that was claimed)."""

    on: dt.date
    amount_krw: int | None = Field(None, ge=1, le=MAX_KRW)


class PayBody(InputModel):
    """Payment date (not before the approval)."""

    on: dt.date


class RejectBody(InputModel):
    """Rejection date and the reason (required; kept on the claim and audited)."""

    on: dt.date
    reason: str = Field(..., min_length=1, max_length=4000)


@router.get("/subsidy/claims", summary="Claims ledger and budget left (청구 현황)")
def get_claims(
    programme: Programme = Query("naphtha"),
    session: Session = Depends(get_session, scope="function"),
) -> dict:
    """The programme's budget (committed, paid, remaining) and every claim with its status."""
    return claims.ledger(session=session, programme=programme)


@router.post("/subsidy/claims", summary="Submit a claim (보조금 청구)", status_code=201)
def post_claim(
    body: ClaimBody,
    key: str | None = KEY_HEADER,
    user: User = Depends(require_role("operator")),
    session: Session = Depends(get_session, scope="function"),
) -> dict:
    """Record a claim (operator; idempotent by key; a reference claimed twice is a 409)."""
    return claims.submit(
        session=session, params=get_params(), key=key, actor=user.name, **body.model_dump()
    )


@router.post("/subsidy/claims/{claim_id}/approve", summary="Approve within the budget (승인)")
def post_approve(
    claim_id: ClaimId,
    body: ApproveBody,
    user: User = Depends(require_role("operator")),
    session: Session = Depends(get_session, scope="function"),
) -> dict:
    """Approve; a claim that no longer fits the budget is a 409 naming what is left."""
    return claims.approve(session=session, actor=user.name, claim_id=claim_id, **body.model_dump())


@router.post("/subsidy/claims/{claim_id}/pay", summary="Pay an approved claim (지급)")
def post_pay(
    claim_id: ClaimId,
    body: PayBody,
    user: User = Depends(require_role("operator")),
    session: Session = Depends(get_session, scope="function"),
) -> dict:
    """Pay once; paying a paid claim is a 409."""
    return claims.pay(session=session, actor=user.name, claim_id=claim_id, on=body.on)


@router.post("/subsidy/claims/{claim_id}/reject", summary="Reject with a reason (반려)")
def post_reject(
    claim_id: ClaimId,
    body: RejectBody,
    user: User = Depends(require_role("operator")),
    session: Session = Depends(get_session, scope="function"),
) -> dict:
    """Reject a submitted claim; the reason is kept."""
    return claims.reject(session=session, actor=user.name, claim_id=claim_id, **body.model_dump())
