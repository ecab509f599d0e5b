"""Stockpile routes (``/api/v1/energy/stockpile``): reserve storage and joint stockpiling.

Cited records from data/energy/stockpile/: no token. Query numbers are bounded and finite.
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Query

from tiro.energy.stockpile import records as stockpile

router = APIRouter(prefix="/api/v1/energy", tags=["energy: stockpile"])


@router.get("/stockpile/storage", summary="Reserve storage capacity (비축시설)")
def get_storage() -> list[dict]:
    """National storage capacity and stocks over time (Mbbl), government and private."""
    return stockpile.storage_capacity()


@router.get("/stockpile/sites", summary="Reserve storage by KNOC base over time (비축기지별)")
def get_sites() -> list[dict]:
    """Capacity added at a base or the base's total on a date (Mbbl), with sources."""
    return stockpile.storage_sites()


@router.get("/stockpile/plans", summary="Storage, stock and joint-stockpiling plans (비축 확충)")
def get_plans() -> list[dict]:
    """Dated plans (report 3 ③ and earlier plans), with volume and budget where published."""
    return stockpile.plans()


@router.get("/stockpile/joint", summary="International joint stockpiling (국제공동비축)")
def get_joint() -> dict:
    """Contracts and published totals (Mbbl), and the priority rights exercised."""
    return {
        "records": stockpile.joint_stockpiling(),
        "priority_rights_exercised": stockpile.priority_rights_exercised(),
    }


@router.get("/stockpile/position", summary="Storage, stock and the joint line on a date")
def get_position(
    date: dt.date | None = Query(None, description="Date (default today)."),
    daily_net_imports_kbbl: float | None = Query(
        None, gt=0, le=1e6, allow_inf_nan=False, description="kbbl/d, to show days."
    ),
) -> dict:
    """The last published figures on the date; the joint stockpile is a separate line."""
    return stockpile.position(date or dt.date.today(), daily_net_imports_kbbl)
