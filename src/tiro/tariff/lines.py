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


def _coerce(df: pl.DataFrame) -> pl.DataFrame:
    """Cast every declared column (adding absent optional ones as null); bad casts become null
    and are caught by the checks, the raw text kept in ``_raw_*`` for the message."""
    exprs = []
    for col in LINE_COLUMNS:
        if col.name not in df.columns:
            exprs.append(pl.lit(None, dtype=col.dtype).alias(col.name))
            exprs.append(pl.lit(None, dtype=pl.Utf8).alias(f"_raw_{col.name}"))
            continue
        source = pl.col(col.name)
        if col.dtype == pl.Date() and df.schema[col.name] in (pl.Utf8, pl.String):
            cast = source.str.strip_chars().str.strptime(pl.Date, "%Y-%m-%d", strict=False)
        elif col.dtype == pl.Boolean() and df.schema[col.name] in (pl.Utf8, pl.String):
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
        if col.name in ("entry_date", "customs_value", "metal_share", "hts"):
            exprs.append(source.cast(pl.Utf8).alias(f"_raw_{col.name}"))
    out = df.with_columns(exprs)
    return out.with_columns(
        pl.col("hts").str.replace_all(r"[.\s]", "").alias("hts_digits"),
        pl.col("origin").str.strip_chars().str.to_uppercase().alias("origin"),
        *[pl.col(n).fill_null(True) for n in _DEFAULT_TRUE],
    )


def validate_lines(df: pl.DataFrame, first_date: dt.date) -> pl.DataFrame:
    """Coerce and check every row; adds ``line_id``, ``hts_digits``, ``error_field``, ``error``.

    Checks (issue 3, "Bad input"): malformed HTS code, origin not ISO alpha-2, missing or
    unparseable date, a date before the data, negative or missing value, metal share outside
    [0, 1], negative quantity. Unknown HTS codes are found later against the rate table.
    """
    for col in LINE_COLUMNS:
        if col.required and col.name not in df.columns:
            from tiro.core.errors import InvalidInput

            raise InvalidInput("required column is missing", field=col.name)
    out = _coerce(df.with_row_index("line_id"))
    hts_ok = pl.col("hts_digits").str.contains(r"^(\d{8}|\d{10})$")
    checks = [
        ("hts", pl.col("hts").is_null(), pl.lit("missing HTS code")),
        (
            "hts",
            ~hts_ok,
            pl.lit("malformed HTS code ")
            + pl.col("_raw_hts").fill_null("")
            + pl.lit(": need 8 or 10 digits"),
        ),
        (
            "origin",
            ~pl.col("origin").is_in(iso_alpha2().implode()) | pl.col("origin").is_null(),
            pl.lit("not an ISO 3166-1 alpha-2 country code: ") + pl.col("origin").fill_null(""),
        ),
        (
            "entry_date",
            pl.col("entry_date").is_null(),
            pl.lit("not a date (YYYY-MM-DD): ") + pl.col("_raw_entry_date").fill_null(""),
        ),
        (
            "entry_date",
            pl.col("entry_date") < pl.lit(first_date),
            pl.lit(f"before the data (the first measure starts {first_date})"),
        ),
        (
            "customs_value",
            pl.col("customs_value").is_null(),
            pl.lit("not a number: ") + pl.col("_raw_customs_value").fill_null(""),
        ),
        ("customs_value", pl.col("customs_value") < 0, pl.lit("must not be negative")),
        (
            "metal_share",
            pl.col("metal_share").is_null() & pl.col("_raw_metal_share").is_not_null(),
            pl.lit("not a number: ") + pl.col("_raw_metal_share"),
        ),
        (
            "metal_share",
            (pl.col("metal_share") < 0) | (pl.col("metal_share") > 1),
            pl.lit("must be within [0, 1]"),
        ),
        ("quantity", pl.col("quantity") < 0, pl.lit("must not be negative")),
    ]
    field_expr = pl.when(checks[0][1]).then(pl.lit(checks[0][0]))
    message_expr = pl.when(checks[0][1]).then(checks[0][2])
    for name, failed, message in checks[1:]:
        field_expr = field_expr.when(failed).then(pl.lit(name))
        message_expr = message_expr.when(failed).then(message)
    out = out.with_columns(
        field_expr.otherwise(pl.lit(None, dtype=pl.Utf8)).alias("error_field"),
        message_expr.otherwise(pl.lit(None, dtype=pl.Utf8)).alias("error"),
    )
    return out.drop([c for c in out.columns if c.startswith("_raw_")])
