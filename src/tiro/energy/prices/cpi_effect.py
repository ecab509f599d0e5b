"""The maximum price's first-round effect on CPI, from CPI weights and the capped-vs-uncapped gap.

effect (pp) = sum over products of weight x (capped - uncapped) / uncapped x 100 x days capped /
days in month. It assumes the supply-price gap passes one for one into the pump price in
relative terms and counts no second-round effects (transport, heating, expectations), which is
why it comes out below the report's -0.6 pp (March) and -1.2 pp (April); the result says so.
"""

from __future__ import annotations

import calendar
import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.core.parameters import ParameterTree
from tiro.core.validation import finite

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "energy" / "prices"
P = "energy.price_cap."


def _read(name: str) -> pl.DataFrame:
    return pl.read_csv(DATA_DIR / name, comment_prefix="#")


def default_uncapped() -> dict[str, float]:
    """Refiners' 2026-03-11 supply prices (the day before the first cap), KRW/L."""
    frame = _read("uncapped_supply_2026_03_11.csv")
    return dict(zip(frame["product"], frame["supply_price"].cast(pl.Float64), strict=True))


def report_effects() -> dict[str, float]:
    """The report's estimates by month (pp)."""
    frame = _read("cpi_effect_report.csv")
    return dict(zip(frame["month"], frame["effect_pp"], strict=True))


def cpi_effect(
    *,
    params: ParameterTree,
    month: str,
    capped: dict[str, float] | None = None,
    uncapped: dict[str, float] | None = None,
) -> dict[str, Any]:
    """Estimated CPI effect (pp) of the cap in ``month`` (YYYY-MM), beside the report's figure.

    ``capped`` defaults to the published cap of the month's first capped day; ``uncapped`` to
    the refiners' 2026-03-11 prices. Products without a CPI weight are left out and listed.
    """
    try:
        first = dt.date.fromisoformat(f"{month}-01")
    except ValueError:
        raise InvalidInput(f"{month!r} is not a month (YYYY-MM)", field="month") from None
    days = calendar.monthrange(first.year, first.month)[1]
    last = first.replace(day=days)
    start = params.series(P + "first_cap")[0].effective_from
    if last < start:
        raise InvalidInput(f"{month} is before the maximum price started on {start}", field="month")
    capped_from = max(first, start)
    days_capped = (last - capped_from).days + 1
    if capped is None:
        published = params.at(P + "published", capped_from)
        if published is None:
            raise InvalidInput(
                f"no published cap shipped for {month}; pass the capped prices", field="capped"
            )
        capped = {k: float(v) for k, v in published.items()}
    uncapped = uncapped or default_uncapped()
    weights = params.at(P + "cpi_weight", capped_from)
    rows, left_out = [], []
    for product, cap in sorted(capped.items()):
        finite(cap, f"capped.{product}")
        if product not in weights:
            left_out.append(product)
            continue
        base = uncapped.get(product)
        if base is None or base <= 0 or cap < 0:
            raise InvalidInput(f"need a positive uncapped and capped price for {product}",
                               field=f"uncapped.{product}")  # fmt: skip
        finite(base, f"uncapped.{product}")
        gap = (cap - base) / base
        rows.append({"product": product, "weight": weights[product], "capped": cap,
                     "uncapped": base, "relative_gap": round(gap, 6),
                     "contribution_pp": round(weights[product] * gap * 100, 4)})  # fmt: skip
    full_month = sum(r["contribution_pp"] for r in rows)
    estimate = full_month * days_capped / days
    report = report_effects().get(month)
    return {
        "month": month,
        "days_capped": days_capped,
        "days_in_month": days,
        "products": rows,
        "left_out": left_out,
        "full_month_pp": round(full_month, 4),
        "estimate_pp": round(estimate, 4),
        "report_pp": report,
        "difference_pp": None if report is None else round(estimate - report, 4),
        "method": "first-round only: weight x relative supply-price gap, pro rata to the days "
        "capped; no second-round effects, so smaller in size than the report's estimate",
    }
