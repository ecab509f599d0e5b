"""AD/CVD deposits over a table of lines (반덤핑·상계관세, vectorised): the rule of ``adcvd.py``
as joins, so ten million declaration lines cost a few joins, not a Python call each.

lines (hts, origin, entry_date, customs_value, producer) ->
  + ``adcvd_cases`` (the orders that may cover the line, ";"-joined),
  + ``adcvd_deposit`` (null while a deposit is unknown), ``adcvd_needs`` (";"-joined).

Same steps as the one-line path, tested equal to it: orders by the 8-digit subheading and the
order date (Korean origin only); the producer's key (``producer_key`` in Polars) against each
order's named companies, else all-others; the rate in force on the entry date by a backward
as-of join; a missing producer or rate leaves the deposit null and names what is needed.
"""

from __future__ import annotations

from functools import lru_cache

import polars as pl

from tiro.tariff.broker.adcvd import _KO_FORMS, _SUFFIXES, load_orders

ALL_OTHERS = ""  # the company key of an order's all-others rate


def producer_keys(names: pl.Expr) -> pl.Expr:
    """``adcvd.producer_key`` as an expression over a column of names."""
    text = names.str.to_lowercase().str.replace_all(_KO_FORMS.pattern, " ")
    text = text.str.replace_all(r"[^\w&]+|_", " ")
    return text.str.replace_all("(?i)" + _SUFFIXES.pattern, " ").str.replace_all(r"\s+", "")


@lru_cache(maxsize=1)
def _tables() -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(order by subheading, named company keys, dated rates) of the shipped orders."""
    orders = load_orders()
    scope = pl.DataFrame(
        [(o.case, h[:8], o.order_date) for o in orders for h in sorted({h[:8] for h in o.hts})],
        schema={"case": pl.Utf8, "hts8": pl.Utf8, "order_date": pl.Date},
        orient="row",
    )
    keys = pl.DataFrame(
        [(o.case, k, c.name) for o in orders for c in o.companies for k in sorted(c.keys)],
        schema={"case": pl.Utf8, "key": pl.Utf8, "company": pl.Utf8},
        orient="row",
    )
    rates = pl.DataFrame(
        [(o.case, ALL_OTHERS, r.start, r.rate) for o in orders for r in o.all_others]
        + [(o.case, c.name, r.start, r.rate) for o in orders for c in o.companies for r in c.rates],
        schema={"case": pl.Utf8, "company": pl.Utf8, "rate_from": pl.Date, "rate": pl.Float64},
        orient="row",
    ).sort("rate_from")
    return scope, keys, rates


def adcvd_frame(lines: pl.DataFrame) -> pl.DataFrame:
    """``lines`` with ``adcvd_cases``, ``adcvd_deposit`` and ``adcvd_needs`` (module docstring).
    ``producer`` may be absent or null (the deposit then needs it).

    The orders, the producer's key and the rates depend only on (code, origin, date, producer):
    they are resolved once per distinct combination and reach the lines by one join; a line
    then costs ``round(value x rate, 2)`` per order, summed (as each order's deposit is)."""
    scope, keys, rates = _tables()
    given = ["hts", "origin", "entry_date", "producer"]
    frame = lines if "producer" in lines.columns else lines.with_columns(
        pl.lit(None, dtype=pl.Utf8).alias("producer")
    )  # fmt: skip
    day = (
        pl.col("entry_date").str.to_date("%Y-%m-%d")
        if frame.schema["entry_date"] == pl.Utf8
        else pl.col("entry_date").cast(pl.Date)
    )
    combos = (
        frame.select(given)
        .unique()
        .with_row_index("_combo")
        .with_columns(
            pl.col("hts").cast(pl.Utf8).str.replace_all(r"\D", "").str.slice(0, 8).alias("hts8"),
            day.alias("_day"),
            producer_keys(pl.col("producer").cast(pl.Utf8)).alias("_key"),
        )
    )
    hits = (
        combos.filter(pl.col("origin").cast(pl.Utf8).str.to_uppercase() == "KR")
        .select("_combo", "hts8", "_day", "_key")
        .join(scope, on="hts8", how="inner")
        .filter(pl.col("_day") >= pl.col("order_date"))
        .join(keys, left_on=["case", "_key"], right_on=["case", "key"], how="left")
        .with_columns(pl.col("company").fill_null(ALL_OTHERS))
        .sort("_day")
        .join_asof(
            rates,
            left_on="_day",
            right_on="rate_from",
            by=["case", "company"],
            strategy="backward",
            check_sortedness=False,  # both sides sorted above; by-groups stay in date order
        )
        .sort("_combo", "case")
    )
    need = (
        pl.when(pl.col("_key").is_null() | (pl.col("_key") == ""))
        .then(pl.lit("producer"))
        .when(pl.col("rate").is_null())
        .then(pl.lit("adcvd_rate:") + pl.col("case"))
    )
    width = max(1, hits.group_by("_combo").len()["len"].max() or 1)
    per_combo = hits.group_by("_combo").agg(
        pl.col("case").str.join(";").alias("adcvd_cases"),
        need.drop_nulls().unique().sort().str.join(";").alias("adcvd_needs"),
        need.is_not_null().any().alias("_unknown"),
        *[pl.col("rate").get(i, null_on_oob=True).alias(f"_r{i}") for i in range(width)],
    )
    resolved = combos.join(per_combo, on="_combo", how="left").select(
        *given,
        pl.col("adcvd_cases").fill_null(""),
        pl.col("adcvd_needs").fill_null(""),
        pl.col("_unknown").fill_null(False),
        *[pl.col(f"_r{i}") for i in range(width)],
    )
    value = pl.col("customs_value")
    deposit = pl.sum_horizontal(
        [(value * pl.col(f"_r{i}")).round(2).fill_null(0.0) for i in range(width)]
    )
    return (
        frame.join(resolved, on=given, how="left", nulls_equal=True, maintain_order="left")
        .with_columns(
            pl.when(pl.col("_unknown")).then(None).otherwise(deposit).alias("adcvd_deposit")
        )
        .drop("_unknown", *[f"_r{i}" for i in range(width)])
        .select(*lines.columns, "adcvd_cases", "adcvd_deposit", "adcvd_needs")
    )
