"""The plain CSV format: ``period,reporter,partner,product,flow,value[,vintage]``.

Anyone can write it by hand or from a spreadsheet. ``period`` is YYYY or YYYY-MM, codes are
ISO alpha-3 (``WLD`` for the world), ``product`` is an HS code or ``TOTAL``, ``flow`` is X or
M, ``value`` is USD. Optional columns: ``vintage`` (default: the ``vintage`` argument, else
``confirmed``), ``release_date``, ``classification`` (default HS), ``basis`` (default USER),
``quantity``, ``weight_kg``. Errors name the file line as a user counts it (header = line 1)
and quote the cell as written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.trade.io_files import read_source
from tiro.trade.schema import VINTAGE_RANK, conform, validate

REQUIRED = ("period", "reporter", "partner", "product", "flow", "value")
#: The header is line 1, so the first data row is line 2.
FIRST_DATA_LINE = 2


def read_csv_text(data: bytes, *, field: str = "input") -> pl.DataFrame:
    """Every cell as text, header stripped; an unreadable or empty CSV is refused cleanly."""
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"not UTF-8 text (byte {exc.start})", field=field) from None
    header = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))), [])
    names = [name.strip() for name in header]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise InvalidInput(f"column {twice[0]!r} appears more than once", field=field)
    try:
        raw = pl.read_csv(io.BytesIO(data), infer_schema_length=0)
    except pl.exceptions.NoDataError:
        raise InvalidInput("the file is empty", field=field) from None
    except pl.exceptions.PolarsError as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InvalidInput(f"not a readable CSV: {reason}", field=field) from None
    return raw.rename({c: c.strip().lstrip("\ufeff") for c in raw.columns})


def read_plain_csv(
    source: Path | str | bytes,
    *,
    release_date: dt.date | None = None,
    vintage: str | None = None,
) -> pl.DataFrame:
    """Read and validate a plain CSV into the flow table.

    ``vintage`` is the release kind of rows that do not state one (a KCS 1–20 day flash is
    ``flash_20``); a file whose own ``vintage`` column says otherwise is refused rather than
    silently relabelled.
    """
    raw = read_csv_text(read_source(source))
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        raise InvalidInput(f"missing column(s): {', '.join(missing)}", field="input")
    raw = raw.with_row_index("row", offset=FIRST_DATA_LINE).with_columns(
        pl.col(c).str.strip_chars() for c in raw.columns if raw.schema[c] == pl.String
    )
    if vintage is not None and vintage not in VINTAGE_RANK:
        raise InvalidInput(f"{vintage!r} is not one of {', '.join(VINTAGE_RANK)}", field="vintage")
    frame = raw
    if "vintage" in raw.columns:
        stated = pl.col("vintage").fill_null("").str.strip_chars()
        if vintage is not None:
            other = raw.filter((stated != "") & (stated != vintage))
            if other.height:
                line = other.row(0, named=True)
                raise InvalidInput(
                    f"line {line['row']} says vintage {line['vintage']!r} but {vintage!r} was "
                    "given; drop one of them",
                    field="vintage",
                )
        frame = frame.with_columns(
            pl.when(stated == "")
            .then(pl.lit(vintage or "confirmed"))
            .otherwise(stated)
            .alias("vintage")
        )
    defaults = {
        "vintage": vintage or "confirmed",
        "classification": "HS",
        "basis": "USER",
        "release_date": release_date or dt.date.today(),
    }
    if "release_date" in raw.columns:
        frame = frame.with_columns(pl.col("release_date").str.to_date(strict=False))
    frame = frame.with_columns(
        pl.when(pl.col("product") == "TOTAL")
        .then(pl.lit("HS"))
        .otherwise(pl.col("classification") if "classification" in raw.columns else pl.lit("HS"))
        .alias("classification")
    )
    conformed = conform(frame, defaults=defaults)
    return validate(conformed, raw=raw, where="line")
