"""Hoarding (매점매석): selling less than last year while stocks pile up.

The 2026 notice requires shipments of at least a share of the same month last year; a
seller under that floor is flagged only when its stock-to-sales ratio is also high against
its peers (same 시도, same month), since sales can fall for honest reasons (a road closed)
and "holding stock but not selling" is the definition of hoarding.
"""

from __future__ import annotations

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.core.parameters import ParameterTree

SALES_COLUMNS = ("month", "station_id", "sales_l", "sales_prior_year_l", "closing_stock_l")


def hoarding_screen(
    sales: pl.DataFrame, stations: pl.DataFrame, params: ParameterTree
) -> pl.DataFrame:
    """One row per flagged seller and month, with the ratios and the reason."""
    missing = [c for c in SALES_COLUMNS if c not in sales.columns]
    if missing:
        raise InvalidInput(f"sales table lacks column {missing[0]!r}", field=missing[0])
    if sales.height == 0:
        return sales.with_columns(screen=pl.lit("hoarding"), reason=pl.lit(""))
    month_end = sales["month"].dt.month_end()  # a month is judged by the rule at its end
    floor = params.lookup("energy.screens.hoarding.shipment_floor", month_end)
    multiple = params.lookup("energy.screens.hoarding.stock_ratio_multiple", month_end)
    frame = (
        sales.with_columns(floor=floor, multiple=multiple)
        .join(stations.select("station_id", "sido"), on="station_id", how="left")
        .with_columns(
            shipment_ratio=pl.col("sales_l") / pl.col("sales_prior_year_l"),
            stock_to_sales=pl.col("closing_stock_l") / pl.col("sales_l"),
        )
        .with_columns(peer_stock_ratio=pl.col("stock_to_sales").median().over(["month", "sido"]))
    )
    flagged = frame.filter(
        (pl.col("shipment_ratio") < pl.col("floor"))
        & (pl.col("stock_to_sales") >= pl.col("multiple") * pl.col("peer_stock_ratio"))
    )
    return flagged.with_columns(
        screen=pl.lit("hoarding"),
        reason=pl.format(
            "shipments {} of last year < floor {}; stock/sales {} >= {} x peer median {}",
            pl.col("shipment_ratio").round(3),
            "floor",
            pl.col("stock_to_sales").round(2),
            "multiple",
            pl.col("peer_stock_ratio").round(2),
        ),
    ).sort(["month", "station_id"])
