"""FDI cash grants (외국인투자 현금지원): ceiling by category and region, and who pays.

The ceiling is a share of the foreign investment set by the Foreign Investment Committee's
operating rules (현금지원제도 운영요령) per project category; the central government pays its
share (국비) and the local government the rest (지방비), with a higher central share outside
the capital region (수도권). The report plans a stronger non-capital incentive (section 4 ③);
``trade.fdi.cash_grant.non_capital_uplift`` carries it, zero until enacted.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.core.parameters import ParameterTree

MAX_RATE = "trade.fdi.cash_grant.max_rate"
NATIONAL_SHARE = "trade.fdi.cash_grant.national_share"
NATIONAL_SHARE_STRATEGIC = "trade.fdi.cash_grant.national_share_strategic"
UPLIFT = "trade.fdi.cash_grant.non_capital_uplift"
REGIONS = ("capital", "non_capital")


def cash_grant(projects: pl.DataFrame, *, on: dt.date, params: ParameterTree) -> pl.DataFrame:
    """Ceiling of the cash grant per project and its national/local split.

    ``projects`` has ``investment_usd`` (>= 0), ``category`` (a key of ``max_rate``) and
    ``region`` (capital or non_capital). One vectorised pass for any number of projects.
    """
    for column in ("investment_usd", "category", "region"):
        if column not in projects.columns:
            raise InvalidInput(f"missing column {column!r}", field=column)
    bad_region = projects.filter(~pl.col("region").is_in(REGIONS))
    if bad_region.height:
        raise InvalidInput(
            f"region {bad_region['region'][0]!r} is not capital or non_capital", field="region"
        )
    if (projects["investment_usd"] < 0).any():
        raise InvalidInput("investment must be >= 0", field="investment_usd")
    dates = pl.Series([on] * projects.height, dtype=pl.Date)
    rate = params.lookup(MAX_RATE, dates, projects["category"])
    general = params.lookup(NATIONAL_SHARE, dates, projects["region"])
    strategic = params.lookup(NATIONAL_SHARE_STRATEGIC, dates, projects["region"])
    uplift = params.lookup(UPLIFT, dates)
    return (
        projects.with_columns(
            base_rate=rate,
            uplift=pl.when(pl.col("region") == "non_capital").then(uplift).otherwise(0.0),
            national_share=pl.when(pl.col("category") == "national_strategic")
            .then(strategic)
            .otherwise(general),
        )
        .with_columns(ceiling_rate=pl.col("base_rate") + pl.col("uplift"))
        .with_columns(grant_ceiling_usd=pl.col("investment_usd") * pl.col("ceiling_rate"))
        .with_columns(
            national_usd=pl.col("grant_ceiling_usd") * pl.col("national_share"),
            local_usd=pl.col("grant_ceiling_usd") * (1 - pl.col("national_share")),
        )
    )
