"""최고가격제 The maximum supply price: the two-weekly reset rule and the supply-price check.

Reset rule (산업통상부 2026-03-12): P(k+1) = (P1 - taxes on P1's date) x (1 + change in
international product prices over the prior window) + taxes on the reset date, where P1 is
the first cap (params/energy/price_cap/first_cap.yaml) and taxes are the fuel-tax total per
litre of :mod:`tiro.energy.prices.fuel_tax` (so a change in the fuel-tax cut passes through).
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.core.parameters import ParameterTree
from tiro.core.validation import finite, finite_frame
from tiro.energy.prices.fuel_tax import fuel_tax, tax_table

CAP_PRODUCTS = ("gasoline", "diesel", "kerosene")
P = "energy.price_cap."
DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "energy" / "prices"


def _check_product(product: str) -> str:
    if product not in CAP_PRODUCTS:
        raise InvalidInput(
            f"no maximum price for {product!r}; capped products: {', '.join(CAP_PRODUCTS)}",
            field="product",
        )
    return product


def _round_cap(value: float, rule: str) -> int:
    if rule == "half_up":
        return int(Decimal(repr(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if rule == "floor":
        return math.floor(value)
    raise InvalidInput(f"unknown cap rounding rule {rule!r}", field="energy.price_cap.rounding")


def period_of(params: ParameterTree, on: dt.date) -> tuple[int, dt.date, dt.date]:
    """(period number from 1, first day, last day) of the cap period holding ``on``."""
    start = params.series(P + "first_cap")[0].effective_from
    if on < start:
        raise InvalidInput(
            f"{on} is before the maximum-price system started on {start}", field="date"
        )
    days = int(params.at(P + "period_days", on))
    k = (on - start).days // days
    first = start + dt.timedelta(days=k * days)
    return k + 1, first, first + dt.timedelta(days=days - 1)


def next_cap(
    *, params: ParameterTree, product: str, on: dt.date, intl_change: float | None = None
) -> dict[str, Any]:
    """The cap for the period after the one holding ``on`` (``tiro energy price-cap next``).

    ``intl_change`` is the change in international product prices over the prior window
    (0.05 = +5%). tiro ships no Petronet price series, so without it the change is taken as 0
    and the result says so in ``intl_change_source``.
    """
    _check_product(product)
    if intl_change is not None:
        finite(intl_change, "intl_change")
        if intl_change <= -1:
            raise InvalidInput("intl_change must be above -1 (a -100% fall)", field="intl_change")
    number, first, last = period_of(params, on)
    reset = last + dt.timedelta(days=1)
    start = params.series(P + "first_cap")[0].effective_from
    base_cap = params.at(P + "first_cap", start)[product]
    taxes_then = fuel_tax(params=params, product=product, on=start)["total_per_litre"]
    taxes_now = fuel_tax(params=params, product=product, on=reset)["total_per_litre"]
    change = 0.0 if intl_change is None else intl_change
    pre_tax = base_cap - taxes_then
    raw = pre_tax * (1 + change) + taxes_now
    return {
        "product": product,
        "date": on.isoformat(),
        "period": number,
        "period_start": first.isoformat(),
        "period_end": last.isoformat(),
        "next_reset": reset.isoformat(),
        "first_cap": base_cap,
        "taxes_at_first_cap": taxes_then,
        "pre_tax_base": pre_tax,
        "intl_change": change,
        "intl_change_source": "given"
        if intl_change is not None
        else "assumed 0: no international price series shipped (pass --intl-change)",
        "taxes_at_reset": taxes_now,
        "next_cap_unrounded": round(raw, 4),
        "next_cap": _round_cap(raw, params.at(P + "rounding", reset)),
        "unit": "KRW/L",
    }


def check_supply_prices(params: ParameterTree, prices: pl.DataFrame) -> dict[str, Any]:
    """Refiners' reported supply prices against the published cap in force on each date.

    ``prices``: ``date``, ``refiner``, ``product``, ``supply_price`` (KRW/L). Returns every row
    with its cap and status (``ok``, ``breach`` with the amount over, or ``no cap shipped``
    for a period whose published cap tiro does not hold), and the breaches alone.
    """
    missing = {"date", "refiner", "product", "supply_price"} - set(prices.columns)
    if missing:
        raise InvalidInput(f"missing column {sorted(missing)[0]!r}", field="prices")
    for column in ("date", "refiner", "product", "supply_price"):
        if prices[column].null_count():
            raise InvalidInput(f"{column} is missing or unreadable on a row", field=column)
    finite_frame(prices, ["supply_price"])
    if prices.is_empty():
        return {"rows": [], "breaches": [], "checked": 0}
    for product in prices["product"].unique().to_list():
        _check_product(product)
    negative = prices.filter(pl.col("supply_price") < 0)
    if not negative.is_empty():
        raise InvalidInput("a supply price is negative", field="supply_price")
    start = params.series(P + "first_cap")[0].effective_from
    early = prices.filter(pl.col("date") < start)
    if not early.is_empty():
        raise InvalidInput(
            f"{early['date'][0]} is before the maximum-price system started on {start}",
            field="date",
        )
    frame = prices.with_columns(
        cap=params.lookup(P + "published", prices["date"], prices["product"]).cast(pl.Float64)
    ).with_columns(
        over=(pl.col("supply_price") - pl.col("cap")).clip(lower_bound=0),
        status=pl.when(pl.col("cap").is_null())
        .then(pl.lit("no cap shipped"))
        .when(pl.col("supply_price") > pl.col("cap"))
        .then(pl.lit("breach"))
        .otherwise(pl.lit("ok")),
    )
    rows = frame.with_columns(pl.col("date").cast(pl.Utf8)).to_dicts()
    return {
        "rows": rows,
        "breaches": [r for r in rows if r["status"] == "breach"],
        "checked": len(rows),
    }


def international_comparison() -> list[dict[str, Any]]:
    """Pump-price rise since pre-war, KR/US/UK, as the report states it (sourced facts)."""
    frame = pl.read_csv(DATA_DIR / "intl_comparison.csv", comment_prefix="#")
    return frame.to_dicts()


def cap_vs_taxes(params: ParameterTree, product: str, on: dt.date) -> dict[str, Any]:
    """The published cap in force and the taxes inside it (page: cap vs tax breakdown)."""
    _check_product(product)
    cap = params.at(P + "published", on)
    table = tax_table(params, pl.DataFrame({"date": [on], "product": [product]}))
    return {
        "product": product,
        "date": on.isoformat(),
        "cap": None if cap is None else cap[product],
        "taxes": int(table["total_per_litre"][0]),
    }
