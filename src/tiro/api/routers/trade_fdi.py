"""Trade API for 외국인직접투자 (FDI) and 수출 지원 사업 (export-support programmes).
Published figures and rules only: no token needed."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import polars as pl
from fastapi import APIRouter, Query

from tiro.api.deps import SCENARIO_QUERY, http_params
from tiro.core.validation import MAX_MAGNITUDE
from tiro.trade import fdi as fdi_engine
from tiro.trade import programmes as programmes_engine
from tiro.trade.fdi_incentives import cash_grant

router = APIRouter(prefix="/api/v1/trade", tags=["trade"])
FdiBasis = Literal["notified", "arrived"]
Dimension = Literal["total", "type", "sector", "source", "region"]
SCENARIO = SCENARIO_QUERY


@router.get("/fdi", summary="외국인직접투자 — FDI figures")
def fdi(
    period: str = Query(
        "2025",
        description="YYYY, YYYY-H1/H2 or YYYY-Qn.",
        pattern=r"^\d{4}(-H[12]|-Q[1-4])?$",
    ),
    basis: FdiBasis = Query("notified", description="notified (신고) or arrived (도착)."),
    by: Dimension = Query("total", description="total, type, sector, source or region."),
) -> dict:
    """Published FDI figures with computed vs reported growth, shares and record flags."""
    return fdi_engine.breakdown(fdi_engine.load_fdi(), period=period, basis=basis, dimension=by)


@router.get("/fdi/series", summary="외국인직접투자 추이 — one FDI category over time")
def fdi_series(
    basis: FdiBasis = Query("notified", description="notified (신고) or arrived (도착)."),
    period_type: Literal["year", "half", "quarter"] = Query(
        "year", description="year, half or quarter."
    ),
    dimension: Dimension = Query("total", description="total, type, sector, source or region."),
    category: str = Query(
        "total",
        description="Category within the dimension (e.g. greenfield).",
        pattern=r"^[a-z][a-z0-9_]{0,39}$",
    ),
) -> list[dict]:
    """Values on file in period order with computed and reported growth and record flags."""
    return fdi_engine.series(
        fdi_engine.load_fdi(),
        basis=basis,
        period_type=period_type,
        dimension=dimension,
        category=category,
    )


@router.get("/fdi/cash-grant", summary="FDI cash-grant ceiling and its national/local split")
def fdi_cash_grant(
    investment_usd: float = Query(
        ..., ge=0, le=MAX_MAGNITUDE, allow_inf_nan=False, description="Foreign investment, USD."
    ),
    category: str = Query(..., description="national_strategic, rnd_centre, ... or general."),
    region: str = Query(..., description="capital or non_capital."),
    on: dt.date | None = Query(None, description="Rule date (default today)."),
    scenario: str | None = SCENARIO,
) -> dict:
    """Ceiling rate by category (+ any non-capital uplift), grant ceiling, 국비/지방비 split."""
    projects = pl.DataFrame(
        {"investment_usd": [investment_usd], "category": [category], "region": [region]}
    )
    out = cash_grant(projects, on=on or dt.date.today(), params=http_params(scenario))
    return out.row(0, named=True)


@router.get("/programmes", summary="수출 지원 — export-support programmes by date")
def programmes(
    on: dt.date | None = Query(None, description="Status date (default today)."),
    scenario: str | None = SCENARIO,
) -> dict:
    """Budgets and target firm counts in force, commitments and tranches up to the date."""
    day = on or dt.date.today()
    frame = programmes_engine.status(day, params=http_params(scenario))
    return {
        "on": day,
        "programmes": frame.to_dicts(),
        "totals_krw_bn": programmes_engine.totals(frame),
    }
