"""The cap's first-round CPI effect over a month, against an *indexed* uncapped path.

The first estimate (:mod:`tiro.energy.prices.cpi_effect`) freezes the uncapped price at the
refiners' 2026-03-11 supply prices, which stops working once the cap moves above them (the 2nd
cap, 1,934 KRW/L for gasoline, is above 1,833). Here the uncapped price moves with the same
international change the cap rule uses, applied to the refiners' own pre-cap price:

    uncapped(d) = (U0 - taxes on 03-13) x (1 + c(d)) + taxes(d)
    capped(d)   = the cap in force on d (published, or computed where not found)

with U0 the 2026-03-11 supply price and c(d) the cap round's implied (published) or assumed
(computed) change. So the gap is the refiners' pre-war margin over the cap base, carried
forward. effect (pp) = sum over products of CPI weight x mean over the month's days of
(capped - uncapped) / uncapped x 100, days before the cap counting 0. Still first-round only
(no pass-through into transport, heating or expectations), so it is smaller in size than the
Ministry of Economy and Finance's estimates the report quotes; the result says by how much.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.core.parameters import ParameterTree
from tiro.energy.prices.cap_history import cap_history
from tiro.energy.prices.cpi_effect import P, default_uncapped, report_effects
from tiro.energy.prices.fuel_tax import tax_table


def _month(month: str) -> tuple[dt.date, dt.date]:
    try:
        first = dt.date.fromisoformat(f"{month}-01")
    except ValueError:
        raise InvalidInput(f"{month!r} is not a month (YYYY-MM)", field="month") from None
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def _daily(params: ParameterTree, product: str, first: dt.date, last: dt.date) -> pl.DataFrame:
    """One row per capped day of the month: capped, uncapped, kind of cap."""
    try:
        history = cap_history(params=params, product=product, until=last)
    except InvalidInput as exc:  # the month is the user's field, not cap_history's ``until``
        raise InvalidInput(f"{last:%Y-%m}: {exc}", field="month") from None
    found = history["rounds"]
    rounds = pl.DataFrame(
        {
            "start": [dt.date.fromisoformat(r["start"]) for r in found],
            "cap": [float(r["cap"]) for r in found],
            "kind": [r["kind"] for r in found],
            "change": [r.get("implied_intl_change", r.get("intl_change_used")) for r in found],
        }
    ).sort("start")
    start = max(first, rounds["start"][0])
    days = pl.DataFrame({"date": pl.date_range(start, last, "1d", eager=True)})
    days = days.join_asof(rounds, left_on="date", right_on="start", strategy="backward")
    base_day = rounds["start"][0]
    taxes = tax_table(
        params, pl.DataFrame({"date": days["date"], "product": [product] * days.height})
    )["total_per_litre"].cast(pl.Float64)
    taxes0 = float(
        tax_table(params, pl.DataFrame({"date": [base_day], "product": [product]}))[
            "total_per_litre"
        ][0]
    )
    u0 = default_uncapped()[product]
    return (
        days.with_columns(taxes=taxes)
        .with_columns(uncapped=(u0 - taxes0) * (1 + pl.col("change")) + pl.col("taxes"))
        .with_columns(gap=(pl.col("cap") - pl.col("uncapped")) / pl.col("uncapped"))
    )


def cpi_effect_indexed(*, params: ParameterTree, month: str) -> dict[str, Any]:
    """Estimated first-round CPI effect (pp) in ``month`` on the indexed uncapped path."""
    first, last = _month(month)
    start = params.series(P + "first_cap")[0].effective_from
    if last < start:
        raise InvalidInput(f"{month} is before the maximum price started on {start}", field="month")
    days_in_month = (last - first).days + 1
    weights = params.at(P + "cpi_weight", max(first, start))
    rows = []
    for product in sorted(weights):  # the CPI-weighted products (two), not a per-row loop
        daily = _daily(params, product, first, last)
        mean_gap = float(daily["gap"].sum()) / days_in_month
        kinds = sorted(set(daily["kind"].to_list()))
        rows.append({"product": product, "weight": weights[product],
                     "days_capped": daily.height,
                     "mean_capped": round(float(daily["cap"].mean()), 2),
                     "mean_uncapped": round(float(daily["uncapped"].mean()), 2),
                     "mean_gap_over_month": round(mean_gap, 6),
                     "contribution_pp": round(weights[product] * mean_gap * 100, 4),
                     "caps_used": kinds})  # fmt: skip
    estimate = sum(r["contribution_pp"] for r in rows)
    official = report_effects().get(month)
    return {
        "month": month,
        "method": "indexed uncapped path: refiners' 2026-03-11 price, pre-tax part moved with "
        "the cap round's international change; first-round only",
        "products": rows,
        "estimate_pp": round(estimate, 4),
        "official_pp": official,
        "difference_pp": None if official is None else round(estimate - official, 4),
        "ratio_to_official": None if not official else round(estimate / official, 3),
        "left_out": "kerosene (no confirmed CPI weight [U]); second-round effects",
    }
