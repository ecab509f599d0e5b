"""Money (세액 계산): per-key rate coefficients, then duty per line by column arithmetic.

A key's live measures reduce to a few numbers — the ad valorem sum on each basis (full value,
metal content, non-metal value), the all-in target on each basis (``top_up_to``: the duty is
``max(0, target - column-1 AVE)``, 90 FR 55964), the specific amount per unit — plus the
headings in play and the facts still needed. A line's duty is then

    additional = value x (adv_full + share x adv_metal + (1 - share) x adv_non_metal
                          + sum over bases of max(0, top - column 1) x that basis' share)
                 + specific per unit x quantity

and the total is withheld (null) while anything is needed.
"""

from __future__ import annotations

import polars as pl

from tiro.core.errors import ParameterFileError

BASES = ("full_value", "metal_content", "non_metal_value")
_NO_TOP = -1.0  # an all-in target below any rate: max(0, -1 - c1) = 0


def _live_coefficients(resolved: pl.DataFrame) -> pl.DataFrame:
    """Per key with at least one live measure: sums by basis, headings, key-level needs."""
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
    for basis in BASES:
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


def coefficients(
    keys: pl.DataFrame, resolved: pl.DataFrame, needs_texts: pl.Series
) -> pl.DataFrame:
    """One row per key (``keys`` from ``key_table``): the money coefficients, ``headings``,
    ``needs`` (the key's needs, then the column-1 rate's) and ``withhold``."""
    live = _live_coefficients(resolved) if resolved.height else None
    out = keys.select("key_id", "base_needs_id")
    if live is not None:
        out = out.join(live, on="key_id", how="left")
    else:
        out = out.with_columns(
            pl.lit(None, dtype=pl.Float64).alias("spec_per_unit"),
            pl.lit(None, dtype=pl.Utf8).alias("headings"),
            pl.lit(None, dtype=pl.Utf8).alias("key_needs"),
            *[
                pl.lit(None, dtype=pl.Float64).alias(f"{k}_{b}")
                for k in ("adv", "top")
                for b in BASES
            ],
        )
    base = pl.lit(needs_texts).gather(pl.col("base_needs_id"))
    key_needs = pl.col("key_needs").fill_null("")
    needs = (
        pl.when(base.is_null())
        .then(key_needs)
        .when(key_needs == "")
        .then(base)
        .otherwise(pl.concat_str([key_needs, base], separator=";"))
    )
    return out.select(
        "key_id",
        *[pl.col(f"adv_{b}").fill_null(0.0) for b in BASES],
        *[pl.col(f"top_{b}").fill_null(_NO_TOP) for b in BASES],
        pl.col("spec_per_unit").fill_null(0.0),
        pl.col("headings").fill_null("").cast(pl.Categorical),
        needs.cast(pl.Categorical).alias("needs"),
        (needs != "").alias("withhold"),
    )


def amounts(lines: pl.DataFrame) -> pl.DataFrame:
    """Duty per line from the key coefficients joined to it (see the module docstring).

    A missing metal share or quantity only matters when a measure uses it, and then ``needs``
    names it and the total is withheld; so nulls can be read as 0 here."""
    value, c1 = pl.col("customs_value"), pl.col("base_rate")
    share = pl.col("metal_share").fill_null(0.0)
    factor = {"full_value": None, "metal_content": share, "non_metal_value": 1.0 - share}
    terms = []
    for b in BASES:
        term = pl.col(f"adv_{b}") + (pl.col(f"top_{b}") - c1).clip(lower_bound=0.0)
        terms.append(term if factor[b] is None else term * factor[b])
    specific = pl.col("spec_per_unit") * pl.col("quantity").fill_null(0.0)
    base_duty = c1 * value
    additional = (
        pl.when(pl.col("withhold"))
        .then(None)
        .otherwise(pl.sum_horizontal(terms) * value + specific)
    )
    total = base_duty + additional
    return (
        lines.lazy()
        .with_columns(
            base_duty.alias("base_duty"),
            additional.alias("additional_duty"),
            total.alias("total_duty"),
            pl.when(value > 0).then(total / value).alias("total_rate"),
        )
        .collect()
    )
