"""Money (세액 계산): per-key rate coefficients, then duty per line by column arithmetic.

A key's live measures reduce to a few numbers — the ad valorem sum on each basis (full value,
metal content, non-metal value), the all-in target on each basis (``top_up_to``: the duty is
``max(0, target - column-1 AVE)``, 90 FR 55964), the specific amount per unit — plus the
headings in play and the facts still needed. A line's duty is then

    additional = value x (adv_full + share x adv_metal + (1 - share) x adv_non_metal
                          + sum over bases of max(0, top - column 1) x that basis' share)
                 + specific per unit x quantity
                 + max(0, floor per unit x quantity - value)

the last term a minimum import price (Procl. 11052 cl. (2)(c): the entered value's shortfall
from the floor), and the total is withheld (null) while anything is needed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
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
    floor = (
        pl.when(pl.col("rate_kind") == "minimum_import_price")
        .then(pl.col("specific_amount"))
        .otherwise(0.0)
    )
    aggs = [
        spec.sum().alias("spec_per_unit"),
        # alternatives of one programme (e.g. documented or not) never both live: max, not sum
        floor.max().alias("mip_per_unit"),
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
            # records of one programme on one basis are alternatives (e.g. the statistical suffix
            # decides which applies), so only top-ups of different programmes need a rule
            pl.col("program")
            .filter(on & (pl.col("rate_kind") == "top_up_to"))
            .n_unique()
            .alias(f"ntop_{basis}"),
        ]
    coeff = live.group_by("key_id").agg(aggs)
    if coeff.filter(pl.any_horizontal(pl.col("^ntop_.*$") > 1)).height:
        raise ParameterFileError(
            "all-in (top_up_to) measures of two programmes on one basis of one line; "
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
            pl.lit(None, dtype=pl.Float64).alias("mip_per_unit"),
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
        pl.col("mip_per_unit").fill_null(0.0),
        pl.col("headings").fill_null("").cast(pl.Categorical),
        needs.cast(pl.Categorical).alias("needs"),
        (needs != "").alias("withhold"),
    )


def mip_shortfall(
    floor: np.ndarray | float, quantity: np.ndarray | float | None, value: np.ndarray | float
) -> np.ndarray:
    """Duty of a minimum import price: ``max(0, floor x quantity - value)`` — the entered value's
    shortfall from the floor (Procl. 11052 cl. (2)(c)). Never negative, zero at or above the
    floor, linear in the unit value below it. A blank quantity counts as 0 here; the key then
    withholds the total and names ``quantity``."""
    qty = 0.0 if quantity is None else quantity
    return np.maximum(np.multiply(floor, qty) - value, 0.0)


@dataclass(frozen=True)
class LineAmounts:
    """Duty columns of the lines (NaN where withheld or not computable)."""

    base_duty: np.ndarray
    additional_duty: np.ndarray
    total_duty: np.ndarray
    total_rate: np.ndarray


def empty_coefficients() -> pl.DataFrame:
    """The coefficient table of no key (the columns ``line_coefficients`` reads)."""
    floats = [f"{k}_{b}" for k in ("adv", "top") for b in BASES]
    floats += ["spec_per_unit", "mip_per_unit"]
    return pl.DataFrame(schema={**dict.fromkeys(floats, pl.Float64), "withhold": pl.Boolean})


def line_coefficients(table: pl.DataFrame) -> dict[str, np.ndarray]:
    """The per-key arrays ``amounts`` gathers from, folded so a line needs few operations:
    ``base`` = ad valorem on full value + on non-metal value (NaN when the key withholds the
    total), ``metal_tilt`` = metal-content rate - non-metal rate (times the metal share), the
    all-in targets per basis and the specific amount per unit."""
    withhold = table["withhold"].to_numpy()
    base = (table["adv_full_value"] + table["adv_non_metal_value"]).to_numpy().copy()
    base[withhold] = np.nan
    out = {
        "base": base,
        "metal_tilt": (table["adv_metal_content"] - table["adv_non_metal_value"]).to_numpy(),
        "spec_per_unit": table["spec_per_unit"].to_numpy(),
        "mip_per_unit": table["mip_per_unit"].to_numpy(),
    }
    out.update({f"top_{b}": table[f"top_{b}"].to_numpy() for b in BASES})
    return out


def amounts(
    coeff: dict[str, np.ndarray],
    row: np.ndarray,
    c1: np.ndarray,
    value: np.ndarray,
    share: np.ndarray | None,
    quantity: np.ndarray | None,
) -> LineAmounts:
    """Duty per line from its key's coefficients (``line_coefficients``, gathered by ``row``;
    see the module docstring, rearranged as ``base + lifts + share x (metal - non-metal)``).
    NaN stands for null: a column-1 rate that is not known (``c1``), a withheld total.

    ``share`` and ``quantity`` come with blanks as 0: a blank only matters when a measure uses
    it, and then ``needs`` names it and the total is withheld. A term whose coefficient is zero
    for every key known (no all-in target, no metal measure) is skipped: it adds nothing."""
    rate = coeff["base"][row]
    lift = {
        b: np.maximum(coeff[f"top_{b}"][row] - c1, 0.0)
        for b in BASES
        if (coeff[f"top_{b}"] != _NO_TOP).any()
    }
    for b in ("full_value", "non_metal_value"):
        if b in lift:
            rate += lift[b]
    if share is not None:
        tilt = coeff["metal_tilt"][row] if coeff["metal_tilt"].any() else np.zeros(len(row))
        if "metal_content" in lift:
            tilt += lift["metal_content"]
        if "non_metal_value" in lift:
            tilt -= lift["non_metal_value"]
        rate += share * tilt
    additional = rate * value
    if quantity is not None and coeff["spec_per_unit"].any():
        additional += coeff["spec_per_unit"][row] * quantity
    if coeff["mip_per_unit"].any():
        additional += mip_shortfall(coeff["mip_per_unit"][row], quantity, value)
    base = c1 * value
    total = base + additional
    total_rate = np.full(len(row), np.nan)
    np.divide(total, value, out=total_rate, where=value > 0)
    return LineAmounts(base, additional, total, total_rate)
