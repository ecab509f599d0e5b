"""Import-subsidy routes (``/api/v1/energy/subsidy``): freight refund and naphtha differential.

Pure computations over the dated parameters: no token. Numbers are finite and bounded in the
schema, so a negative excess or a NaN is a 422 naming the field.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from fastapi import APIRouter, Query
from pydantic import Field

from tiro.api.deps import SCENARIO_QUERY, http_params
from tiro.core.validation import FiniteFloat, InputModel
from tiro.energy.subsidies.rules import freight_refund, naphtha_allocation

router = APIRouter(prefix="/api/v1/energy", tags=["energy: import subsidies"])


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
