"""Which measures apply to a pricing key, vectorised: candidates -> conditions -> interactions.

A *key* is what decides the applicable measures without the money: HTS code, origin, the
validity period the entry date falls in, the declared facts (KORUS claim, civil aircraft, ...)
and booleans for the thresholds the conditions use (metal share > 15%, column-1 rate < 15%).
Millions of lines collapse to a few thousand keys; this module prices keys, the engine maps
the result back to lines with column arithmetic.

Statuses: ``applied``; ``needs`` (a condition depends on a fact the line did not give — it is
kept in play so precedence follows the likely case, and the line's total is withheld);
``condition_failed``; ``displaced`` (an interaction rule dropped it; ``displaced_by`` says which).
"""

from __future__ import annotations

import polars as pl

from tiro.tariff.measures.data import BOOL_FACTS
from tiro.tariff.measures.tables import MeasureTables
from tiro.tariff.pricing.keys import DEFAULT_STATE

CLAIMS = tuple(f for f, state in DEFAULT_STATE.items() if state == 0)
"""Facts that are an importer's claim (a use or a certification, not claimed when blank). A record
that needs a claim the key does not make is not a candidate at all: it can never apply or need
anything, and the certified-parts records reach every HTS code (9903.74.09, 9903.94.07/.64/.65),
so listing them as ``condition_failed`` would add rows to every key and a line to every quote."""


def candidates(keys: pl.DataFrame, t: MeasureTables, class_mids: pl.DataFrame) -> pl.DataFrame:
    """(key, measure) pairs whose HTS scope class, origin and validity match.

    The pairs are judged on the few columns the test reads, then the surviving pairs gather
    their whole key and measure rows: the 5M-line sample's first chunk has ~14,000-20,000 keys
    that meet ~500,000-700,000 (key, measure) pairs of their scope classes, of which ~7% are in
    force for the key's date and origin; joining every column first built ~300 MB to throw most
    of it away. Same rows, same order as that join and filter."""
    claims = [f"cond_{f}" for f in CLAIMS]
    pairs = (
        keys.select("class_id", "period_date", "origin", *CLAIMS)
        .with_row_index("_key_row")
        # in a defined order (key, then its class's measures): the money sums per key run in
        # this order, and a join free to reorder changed their last bits from run to run
        .join(class_mids, on="class_id", maintain_order="left_right")
        .join(
            t.measures.select("mid", "valid_from", "valid_to", *claims),
            on="mid",
            maintain_order="left",
        )
    )
    in_force = (pl.col("valid_from") <= pl.col("period_date")) & (
        pl.col("period_date") < pl.col("valid_to")
    )
    unclaimed = [pl.col(f"cond_{f}").fill_null(False) & ~pl.col(f) for f in CLAIMS]
    pairs = pairs.filter(in_force & ~pl.any_horizontal(unclaimed))
    # the origin test reads each measure's origin lists: judged once per distinct (measure,
    # origin), not per pair (copying the lists to every pair was most of the cost)
    origin_ok = (pl.col("origin_all") | pl.col("origin_inc").list.contains(pl.col("origin"))) & ~(
        pl.col("origin_exc").list.contains(pl.col("origin"))
    )
    allowed = (
        pairs.select("mid", "origin")
        .unique()
        .join(t.measures.select("mid", "origin_all", "origin_inc", "origin_exc"), on="mid")
        .filter(origin_ok)
        .select("mid", "origin")
    )
    kept = pairs.join(
        allowed, on=["mid", "origin"], how="semi", maintain_order="left", nulls_equal=True
    )
    at = t.measures.select("mid").with_row_index("_measure_row")
    kept = kept.select("_key_row", "mid", "partial").join(
        at, on="mid", how="left", maintain_order="left"
    )
    return pl.concat(
        [
            keys[kept["_key_row"]],
            kept.select("mid", "partial"),
            t.measures.drop("mid")[kept["_measure_row"]],
        ],
        how="horizontal",
    )


def _threshold_flag(cond: str, thresholds: tuple[float, ...], prefix: str) -> pl.Expr:
    """The key's boolean for the threshold this row's condition names."""
    expr = pl.when(pl.lit(False)).then(pl.lit(None, dtype=pl.Boolean))
    for i, value in enumerate(thresholds):
        expr = expr.when(pl.col(cond) == value).then(pl.col(f"{prefix}{i}"))
    return expr.otherwise(pl.lit(None, dtype=pl.Boolean))


def _condition_checks(t: MeasureTables) -> list[tuple[str, pl.Expr, pl.Expr]]:
    """(fact needed, condition present, condition holds) for every condition kind."""
    checks = [
        (f, pl.col(f"cond_{f}").is_not_null(), pl.col(f) == pl.col(f"cond_{f}")) for f in BOOL_FACTS
    ]
    metal_above = _threshold_flag("cond_metal_share_above", t.metal_thresholds, "metal_gt_")
    metal_most = _threshold_flag("cond_metal_share_at_most", t.metal_thresholds, "metal_gt_")
    below = _threshold_flag("cond_column1_below", t.column1_thresholds, "c1_lt_")
    at_least = _threshold_flag("cond_column1_at_least", t.column1_thresholds, "c1_lt_")
    checks += [
        ("hts_10_digit", pl.col("partial"), pl.lit(None, dtype=pl.Boolean)),
        ("metal_share", pl.col("cond_metal_share_above").is_not_null(), metal_above),
        ("metal_share", pl.col("cond_metal_share_at_most").is_not_null(), ~metal_most),
        ("quantity", pl.col("cond_column1_below").is_not_null(), below),
        ("quantity", pl.col("cond_column1_at_least").is_not_null(), ~at_least),
    ]
    return checks


def apply_conditions(cands: pl.DataFrame, t: MeasureTables) -> pl.DataFrame:
    """Status ``condition_failed`` / ``needs`` / ``applied`` and the list of missing facts.

    The missing facts of a row are first a bit mask (bit i: check i cannot be judged), and the
    few distinct masks become their lists once: building a list per row from two dozen columns
    (``concat_list``) cost 0.16 s on a first chunk's 56,000 candidates, the mask ~1 ms."""
    fails, unknown_bits, facts = [], [], []
    for i, (fact, present, holds) in enumerate(_condition_checks(t)):
        fails.append(present & holds.is_not_null() & ~holds)
        unknown = present & holds.is_null()
        if fact == "quantity" and "base_needs_id" in cands.columns:
            # a column-1 rate the code cannot give (a cross-reference, unread text) is named by
            # the base's own need; "quantity" only when a quantity would compute it
            unknown = unknown & (pl.col("base_needs_id") == 0)
        unknown_bits.append(pl.when(unknown).then(pl.lit(1 << i, dtype=pl.Int64)).otherwise(0))
        facts.append(fact)
    if len(facts) > 62:
        raise ValueError("more condition checks than bits in the unknown-facts mask")
    out = cands.with_columns(
        pl.any_horizontal(fails).alias("_failed"),
        pl.sum_horizontal(unknown_bits).alias("_unknown"),
    )
    masks = out["_unknown"].unique().sort()
    lists = [
        list(dict.fromkeys(f for i, f in enumerate(facts) if m >> i & 1)) for m in masks.to_list()
    ]
    named = pl.DataFrame(
        {"_unknown": masks, "needs": lists},
        schema={"_unknown": pl.Int64, "needs": pl.List(pl.Utf8)},
    )
    out = out.join(named, on="_unknown", how="left", maintain_order="left").drop("_unknown")
    status = (
        pl.when(pl.col("_failed"))
        .then(pl.lit("condition_failed"))
        .when(pl.col("needs").list.len() > 0)
        .then(pl.lit("needs"))
        .otherwise(pl.lit("applied"))
    )
    return out.with_columns(status.alias("status")).drop("_failed")


def apply_interactions(cands: pl.DataFrame, t: MeasureTables) -> pl.DataFrame:
    """Displacement and value splits, judged on the programmes in play before any drop."""
    live = cands.filter(pl.col("status") != "condition_failed")
    winners = live.select(
        "key_id",
        "period_date",
        pl.col("program").alias("winner"),
        pl.col("basis").alias("winner_basis"),
        pl.col("heading").alias("winner_heading"),
    ).join(t.rules, on="winner")
    winners = winners.filter(
        (pl.col("rule_from") <= pl.col("period_date")) & (pl.col("period_date") < pl.col("rule_to"))
    )
    drops = winners.filter(
        (pl.col("kind") == "displace")
        | ((pl.col("kind") == "split") & (pl.col("winner_basis") == "full_value"))
    )
    drops = (
        drops.sort("rule_id")
        .group_by(["key_id", "loser"])
        .agg(
            pl.col("rule_id").first().alias("displaced_by"),
            pl.col("winner_heading").first().alias("displaced_by_heading"),
            pl.col("declare").drop_nulls().first().alias("declare"),
            pl.col("rule_citation").first().alias("rule_citation"),
        )
    )
    splits = (
        winners.filter((pl.col("kind") == "split") & (pl.col("winner_basis") == "metal_content"))
        .sort("rule_id")
        .group_by(["key_id", "loser"])
        .agg(pl.col("rule_id").first().alias("split_by"))
    )
    # one row per (key, loser) on each side: join them to the two key columns, then stack the
    # found columns beside the candidates (joining the wide candidate rows copied them twice)
    on = {"left_on": ["key_id", "program"], "right_on": ["key_id", "loser"], "how": "left"}
    found = (
        cands.select("key_id", "program")
        .join(drops, **on, maintain_order="left")  # type: ignore[arg-type]
        .join(splits, **on, maintain_order="left")  # type: ignore[arg-type]
    )
    out = cands.hstack(found.drop("key_id", "program").get_columns())
    live_row = pl.col("status") != "condition_failed"
    return out.with_columns(
        pl.when(live_row & pl.col("displaced_by").is_not_null())
        .then(pl.lit("displaced"))
        .otherwise(pl.col("status"))
        .alias("status"),
        pl.when(pl.col("split_by").is_not_null() & (pl.col("basis") == "full_value"))
        .then(pl.lit("non_metal_value"))
        .otherwise(pl.col("basis"))
        .alias("final_basis"),
    )


def resolve(keys: pl.DataFrame, t: MeasureTables, class_mids: pl.DataFrame) -> pl.DataFrame:
    """Every candidate of every key with its status, final basis and missing facts."""
    cands = apply_interactions(apply_conditions(candidates(keys, t, class_mids), t), t)
    in_play = pl.col("status").is_in(["applied", "needs"])
    metal_basis = pl.col("final_basis").is_in(["metal_content", "non_metal_value"])
    # a per-unit amount (a specific rate, a minimum import price) needs the quantity
    specific = pl.col("rate_kind").is_in(["specific", "compound", "minimum_import_price"])
    extra = pl.concat_list(
        pl.when(in_play & metal_basis & ~pl.col("metal_known")).then(pl.lit("metal_share")),
        # named with the record's unit, as a column-1 specific rate's need is ("quantity:kg")
        pl.when(in_play & specific & ~pl.col("qty_known")).then(
            pl.concat_str([pl.lit("quantity:"), pl.col("specific_per")])
        ),
    ).list.drop_nulls()
    return cands.with_columns(
        pl.when(in_play)
        .then(pl.concat_list("needs", extra))
        .otherwise(pl.col("needs"))
        .list.unique(maintain_order=True)
        .alias("needs")
    )
