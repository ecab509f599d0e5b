"""The plain CSV format: ``period,reporter,partner,product,flow,value[,vintage]``.

Anyone can write it by hand or from a spreadsheet. ``period`` is YYYY or YYYY-MM, codes are
ISO alpha-3 (``WLD`` for the world), ``product`` is an HS code or ``TOTAL``, ``flow`` is X or
M, ``value`` is USD. Optional columns: ``vintage`` (default ``confirmed``), ``release_date``,
``classification`` (default HS), ``basis`` (default USER), ``quantity``, ``weight_kg``.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.trade.schema import conform, validate

REQUIRED = ("period", "reporter", "partner", "product", "flow", "value")


def read_plain_csv(
    source: Path | str | bytes, *, release_date: dt.date | None = None
) -> pl.DataFrame:
    """Read and validate a plain CSV into the flow table; errors name the row and column."""
    try:
        if isinstance(source, bytes):
            raw = pl.read_csv(io.BytesIO(source), infer_schema_length=0)
        else:
            path = Path(source)
            if not path.exists():
                raise InvalidInput(f"no such file: {path}", field="input")
            raw = pl.read_csv(path, infer_schema_length=0)
    except pl.exceptions.PolarsError as exc:
        raise InvalidInput(f"not a readable CSV: {exc}", field="input") from exc
    raw = raw.rename({c: c.strip() for c in raw.columns})
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        raise InvalidInput(f"missing column(s): {', '.join(missing)}", field="input")
    raw = raw.with_row_index("row", offset=1).with_columns(
        pl.col(c).str.strip_chars() for c in raw.columns if raw.schema[c] == pl.String
    )
    defaults = {
        "vintage": "confirmed",
        "classification": "HS",
        "basis": "USER",
        "release_date": release_date or dt.date.today(),
    }
    frame = raw
    if "release_date" in raw.columns:
        frame = frame.with_columns(pl.col("release_date").str.to_date(strict=False))
    frame = frame.with_columns(
        pl.when(pl.col("product") == "TOTAL")
        .then(pl.lit("HS"))
        .otherwise(pl.col("classification") if "classification" in raw.columns else pl.lit("HS"))
        .alias("classification")
    )
    conformed = conform(frame, defaults=defaults)
    return validate(conformed, raw=raw)
