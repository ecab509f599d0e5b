"""Trade API, second half: working days, major items, nowcast, seasonal adjustment, projection,
FDI and export-support programmes. All pure computations: no token needed."""

from __future__ import annotations

import datetime as dt

import polars as pl
from fastapi import APIRouter, Query

from tiro.core.parameters import get_params
from tiro.trade import fdi as fdi_engine
from tiro.trade import items as items_engine
from tiro.trade import nowcast as nowcast_engine
from tiro.trade import programmes as programmes_engine
from tiro.trade import seasonal as seasonal_engine
from tiro.trade.calendar import month_working_days, monthly_calendar
from tiro.trade.fdi_incentives import cash_grant

router = APIRouter(prefix="/api/v1/trade", tags=["trade"])
SCENARIO = Query(None, description="Parameter scenario overlay name.")


@router.get("/working-days", summary="조업일수 — Korean working days of a month")
def working_days(
    month: str = Query(..., description="Month YYYY-MM."),
    to: str | None = Query(None, description="Last month YYYY-MM for a range."),
    scenario: str | None = SCENARIO,
) -> dict:
    """Weekday 1, Saturday 0.5, Sunday/public holiday 0, lunar and substitute holidays counted;
    with ``to``, one row per month with Seol/Chuseok day counts."""
    params = get_params(scenario)
    if to is None:
        return {"month": month, "working_days": month_working_days(month, params=params)}
    return {"months": monthly_calendar(month, to, params=params).to_dicts()}


@router.get("/items", summary="주력 수출 품목 — major export items")
def major_items(
    period: str = Query("2025", description="Period YYYY or YYYY-MM."),
    on: dt.date | None = Query(None, description="Date the item set is read at (default today)."),
    scenario: str | None = SCENARIO,
) -> dict:
    """Item values, growth and shares by basis (published item figure, MTI sum or HS
    approximation, flagged); the set is 15 items until April 2026 and 20 from May 2026."""
    params = get_params(scenario)
    day = on or dt.date.today()
    frame = items_engine.item_figures(
        items_engine.load_korea_item_flows(), period=period, on=day, params=params
    )
    defs = items_engine.item_definitions(day, params=params)
    return {
        "period": period,
        "on": day,
        "set_size": int(defs["set_size"][0]),
        "definitions": defs.to_dicts(),
        "items": frame.to_dicts(),
    }


@router.get("/nowcast", summary="Month-end export nowcast from a KCS flash")
def nowcast(
    month: str | None = Query(None, description="Month YYYY-MM; omit for calibration errors."),
    flash: float | None = Query(None, description="Flash exports for days 1..day, USD bn."),
    day: int = Query(20, description="Flash window end day (10 or 20)."),
    scenario: str | None = SCENARIO,
) -> dict:
    """Pro-rated and calibrated (end-of-month factor) nowcast with an interval; without a
    month, the leave-one-out errors of both methods on the shipped flash history."""
    params = get_params(scenario)
    if month is None or flash is None:
        return nowcast_engine.evaluate(params)
    return nowcast_engine.nowcast(month, flash, day, params=params)


@router.get("/seasonal", summary="Seasonally and working-day adjusted exports")
def seasonal(
    method: str = Query("auto", description="auto (X-13 if installed, else STL), stl, x13."),
    scenario: str | None = SCENARIO,
) -> dict:
    """Raw YoY, per-working-day (일평균) YoY and seasonally adjusted m/m side by side."""
    frame, used = seasonal_engine.seasonal_adjust(get_params(scenario), method=method)
    return {"method": used, "rows": frame.to_dicts()}


@router.get("/projection", summary="Year-end export projection with an interval")
def projection(
    year: int = Query(..., description="Year to project."),
    through: str | None = Query(None, description="Project as of this month (backtest)."),
    scenario: str | None = SCENARIO,
) -> dict:
    """Year-to-date figure plus the remaining months at last year's daily pace grown by the
    YTD per-day growth, with an interval from the spread of monthly growth."""
    return seasonal_engine.project_year(year, params=get_params(scenario), through=through)


@router.get("/fdi", summary="외국인직접투자 — FDI figures")
def fdi(
    period: str = Query("2025", description="YYYY, YYYY-H1/H2 or YYYY-Qn."),
    basis: str = Query("notified", description="notified (신고) or arrived (도착)."),
    by: str = Query("total", description="total, type, sector, source or region."),
) -> dict:
    """Published FDI figures with computed vs reported growth, shares and record flags."""
    return fdi_engine.breakdown(fdi_engine.load_fdi(), period=period, basis=basis, dimension=by)


@router.get("/fdi/cash-grant", summary="FDI cash-grant ceiling and its national/local split")
def fdi_cash_grant(
    investment_usd: float = Query(..., description="Foreign investment, USD."),
    category: str = Query(..., description="national_strategic, rnd_centre, ... or general."),
    region: str = Query(..., description="capital or non_capital."),
    on: dt.date | None = Query(None, description="Rule date (default today)."),
    scenario: str | None = SCENARIO,
) -> dict:
    """Ceiling rate by category (+ any non-capital uplift), grant ceiling, 국비/지방비 split."""
    projects = pl.DataFrame(
        {"investment_usd": [investment_usd], "category": [category], "region": [region]}
    )
    out = cash_grant(projects, on=on or dt.date.today(), params=get_params(scenario))
    return out.row(0, named=True)


@router.get("/programmes", summary="수출 지원 — export-support programmes by date")
def programmes(
    on: dt.date | None = Query(None, description="Status date (default today)."),
    scenario: str | None = SCENARIO,
) -> dict:
    """Budgets and target firm counts in force, commitments and tranches up to the date."""
    day = on or dt.date.today()
    frame = programmes_engine.status(day, params=get_params(scenario))
    return {
        "on": day,
        "programmes": frame.to_dicts(),
        "totals_krw_bn": programmes_engine.totals(frame),
    }
