"""Fake-fuel risk (가짜석유 의심): pump prices below the wholesale cost, day after day.

The wholesale cost already carries the fuel taxes, so a station that sells below it on most
days loses money on every litre unless the fuel is adulterated or untaxed — the classic
signal for a 석유관리원 inspection. A signal for inspection, not a finding.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from tiro.core.parameters import ParameterTree


def fake_fuel_screen(
    prices: pl.DataFrame, wholesale: pl.DataFrame, params: ParameterTree, on: dt.date
) -> pl.DataFrame:
    """One row per flagged station and product, with its share of days below cost."""
    share = params.at("energy.screens.fake_fuel.below_cost_share", on)
    return (
        prices.join(wholesale, on=["date", "product"], how="inner")
        .group_by(["station_id", "product"])
        .agg(
            days=pl.len(),
            days_below_cost=(pl.col("price") < pl.col("cost")).sum(),
            mean_gap=(pl.col("price") - pl.col("cost")).mean(),
        )
        .with_columns(below_cost_share=pl.col("days_below_cost") / pl.col("days"))
        .filter(pl.col("below_cost_share") >= share)
        .with_columns(
            screen=pl.lit("fake_fuel"),
            reason=pl.format(
                "below wholesale cost on {} of {} days (share {} >= {}); mean gap {} KRW/L",
                "days_below_cost",
                "days",
                pl.col("below_cost_share").round(3),
                pl.lit(share),
                pl.col("mean_gap").round(1),
            ),
        )
        .sort(["product", "station_id"])
    )
