"""Trade API for the month being counted: 조업일수, the KCS-flash nowcast, seasonal and
working-day adjustment, and the year-end projection. Pure computations: no token needed."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query

from tiro.api.deps import SCENARIO_QUERY, http_params
from tiro.api.routers.trade import month_query
from tiro.core.errors import InvalidInput
from tiro.core.validation import MAX_MAGNITUDE
from tiro.trade import nowcast as nowcast_engine
from tiro.trade import seasonal as seasonal_engine
from tiro.trade.calendar import month_working_days, monthly_calendar
from tiro.trade.schema import FIRST_YEAR, LAST_YEAR

router = APIRouter(prefix="/api/v1/trade", tags=["trade"])
SCENARIO = SCENARIO_QUERY


@router.get("/working-days", summary="조업일수 — Korean working days of a month")
def working_days(
    month: str = month_query(),
    to: str | None = month_query(None, "Last month YYYY-MM for a range."),
    scenario: str | None = SCENARIO,
) -> dict:
    """Weekday 1, Saturday 0.5, Sunday/public holiday 0, lunar and substitute holidays counted;
    with ``to``, one row per month with Seol/Chuseok day counts."""
    params = http_params(scenario)
    if to is None:
        return {"month": month, "working_days": month_working_days(month, params=params)}
    return {"months": monthly_calendar(month, to, params=params, fields=("month", "to")).to_dicts()}


@router.get("/nowcast", summary="Month-end export nowcast from a KCS flash")
def nowcast(
    month: str | None = month_query(None, "Month YYYY-MM; omit for calibration errors."),
    flash: float | None = Query(
        None,
        gt=0,
        le=MAX_MAGNITUDE,
        allow_inf_nan=False,
        description="Flash exports for days 1..day, USD bn (finite, > 0).",
    ),
    day: Literal["10", "20"] = Query("20", description="Flash window end day (10 or 20)."),
    scenario: str | None = SCENARIO,
) -> dict:
    """Pro-rated and calibrated (end-of-month factor) nowcast with an interval; without a
    month, the leave-one-out errors of both methods on the shipped flash history."""
    params = http_params(scenario)
    if month is None:
        return nowcast_engine.evaluate(params)
    if flash is None:
        raise InvalidInput("give the flash value for the month", field="flash")
    return nowcast_engine.nowcast(month, flash, int(day), params=params)


@router.get("/seasonal", summary="Seasonally and working-day adjusted exports")
def seasonal(
    method: Literal["auto", "stl", "x13"] = Query(
        "auto", description="auto (X-13 if installed, else STL), stl, x13."
    ),
    scenario: str | None = SCENARIO,
) -> dict:
    """Raw YoY, per-working-day (일평균) YoY and seasonally adjusted m/m side by side."""
    frame, used = seasonal_engine.seasonal_adjust(http_params(scenario), method=method)
    return {"method": used, "rows": frame.to_dicts()}


@router.get("/projection", summary="Year-end export projection with an interval")
def projection(
    year: int = Query(..., ge=FIRST_YEAR, le=LAST_YEAR, description="Year to project."),
    through: str | None = month_query(None, "Project as of this month (backtest)."),
    scenario: str | None = SCENARIO,
) -> dict:
    """Year-to-date figure plus the remaining months at last year's daily pace grown by the
    YTD per-day growth, with an interval from the spread of monthly growth."""
    return seasonal_engine.project_year(year, params=http_params(scenario), through=through)
