"""The US tariff engine (미국 관세 계산 엔진): one vectorised Polars pipeline for one line or millions.

snapshot by entry date -> candidates by HTS prefix and origin -> conditions -> no-stack and
displacement -> value split -> rates -> amounts -> explanation. Lines are reduced to distinct
pricing keys — HTS scope class, origin, validity period and declared facts, packed into one
integer — so the measure logic (``resolve.py``) runs once per key; money is then column
arithmetic over the lines. Facts the engine cannot know (metal share when a metal rule needs it,
quantity for a specific rate) come back in ``needs`` and withhold the total.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from tiro.core.errors import ParameterFileError
from tiro.tariff.codes import gather_facts, line_facts, specific_base_rates
from tiro.tariff.lines import coerce_lines, split_errors
from tiro.tariff.measure_data import MeasureSet
from tiro.tariff.measure_tables import MeasureTables, tables_for
from tiro.tariff.resolve import resolve

TRI_FACTS = ("civil_aircraft", "advanced_chip", "pharma_patented", "listed_company")
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
ERROR_COLUMNS = ("line_id", "hts", "origin", "entry_date", "customs_value", "error_field", "error")
_BASES = ("full_value", "metal_content", "non_metal_value")


@dataclass(frozen=True)
class Priced:
    """Good lines with quote columns, bad rows with reasons, and the key-level measure table
    (every candidate with its status) for line detail and explanations."""

    lines: pl.DataFrame
    errors: pl.DataFrame
    measures: pl.DataFrame


def _period_index(dates: pl.Series, t: MeasureTables) -> pl.Series:
    """Index of the last validity boundary on or before each date (the snapshot it prices at)."""
    bounds = np.array(t.boundaries, dtype="datetime64[D]")
    values = dates.cast(pl.Date).to_numpy().astype("datetime64[D]")
    index = np.searchsorted(bounds, values, side="right") - 1
    return pl.Series("period_idx", np.clip(index, 0, None).astype(np.uint64))


def _with_key(lines: pl.DataFrame, t: MeasureTables) -> pl.DataFrame:
    """Pack the pricing key into one UInt64 (class 20 bits, origin 9, period 7, facts 22)."""
    u = pl.UInt64
    share, c1 = pl.col("metal_share"), pl.col("base_rate")
    metal_state = (
        pl.when(share.is_null())
        .then(0)
        .otherwise(
            1
            + pl.sum_horizontal([(share > v).cast(u) for v in t.metal_thresholds] or [pl.lit(0, u)])
        )
    )
    c1_state = (
        pl.when(c1.is_null())
        .then(0)
        .otherwise(
            1
            + pl.sum_horizontal([(c1 >= v).cast(u) for v in t.column1_thresholds] or [pl.lit(0, u)])
        )
    )
    out = lines.with_columns(
        _period_index(lines["entry_date"], t),
        metal_state.cast(u).alias("metal_state"),
        c1_state.cast(u).alias("c1_state"),
        *[pl.col(f).cast(u).fill_null(2).alias(f"{f}_state") for f in TRI_FACTS],
    )
    fields = [
        (pl.col("class_id").cast(u), 44),
        (pl.col("origin_id"), 35),
        (pl.col("period_idx"), 28),
        (pl.col("korus_eff").cast(u), 27),
        (pl.col("civil_aircraft_state"), 25),
        (pl.col("advanced_chip_state"), 23),
        (pl.col("pharma_patented_state"), 21),
        (pl.col("listed_company_state"), 19),
        (pl.col("metal_state"), 15),
        (pl.col("c1_state"), 11),
        (pl.col("quantity").is_not_null().cast(u), 10),
    ]
    key = pl.sum_horizontal([expr * pl.lit(2**shift, dtype=u) for expr, shift in fields])
    return out.with_columns(key.alias("key_id"))


def _keys(lines: pl.DataFrame, t: MeasureTables) -> pl.DataFrame:
    """One row per distinct key, with the columns ``resolve`` reads."""
    parts = [
        "key_id",
        "class_id",
        "origin",
        "period_idx",
        "korus_eff",
        "metal_state",
        "c1_state",
        *[f"{f}_state" for f in TRI_FACTS],
    ]
    keys = lines.select(*parts, pl.col("quantity").is_not_null().alias("qty_known")).unique(
        subset="key_id", keep="any"
    )
    bounds = pl.Series(t.boundaries, dtype=pl.Date)
    tri = {
        f: pl.when(pl.col(f"{f}_state") == 2).then(None).otherwise(pl.col(f"{f}_state") == 1)
        for f in TRI_FACTS
    }
    return keys.with_columns(
        pl.col("period_idx")
        .map_batches(lambda s: bounds.gather(s), return_dtype=pl.Date)
        .alias("period_date"),
        pl.col("korus_eff").alias("korus"),
        *[expr.alias(f) for f, expr in tri.items()],
        (pl.col("metal_state") > 0).alias("metal_known"),
        *[
            pl.when(pl.col("metal_state") == 0)
            .then(None)
            .otherwise(pl.col("metal_state") >= i + 2)
            .alias(f"metal_gt_{i}")
            for i in range(len(t.metal_thresholds))
        ],
        *[
            pl.when(pl.col("c1_state") == 0)
            .then(None)
            .otherwise(pl.col("c1_state") <= i + 1)
            .alias(f"c1_lt_{i}")
            for i in range(len(t.column1_thresholds))
        ],
    )


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
    spec = (
        pl.when(pl.col("rate_kind").is_in(["specific", "compound"]))
        .then(pl.col("specific_amount"))
        .otherwise(0.0)
    )
    aggs = [
        spec.sum().alias("spec_per_unit"),
        pl.col("heading").drop_nulls().sort().str.join(";").alias("headings"),
        pl.col("needs")
        .list.explode(keep_nulls=False, empty_as_null=False)
        .unique()
        .sort()
        .str.join(";")
        .alias("key_needs"),
    ]
    for basis in _BASES:
        on = pl.col("final_basis") == basis
        aggs += [
            adv.filter(on).sum().alias(f"adv_{basis}"),
            top.filter(on).max().alias(f"top_{basis}"),
            top.filter(on).count().alias(f"ntop_{basis}"),
        ]
    coeff = live.group_by("key_id").agg(aggs)
    if coeff.filter(pl.any_horizontal(pl.col("^ntop_.*$") > 1)).height:
        raise ParameterFileError(
            "two all-in (top_up_to) measures on one basis of one line; "
            "add an interaction rule between them",
            field="tariff_measures",
        )
    return coeff.drop(pl.col("^ntop_.*$"))


def _amounts(lines: pl.DataFrame) -> pl.DataFrame:
    """Money: duty per basis, all-in top-ups against the column-1 AVE, totals.

    A missing metal share, quantity or column-1 rate only matters when a measure uses it, and
    then ``needs`` names it and the total is withheld; so nulls can be read as 0 here."""
    value, c1 = pl.col("customs_value"), pl.col("base_rate")
    share = pl.col("metal_share").fill_null(0.0)
    factor = {"full_value": pl.lit(1.0), "metal_content": share, "non_metal_value": 1.0 - share}
    rate = pl.sum_horizontal(
        [pl.col(f"adv_{b}").fill_null(0.0) * factor[b] for b in _BASES]
        + [
            (pl.col(f"top_{b}") - c1).clip(lower_bound=0.0).fill_null(0.0) * factor[b]
            for b in _BASES
        ]
    )
    specific = pl.col("spec_per_unit").fill_null(0.0) * pl.col("quantity").fill_null(0.0)
    key_needs = pl.col("key_needs").fill_null("")
    needs = (
        pl.when(pl.col("base_needs").is_null())
        .then(key_needs)
        .when(key_needs == "")
        .then(pl.col("base_needs"))
        .otherwise(pl.concat_str([key_needs, pl.col("base_needs")], separator=";"))
    )
    out = lines.with_columns(
        needs.alias("needs"),
        (c1 * value).alias("base_duty"),
        (rate * value + specific).alias("_additional"),
    )
    ok = pl.col("needs") == ""
    out = out.with_columns(pl.when(ok).then(pl.col("_additional")).alias("additional_duty")).drop(
        "_additional"
    )
    out = out.with_columns((pl.col("base_duty") + pl.col("additional_duty")).alias("total_duty"))
    return out.with_columns(
        pl.when(value > 0).then(pl.col("total_duty") / value).alias("total_rate"),
        pl.col("headings").fill_null(""),
    )


def _base_rate(lines: pl.DataFrame) -> pl.DataFrame:
    """Ad valorem lines take the code's rate; the few with a specific part get their own AVE."""
    out = lines.with_columns(
        pl.when(pl.col("static_needs").is_null())
        .then(pl.col("base_ad_valorem"))
        .alias("base_rate"),
        pl.col("static_needs").alias("base_needs"),
    )
    special = specific_base_rates(out)
    if special.height == 0:
        return out
    out = out.join(
        special.rename({"base_rate": "_r", "base_needs": "_n"}),
        on="line_id",
        how="left",
        maintain_order="left",
    )
    has = pl.col("base_specific_usd").is_not_null()
    return out.with_columns(
        pl.when(has).then(pl.col("_r")).otherwise(pl.col("base_rate")).alias("base_rate"),
        pl.when(has).then(pl.col("_n")).otherwise(pl.col("base_needs")).alias("base_needs"),
    ).drop("_r", "_n")


def price(lines: pl.DataFrame, ms: MeasureSet) -> Priced:
    """Price declaration lines under one scenario's measures (see module docstring)."""
    t = tables_for(ms)
    coerced = coerce_lines(lines)
    facts, class_mids = line_facts(coerced, t)
    joined = gather_facts(coerced, facts)
    joined = joined.drop("origin").rename({"origin_norm": "origin"})
    good, bad = split_errors(joined, t.first_date)
    good = _with_key(_base_rate(good), t)
    resolved = resolve(_keys(good, t), t, class_mids)
    priced = good.join(_coefficients(resolved), on="key_id", how="left", maintain_order="left")
    errors = bad.select(ERROR_COLUMNS)
    return Priced(_amounts(priced), errors, resolved)
