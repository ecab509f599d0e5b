"""Fuel-tax and maximum-price routes (``/api/v1/energy``): 유류세 and 최고가격제.

Pure computations over the dated parameters: no token. Every number is bounded in the schema
(finite; a cut within 0–1, a price change above -100%), so bad input is a 422 naming the field.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import polars as pl
from fastapi import APIRouter, Query
from pydantic import Field

from tiro.api.deps import SCENARIO_QUERY, http_params
from tiro.core.validation import FiniteFloat, InputModel
from tiro.energy.prices.cap_history import cap_history
from tiro.energy.prices.cpi_effect import cpi_effect, default_uncapped
from tiro.energy.prices.cpi_path import cpi_effect_indexed
from tiro.energy.prices.fuel_tax import cut_history, fuel_tax
from tiro.energy.prices.price_cap import check_supply_prices, international_comparison, next_cap
from tiro.energy.prices.reference_price import reference_price
from tiro.energy.prices.service import market

router = APIRouter(prefix="/api/v1/energy", tags=["energy: fuel tax and maximum price"])
TaxProduct = Literal["gasoline", "diesel", "kerosene", "lpg_butane"]
CapProduct = Literal["gasoline", "diesel", "kerosene"]
DATE_Q = Query(..., description="Date, YYYY-MM-DD.")


class SupplyPrice(InputModel):
    """One refiner's reported supply price (KRW/L) for a product on a date."""

    date: dt.date
    refiner: str = Field(..., min_length=1, max_length=60)
    product: CapProduct
    supply_price: FiniteFloat = Field(..., ge=0, le=100_000, description="KRW/L.")


class SupplyPrices(InputModel):
    """Reported supply prices to check against the published cap."""

    prices: list[SupplyPrice] = Field(..., max_length=10_000)


@router.get("/fuel-tax", summary="Fuel tax per litre on a date (유류세)")
def get_fuel_tax(
    product: TaxProduct = Query(..., description="Product."),
    date: dt.date = DATE_Q,
    cut: float | None = Query(
        None, ge=0, le=1, allow_inf_nan=False, description="Cut instead of the one in force."
    ),
    history: bool = Query(False, description="Add every dated cut and its total."),
    scenario: str | None = SCENARIO_QUERY,
) -> dict:
    """``{product, date, cut_rate, transport_tax, education_tax, driving_tax, vat_on_tax,
    total_per_litre}`` in KRW/L, the total truncated to whole won as published."""
    params = http_params(scenario)
    data = fuel_tax(params=params, product=product, on=date, cut=cut)
    if history:
        data["history"] = cut_history(params, product)
    return data


@router.get("/price-cap/next", summary="Next maximum price (최고가격 재지정)")
def get_next_cap(
    product: CapProduct = Query(..., description="Product."),
    date: dt.date = DATE_Q,
    intl_change: float | None = Query(
        None,
        gt=-1,
        le=100,
        allow_inf_nan=False,
        description="Change in international product prices over the window (0.05 = +5%).",
    ),
    scenario: str | None = SCENARIO_QUERY,
) -> dict:
    """(P1 - taxes on P1's date) x (1 + change) + taxes on the reset date, rounded to won."""
    return next_cap(params=http_params(scenario), product=product, on=date, intl_change=intl_change)


@router.post("/price-cap/check", summary="Supply prices against the cap (공급가격 점검)")
def post_check(body: SupplyPrices, scenario: str | None = SCENARIO_QUERY) -> dict:
    """Each row with its published cap and status (ok, breach with the amount over, or no cap
    shipped for the period), and the breaches."""
    frame = pl.DataFrame(
        [p.model_dump() for p in body.prices],
        schema={
            "date": pl.Date,
            "refiner": pl.Utf8,
            "product": pl.Utf8,
            "supply_price": pl.Float64,
        },
    )
    return check_supply_prices(http_params(scenario), frame)


@router.get("/price-cap/compare", summary="Rise since pre-war: KR / US / UK (국제 비교)")
def get_compare() -> list[dict]:
    """Gasoline and diesel pump-price rise since pre-war as the report states it (sourced)."""
    return international_comparison()


def _price(description: str) -> float | None:
    return Query(None, gt=0, le=100_000, allow_inf_nan=False, description=description)


@router.get("/price-cap/cpi", summary="CPI effect of the cap (물가 효과)")
def get_cpi(
    month: str = Query(..., pattern=r"^\d{4}-\d{2}$", description="YYYY-MM."),
    capped_gasoline: float | None = _price("Capped gasoline price (default: published cap)."),
    capped_diesel: float | None = _price("Capped diesel price (default: published cap)."),
    uncapped_gasoline: float | None = _price("Uncapped gasoline (default: refiners' 3/11)."),
    uncapped_diesel: float | None = _price("Uncapped diesel (default: refiners' 3/11)."),
    method: Literal["frozen", "indexed"] = Query(
        "frozen",
        description="frozen: uncapped = refiners' 3/11 prices; indexed: moved with each "
        "round's international change (capped/uncapped options apply to frozen only).",
    ),
    scenario: str | None = SCENARIO_QUERY,
) -> dict:
    """First-round estimate (pp) beside the official figure; says how and why they differ."""
    if method == "indexed":
        return cpi_effect_indexed(params=http_params(scenario), month=month)
    capped = {k: v for k, v in (("gasoline", capped_gasoline), ("diesel", capped_diesel)) if v}
    uncapped = {
        k: v for k, v in (("gasoline", uncapped_gasoline), ("diesel", uncapped_diesel)) if v
    }
    base = None
    if uncapped:
        base = {**default_uncapped(), **uncapped}
    return cpi_effect(
        params=http_params(scenario), month=month, capped=capped or None, uncapped=base
    )


@router.get("/price-cap/history", summary="Cap rounds: published and computed (차수별 최고가격)")
def get_history(
    product: CapProduct = Query(..., description="Product."),
    until: dt.date | None = Query(None, description="Last date (default today)."),
    intl_change: float | None = Query(
        None,
        gt=-1,
        le=100,
        allow_inf_nan=False,
        description="Cumulative change since pre-war for computed rounds (default: carried).",
    ),
    scenario: str | None = SCENARIO_QUERY,
) -> dict:
    """Every round to ``until``: ``kind`` published (a fact) or computed (the rule, labelled)."""
    return cap_history(
        params=http_params(scenario),
        product=product,
        until=until or dt.date.today(),
        intl_change=intl_change,
    )


@router.get("/price-cap/market", summary="Market prices beside the cap (시장 가격)")
def get_market(product: Literal["gasoline", "diesel"] = Query(..., description="Product.")) -> dict:
    """Published national pump prices (cited) and the station sample's daily average (sample)."""
    return market(product)


def _money(description: str) -> float:
    return Query(..., ge=0, le=1e6, allow_inf_nan=False, description=description)


@router.get("/price-cap/reference", summary="Cost-built reference price (비용 기준가격)")
def get_reference(
    product: TaxProduct = Query(..., description="Product."),
    date: dt.date = DATE_Q,
    mops_usd_bbl: float = _money("Singapore product price (MOPS), USD/bbl."),
    krw_per_usd: float = _money("KRW per USD."),
    freight_krw_per_litre: float = _money("Freight and insurance, KRW/L."),
    margin_krw_per_litre: float = _money("Margin, KRW/L."),
    scenario: str | None = SCENARIO_QUERY,
) -> dict:
    """(CIF + tariff + levy + margin + excise) x (1 + VAT), with the published cap beside it."""
    return reference_price(
        params=http_params(scenario),
        product=product,
        on=date,
        mops_usd_bbl=mops_usd_bbl,
        krw_per_usd=krw_per_usd,
        freight_krw_per_litre=freight_krw_per_litre,
        margin_krw_per_litre=margin_krw_per_litre,
    )
