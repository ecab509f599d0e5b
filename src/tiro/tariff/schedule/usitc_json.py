"""Import the USITC HTS JSON export (hts.usitc.gov "Export" -> JSON) into tiro's rate table.

The export is one JSON array of rows in schedule order. Each row has ``htsno`` (dotted code,
empty on a heading-only "superior" row), ``indent`` (depth as a string), ``description``,
``units`` (list), ``general`` / ``special`` / ``other`` (rate text of column 1 General,
column 1 Special, column 2) and ``footnotes`` (list of ``{columns, value, type}``).
A statistical 10-digit line usually leaves the rate cells empty: it inherits the rate of the
8-digit line above it. We keep the *rate lines* (rows whose General cell is filled), with the
full description path built from the indents, so that a longest-prefix lookup of any 10-,
8- or 6-digit code finds its rate.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.tariff.batch.readers import refusing_bad_content
from tiro.tariff.schedule.rate_text import clean_rate_text

HTS_TABLE_SCHEMA: dict[str, pl.DataType] = {
    "hts": pl.Utf8(),
    "htsno": pl.Utf8(),
    "chapter": pl.Utf8(),
    "indent": pl.Int32(),
    "description": pl.Utf8(),
    "general_rate_text": pl.Utf8(),
    "special_rate_text": pl.Utf8(),
    "other_rate_text": pl.Utf8(),
    "units": pl.Utf8(),
    "footnotes": pl.Utf8(),
}
"""Columns of the shipped subset and of every import (one declaration, two uses)."""


def _text(row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    return clean_rate_text(value) if isinstance(value, str) else ""


def _indent(row: dict[str, Any], position: int) -> int:
    raw = row.get("indent", 0)
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise InvalidInput(
            f"row {position}: indent {raw!r} is not a number", field="indent"
        ) from None


def _footnotes(row: dict[str, Any]) -> str:
    notes = row.get("footnotes") or []
    texts = [clean_rate_text(n.get("value")) for n in notes if isinstance(n, dict)]
    return " | ".join(t for t in texts if t)


def rows_to_frame(rows: list[Any]) -> pl.DataFrame:
    """Turn USITC export rows into the rate table (rate lines only, description paths kept)."""
    if not isinstance(rows, list):
        raise InvalidInput("the HTS export must be a JSON array of rows", field="file")
    path: list[tuple[int, str]] = []
    out: list[dict[str, Any]] = []
    for position, row in enumerate(rows):
        if not isinstance(row, dict) or "htsno" not in row:
            raise InvalidInput(f"row {position}: not an HTS row (no 'htsno')", field="htsno")
        indent = _indent(row, position)
        description = " ".join(str(row.get("description") or "").split()).rstrip(":")
        while path and path[-1][0] >= indent:
            path.pop()
        path.append((indent, description))
        htsno = str(row.get("htsno") or "").strip()
        general = _text(row, "general")
        if not htsno or not general:
            continue
        digits = "".join(ch for ch in htsno if ch.isdigit())
        if len(digits) not in (8, 10):
            continue
        units = row.get("units") or []
        out.append(
            {
                "hts": digits,
                "htsno": htsno,
                "chapter": digits[:2],
                "indent": indent,
                "description": " > ".join(d for _, d in path if d),
                "general_rate_text": general,
                "special_rate_text": _text(row, "special"),
                "other_rate_text": _text(row, "other"),
                "units": ";".join(str(u) for u in units) if isinstance(units, list) else "",
                "footnotes": _footnotes(row),
            }
        )
    return pl.DataFrame(out, schema=HTS_TABLE_SCHEMA)


def import_usitc_json(path: str | Path) -> pl.DataFrame:
    """Read a USITC HTS JSON export file and return the rate table (same columns as the subset).

    Bad input (missing file, invalid JSON, a row without ``htsno``) raises ``InvalidInput``
    naming the field.
    """
    file = Path(path)
    if not file.is_file():
        raise InvalidInput(f"{file} does not exist", field="file")
    try:
        rows = json.loads(file.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise InvalidInput(f"{file.name} is not valid UTF-8 text", field="file") from None
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{file.name} is not valid JSON: {exc.msg}", field="file") from exc
    except RecursionError:
        raise InvalidInput(f"{file.name} is nested too deeply", field="file") from None
    return rows_to_frame(rows)


def read_hts_table(path: str | Path) -> pl.DataFrame:
    """A rate table to price with instead of the shipped revisions: a USITC JSON export (imported
    on the fly) or a table saved by ``tiro tariff import-hts`` (.csv or .parquet)."""
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix == ".json":
        try:
            return import_usitc_json(file)
        except InvalidInput as exc:
            raise InvalidInput(f"{exc.field}: {exc.message}", field="hts_table") from None
    if not file.is_file():
        raise InvalidInput(f"{file} does not exist", field="hts_table")
    if suffix not in (".csv", ".parquet"):
        raise InvalidInput(
            "expected a .json export, or a .csv/.parquet rate table", field="hts_table"
        )
    with refusing_bad_content("hts_table", file):
        table = pl.read_csv(file, infer_schema=False) if suffix == ".csv" else pl.read_parquet(file)
        missing = [c for c in HTS_TABLE_SCHEMA if c not in table.columns]
        if missing:
            raise InvalidInput(f"the rate table lacks columns {missing}", field="hts_table")
        return table.select([pl.col(c).cast(t) for c, t in HTS_TABLE_SCHEMA.items()])
