"""UN Comtrade (API v1) records, CSV or JSON, into the flow table.

Comtrade's "plus" breakdown repeats each flow by customs procedure, mode of transport and
second partner; summing everything would count the same goods several times. Only the
unduplicated totals are kept — ``customsCode`` C00, ``motCode`` 0, ``partner2Code`` 0 (issue
#21 of comtradeapicall: the world is partner 0, the total is ``cmdCode`` TOTAL) — and only
exports (X) and imports (M); re-export and re-import flows (RX/RM) are left out. Values are
``primaryValue`` in USD, weights ``netWgt`` in kg. Reporter and partner codes are mapped to
ISO alpha-3 (Comtrade's numeric codes differ from ISO for a few, e.g. 842 for the USA);
Comtrade's non-country partner areas (899 Areas, nes; 837 Bunkers; 839 Special Categories
...) map to explicit codes (``XNS``, ``XBK``, ``XSC``) that count in world totals and never as
countries (``tiro.trade.codes.non_country_partners``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.trade.codes import comtrade_to_iso3
from tiro.trade.io_csv import FIRST_DATA_LINE, read_csv_text
from tiro.trade.io_files import looks_like_json, parse_json, read_source, records_frame
from tiro.trade.schema import conform, validate

NEEDED = ("period", "reporterCode", "partnerCode", "cmdCode", "flowCode", "primaryValue")


def _load(source: Path | str | bytes) -> tuple[pl.DataFrame, str, int]:
    """Records as text, how their places are counted, and the number of the first one."""
    data = read_source(source)
    if looks_like_json(data):
        doc = parse_json(data)
        records = doc.get("data") if isinstance(doc, dict) else doc
        if isinstance(records, dict):
            records = [records]
        return records_frame(records, what="Comtrade records ('data')"), "record", 1
    return read_csv_text(data), "line", FIRST_DATA_LINE


def _is_zero(col: str) -> pl.Expr:
    return pl.col(col).cast(pl.String).str.strip_chars().is_in(["0", "0.0"])


def read_comtrade(
    source: Path | str | bytes, *, release_date: dt.date, vintage: str = "confirmed"
) -> pl.DataFrame:
    """Validated flows from a Comtrade download (the deduplicated totals only)."""
    raw, where, first = _load(source)
    missing = [c for c in NEEDED if c not in raw.columns]
    if missing:
        raise InvalidInput(
            f"not a Comtrade record set; missing {', '.join(missing)}", field="input"
        )
    raw = raw.with_row_index("row", offset=first)
    keep = pl.col("flowCode").is_in(["X", "M"])
    if "customsCode" in raw.columns:
        keep &= pl.col("customsCode").is_null() | (pl.col("customsCode") == "C00")
    for col in ("motCode", "partner2Code"):
        if col in raw.columns:
            keep &= pl.col(col).is_null() | _is_zero(col)
    kept = raw.filter(keep)
    codes = comtrade_to_iso3()

    def iso(code_col: str, iso_col: str) -> pl.Expr:
        numeric = (
            pl.col(code_col)
            .cast(pl.String)
            .str.replace(r"\.0$", "")
            .replace_strict(codes, default=None)
        )
        if iso_col in kept.columns:
            named = pl.col(iso_col).replace({"W00": "WLD"})
            return pl.coalesce(numeric, named)
        return numeric

    period = pl.col("period").cast(pl.String)
    frame = kept.select(
        "row",
        pl.when(period.str.len_chars() == 6)
        .then(period.str.slice(0, 4) + "-" + period.str.slice(4, 2))
        .otherwise(period)
        .alias("period"),
        iso("reporterCode", "reporterISO").fill_null(pl.col("reporterCode")).alias("reporter"),
        iso("partnerCode", "partnerISO").fill_null(pl.col("partnerCode")).alias("partner"),
        pl.col("cmdCode").alias("product"),
        pl.lit("HS").alias("classification"),
        pl.col("flowCode").alias("flow"),
        pl.col("primaryValue").alias("value"),
        (pl.col("qty") if "qty" in kept.columns else pl.lit(None)).alias("quantity"),
        (pl.col("netWgt") if "netWgt" in kept.columns else pl.lit(None)).alias("weight_kg"),
    )
    conformed = conform(
        frame,
        defaults={
            "vintage": vintage,
            "release_date": release_date,
            "basis": "COMTRADE",
            "source": "UN Comtrade API v1",
        },
    )
    return validate(conformed, raw=frame, where=where)
