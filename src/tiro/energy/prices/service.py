"""Market prices to set beside the cap: published national pump prices and the sample network.

tiro ships no public daily series of refiners' supply prices, so "the market" on the page is
two things, each labelled: (1) national average pump prices as published (a handful of dated,
cited points, ``data_label: published``), and (2) the seeded station sample's national daily
average (``data_label: sample``, 2026-03-01..05-25; read-only use of tiro.energy.stations). Pump
prices include the station margin and the cap is on supply prices: the page compares them, it
does not equate them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from tiro.core.errors import InvalidInput

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "energy" / "prices"
MARKET_PRODUCTS = ("gasoline", "diesel")


def published_pump_prices(product: str) -> list[dict[str, Any]]:
    """Dated national average pump prices (KRW/L) with their sources."""
    _check(product)
    frame = pl.read_csv(
        DATA_DIR / "pump_prices_published.csv", comment_prefix="#", try_parse_dates=True
    )
    return (
        frame.select(
            pl.col("start").cast(pl.Utf8),
            pl.col("end").cast(pl.Utf8),
            pl.col(product).alias("price"),
            "source",
        )
        .sort("start")
        .to_dicts()
    )


def sample_national_daily(product: str) -> list[dict[str, Any]]:
    """The station sample's national daily average pump price (sample, not real stations)."""
    from tiro.energy.stations.averages import national_daily
    from tiro.energy.stations.service import network

    _check(product)
    prices = network().prices.filter(pl.col("product") == product)
    return (
        national_daily(prices)
        .select(pl.col("date").cast(pl.Utf8), pl.col("price").round(1), "stations")
        .to_dicts()
    )


def market(product: str) -> dict[str, Any]:
    """Both market series for ``product``, each with its label."""
    return {
        "product": product,
        "unit": "KRW/L",
        "published": {
            "data_label": "published",
            "kind": "national average pump price",
            "rows": published_pump_prices(product),
        },
        "sample": {
            "data_label": "sample",
            "kind": "station sample national daily average pump price",
            "rows": sample_national_daily(product),
        },
        "note": "pump prices include the station margin; the cap is on refiners' supply prices",
    }


def _check(product: str) -> None:
    if product not in MARKET_PRODUCTS:
        raise InvalidInput(
            f"no market series for {product!r}; products: {', '.join(MARKET_PRODUCTS)}",
            field="product",
        )
