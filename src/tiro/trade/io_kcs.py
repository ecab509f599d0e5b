"""The KCS Open API row shape (관세청 품목별·국가별 수출입실적, data.go.kr 15100475).

Rows carry ``year`` as 'YYYY.MM' (plus a '총계' grand-total row, skipped), ``hsSgn`` (HS
code, 2–10 digits), ``statCd``/``cntyCd`` (ISO alpha-2 partner), ``expDlr`` (exports, FOB,
USD), ``impDlr`` (imports, CIF, USD), ``balPayments`` (stated balance) and ``expWgt``/
``impWgt`` (kg). Each row becomes up to three flows (X, M and the stated balance B), so the
identity check can compare the balance KCS prints with exports − imports.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.trade.codes import alpha2_to_iso3
from tiro.trade.io_csv import FIRST_DATA_LINE, read_csv_text
from tiro.trade.io_files import looks_like_json, parse_json, read_source, records_frame
from tiro.trade.schema import conform, validate


def _load(source: Path | str | bytes) -> tuple[pl.DataFrame, str, int]:
    """Items as text, how their places are counted, and the number of the first one.

    The data.go.kr gateway turns an XML list into JSON, so a response with one item carries
    ``item`` as one object rather than a list of one: both are accepted.
    """
    data = read_source(source)
    if looks_like_json(data):
        items = parse_json(data)
        for key in ("response", "body", "items", "item"):
            if isinstance(items, dict) and key in items:
                items = items[key]
        if isinstance(items, dict) and "year" in items:
            items = [items]
        return records_frame(items, what="KCS items"), "record", 1
    return read_csv_text(data), "line", FIRST_DATA_LINE


def read_kcs(
    source: Path | str | bytes,
    *,
    release_date: dt.date,
    vintage: str = "confirmed",
    reporter: str = "KOR",
) -> pl.DataFrame:
    """Validated flows (X, M, B) from KCS Open API items."""
    raw, where, first = _load(source)
    country = "cntyCd" if "cntyCd" in raw.columns else "statCd"
    for col in ("year", "hsSgn", "expDlr", "impDlr", country):
        if col not in raw.columns:
            raise InvalidInput(f"not a KCS item set; missing {col}", field="input")
    raw = raw.with_row_index("row", offset=first).filter(pl.col("year").str.strip_chars() != "총계")
    partner = pl.col(country).str.strip_chars()
    base = raw.select(
        "row",
        pl.col("year").str.strip_chars().str.replace(".", "-", literal=True).alias("period"),
        pl.lit(reporter).alias("reporter"),
        partner.replace_strict(alpha2_to_iso3(), default=partner).alias("partner"),
        pl.col("hsSgn").str.strip_chars().alias("product"),
        pl.lit("HS").alias("classification"),
        pl.col("expDlr").alias("X"),
        pl.col("impDlr").alias("M"),
        (pl.col("balPayments") if "balPayments" in raw.columns else pl.lit(None)).alias("B"),
        (pl.col("expWgt") if "expWgt" in raw.columns else pl.lit(None)).alias("wX"),
        (pl.col("impWgt") if "impWgt" in raw.columns else pl.lit(None)).alias("wM"),
    )
    parts = []
    for flow in ("X", "M", "B"):
        weight = pl.col(f"w{flow}") if flow != "B" else pl.lit(None)
        parts.append(
            base.select(
                "row",
                "period",
                "reporter",
                "partner",
                "product",
                "classification",
                pl.lit(flow).alias("flow"),
                pl.col(flow).alias("value"),
                weight.alias("weight_kg"),
            ).filter(pl.col("value").is_not_null())
        )
    frame = pl.concat(parts, how="vertical_relaxed").sort("row")
    conformed = conform(
        frame,
        defaults={
            "vintage": vintage,
            "release_date": release_date,
            "basis": "KCS",
            "source": "KCS Open API (data.go.kr 15100475)",
        },
    )
    return validate(conformed, raw=frame, where=where)
