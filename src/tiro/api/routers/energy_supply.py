"""Supply and stock-cover routes (``/api/v1/energy``): 비축일수, 수급 현황, table schemas.

All routes here are pure computations over shipped data and parameters, so they need no token.
Disruption scenarios live in ``energy_disruption``, allocation in ``energy_allocation``, the
SWAP ledger in ``energy_swap`` and alerts in ``energy_alerts``. Every number a client sends is
bounded in the schema (finite, at most ``MAX_MAGNITUDE``), so a ``nan`` is a 422 naming the
field, never a verdict.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Query

from tiro.api.deps import SCENARIO_QUERY, http_params
from tiro.core.validation import MAX_MAGNITUDE
from tiro.energy.schemas import ALL_TABLES
from tiro.energy.supply import figures as supply
from tiro.energy.supply.stock_cover import stock_days

router = APIRouter(prefix="/api/v1/energy", tags=["energy: stock cover and supply"])
SCENARIO_Q = SCENARIO_QUERY


def _kt(description: str, *, required: bool = True, non_negative: bool = False) -> Any:
    """A finite, bounded volume query parameter (kt)."""
    return Query(
        ... if required else None,
        description=description,
        ge=0 if non_negative else -MAX_MAGNITUDE,
        le=MAX_MAGNITUDE,
        allow_inf_nan=False,
    )


@router.get("/stock-days", summary="Days of net imports (비축일수, IEA method)")
def get_stock_days(
    primary_net_imports_kt: float = _kt("Primary-product net imports, kt/yr."),
    product_net_imports_kt: float = _kt("Product net imports, kt/yr (negative: net exporter)."),
    crude_stocks_kt: float = _kt("Crude and feedstock stocks, kt.", non_negative=True),
    product_stocks_kt: float = _kt("Product stocks, kt.", non_negative=True),
    primary_stock_build_kt: float | None = _kt(
        "Stock build subtracted from primary net imports, kt/yr.", required=False
    ),
    product_stock_build_kt: float | None = _kt(
        "Stock build subtracted from product net imports, kt/yr.", required=False
    ),
    product_naphtha_net_imports_kt: float | None = _kt(
        "Naphtha net imports, excluded from product net imports, kt/yr.", required=False
    ),
    bunkers_kt: float | None = _kt(
        "International marine bunkers, excluded, kt/yr.", required=False, non_negative=True
    ),
    excluded_crude_stocks_kt: float | None = _kt(
        "Crude stocks not counted (military, at sea, pipelines, end users), kt.",
        required=False,
        non_negative=True,
    ),
    excluded_product_stocks_kt: float | None = _kt(
        "Product stocks not counted (military, service stations, end users), kt.",
        required=False,
        non_negative=True,
    ),
    main_products_only: bool = Query(
        False, description="Main-products method for product stocks (x 1.2, not x 1.065)."
    ),
    days_in_year: int = Query(365, ge=365, le=366, description="365 or 366."),
    on: dt.date | None = Query(None, description="Date of the method parameters (default today)."),
    scenario: str | None = SCENARIO_Q,
) -> dict:
    """Daily net imports, the 90-day obligation, counted stocks, days, surplus and whether the
    obligation is met, with the parameters used (naphtha 4%, product factor 1.065 or 1.2,
    10% unavailability; Dir. 2009/119 Annex I/III). Every input of the engine is here."""
    return stock_days(
        params=http_params(scenario),
        on=on or dt.date.today(),
        primary_net_imports_kt=primary_net_imports_kt,
        product_net_imports_kt=product_net_imports_kt,
        crude_stocks_kt=crude_stocks_kt,
        product_stocks_kt=product_stocks_kt,
        days_in_year=days_in_year,
        main_products_only=main_products_only,
        primary_stock_build_kt=primary_stock_build_kt,
        product_stock_build_kt=product_stock_build_kt,
        product_naphtha_net_imports_kt=product_naphtha_net_imports_kt,
        bunkers_kt=bunkers_kt,
        excluded_crude_stocks_kt=excluded_crude_stocks_kt,
        excluded_product_stocks_kt=excluded_product_stocks_kt,
    )


@router.get("/stock-days/published", summary="Published stock days (KNOC)")
def published_stock_days() -> list[dict]:
    """Government and private stock days as KNOC published them, with the source."""
    return supply.published_stock_days().to_dicts()


@router.get("/supply/middle-east-share", summary="Middle-East share of crude imports (중동 비중)")
def middle_east_share() -> list[dict]:
    """Published shares (2021-2023, the report's 70%→50%) and the shares of the sample years."""
    return supply.middle_east_share_table().to_dicts()


@router.get("/supply/procurement", summary="Alternative procurement (대체 물량)")
def procurement() -> list[dict]:
    """Envoy volumes contracted (report) vs arrived (sample: arrivals were not published)."""
    return supply.procurement_status().to_dicts()


@router.get("/supply/balance", summary="Monthly crude imports by region (sample)")
def balance(
    year: int = Query(
        2026,
        ge=supply.BALANCE_YEARS[0],
        le=supply.BALANCE_YEARS[-1],
        description="2022, 2023 or 2026 (through May).",
    ),
) -> list:
    """Imports by region, total, Middle-East share and ratio to a normal month; labelled sample."""
    return supply.monthly_balance(year).to_dicts()


@router.get("/supply/iea-release", summary="IEA 2026 collective action (공동방출)")
def iea_release() -> list[dict]:
    """The 400 Mbbl action, confirmed plans by region and Korea's 22.46 Mbbl, with sources."""
    return supply.iea_release().to_dicts()


@router.get("/schemas", summary="Supply-balance table schemas")
def schemas() -> list[dict]:
    """Each table type once: name, Korean and English title, columns with type and unit."""
    return [{"name": t.name, "ko": t.ko, "en": t.en, "columns": t.doc_rows()} for t in ALL_TABLES]
