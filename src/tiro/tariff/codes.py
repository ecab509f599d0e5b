"""Per-code facts, computed once per distinct HTS code and joined to the lines in one pass.

A declaration file has millions of lines but a few thousand distinct codes. For each distinct
(HTS text, KORUS claim in effect) this module computes: the digits, whether they are a well-formed
8/10-digit code, the column-1 rate from ``tiro.tariff.hts_rates.base_rates`` (기본세율), and the
code's *scope class* — the set of measure records whose HTS scope covers it. Codes with the same
scope class are priced alike by the measure logic, so the engine resolves measures per class.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from tiro.tariff.hts_rates import base_rates
from tiro.tariff.lines import iso_alpha2
from tiro.tariff.measure_tables import MeasureTables

RATE_COLUMNS = (
    "hts_matched",
    "column1_rate_text",
    "column1_source",
    "base_ad_valorem",
    "base_specific_usd",
    "base_specific_unit",
)


def scope_pairs(digits: pl.DataFrame, t: MeasureTables) -> pl.DataFrame:
    """(hts_digits, mid, partial) for every measure whose include prefixes cover a code, minus
    excludes. ``partial`` marks an 8-digit code under a 10-digit scope line: whether the measure
    applies depends on the statistical suffix, which the line did not give (a ``needs``)."""
    found, dropped = [], []
    for plen in t.scope["plen"].unique().to_list():
        side = t.scope.filter(pl.col("plen") == plen)
        joined = digits.with_columns(pl.col("hts_digits").str.slice(0, plen).alias("prefix")).join(
            side, on="prefix"
        )
        found.append(joined.filter(~pl.col("exclude")).select("hts_digits", "mid", partial=False))
        dropped.append(joined.filter(pl.col("exclude")).select("hts_digits", "mid"))
    long = t.scope.filter((pl.col("plen") > 8) & ~pl.col("exclude"))
    short = digits.filter(pl.col("hts_digits").str.len_chars() == 8)
    found.append(
        short.join(
            long.with_columns(pl.col("prefix").str.slice(0, 8).alias("hts_digits")), on="hts_digits"
        ).select("hts_digits", "mid", partial=True)
    )
    pairs = pl.concat(found).group_by("hts_digits", "mid").agg(pl.col("partial").all())
    return pairs.join(pl.concat(dropped), on=["hts_digits", "mid"], how="anti")


def scope_classes(digits: pl.DataFrame, t: MeasureTables) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(codes with ``class_id``, class -> (mid, partial) pairs). Codes covered by no measure
    share a class."""
    pairs = scope_pairs(digits, t)
    signature = pairs.group_by("hts_digits").agg(
        (
            pl.col("mid").cast(pl.Utf8)
            + pl.when(pl.col("partial")).then(pl.lit("p")).otherwise(pl.lit(""))
        )
        .sort()
        .str.join(",")
        .alias("signature")
    )
    codes = digits.join(signature, on="hts_digits", how="left").with_columns(
        pl.col("signature").fill_null("")
    )
    classes = codes.select("signature").unique(maintain_order=True).with_row_index("class_id")
    codes = codes.join(classes, on="signature").drop("signature")
    class_mids = codes.join(pairs, on="hts_digits").select("class_id", "mid", "partial").unique()
    return codes.select("hts_digits", pl.col("class_id").cast(pl.UInt32)), class_mids


def code_table(distinct: pl.DataFrame, t: MeasureTables) -> tuple[pl.DataFrame, pl.DataFrame]:
    """For distinct (``hts``, ``korus_eff``): digits, validity, rate columns, ``class_id``.

    Returns the table and the class -> mid pairs. ``hts_known`` is false for a well-formed code
    that has no rate line in the loaded HTS table (an unknown code, an error for the line).
    """
    table = distinct.with_columns(pl.col("hts").str.replace_all(r"[.\s]", "").alias("hts_digits"))
    table = table.with_columns(
        pl.col("hts_digits").str.contains(r"^(\d{8}|\d{10})$").fill_null(False).alias("hts_ok")
    )
    pairs = table.select("hts_digits", "korus_eff").unique()
    rated = base_rates(
        pairs.with_columns(
            pl.col("hts_digits").alias("hts"),
            pl.when(pl.col("korus_eff")).then(pl.lit("KR")).otherwise(pl.lit("ZZ")).alias("origin"),
            pl.lit(1.0).alias("customs_value"),
        ),
        korus_claimed_col="korus_eff",
    ).select("hts_digits", "korus_eff", *RATE_COLUMNS, pl.col("base_needs").alias("static_needs"))
    table = table.join(rated, on=["hts_digits", "korus_eff"], how="left")
    table = table.with_columns(
        (pl.col("hts_ok") & pl.col("hts_matched").is_not_null()).alias("hts_known")
    )
    codes, class_mids = scope_classes(table.select("hts_digits").unique(), t)
    return table.join(codes, on="hts_digits", how="left"), class_mids


def specific_base_rates(lines: pl.DataFrame) -> pl.DataFrame:
    """AVE of rates with a specific part, line by line (quantity and value matter): ``line_id``,
    ``base_rate``, ``base_needs`` for the few lines that have one."""
    subset = lines.filter(pl.col("base_specific_usd").is_not_null())
    if subset.height == 0:
        return pl.DataFrame(
            schema={"line_id": pl.UInt32, "base_rate": pl.Float64, "base_needs": pl.Utf8}
        )
    return base_rates(
        subset.select(
            "line_id",
            pl.col("hts_digits").alias("hts"),
            "korus_eff",
            pl.when(pl.col("korus_eff")).then(pl.lit("KR")).otherwise(pl.lit("ZZ")).alias("origin"),
            "customs_value",
            "quantity",
            "quantity_unit",
        ),
        korus_claimed_col="korus_eff",
    ).select("line_id", "base_rate", "base_needs")


def origins() -> pl.DataFrame:
    """ISO 3166-1 alpha-2 codes with a small integer id (for the packed pricing key)."""
    codes = iso_alpha2()
    return pl.DataFrame({"origin": codes, "origin_id": np.arange(len(codes), dtype=np.uint64)})


def line_facts(coerced: pl.DataFrame, t: MeasureTables) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Everything that depends only on (HTS text, origin text, KORUS claim), computed on the
    distinct triples: normalised origin and its id, KORUS in effect, the code table."""
    distinct = coerced.select("hts", "origin", "korus").unique()
    distinct = distinct.with_columns(
        pl.col("origin").str.strip_chars().str.to_uppercase().alias("origin_norm")
    ).join(origins().rename({"origin": "origin_norm"}), on="origin_norm", how="left")
    distinct = distinct.with_columns(
        (pl.col("korus").fill_null(True) & (pl.col("origin_norm") == "KR")).alias("korus_eff"),
        pl.col("origin_id").is_not_null().alias("origin_ok"),
    )
    codes, class_mids = code_table(distinct.select("hts", "korus_eff").unique(), t)
    table = distinct.join(codes, on=["hts", "korus_eff"], how="left", nulls_equal=True)
    filled = table.with_columns(
        pl.col("hts_ok").fill_null(False), pl.col("hts_known").fill_null(False)
    )
    return filled, class_mids


def gather_facts(coerced: pl.DataFrame, facts: pl.DataFrame) -> pl.DataFrame:
    """Attach the per-triple facts to every line: join only a row number, then gather columns
    (cheaper than carrying a dozen columns through a three-key join of millions of rows)."""
    on = ["hts", "origin", "korus"]
    numbered = facts.with_row_index("_fact")
    index = coerced.select(on).join(
        numbered.select(*on, "_fact"), on=on, how="left", nulls_equal=True, maintain_order="left"
    )["_fact"]
    extra = [c for c in facts.columns if c not in on]
    return coerced.with_columns([numbered[c].gather(index) for c in extra])
