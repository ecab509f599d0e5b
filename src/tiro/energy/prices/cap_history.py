"""최고가격 차수별 이력: the published cap rounds beside what the reset rule computes.

Published caps are facts (params/energy/price_cap/published.yaml, with the rounds and their
sources in data/energy/prices/cap_rounds.csv). Where a round took place but its cap was not
found (the 8th), and for the rounds after the last one found, the cap is *computed* from the
rule P = (P1 - taxes on P1's date) x (1 + change) + taxes on the round's start, and every row
says which it is (``kind``: ``published`` or ``computed``), so a computed cap is never shown as
a fact. For each published cap the rule is also inverted: ``implied_intl_change`` is the change
in international prices the published cap would need under the rule (the 2nd cap, +210 KRW/L
on every product, implies different changes per product: it was a decision, not the rule alone).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.core.parameters import ParameterTree
from tiro.core.validation import finite
from tiro.energy.prices.fuel_tax import tax_table
from tiro.energy.prices.price_cap import P, _check_product, _round_cap

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "energy" / "prices"
# How far past the last round found the rule is projected: a bound on the work one request can
# ask for (a date in year 9999 would be 100,000 computed rounds), not a policy number.
MAX_PROJECTION_DAYS = 3 * 366


def _csv(name: str) -> pl.DataFrame:
    return pl.read_csv(DATA_DIR / name, comment_prefix="#", try_parse_dates=True)


def cap_rounds() -> pl.DataFrame:
    """Rounds found in public sources: round, start, decision, start_derived, source."""
    return _csv("cap_rounds.csv").sort("round")


def cap_status() -> list[dict[str, Any]]:
    """Dated statements of whether the system was in force (the last one found is the latest)."""
    frame = _csv("cap_status.csv").sort("date")
    return frame.with_columns(pl.col("date").cast(pl.Utf8)).to_dicts()


def _taxes(params: ParameterTree, product: str, days: list[dt.date]) -> dict[dt.date, int]:
    """Fuel-tax total per litre on each day, in one vectorised look-up (not one call per round)."""
    table = tax_table(params, pl.DataFrame({"date": days, "product": [product] * len(days)}))
    return dict(zip(days, table["total_per_litre"].cast(pl.Int64).to_list(), strict=True))


def cap_history(
    *,
    params: ParameterTree,
    product: str,
    until: dt.date,
    intl_change: float | None = None,
) -> dict[str, Any]:
    """Every cap round up to ``until``: published where found, computed where not.

    Computed rounds use ``intl_change`` (cumulative change since the pre-war base) when given;
    otherwise the last published cap's implied change is carried (international prices assumed
    unchanged since then), and ``assumption`` says so. Rounds after the last one found start
    every ``spacing_days`` after it (the spacing of the last two rounds found).
    """
    _check_product(product)
    if intl_change is not None:
        finite(intl_change, "intl_change")
        if intl_change <= -1:
            raise InvalidInput("intl_change must be above -1 (a -100% fall)", field="intl_change")
    rounds = cap_rounds()
    first = rounds["start"][0]
    if until < first:
        raise InvalidInput(f"{until} is before the first cap round on {first}", field="until")
    starts = rounds["start"].to_list()
    spacing = (starts[-1] - starts[-2]).days
    horizon = starts[-1] + dt.timedelta(days=MAX_PROJECTION_DAYS)
    if until > horizon:
        raise InvalidInput(
            f"{until} is more than three years after the last cap round found ({starts[-1]}); "
            f"computed rounds are projected to {horizon} at most",
            field="until",
        )
    found = rounds.filter(pl.col("start") <= until)
    projected: list[dt.date] = []
    start = starts[-1] + dt.timedelta(days=spacing)
    while start <= until:  # at most three years of rounds (MAX_PROJECTION_DAYS)
        projected.append(start)
        start += dt.timedelta(days=spacing)
    all_starts = found["start"].to_list() + projected
    taxes = _taxes(params, product, [first, *all_starts])
    base = params.at(P + "first_cap", first)[product] - taxes[first]
    rows: list[dict[str, Any]] = []
    carried = 0.0

    def computed(day: dt.date) -> dict[str, Any]:
        change = carried if intl_change is None else intl_change
        raw = base * (1 + change) + taxes[day]
        return {"kind": "computed", "cap": _round_cap(raw, params.at(P + "rounding", day)),
                "cap_unrounded": round(raw, 4), "intl_change_used": round(change, 4)}  # fmt: skip

    for r in found.iter_rows(named=True):  # the rounds found (a dozen), carrying the change
        published = params.at(P + "published", r["start"])
        row = {"round": r["round"], "start": r["start"], "decision": r["decision"],
               "start_derived": r["start_derived"], "source": r["source"]}  # fmt: skip
        if published is not None:
            cap = published[product]
            carried = (cap - taxes[r["start"]]) / base - 1
            row |= {"kind": "published", "cap": cap, "implied_intl_change": round(carried, 4)}
        else:
            row |= computed(r["start"])
        rows.append(row)
    for k, day in enumerate(projected, start=rounds["round"][-1] + 1):
        rows.append({"round": k, "start": day, "decision": "not_found", "start_derived": True,
                     "source": None} | computed(day))  # fmt: skip
    for i, row in enumerate(rows):
        nxt = rows[i + 1]["start"] if i + 1 < len(rows) else None
        row["end"] = (nxt - dt.timedelta(days=1)).isoformat() if nxt else None
        row["taxes_at_start"] = taxes[row["start"]]
        row["start"] = row["start"].isoformat()
    return {
        "product": product,
        "until": until.isoformat(),
        "unit": "KRW/L",
        "spacing_days_after_last_found": spacing,
        "assumption": "computed rounds: given intl_change"
        if intl_change is not None
        else "computed rounds: international prices unchanged since the last published cap "
        "(its implied change carried); a computed cap is not a published fact",
        "rounds": rows,
        "status": cap_status(),
    }
