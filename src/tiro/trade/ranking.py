"""Rank exporters from a world table (WTO-style ranking, 수출 순위).

The report quotes Korea 7th in 2025 and 5th in January–February 2026 (WTO). Given flows
of many reporters to the world, ``rank_exporters`` orders them by value for one period (or
the sum over a month window) and ``rank_of`` picks one country's place and its neighbours.
"""

from __future__ import annotations

import polars as pl

from tiro.core.errors import NotFound
from tiro.trade.codes import TOTAL_PRODUCT


def rank_exporters(flows: pl.DataFrame, *, periods: list[str], flow: str = "X") -> pl.DataFrame:
    """rank, reporter, value, share of the listed reporters' total, over ``periods``."""
    from tiro.trade.partner_levels import world_cells

    # each reporter's total with the world: its WLD row, else its partners summed once
    picked = world_cells(
        flows.filter(
            pl.col("period").is_in(periods)
            & (pl.col("flow") == flow)
            & (pl.col("product") == TOTAL_PRODUCT)
        )
    )
    if picked.is_empty():
        raise NotFound(f"no world-total {flow} rows for {', '.join(periods)}", field="period")
    table = picked.group_by("reporter").agg(
        pl.col("value").sum(), pl.col("period").n_unique().alias("periods_covered")
    )
    return (
        table.with_columns((pl.col("value") / pl.col("value").sum()).alias("share"))
        .sort("value", descending=True)
        .with_row_index("rank", offset=1)
    )


def rank_of(table: pl.DataFrame, reporter: str) -> dict[str, object]:
    """One reporter's rank, value and the countries just above and below it."""
    hit = table.filter(pl.col("reporter") == reporter)
    if hit.is_empty():
        raise NotFound(f"{reporter} is not in the world table", field="reporter")
    rank = int(hit["rank"][0])
    near = table.filter((pl.col("rank") >= rank - 2) & (pl.col("rank") <= rank + 2))
    return {
        "reporter": reporter,
        "rank": rank,
        "value": float(hit["value"][0]),
        "of": table.height,
        "neighbours": near.select("rank", "reporter", "value").to_dicts(),
    }
