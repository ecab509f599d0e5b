"""Declaration lines (수입신고 품목): the schema, declared once, and row-level validation.

Each column is declared with its type, whether it is required, its unit and what it means
(STYLE.md §8); the Polars casts, the bad-input checks and the docs come from this one table.
A bad row is never guessed at: it gets an ``error_field`` and ``error`` and goes to the error
file, while the good rows are priced.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import polars as pl


@dataclass(frozen=True)
class Column:
    """One declared input column."""

    name: str
    dtype: pl.DataType
    required: bool
    unit: str
    description: str


LINE_COLUMNS: tuple[Column, ...] = (
    Column("hts", pl.Utf8(), True, "", "HTS code, 8 or 10 digits (dots allowed)"),
    Column("origin", pl.Utf8(), True, "", "country of origin, ISO 3166-1 alpha-2"),
    Column("entry_date", pl.Date(), True, "", "date of entry for consumption (YYYY-MM-DD)"),
    Column("customs_value", pl.Float64(), True, "currency-USD", "customs value"),
    Column("quantity", pl.Float64(), False, "", "quantity, for specific rates"),
    Column("quantity_unit", pl.Utf8(), False, "", "unit of quantity (kg, t, liter, bbl, ...)"),
    Column("korus", pl.Boolean(), False, "", "KORUS preference claimed (default: yes for KR)"),
    Column("metal_share", pl.Float64(), False, "/1", "steel/aluminium/copper share of value"),
    Column("civil_aircraft", pl.Boolean(), False, "", "article of civil aircraft (default: yes)"),
    Column("advanced_chip", pl.Boolean(), False, "", "advanced computing chip (U.S. note 39)"),
    Column("pharma_patented", pl.Boolean(), False, "", "patented (not generic) pharmaceutical"),
    Column("listed_company", pl.Boolean(), False, "", "maker on the Procl. 11020 company list"),
)
COLUMN_NAMES = tuple(c.name for c in LINE_COLUMNS)
_DEFAULT_TRUE = ("civil_aircraft",)


@lru_cache(maxsize=1)
def iso_alpha2() -> pl.Series:
    """Assigned ISO 3166-1 alpha-2 codes (shipped from the IANA tz iso3166.tab)."""
    source = resources.files("tiro.data").joinpath("tariff/iso3166_alpha2.csv")
    with resources.as_file(source) as path:
        return pl.read_csv(path, comment_prefix="#")["code"]


def coerce_lines(df: pl.DataFrame) -> pl.DataFrame:
    """Cast every declared column (absent optional ones become null) and add ``line_id``.

    Bad casts become null and are caught by the checks; the original cells stay in ``_raw_*``
    (not cast: cheap) so only the bad rows pay for building a message."""
    from tiro.core.errors import InvalidInput

    for col in LINE_COLUMNS:
        if col.required and col.name not in df.columns:
            raise InvalidInput("required column is missing", field=col.name)
    exprs = []
    for col in LINE_COLUMNS:
        if col.name not in df.columns:
            exprs.append(pl.lit(None, dtype=col.dtype).alias(col.name))
            if col.name in _RAW_KEPT:
                exprs.append(pl.lit(None, dtype=pl.Utf8).alias(f"_raw_{col.name}"))
            continue
        source, kind = pl.col(col.name), df.schema[col.name]
        if kind == col.dtype:
            cast = source
        elif col.dtype == pl.Date() and kind in (pl.Utf8, pl.String):
            cast = source.str.strip_chars().str.strptime(pl.Date, "%Y-%m-%d", strict=False)
        elif col.dtype == pl.Boolean() and kind in (pl.Utf8, pl.String):
            text = source.str.strip_chars().str.to_lowercase()
            cast = (
                pl.when(text.is_in(["true", "1", "yes", "y", "t"]))
                .then(True)
                .when(text.is_in(["false", "0", "no", "n", "f"]))
                .then(False)
            )
        else:
            cast = source.cast(col.dtype, strict=False)
        exprs.append(cast.alias(col.name))
        if col.name in _RAW_KEPT:
            exprs.append(source.alias(f"_raw_{col.name}"))
    out = df.with_row_index("line_id").with_columns(exprs)
    return out.with_columns(*[pl.col(n).fill_null(True) for n in _DEFAULT_TRUE])


_RAW_KEPT = ("entry_date", "customs_value", "metal_share")


def _checks(first_date: dt.date) -> list[tuple[str, pl.Expr, pl.Expr]]:
    """(field, failed, message) in order; the first failing check names the row's error.

    Issue 3 "Bad input": malformed or unknown HTS code, origin not ISO alpha-2, missing or
    unparseable date, a date before the data, negative value, metal share outside [0, 1]."""
    raw = {n: pl.col(f"_raw_{n}").cast(pl.Utf8).fill_null("") for n in _RAW_KEPT}
    return [
        ("hts", pl.col("hts").is_null(), pl.lit("missing HTS code")),
        (
            "hts",
            ~pl.col("hts_ok"),
            pl.lit("malformed HTS code ") + pl.col("hts") + pl.lit(": need 8 or 10 digits"),
        ),
        (
            "hts",
            ~pl.col("hts_known"),
            pl.lit("unknown HTS code ")
            + pl.col("hts")
            + pl.lit(" (not in the loaded HTS rate table)"),
        ),
        (
            "origin",
            ~pl.col("origin_ok"),
            pl.lit("not an ISO 3166-1 alpha-2 country code: ") + pl.col("origin").fill_null(""),
        ),
        (
            "entry_date",
            pl.col("entry_date").is_null(),
            pl.lit("not a date (YYYY-MM-DD): ") + raw["entry_date"],
        ),
        (
            "entry_date",
            pl.col("entry_date") < pl.lit(first_date),
            pl.lit(f"before the data (the first measure starts {first_date})"),
        ),
        (
            "customs_value",
            pl.col("customs_value").is_null(),
            pl.lit("not a number: ") + raw["customs_value"],
        ),
        ("customs_value", pl.col("customs_value") < 0, pl.lit("must not be negative")),
        (
            "metal_share",
            pl.col("metal_share").is_null() & pl.col("_raw_metal_share").is_not_null(),
            pl.lit("not a number: ") + raw["metal_share"],
        ),
        (
            "metal_share",
            (pl.col("metal_share") < 0) | (pl.col("metal_share") > 1),
            pl.lit("must be within [0, 1]"),
        ),
        ("quantity", pl.col("quantity") < 0, pl.lit("must not be negative")),
    ]


def split_errors(lines: pl.DataFrame, first_date: dt.date) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(good rows, bad rows with ``error_field`` and ``error``); needs ``hts_ok``,
    ``hts_known`` and ``origin_ok`` from the code table. Messages are built for bad rows only."""
    if "_raw_metal_share" not in lines.columns:
        lines = lines.with_columns(pl.lit(None, dtype=pl.Utf8).alias("_raw_metal_share"))
    checks = _checks(first_date)
    code = pl.when(checks[0][1].fill_null(False)).then(pl.lit(0, dtype=pl.UInt8))
    for i, (_, failed, _) in enumerate(checks[1:], start=1):
        code = code.when(failed.fill_null(False)).then(pl.lit(i, dtype=pl.UInt8))
    marked = lines.with_columns(code.otherwise(pl.lit(None, dtype=pl.UInt8)).alias("_error_code"))
    bad = marked.filter(pl.col("_error_code").is_not_null())
    field = pl.when(pl.lit(False)).then(pl.lit(None, dtype=pl.Utf8))
    message = pl.when(pl.lit(False)).then(pl.lit(None, dtype=pl.Utf8))
    for i, (name, _, text) in enumerate(checks):
        field = field.when(pl.col("_error_code") == i).then(pl.lit(name))
        message = message.when(pl.col("_error_code") == i).then(text)
    bad = bad.with_columns(field.alias("error_field"), message.alias("error"))
    good = marked.filter(pl.col("_error_code").is_null())
    drop = [c for c in good.columns if c.startswith("_raw_") or c == "_error_code"]
    return good.drop(drop), bad.drop([c for c in drop if c in bad.columns])
