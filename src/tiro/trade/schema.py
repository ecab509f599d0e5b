"""The trade-flow record, declared once (STYLE §8): columns, types, units, meaning.

A flow is one statistic: what a reporter exported to (X) or imported from (M) a partner in a
product during a period, as one release (vintage) of one source published it. Vintages are
kept side by side, never overwritten: KCS flashes for days 1–10 and 1–20 (10일/20일 잠정),
MOTIE's provisional month on the 1st (수출입동향), KCS confirmed figures around the 15th
(확정치), and later revisions. ``B`` rows are a source's own stated balance (무역수지), kept so
the identity check can flag sources whose balance is not exports − imports.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.trade.codes import iso3_codes, product_code_problem


@dataclass(frozen=True)
class Column:
    """One column of the flow table."""

    name: str
    dtype: pl.DataType
    unit: str
    description: str
    required: bool = True


FLOW_COLUMNS: tuple[Column, ...] = (
    Column("period", pl.String(), "code", "YYYY (year) or YYYY-MM (month)"),
    Column("reporter", pl.String(), "code", "ISO 3166-1 alpha-3 of the reporting country"),
    Column("partner", pl.String(), "code", "ISO alpha-3, WLD (world) or a partner-group code"),
    Column("product", pl.String(), "code", "HS/MTI code, major-item key, or TOTAL"),
    Column("classification", pl.String(), "code", "HS, MTI or ITEM (MOTIE major items)"),
    Column("flow", pl.String(), "code", "X exports (FOB), M imports (CIF), B stated balance"),
    Column("value", pl.Float64(), "currency-USD", "trade value in US dollars"),
    Column("quantity", pl.Float64(), "count", "quantity in the source's unit", False),
    Column("weight_kg", pl.Float64(), "kg", "net weight in kilograms", False),
    Column("vintage", pl.String(), "code", "flash_10, flash_20, provisional, confirmed, revised"),
    Column("release_date", pl.Date(), "date", "day the source published this figure"),
    Column("basis", pl.String(), "code", "MOTIE, KCS, COMTRADE, REPORT or USER"),
    Column("source", pl.String(), "code", "title or URL of the publication", False),
    Column("derived", pl.Boolean(), "bool", "true when back-solved, not published", False),
)
SCHEMA: dict[str, pl.DataType] = {c.name: c.dtype for c in FLOW_COLUMNS}
KEY = ("period", "reporter", "partner", "product", "classification", "basis", "flow")
VINTAGE_RANK = {"flash_10": 1, "flash_20": 2, "provisional": 3, "confirmed": 4, "revised": 5}
FLASH_VINTAGES = ("flash_10", "flash_20")
FLOWS = ("X", "M", "B")
BASES = ("MOTIE", "KCS", "COMTRADE", "REPORT", "USER")
PERIOD_RE = r"^\d{4}(-(0[1-9]|1[0-2]))?$"
_PERIOD = re.compile(PERIOD_RE)


def parse_period(text: str, *, field: str = "period") -> tuple[int, int | None]:
    """``YYYY`` -> (year, None); ``YYYY-MM`` -> (year, month); anything else is an error."""
    if not isinstance(text, str) or not _PERIOD.match(text):
        raise InvalidInput(f"{text!r} is not a period (YYYY or YYYY-MM)", field=field)
    year, _, month = text.partition("-")
    return int(year), int(month) if month else None


def period_end(text: str) -> dt.date:
    """Last day of a period: the date a partner-group membership is read at."""
    year, month = parse_period(text)
    if month is None:
        return dt.date(year, 12, 31)
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def conform(frame: pl.DataFrame, *, defaults: dict[str, object] | None = None) -> pl.DataFrame:
    """Add missing optional columns (nulls or ``defaults``) and cast to the declared types."""
    defaults = defaults or {}
    if "row" not in frame.columns:
        frame = frame.with_row_index("row", offset=1)
    exprs = []
    for col in FLOW_COLUMNS:
        if col.name in frame.columns:
            exprs.append(pl.col(col.name).cast(col.dtype, strict=False).alias(col.name))
        elif col.name in defaults:
            exprs.append(pl.lit(defaults[col.name]).cast(col.dtype).alias(col.name))
        elif not col.required:
            fill = False if col.name == "derived" else None
            exprs.append(pl.lit(fill).cast(col.dtype).alias(col.name))
        else:
            raise InvalidInput("missing required column", field=col.name)
    return frame.select(pl.col("row").cast(pl.Int64), *exprs)


def _first_bad(frame: pl.DataFrame, mask: pl.Expr, column: str, reason: str) -> None:
    bad = frame.filter(mask)
    if bad.height:
        row = bad.row(0, named=True)
        raise InvalidInput(
            f"row {row['row']}: {row.get(column)!r} {reason} ({bad.height} row(s) affected)",
            field=column,
        )


def validate(frame: pl.DataFrame, *, raw: pl.DataFrame | None = None) -> pl.DataFrame:
    """Check every rule on a conformed batch; raise on the first broken one, naming the row.

    ``raw`` is the frame before casting, so a value that failed to parse ("12x") is reported
    as unparseable rather than missing. Rules: periods are YYYY or YYYY-MM; reporters and
    partners are known codes; product codes fit their classification; flows are X/M/B;
    values are present and not negative (a stated balance may be negative); vintages and
    bases are from the declared sets; no two rows share a key within one vintage and release.
    """
    if raw is not None:
        for name in ("value", "release_date"):
            if name in raw.columns:
                lost = pl.col(name).is_null() & pl.col(f"_raw_{name}").is_not_null()
                probe = frame.with_columns(raw[name].cast(pl.String).alias(f"_raw_{name}"))
                _first_bad(probe, lost, name, "cannot be read as a number/date")
    _first_bad(
        frame,
        pl.col("period").is_null() | ~pl.col("period").str.contains(PERIOD_RE),
        "period",
        "is not a period (YYYY or YYYY-MM)",
    )
    codes = list(iso3_codes())
    _first_bad(
        frame, ~pl.col("reporter").is_in(codes), "reporter", "is not an ISO 3166-1 alpha-3 code"
    )
    groups = list(_group_codes())
    _first_bad(
        frame,
        ~pl.col("partner").is_in(codes + groups),
        "partner",
        "is not an ISO alpha-3 code, WLD or a partner-group code",
    )
    _first_bad(frame, ~pl.col("flow").is_in(FLOWS), "flow", "is not X, M or B")
    _first_bad(frame, pl.col("value").is_null(), "value", "is missing")
    _first_bad(
        frame,
        (pl.col("value") < 0) & (pl.col("flow") != "B"),
        "value",
        "is negative (trade values are >= 0)",
    )
    _first_bad(
        frame,
        ~pl.col("vintage").is_in(list(VINTAGE_RANK)),
        "vintage",
        "is not one of " + ", ".join(VINTAGE_RANK),
    )
    _first_bad(frame, ~pl.col("basis").is_in(BASES), "basis", "is not one of " + ", ".join(BASES))
    _first_bad(frame, pl.col("release_date").is_null(), "release_date", "is missing")
    for name in ("quantity", "weight_kg"):
        _first_bad(frame, pl.col(name) < 0, name, "is negative")
    pairs = frame.select("product", "classification").unique()
    problems = [
        (p, c, product_code_problem(p, c)) for p, c in pairs.iter_rows()
    ]  # one check per distinct code, not per row
    bad_pairs = [(p, c) for p, c, why in problems if why]
    if bad_pairs:
        p, c = bad_pairs[0]
        rows = frame.filter((pl.col("product") == p) & (pl.col("classification") == c))
        raise InvalidInput(f"row {rows['row'][0]}: {product_code_problem(p, c)}", field="product")
    dup = frame.filter(pl.struct(*KEY, "vintage", "release_date").is_duplicated())
    if dup.height:
        first = dup.sort("row").row(0, named=True)
        twins = dup.filter(pl.all_horizontal(pl.col(k) == first[k] for k in (*KEY, "vintage")))[
            "row"
        ].to_list()
        raise InvalidInput(
            f"rows {', '.join(map(str, twins[:5]))}: the same flow appears twice in vintage "
            f"{first['vintage']} released {first['release_date']}",
            field="row",
        )
    return frame


def _group_codes() -> frozenset[str]:
    from tiro.trade.partner_groups import group_codes

    return group_codes()
