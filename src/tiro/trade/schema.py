"""The trade-flow record, declared once (STYLE §8): columns, types, units, meaning.

A flow is one statistic: what a reporter exported to (X) or imported from (M) a partner in a
product during a period, as one release (vintage) of one source published it. Vintages are
kept side by side, never overwritten: KCS flashes for days 1–10 and 1–20 (10일/20일 잠정),
MOTIE's provisional month on the 1st (수출입동향), KCS confirmed figures around the 15th
(확정치), and later revisions. ``B`` rows are a source's own stated balance (무역수지), kept so
the identity check can flag sources whose balance is not exports − imports.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

import polars as pl
import polars.selectors as cs

from tiro.core.errors import InvalidInput
from tiro.trade.codes import WORLD, iso3_codes, non_country_codes, product_code_problem


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
#: Years a flow period may name. Customs statistics of today's reporters begin in the 20th
#: century, and the Korean holiday calendar behind 조업일수 ends in 2100 (``holidays``
#: ``KR.end_year``); a year outside is a typo (0000, 9999), not a statistic.
FIRST_YEAR, LAST_YEAR = 1900, 2100
YEAR_RE = r"(19\d{2}|20\d{2}|2100)"
MONTH_RE = rf"^{YEAR_RE}-(0[1-9]|1[0-2])$"
PERIOD_RE = rf"^{YEAR_RE}(-(0[1-9]|1[0-2]))?$"
_PERIOD = re.compile(PERIOD_RE)
PERIOD_HINT = f"YYYY or YYYY-MM, year {FIRST_YEAR}–{LAST_YEAR}"


def parse_period(text: str, *, field: str = "period") -> tuple[int, int | None]:
    """``YYYY`` -> (year, None); ``YYYY-MM`` -> (year, month); anything else is an error."""
    if not isinstance(text, str) or not _PERIOD.match(text):
        raise InvalidInput(f"{text!r} is not a period ({PERIOD_HINT})", field=field)
    year, _, month = text.partition("-")
    return int(year), int(month) if month else None


def period_start(text: str, *, field: str = "period") -> dt.date:
    """First day of a period: no figure for it can be released before this day."""
    year, month = parse_period(text, field=field)
    return dt.date(year, month or 1, 1)


def period_end(text: str, *, field: str = "period") -> dt.date:
    """Last day of a period: the date a partner-group membership is read at."""
    year, month = parse_period(text, field=field)
    if month is None:
        return dt.date(year, 12, 31)
    return dt.date(year, month, calendar.monthrange(year, month)[1])


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


#: Columns read as numbers or dates: a cell that does not parse is named with its raw text.
PARSED = ("value", "quantity", "weight_kg", "release_date")
MEASURES = ("value", "quantity", "weight_kg")


def _first_bad(
    frame: pl.DataFrame, mask: pl.Expr, column: str, reason: str, *, where: str = "line"
) -> None:
    """Raise on the first row matching ``mask``: its place in the file and its raw text.

    ``row`` holds the place a user counts (``line`` of a CSV, header = line 1, or ``record``
    of a JSON list); the text shown is the cell as written, not what it was cast to.
    """
    bad = frame.filter(mask)
    if bad.height:
        row = bad.sort("row").row(0, named=True)
        shown = row.get(f"_raw_{column}", row.get(column))
        text = repr(shown) if isinstance(shown, str) or shown is None else str(shown)
        raise InvalidInput(
            f"{where} {row['row']}: {text} {reason} ({bad.height} row(s) affected)",
            field=column,
        )


def validate(
    frame: pl.DataFrame,
    *,
    raw: pl.DataFrame | None = None,
    where: str = "line",
    today: dt.date | None = None,
) -> pl.DataFrame:
    """Check every rule on a conformed batch; raise on the first broken one, naming the place.

    ``raw`` is the frame before casting, row for row, so a value that failed to parse
    ("1,000") is reported with its text rather than as missing. ``where`` says how the
    ``row`` column counts (``line`` of a CSV file, header = line 1; ``record`` of a JSON
    list). Rules: periods are YYYY or YYYY-MM within the supported years; numbers are finite
    and of plausible size; reporters are countries (not WLD, a region or an "nes" area) and
    never their own partner; partners are known codes; product codes fit their classification;
    flows are X/M/B; values are present and not negative (a stated balance may be); vintages
    and bases are from the declared sets; a figure is not released before its period starts
    nor after today; no two rows share a key within one vintage and release.
    """
    from tiro.core.validation import MAX_MAGNITUDE

    today = today or dt.date.today()
    if raw is not None:
        texts = [
            raw[name].cast(pl.String).alias(f"_raw_{name}")
            for name in (*PARSED, "period", "reporter", "partner", "product")
            if name in raw.columns
        ]
        frame = frame.with_columns(texts)
        for name in PARSED:
            if name in raw.columns:
                lost = pl.col(name).is_null() & pl.col(f"_raw_{name}").str.strip_chars().ne("")
                text = "a date (YYYY-MM-DD)" if name == "release_date" else "a number"
                _first_bad(frame, lost, name, f"cannot be read as {text}", where=where)
    for name in MEASURES:
        number = pl.col(name)
        _first_bad(frame, number.is_nan(), name, "is NaN, not a number", where=where)
        _first_bad(frame, number.is_infinite(), name, "is not finite", where=where)
        _first_bad(
            frame,
            number.abs() > MAX_MAGNITUDE,
            name,
            f"is out of range (at most {MAX_MAGNITUDE:g} in size)",
            where=where,
        )
    _first_bad(
        frame,
        pl.col("period").is_null() | ~pl.col("period").str.contains(PERIOD_RE),
        "period",
        f"is not a period ({PERIOD_HINT})",
        where=where,
    )
    codes = list(iso3_codes())
    _first_bad(
        frame,
        pl.col("reporter") == WORLD,
        "reporter",
        "is the world, not a reporting country (WLD is a partner only)",
        where=where,
    )
    _first_bad(
        frame,
        ~pl.col("reporter").is_in(codes),
        "reporter",
        "is not an ISO 3166-1 alpha-3 country code",
        where=where,
    )
    partners = codes + list(_group_codes()) + list(non_country_codes())
    _first_bad(
        frame,
        ~pl.col("partner").is_in(partners),
        "partner",
        "is not an ISO alpha-3 code, WLD, a partner-group code or a non-country area code",
        where=where,
    )
    _first_bad(
        frame,
        pl.col("partner") == pl.col("reporter"),
        "partner",
        "is the reporter itself (a country does not trade with itself)",
        where=where,
    )
    _first_bad(frame, ~pl.col("flow").is_in(FLOWS), "flow", "is not X, M or B", where=where)
    _first_bad(frame, pl.col("value").is_null(), "value", "is missing", where=where)
    _first_bad(
        frame,
        (pl.col("value") < 0) & (pl.col("flow") != "B"),
        "value",
        "is negative (trade values are >= 0)",
        where=where,
    )
    _first_bad(
        frame,
        ~pl.col("vintage").is_in(list(VINTAGE_RANK)),
        "vintage",
        "is not one of " + ", ".join(VINTAGE_RANK),
        where=where,
    )
    _first_bad(
        frame,
        ~pl.col("basis").is_in(BASES),
        "basis",
        "is not one of " + ", ".join(BASES),
        where=where,
    )
    _first_bad(frame, pl.col("release_date").is_null(), "release_date", "is missing", where=where)
    _first_bad(
        frame,
        pl.col("release_date") > today,
        "release_date",
        f"is in the future (today is {today})",
        where=where,
    )
    starts = (
        pl.when(pl.col("period").str.len_chars() == 4)
        .then(pl.col("period") + "-01-01")
        .otherwise(pl.col("period") + "-01")
        .str.to_date(strict=False)
    )
    _first_bad(
        frame,
        starts > pl.col("release_date"),
        "period",
        "starts after its release date (a figure cannot be published before its period)",
        where=where,
    )
    for name in ("quantity", "weight_kg"):
        _first_bad(frame, pl.col(name) < 0, name, "is negative", where=where)
    pairs = frame.select("product", "classification").unique()
    problems = [
        (p, c, product_code_problem(p, c)) for p, c in pairs.iter_rows()
    ]  # one check per distinct code, not per row
    bad_pairs = [(p, c) for p, c, why in problems if why]
    if bad_pairs:
        p, c = bad_pairs[0]
        rows = frame.filter((pl.col("product") == p) & (pl.col("classification") == c))
        raise InvalidInput(
            f"{where} {rows['row'].min()}: {product_code_problem(p, c)}", field="product"
        )
    dup = frame.filter(pl.struct(*KEY, "vintage", "release_date").is_duplicated())
    if dup.height:
        first = dup.sort("row").row(0, named=True)
        twins = dup.filter(pl.all_horizontal(pl.col(k) == first[k] for k in (*KEY, "vintage")))[
            "row"
        ].to_list()
        raise InvalidInput(
            f"{where}s {', '.join(map(str, sorted(twins)[:5]))}: the same flow appears twice in "
            f"vintage {first['vintage']} released {first['release_date']}",
            field="row",
        )
    return frame.drop(cs.starts_with("_raw_"))


def _group_codes() -> frozenset[str]:
    from tiro.trade.partner_groups import group_codes

    return group_codes()
