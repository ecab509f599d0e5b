"""Column-1 base rate (기본세율) for priced lines, via ``tiro.tariff.hts_rates.base_rates``.

The rate text is looked up once per distinct (HTS code, origin, KORUS claim); only lines whose
rate has a specific part (cents per kg, ...) need their own quantity and value for the ad
valorem equivalent, so those few go through ``base_rates`` line by line (still vectorised).
"""

from __future__ import annotations

import polars as pl

from tiro.tariff.hts_rates import base_rates

_RATE_COLUMNS = (
    "hts_matched",
    "general_rate_text",
    "special_rate_text",
    "column1_rate_text",
    "column1_source",
    "base_ad_valorem",
    "base_specific_usd",
    "base_specific_unit",
)


def attach_base_rates(lines: pl.DataFrame) -> pl.DataFrame:
    """Add the rate columns, ``base_rate`` (AVE fraction, null if unknown) and ``base_needs``."""
    keys = ["hts_digits", "origin", "korus"]
    distinct = lines.select(keys).unique()
    rated = base_rates(
        distinct.with_columns(
            pl.col("hts_digits").alias("hts"), pl.lit(1.0).alias("customs_value")
        ),
        korus_claimed_col="korus",
    ).select(*keys, *_RATE_COLUMNS, pl.col("base_needs").alias("_static_needs"))
    out = lines.join(rated, on=keys, how="left", nulls_equal=True, maintain_order="left")
    specific = out.filter(pl.col("base_specific_usd").is_not_null())
    plain = out.filter(pl.col("base_specific_usd").is_null()).with_columns(
        pl.when(pl.col("_static_needs").is_null())
        .then(pl.col("base_ad_valorem"))
        .alias("base_rate"),
        pl.col("_static_needs").alias("base_needs"),
    )
    if specific.height:
        per_line = base_rates(
            specific.select(
                "line_id",
                pl.col("hts_digits").alias("hts"),
                "origin",
                "korus",
                "customs_value",
                "quantity",
                "quantity_unit",
            ),
            korus_claimed_col="korus",
        ).select("line_id", "base_rate", "base_needs")
        specific = specific.join(per_line, on="line_id", how="left", maintain_order="left")
        out = pl.concat([plain, specific], how="diagonal_relaxed").sort("line_id")
    else:
        out = plain
    return out.drop("_static_needs")
