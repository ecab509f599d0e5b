"""Build one HTS revision (a full USITC JSON export) into tiro's schedule table (관세율표 개정판).

The shipped subset keeps only *rate lines*; a schedule keeps every 8- and 10-digit line of
chapters 1-97, because a quote must both price any line and refuse a 10-digit code whose
statistical suffix the revision does not have. A statistical line usually leaves its rate
cells empty and takes the rate of the line above it that carries one (HTS General Notes:
"the rates of duty ... apply to the provision in which they appear"); ``rate_hts`` records
which line that is. An 8-digit line whose rates sit on its 10-digit lines keeps empty rates.

Run as ``python -m tiro.tariff.schedule.build EXPORT.json[.gz] OUT.parquet``: the Parquet file
is zstd-compressed and sorted by code, so it stays a few MB per revision.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from typing import Any

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.tariff.schedule.rate_text import clean_rate_text
from tiro.tariff.schedule.usitc_json import HTS_TABLE_SCHEMA

SCHEDULE_SCHEMA: dict[str, pl.DataType] = {**HTS_TABLE_SCHEMA, "rate_hts": pl.Utf8()}
"""The rate-table columns, plus the code of the line whose rate cells a line takes."""

_RATE_KEYS = ("general", "special", "other")
_LAST_CHAPTER = 97  # chapters 98-99 are special provisions and measures, not the schedule


def _text(row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    return clean_rate_text(value) if isinstance(value, str) else ""


def _footnotes(row: dict[str, Any]) -> str:
    notes = row.get("footnotes") or []
    texts = [clean_rate_text(n.get("value")) for n in notes if isinstance(n, dict)]
    return " | ".join(t for t in texts if t)


def schedule_rows(rows: list[Any]) -> pl.DataFrame:
    """Every 8- and 10-digit line of chapters 1-97 with its own or inherited rate text."""
    if not isinstance(rows, list):
        raise InvalidInput("the HTS export must be a JSON array of rows", field="file")
    path: list[tuple[int, str]] = []
    rated: list[tuple[int, str, dict[str, str]]] = []  # (indent, code, rate cells) above
    out: list[dict[str, Any]] = []
    for position, row in enumerate(rows):
        if not isinstance(row, dict) or "htsno" not in row:
            raise InvalidInput(f"row {position}: not an HTS row (no 'htsno')", field="htsno")
        try:
            indent = int(row.get("indent") or 0)
        except (TypeError, ValueError):
            raise InvalidInput(f"row {position}: indent is not a number", field="indent") from None
        description = " ".join(str(row.get("description") or "").split()).rstrip(":")
        while path and path[-1][0] >= indent:
            path.pop()
        path.append((indent, description))
        while rated and rated[-1][0] >= indent:
            rated.pop()
        digits = "".join(ch for ch in str(row.get("htsno") or "") if ch.isdigit())
        cells = {key: _text(row, key) for key in _RATE_KEYS}
        if cells["general"] and digits:
            rated.append((indent, digits, cells))
        if len(digits) not in (8, 10) or int(digits[:2]) > _LAST_CHAPTER:
            continue
        source = digits if cells["general"] else None
        if source is None and len(digits) == 10 and rated:
            source, cells = rated[-1][1], rated[-1][2]
        units = row.get("units") or []
        out.append(
            {
                "hts": digits,
                "htsno": str(row["htsno"]).strip(),
                "chapter": digits[:2],
                "indent": indent,
                "description": " > ".join(d for _, d in path if d),
                "general_rate_text": cells["general"] if source else "",
                "special_rate_text": cells["special"] if source else "",
                "other_rate_text": cells["other"] if source else "",
                "units": ";".join(str(u) for u in units) if isinstance(units, list) else "",
                "footnotes": _footnotes(row),
                "rate_hts": source,
            }
        )
    return pl.DataFrame(out, schema=SCHEDULE_SCHEMA).unique("hts", keep="first").sort("hts")


def read_export(path: Path) -> list[Any]:
    """The rows of a USITC JSON export (plain or gzip-compressed)."""
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return json.loads(raw.decode("utf-8"))


def build(export: Path, out: Path) -> pl.DataFrame:
    """Write the schedule of one export to ``out`` (zstd Parquet) and return it."""
    table = schedule_rows(read_export(export))
    table.write_parquet(out, compression="zstd", compression_level=19, statistics=False)
    return table


if __name__ == "__main__":  # pragma: no cover - a maintainer's build step
    built = build(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"{built.height} lines -> {sys.argv[2]}")
