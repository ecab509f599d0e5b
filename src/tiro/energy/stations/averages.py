"""Regional (시도) and national daily average prices, as Opinet publishes them."""

from __future__ import annotations

import polars as pl


def regional_daily(prices: pl.DataFrame, stations: pl.DataFrame) -> pl.DataFrame:
    """Mean price and station count per date, product and 시도."""
    return (
        prices.join(stations.select("station_id", "sido"), on="station_id", how="inner")
        .group_by(["date", "product", "sido"])
        .agg(price=pl.col("price").mean(), stations=pl.len())
        .sort(["date", "product", "sido"])
    )


def national_daily(prices: pl.DataFrame) -> pl.DataFrame:
    """Mean price and station count per date and product over every reporting station."""
    return (
        prices.group_by(["date", "product"])
        .agg(price=pl.col("price").mean(), stations=pl.len())
        .sort(["date", "product"])
    )
