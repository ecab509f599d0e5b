"""Korea's published trade figures, shipped with their sources (``data/trade/*.csv``).

These are the facts the report's section 4 rests on — annual 2020–2025, 2025 by region and
by major item, monthly 2025–2026 with KCS flashes — one row per release, so the provisional
MOTIE figure and the KCS-confirmed figure for the same period stand side by side.
"""

from __future__ import annotations

from functools import lru_cache

import polars as pl

from tiro.trade.codes import DATA_DIR
from tiro.trade.schema import conform, validate

BN = 1e9


def _read(name: str) -> pl.DataFrame:
    return pl.read_csv(DATA_DIR / name, comment_prefix="#", infer_schema_length=0, encoding="utf8")


@lru_cache
def korea_flows() -> pl.DataFrame:
    """The shipped figures as a validated flow table (value in USD, not USD bn)."""
    raw = _read("korea_flows.csv")
    frame = raw.with_columns(
        (pl.col("value_usd_bn").cast(pl.Float64) * BN).alias("value"),
        pl.col("release_date").str.to_date(),
        (pl.col("derived") == "true").alias("derived"),
    )
    return validate(conform(frame))


@lru_cache
def reported_growth() -> pl.DataFrame:
    """The YoY each source printed next to its figure, to check tiro's own arithmetic."""
    raw = _read("korea_flows.csv")
    return raw.select(
        "period",
        "partner",
        "product",
        "flow",
        "vintage",
        "basis",
        pl.col("release_date").str.to_date(),
        pl.col("reported_growth").cast(pl.Float64),
    ).filter(pl.col("reported_growth").is_not_null())


@lru_cache
def working_days_published() -> pl.DataFrame:
    """조업일수 as MOTIE/KCS printed them (month, or the 1–10 / 1–20 day flash windows)."""
    return _read("korea_working_days.csv").with_columns(pl.col("working_days").cast(pl.Float64))
