"""Edgeworth cycles (sawtooth pricing): big restorations, many small undercuts.

Such cycles mostly indicate competition (Noel 2007; Doyle et al.), so a station caught in
one is reported as cycling and is never flagged by the variance screen on that ground alone.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from tiro.core.parameters import ParameterTree


def price_changes(prices: pl.DataFrame) -> pl.DataFrame:
    """Every price row with ``d``, its change since the station's previous reported day.

    Computed once and shared by this screen and the leader–follower screen (which needs
    the same rises): it is the costliest step of both.
    """
    # A stable sort on the date alone keeps each station's days in order for ``over``
    # (four times faster than sorting by the station id string first).
    return prices.sort("date", maintain_order=True).with_columns(
        d=pl.col("price").diff().over(["station_id", "product"])
    )


def cycle_stats(prices: pl.DataFrame, changes: pl.DataFrame | None = None) -> pl.DataFrame:
    """Per station and product: counts and median sizes of daily rises and falls."""
    change = (price_changes(prices) if changes is None else changes).filter(
        pl.col("d").is_not_null() & (pl.col("d") != 0)
    )
    return change.group_by(["station_id", "product"]).agg(
        rises=(pl.col("d") > 0).sum(),
        falls=(pl.col("d") < 0).sum(),
        median_rise=pl.col("d").filter(pl.col("d") > 0).median(),
        median_fall=pl.col("d").filter(pl.col("d") < 0).abs().median(),
    )


def edgeworth_screen(
    prices: pl.DataFrame,
    params: ParameterTree,
    on: dt.date,
    changes: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Stations whose price path is a sawtooth, with the numbers that make it one
    (``changes``: :func:`price_changes` of ``prices`` when the caller already has it)."""
    size = params.at("energy.screens.edgeworth.rise_fall_ratio", on)
    count = params.at("energy.screens.edgeworth.fall_rise_count_ratio", on)
    stats = cycle_stats(prices, changes)
    cycling = (
        (pl.col("rises") >= 2)
        & (pl.col("median_rise") >= size * pl.col("median_fall"))
        & (pl.col("falls") >= count * pl.col("rises"))
    ).fill_null(False)
    return stats.with_columns(edgeworth=cycling).with_columns(
        reason=pl.when(pl.col("edgeworth"))
        .then(
            pl.format(
                "sawtooth: {} rises (median {}) vs {} falls (median {}) — competitive cycle",
                "rises",
                pl.col("median_rise").round(1),
                "falls",
                pl.col("median_fall").round(1),
            )
        )
        .otherwise(None)
    )
