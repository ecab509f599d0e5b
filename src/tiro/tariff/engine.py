"""The US tariff engine (미국 관세 계산 엔진): one vectorised Polars pipeline for one line or millions.

snapshot by entry date -> candidates by HTS prefix and origin -> conditions -> no-stack and
displacement -> value split -> rates -> amounts -> explanation. Lines are first reduced to
distinct pricing keys (``resolve.py``), so the measure logic runs once per key; money is then
column arithmetic over the lines. Facts the engine cannot know (metal share when a metal rule
needs it, quantity for a specific rate) come back in ``needs`` and withhold the total.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from tiro.tariff.base_rate import attach_base_rates
from tiro.tariff.lines import validate_lines
from tiro.tariff.measure_data import BOOL_FACTS, MeasureSet
from tiro.tariff.measure_tables import MeasureTables, tables_for
from tiro.tariff.resolve import resolve

FACT_KEYS = ("korus_claimed", *[f for f in BOOL_FACTS if f != "korus"])
OUTPUT_COLUMNS = (
    "base_rate",
    "column1_rate_text",
    "column1_source",
    "base_duty",
    "additional_duty",
    "total_duty",
    "total_rate",
    "headings",
    "needs",
)


@dataclass(frozen=True)
class Priced:
    """Result of pricing: good lines with quote columns, bad rows with reasons, and the
    key-level measure table (every candidate with its status) for line detail and explain."""

    lines: pl.DataFrame
    errors: pl.DataFrame
    measures: pl.DataFrame


def period_dates(dates: pl.Series, t: MeasureTables) -> pl.Series:
    """The last validity boundary on or before each date: the snapshot the date prices at."""
    bounds = np.array(t.boundaries, dtype="datetime64[D]")
    values = dates.cast(pl.Date).to_numpy().astype("datetime64[D]")
    index = np.searchsorted(bounds, values, side="right") - 1
    return pl.Series("period_date", bounds[np.clip(index, 0, None)]).cast(pl.Date)


def add_key_columns(lines: pl.DataFrame, t: MeasureTables) -> pl.DataFrame:
    """The columns that decide which measures apply (see ``resolve.py``)."""
    share, c1 = pl.col("metal_share"), pl.col("base_rate")
    out = lines.with_columns(
        period_dates(lines["entry_date"], t),
        (pl.col("korus").fill_null(True) & (pl.col("origin") == "KR")).alias("korus_claimed"),
        share.is_not_null().alias("metal_known"),
        c1.is_not_null().alias("c1_known"),
        pl.col("quantity").is_not_null().alias("qty_known"),
        *[(share > v).alias(f"metal_gt_{i}") for i, v in enumerate(t.metal_thresholds)],
        *[(c1 < v).alias(f"c1_lt_{i}") for i, v in enumerate(t.column1_thresholds)],
    )
    return out.with_columns(pl.col("korus_claimed").alias("korus"))


def key_columns(t: MeasureTables) -> list[str]:
    """Names of the pricing-key columns."""
    return [
        "hts_digits",
        "origin",
        "period_date",
        "korus",
        *[f for f in FACT_KEYS if f != "korus_claimed"],
        "metal_known",
        "c1_known",
        "qty_known",
        *[f"metal_gt_{i}" for i in range(len(t.metal_thresholds))],
        *[f"c1_lt_{i}" for i in range(len(t.column1_thresholds))],
    ]


def _coefficients(resolved: pl.DataFrame) -> pl.DataFrame:
    """Per key: ad valorem sums by basis, the all-in target by basis, specific per unit,
    the headings in play and the facts still needed."""
    live = resolved.filter(pl.col("status").is_in(["applied", "needs"]))
    adv = (
        pl.when(pl.col("rate_kind").is_in(["ad_valorem", "compound"]))
        .then(pl.col("rate_value"))
        .otherwise(0.0)
    )
    top = pl.when(pl.col("rate_kind") == "top_up_to").then(pl.col("rate_value"))
    aggs = []
    for basis in ("full_value", "metal_content", "non_metal_value"):
        on = pl.col("final_basis") == basis
        aggs.append(adv.filter(on).sum().alias(f"adv_{basis}"))
        aggs.append(top.filter(on).max().alias(f"top_{basis}"))
        aggs.append(top.filter(on).count().alias(f"ntop_{basis}"))
    spec = (
        pl.when(pl.col("rate_kind").is_in(["specific", "compound"]))
        .then(pl.col("specific_amount"))
        .otherwise(0.0)
    )
    aggs += [
        spec.sum().alias("spec_per_unit"),
        pl.col("heading").drop_nulls().sort().str.join(";").alias("headings"),
        pl.col("needs")
        .list.explode(keep_nulls=False, empty_as_null=False)
        .unique()
        .sort()
        .alias("key_needs"),
    ]
    coeff = live.group_by("key_id").agg(aggs)
    doubled = coeff.filter(pl.any_horizontal(pl.col("^ntop_.*$") > 1))
    if doubled.height:
        from tiro.core.errors import ParameterFileError

        raise ParameterFileError(
            "two all-in (top_up_to) measures on one basis of one line; "
            "add an interaction rule between them",
            field="tariff_measures",
        )
    return coeff.drop(pl.col("^ntop_.*$"))


def _amounts(lines: pl.DataFrame) -> pl.DataFrame:
    """Money: duty per basis, all-in top-ups against the column-1 AVE, totals."""
    value, share, c1 = pl.col("customs_value"), pl.col("metal_share"), pl.col("base_rate")
    factor = {"full_value": pl.lit(1.0), "metal_content": share, "non_metal_value": 1.0 - share}

    def part(coef: pl.Expr, basis: str) -> pl.Expr:
        return pl.when(coef.fill_null(0.0) == 0.0).then(0.0).otherwise(coef * factor[basis] * value)

    additional = pl.sum_horizontal(
        *[part(pl.col(f"adv_{b}"), b) for b in factor],
        *[
            pl.when(pl.col(f"top_{b}").is_null())
            .then(0.0)
            .otherwise((pl.col(f"top_{b}") - c1).clip(lower_bound=0.0) * factor[b] * value)
            for b in factor
        ],
        pl.when(pl.col("spec_per_unit").fill_null(0.0) == 0.0)
        .then(0.0)
        .otherwise(pl.col("spec_per_unit") * pl.col("quantity")),
        ignore_nulls=False,
    )
    needs = (
        pl.concat_list(
            pl.col("key_needs").fill_null(pl.lit([], dtype=pl.List(pl.Utf8))),
            pl.when(pl.col("base_needs").is_not_null()).then(pl.col("base_needs")),
        )
        .list.drop_nulls()
        .list.unique()
        .list.sort()
    )
    out = lines.with_columns(needs.alias("needs"), (c1 * value).alias("base_duty"))
    ok = pl.col("needs").list.len() == 0
    out = out.with_columns(pl.when(ok).then(additional).alias("additional_duty"))
    out = out.with_columns(
        pl.when(ok).then(pl.col("base_duty") + pl.col("additional_duty")).alias("total_duty")
    )
    return out.with_columns(
        pl.when(value > 0).then(pl.col("total_duty") / value).alias("total_rate"),
        pl.col("headings").fill_null(""),
        pl.col("needs").list.join(";"),
    )


def price(lines: pl.DataFrame, ms: MeasureSet) -> Priced:
    """Price declaration lines under one scenario's measures (see module docstring)."""
    t = tables_for(ms)
    checked = validate_lines(lines, t.first_date)
    bad = checked.filter(pl.col("error").is_not_null())
    good = attach_base_rates(checked.filter(pl.col("error").is_null()))
    unknown = good.filter(pl.col("base_needs") == "hts_rate").with_columns(
        pl.lit("hts").alias("error_field"),
        (
            pl.lit("unknown HTS code ")
            + pl.col("hts")
            + pl.lit(" (not in the loaded HTS rate table)")
        ).alias("error"),
    )
    good = add_key_columns(
        good.filter((pl.col("base_needs") != "hts_rate") | pl.col("base_needs").is_null()), t
    )
    cols = key_columns(t)
    keys = good.select(cols).unique(maintain_order=True).with_row_index("key_id")
    resolved = resolve(keys, t)
    priced = good.join(keys, on=cols, how="left", nulls_equal=True, maintain_order="left")
    priced = priced.join(_coefficients(resolved), on="key_id", how="left", maintain_order="left")
    priced = _amounts(priced)
    errors = (
        pl.concat([bad, unknown], how="diagonal_relaxed")
        .select(
            [
                c
                for c in (
                    "line_id",
                    "hts",
                    "origin",
                    "entry_date",
                    "customs_value",
                    "error_field",
                    "error",
                )
                if c in bad.columns
            ]
        )
        .sort("line_id")
    )
    return Priced(priced, errors, resolved)
