"""MOTIE's major export items (주력 수출 품목): the 15, the 20 from May 2026, and their figures.

An item is a set of MTI prefixes (MOTIE's own classification, 수출입 품목분류) — exact — or, when
only HS data is at hand, a set of HS headings that approximates it and is labelled so. MOTIE
says its item figures are "estimated with review by the item desks", so a published item row
(classification ``ITEM``) is preferred, then an MTI sum, then an HS approximation; every row
says which it is. Membership of the major set is a dated parameter (``trade.items.major_set``).
"""

from __future__ import annotations

import datetime as dt
from importlib import resources

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.core.parameters import ParameterTree

MAJOR_SET = "trade.items.major_set"
HS_PREFIX = "trade.items.hs_approx."
MTI_PREFIX = "trade.items.mti."
BASIS_LABEL = {"ITEM": "published item figure", "MTI": "MTI sum", "HS": "HS approximation"}


def item_definitions(on: dt.date, *, params: ParameterTree) -> pl.DataFrame:
    """Every item with its set membership on ``on`` and its MTI / HS prefix lists."""
    members = params.at(MAJOR_SET, on)
    rows = []
    for item, flag in members.items():
        hs = params.at(HS_PREFIX + item, on) if params.paths(HS_PREFIX + item) else None
        mti = params.at(MTI_PREFIX + item, on) if params.paths(MTI_PREFIX + item) else None
        rows.append({"item": item, "major": bool(flag), "mti": mti, "hs_approx": hs})
    frame = pl.DataFrame(
        rows,
        schema={
            "item": pl.Utf8,
            "major": pl.Boolean,
            "mti": pl.List(pl.Utf8),
            "hs_approx": pl.List(pl.Utf8),
        },
    )
    return frame.with_columns(set_size=pl.col("major").sum())


def _prefix_table(defs: pl.DataFrame) -> pl.DataFrame:
    """(item, classification, prefix, exclude) rows from the definitions."""
    parts = []
    for column, classification in (("mti", "MTI"), ("hs_approx", "HS")):
        part = (
            defs.select("item", prefix=pl.col(column))
            .explode("prefix")
            .drop_nulls("prefix")
            .with_columns(classification=pl.lit(classification))
        )
        parts.append(part)
    table = pl.concat(parts)
    return table.with_columns(
        exclude=pl.col("prefix").str.starts_with("-"),
        prefix=pl.col("prefix").str.strip_prefix("-"),
    )


def classify(codes: pl.DataFrame, *, on: dt.date, params: ParameterTree) -> pl.DataFrame:
    """Item of each (product, classification) code by its longest matching prefix.

    A cross join of codes with prefixes filtered by ``starts_with``: one pass, no row loop.
    Codes matching an item's exclusion ('-' prefix) fall out of that item.
    """
    prefixes = _prefix_table(item_definitions(on, params=params))
    pairs = codes.select("product", "classification").unique()
    matched = (
        pairs.join(prefixes, on="classification", how="inner")
        .filter(pl.col("product").str.starts_with(pl.col("prefix")))
        .with_columns(length=pl.col("prefix").str.len_chars())
    )
    excluded = matched.filter(pl.col("exclude")).select("product", "classification", "item")
    best = (
        matched.filter(~pl.col("exclude"))
        .join(excluded, on=["product", "classification", "item"], how="anti")
        .sort("length", descending=True)
        .group_by("product", "classification", maintain_order=True)
        .first()
        .select("product", "classification", "item")
    )
    return codes.join(best, on=["product", "classification"], how="left")


def load_korea_item_flows() -> pl.DataFrame:
    """Published item and total rows shipped with the trade-flow data (MOTIE/KCS releases)."""
    with resources.as_file(resources.files("tiro.data.trade") / "korea_flows.csv") as path:
        flows = pl.read_csv(path, comment_prefix="#", infer_schema_length=0)
    return flows.with_columns(
        pl.col("value_usd_bn").cast(pl.Float64), pl.col("reported_growth").cast(pl.Float64)
    )


VINTAGE_ORDER = {"flash_10": 1, "flash_20": 2, "provisional": 3, "confirmed": 4, "revised": 5}


def _latest_vintage(flows: pl.DataFrame) -> pl.DataFrame:
    """Keep each figure's most final vintage (flashes never stand in for a month)."""
    if "vintage" not in flows.columns:
        return flows
    key = ["period", "basis", "product", "classification", "flow"]
    ranked = flows.with_columns(_rank=pl.col("vintage").replace_strict(VINTAGE_ORDER, default=0))
    best = ranked.group_by(key).agg(pl.col("_rank").max())
    return ranked.join(best, on=[*key, "_rank"], how="semi").drop("_rank")


def item_figures(
    flows: pl.DataFrame, *, period: str, on: dt.date, params: ParameterTree
) -> pl.DataFrame:
    """Item exports for a period: value, growth, share of total, basis and approximation flag.

    ``flows`` has period, product, classification (ITEM, MTI or HS), flow, value_usd_bn, basis
    and optionally reported_growth. Growth is computed against the prior period when both are
    on file, else the growth the release printed is carried and labelled ``reported``.
    """
    if "reported_growth" not in flows.columns:
        flows = flows.with_columns(reported_growth=pl.lit(None, pl.Float64))
    exports = _latest_vintage(flows.filter(pl.col("flow") == "X"))
    if exports.filter(pl.col("period") == period).is_empty():
        raise InvalidInput(f"no export rows for {period}", field="period")
    coded = exports.filter(pl.col("classification").is_in(["MTI", "HS"]))
    coded = classify(coded, on=on, params=params).drop_nulls("item")
    published = exports.filter(pl.col("classification") == "ITEM").with_columns(
        item=pl.col("product")
    )
    cols = ["period", "basis", "classification", "item", "value_usd_bn", "reported_growth"]
    both = pl.concat([published.select(cols), coded.select(cols)])
    summed = both.group_by("period", "basis", "classification", "item").agg(
        value_usd_bn=pl.col("value_usd_bn").sum(),
        reported_growth=pl.col("reported_growth").first(),
    )
    prior = str(int(period[:4]) - 1) + period[4:]
    last = summed.filter(pl.col("period") == prior).select(
        "basis", "classification", "item", prior_value=pl.col("value_usd_bn")
    )
    totals = (
        exports.filter((pl.col("product") == "TOTAL") & (pl.col("period") == period))
        .group_by("basis")
        .agg(total_usd_bn=pl.col("value_usd_bn").first())
    )
    defs = item_definitions(on, params=params).select("item", "major", "set_size")
    return (
        summed.filter(pl.col("period") == period)
        .join(last, on=["basis", "classification", "item"], how="left")
        .join(totals, on="basis", how="left")
        .join(defs, on="item", how="left")
        .with_columns(
            growth=pl.coalesce(
                pl.col("value_usd_bn") / pl.col("prior_value") - 1, pl.col("reported_growth")
            ),
            growth_source=pl.when(pl.col("prior_value").is_not_null())
            .then(pl.lit("computed"))
            .when(pl.col("reported_growth").is_not_null())
            .then(pl.lit("reported")),
            share=pl.col("value_usd_bn") / pl.col("total_usd_bn"),
            approximate=pl.col("classification") == "HS",
            basis_label=pl.col("classification").replace_strict(BASIS_LABEL),
        )
        .sort("basis", "value_usd_bn", descending=[False, True])
    )
