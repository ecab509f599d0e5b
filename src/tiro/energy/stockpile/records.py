"""Reserve storage and international joint stockpiling as dated, cited records.

Records, not parameters (DESIGN: law or facts that are a set of records live as data files):
``data/energy/stockpile/*.csv``, each with its provenance header. The joint stockpile is a
separate line beside government and private stocks: the oil is a foreign company's, and Korea
only has a priority right to buy it in a crisis, so it is never added into the stock days.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.core.validation import finite

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "energy" / "stockpile"


def _read(name: str) -> pl.DataFrame:
    return pl.read_csv(DATA_DIR / name, comment_prefix="#", try_parse_dates=True)


def storage_capacity() -> list[dict[str, Any]]:
    """National reserve storage capacity and stocks over time (Mbbl), government and private."""
    return _dicts(_read("storage_capacity.csv"))


def storage_sites() -> list[dict[str, Any]]:
    """Reserve storage by KNOC base over time, with each site's known capacity after each record.

    A ``site_total`` record sets the site's level; an ``addition`` adds to the level known
    before it, or leaves ``known_capacity_mbbl`` empty when no earlier level was published
    (the addition itself is still a fact). A short record file, so a plain walk per site.
    """
    frame = _read("storage_sites.csv").sort(["site", "as_of"])
    known: list[float | None] = []
    level: dict[str, float | None] = {}
    for site, kind, mbbl in frame.select("site", "kind", "capacity_mbbl").iter_rows():
        before = level.get(site)
        level[site] = mbbl if kind == "site_total" else (None if before is None else before + mbbl)
        known.append(level[site])
    return _dicts(frame.with_columns(known_capacity_mbbl=pl.Series(known, dtype=pl.Float64))
                  .sort(["as_of", "site"]))  # fmt: skip


def plans() -> list[dict[str, Any]]:
    """Dated expansion plans for storage, stocks and joint stockpiling (report 3 ③ and before)."""
    return _dicts(_read("stockpile_plans.csv").sort("date"))


def joint_stockpiling() -> list[dict[str, Any]]:
    """Joint-stockpiling contracts and published totals (Mbbl), with sources."""
    return _dicts(_read("joint_stockpiling.csv"))


def priority_rights_exercised() -> list[dict[str, Any]]:
    """Exercises of the priority purchase right (the 2026 one with the 주의 alert)."""
    return _dicts(_read("priority_rights_exercised.csv"))


def joint_total_on(on: dt.date) -> dict[str, Any] | None:
    """The last published joint-stockpile total on or before ``on`` (None before the first)."""
    joint = (
        _read("joint_stockpiling.csv")
        .filter((pl.col("as_of") <= on) & (pl.col("kind") == "total"))
        .sort("as_of")
    )
    if joint.is_empty():
        return None
    row = joint.row(-1, named=True)
    return {"mbbl": row["volume_mbbl"], "as_of": row["as_of"].isoformat(), "source": row["source"]}


def _dicts(frame: pl.DataFrame) -> list[dict[str, Any]]:
    dates = [c for c, t in frame.schema.items() if t == pl.Date]
    return frame.with_columns([pl.col(c).cast(pl.Utf8) for c in dates]).to_dicts()


def position(on: dt.date, daily_net_imports_kbbl: float | None = None) -> dict[str, Any]:
    """Storage, government and private stock and the joint-stockpile line as last published.

    Each line is the latest non-empty figure on or before ``on`` (capacity and stock can come
    from different dates). With ``daily_net_imports_kbbl`` each stock line is also shown in
    days (volume / daily net imports); the joint line stays separate from the stock days.
    """
    table = _read("storage_capacity.csv").filter(pl.col("as_of") <= on).sort("as_of")
    joint = joint_total_on(on)
    if table.is_empty() and joint is None:
        raise InvalidInput(f"no stockpile record on or before {on}", field="date")
    if daily_net_imports_kbbl is not None:
        finite(daily_net_imports_kbbl, "daily_net_imports_kbbl")
        if daily_net_imports_kbbl <= 0:
            raise InvalidInput("daily net imports must be positive", field="daily_net_imports_kbbl")
    lines: list[dict[str, Any]] = []
    for label, holder, column in (
        ("government storage capacity", "government", "capacity_mbbl"),
        ("government stock", "government", "stock_mbbl"),
        ("private stock", "private", "stock_mbbl"),
    ):
        found = table.filter((pl.col("holder") == holder) & pl.col(column).is_not_null())
        if not found.is_empty():
            row = found.row(-1, named=True)
            lines.append({"line": label, "mbbl": row[column],
                          "as_of": row["as_of"].isoformat(), "source": row["source"]})  # fmt: skip
    if joint is not None:
        lines.append({"line": "international joint stockpile (priority right, separate)", **joint})
    for line in lines:
        if daily_net_imports_kbbl is not None and "capacity" not in line["line"]:
            line["days"] = round(line["mbbl"] * 1000 / daily_net_imports_kbbl, 2)
    return {"date": on.isoformat(), "lines": lines}
