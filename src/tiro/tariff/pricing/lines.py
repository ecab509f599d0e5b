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

from tiro.core.validation import MAX_MAGNITUDE


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
    Column("civil_aircraft", pl.Boolean(), False, "", "article of civil aircraft (blank: yes)"),
    Column("advanced_chip", pl.Boolean(), False, "", "advanced computing chip (U.S. note 39)"),
    Column("pharma_patented", pl.Boolean(), False, "", "patented (not generic) pharmaceutical"),
    Column("listed_company", pl.Boolean(), False, "", "maker on the Procl. 11020 company list"),
    Column("vehicle_part", pl.Boolean(), False, "", "a part of a passenger vehicle/light truck"),
    Column("civil_aircraft_use", pl.Boolean(), False, "", "for use in civil aircraft (claimed)"),
    Column("pharma_use", pl.Boolean(), False, "", "for pharmaceutical use (claimed)"),
    Column("auto_parts_certified", pl.Boolean(), False, "", "certified for US auto production"),
    Column("mhdv_parts_certified", pl.Boolean(), False, "", "certified for US truck production"),
    Column("uas_use", pl.Boolean(), False, "", "for use with unmanned aircraft (note 43)"),
    Column(
        "uas_thermal_imaging", pl.Boolean(), False, "", "unmanned aircraft with thermal imaging"
    ),
    Column(
        "uas_allied_components", pl.Boolean(), False, "", "UAS critical parts US/allied (43(d))"
    ),
    Column("mip_documented", pl.Boolean(), False, "", "MIP sale documentation filed at entry"),
    Column("usmca", pl.Boolean(), False, "", "CA/MX good entered free under USMCA (GN 11)"),
    # what a broker pays besides duty (batch --columns mpf,hmf,adcvd_*; batch/broker_columns.py)
    Column("mode", pl.Utf8(), False, "", "transport mode: ocean, air, truck, rail, mail (HMF)"),
    Column("producer", pl.Utf8(), False, "", "producer/exporter named in AD/CVD orders"),
    Column("entry_id", pl.Utf8(), False, "", "entry number: lines of one entry share its MPF"),
)
COLUMN_NAMES = tuple(c.name for c in LINE_COLUMNS)


@lru_cache(maxsize=1)
def iso_alpha2() -> pl.Series:
    """Assigned ISO 3166-1 alpha-2 codes (shipped from the IANA tz iso3166.tab)."""
    source = resources.files("tiro.data").joinpath("tariff/iso3166_alpha2.csv")
    with resources.as_file(source) as path:
        return pl.read_csv(path, comment_prefix="#")["code"]


def coerce_lines(df: pl.DataFrame, *, offset: int = 0) -> pl.DataFrame:
    """Cast every declared column present and add ``line_id`` (row number + ``offset``).

    Absent optional columns stay absent until ``with_defaults`` (after the row checks, so the
    checks copy less; a batch writes back only the columns it was given). HTS and origin may
    arrive as categorical (a Parquet dictionary column) and stay so. Bad casts become null and are caught by the checks; the
    original cells stay in ``_raw_*`` (not cast: cheap) so only bad rows pay for a message."""
    from tiro.core.errors import InvalidInput

    for col in LINE_COLUMNS:
        if col.required and col.name not in df.columns:
            raise InvalidInput("required column is missing", field=col.name)
        if col.name in df.columns and df.schema[col.name].is_nested():
            raise InvalidInput(
                f"a {df.schema[col.name]} column cannot hold {col.description}", field=col.name
            )
    exprs = []
    for col in LINE_COLUMNS:
        if col.name not in df.columns:
            continue
        source, kind = pl.col(col.name), df.schema[col.name]
        if kind == col.dtype or (
            col.dtype == pl.Utf8() and isinstance(kind, pl.Categorical | pl.Enum)
        ):
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
        if col.name in _RAW_KEPT and kind != col.dtype:
            exprs.append(source.alias(f"_raw_{col.name}"))
    return df.select(
        pl.int_range(offset, offset + df.height, dtype=pl.Int64).alias("line_id"), *exprs
    )


def with_defaults(lines: pl.DataFrame) -> pl.DataFrame:
    """Absent optional columns as typed nulls (the engine's expressions read every column)."""
    missing = [
        pl.lit(None, dtype=c.dtype).alias(c.name)
        for c in LINE_COLUMNS
        if c.name not in lines.columns
    ]
    return lines.with_columns(missing) if missing else lines


_RAW_KEPT = ("entry_date", "customs_value", "metal_share", "quantity")


def _not_finite(name: str) -> pl.Expr:
    """NaN, an infinity or a magnitude no declaration can have (``MAX_MAGNITUDE``): such a
    value would price to NaN or to nonsense, so the row is an error, not "priced" (issue 9)."""
    col = pl.col(name)
    return col.is_nan() | col.is_infinite() | (col.abs() > MAX_MAGNITUDE)


def _checks(first_date: dt.date, columns: list[str]) -> list[tuple[str, pl.Expr, pl.Expr]]:
    """(field, failed, message) in order; the first failing check names the row's error.

    Issue 3 "Bad input": malformed or unknown HTS code, origin not ISO alpha-2, missing or
    unparseable date, a date before the data, negative value, metal share outside [0, 1].
    ``code_error`` (1 missing, 2 malformed, 3 unknown) and ``origin_ok`` come from the per-code
    and per-origin tables (``tiro.tariff.pricing.codes``)."""
    raw = {
        n: pl.col(f"_raw_{n}" if f"_raw_{n}" in columns else n).cast(pl.Utf8).fill_null("")
        for n in _RAW_KEPT
        if n in columns
    }
    raw.setdefault("metal_share", pl.lit(""))
    raw.setdefault("quantity", pl.lit(""))
    hts = pl.col("hts").cast(pl.Utf8)

    def unparsed(name: str) -> pl.Expr:
        raw_name = f"_raw_{name}"
        if raw_name not in columns:
            return pl.lit(False)
        blank = pl.col(raw_name).cast(pl.Utf8).str.strip_chars().fill_null("") == ""
        return pl.col(name).is_null() & ~blank

    unparsed_share = unparsed("metal_share")
    checks = [
        ("hts", pl.col("code_error") == 1, pl.lit("missing HTS code")),
        (
            "hts",
            pl.col("code_error") == 2,
            pl.lit("malformed HTS code ") + hts + pl.lit(": need 8 or 10 digits"),
        ),
        (
            "hts",
            pl.col("code_error") == 3,
            pl.lit("unknown HTS code ") + hts + pl.lit(" (not in the loaded HTS rate table)"),
        ),
        (
            "hts",
            pl.col("code_error") == 4,
            pl.lit("invalid statistical suffix in HTS code ")
            + hts
            + pl.lit(
                ": its 8-digit subheading exists, but this 10-digit line is not in the HTS "
                "revision tiro reads for the entry date (a suffix created by a revision tiro "
                "could not read in full is refused too: docs/tariff-hts.md)"
            ),
        ),
        (
            "origin",
            ~pl.col("origin_ok"),
            pl.lit("not an ISO 3166-1 alpha-2 country code: ")
            + pl.col("_raw_origin").cast(pl.Utf8).fill_null(""),
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
        (
            "customs_value",
            _not_finite("customs_value"),
            pl.lit("not a finite number of plausible size: ") + raw["customs_value"],
        ),
        ("customs_value", pl.col("customs_value") < 0, pl.lit("must not be negative")),
        ("metal_share", unparsed_share, pl.lit("not a number: ") + raw["metal_share"]),
        (
            "metal_share",
            pl.col("metal_share").is_nan() | pl.col("metal_share").is_infinite(),
            pl.lit("not a finite number: ") + raw["metal_share"],
        ),
        (
            "metal_share",
            (pl.col("metal_share") < 0) | (pl.col("metal_share") > 1),
            pl.lit("must be within [0, 1]"),
        ),
        ("quantity", unparsed("quantity"), pl.lit("not a number: ") + raw["quantity"]),
        (
            "quantity",
            _not_finite("quantity"),
            pl.lit("not a finite number of plausible size: ") + raw["quantity"],
        ),
        ("quantity", pl.col("quantity") < 0, pl.lit("must not be negative")),
    ]
    if "mode" in columns:
        from tiro.tariff.broker.fees import MODES

        mode = pl.col("mode").cast(pl.Utf8).str.strip_chars().str.to_lowercase()
        checks.append(
            (
                "mode",
                ~mode.is_in(MODES) & (mode != ""),
                pl.lit("unknown transport mode ")
                + pl.col("mode").cast(pl.Utf8)
                + pl.lit(f"; known: {', '.join(MODES)}"),
            )
        )
    optional = {"metal_share", "quantity"} - set(columns)
    return [(f, failed, text) for f, failed, text in checks if f not in optional]


CHECK_COLUMNS = ("code_error", "origin_ok", "_raw_origin")
"""Columns only the checks read (from ``tiro.tariff.pricing.codes``); good rows are copied without them."""


def split_errors(lines: pl.DataFrame, first_date: dt.date) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(good rows, bad rows with ``error_field`` and ``error``). Which check failed and the
    message are worked out for the bad rows only, and a file without bad rows is not copied."""
    checks = _checks(first_date, lines.columns)
    failed = lines.select(pl.any_horizontal([f.fill_null(False) for _, f, _ in checks]))
    failed = failed.to_series()
    drop = [c for c in lines.columns if c.startswith("_raw_") or c in CHECK_COLUMNS]
    good = lines.drop(drop)
    if not failed.any():
        empty = pl.DataFrame(schema={"error_field": pl.Utf8, "error": pl.Utf8})
        return good, pl.concat([good.head(0), empty], how="horizontal")
    code = pl.when(checks[0][1].fill_null(False)).then(pl.lit(0, dtype=pl.UInt8))
    for i, (_, fails, _) in enumerate(checks[1:], start=1):
        code = code.when(fails.fill_null(False)).then(pl.lit(i, dtype=pl.UInt8))
    bad = lines.filter(failed).with_columns(code.alias("_error_code"))
    field = pl.when(pl.lit(False)).then(pl.lit(None, dtype=pl.Utf8))
    message = pl.when(pl.lit(False)).then(pl.lit(None, dtype=pl.Utf8))
    for i, (name, _, text) in enumerate(checks):
        field = field.when(pl.col("_error_code") == i).then(pl.lit(name))
        message = message.when(pl.col("_error_code") == i).then(text)
    bad = bad.with_columns(
        field.alias("error_field"),
        message.alias("error"),
        pl.col("_raw_origin").cast(pl.Utf8).alias("origin"),
    )
    return good.filter(~failed), bad.drop([*drop, "_error_code"])
