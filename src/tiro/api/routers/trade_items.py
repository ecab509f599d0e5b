"""Trade API for 주력 수출 품목 (major export items) and the display names of groups and items.
No token needed."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Query

from tiro.api.deps import SCENARIO_QUERY, http_params
from tiro.api.routers.trade import period_query
from tiro.trade import items as items_engine
from tiro.trade.labels import display_labels

router = APIRouter(prefix="/api/v1/trade", tags=["trade"])
SCENARIO = SCENARIO_QUERY


@router.get("/items", summary="주력 수출 품목 — major export items")
def major_items(
    period: str = period_query("2025"),
    on: dt.date | None = Query(None, description="Date the item set is read at (default today)."),
    scenario: str | None = SCENARIO,
) -> dict:
    """Item values, growth and shares by basis (published item figure, MTI sum or HS
    approximation, flagged); the set is 15 items until April 2026 and 20 from May 2026."""
    params = http_params(scenario)
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


@router.get("/labels", summary="표시명 — Korean and English names of groups, sets and items")
def labels(scenario: str | None = SCENARIO) -> dict:
    """``{"partner_group": {key: {ko, en}}, "partner_group_set": {...}, "item": {...}}`` from
    the parameter labels, so screens show 중남미 Latin America rather than ``latin_america``."""
    return display_labels(http_params(scenario))
