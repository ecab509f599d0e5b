"""Name-free raw-row detection for user-code answers (part of the ``raw_row_copy`` rule).

The name-based check in :mod:`.release` compares an answer with the source on the columns
they share. User code can rename the columns, join a row into one string or spread it over
the values of a mapping; this check ignores names. Every value becomes text (Polars'
formatting on both sides; a text cell is also split on ``| , ; tab space``), and each answer
column is mapped to the source columns that hold all of its values. A record (a table row
without ``n``, or a whole flat mapping) is a copy when the source rows that agree with it on
the most mapped cells agree on at least 3 and at least 80% of them, and there are fewer than
k such rows — the record singles out fewer than k records, as in the named rule.

It runs on user-code answers only: registered recipes cannot copy, and their honest outputs
(a count that happens to equal a source value) would be false alarms. Values transformed
before returning (scaled, hashed, encoded into other numbers) are not found; the steward's
review of the code remains the control for those.
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl

SEPARATORS = r"[|,;\t ]+"
SHARE = 0.8
MIN_CELLS = 3
MAX_PARTS = 200


def _text_columns(frame: pl.DataFrame) -> pl.DataFrame:
    """Every column as text; a text column with separators split into parts."""
    out: list[pl.Series] = []
    for name in frame.columns:
        if name == "n":
            continue
        series = frame[name]
        if not (series.dtype.is_numeric() or series.dtype in (pl.Utf8, pl.Boolean)):
            continue
        text = series.cast(pl.Utf8, strict=False)
        if series.dtype == pl.Utf8 and text.str.contains(SEPARATORS).any():
            split = text.str.replace_all(SEPARATORS, "\u0001").str.split("\u0001")
            width = min(int(split.list.len().max() or 0), MAX_PARTS)
            parts = [split.list.get(i, null_on_oob=True).alias(f"{name}#{i}") for i in range(width)]
            out.extend(parts)
        else:
            out.append(text.alias(name))
    return pl.DataFrame(out) if out else pl.DataFrame()


def _numeric_text(series: pl.Series) -> pl.Series:
    """Numbers written by Python (``repr``) and by Polars can differ: normalise both."""
    text = series.cast(pl.Utf8, strict=False)
    as_float = text.cast(pl.Float64, strict=False)
    if as_float.null_count() == as_float.len():
        return text
    fixed = as_float.map_elements(lambda v: f"{v:.12g}", return_dtype=pl.Utf8, skip_nulls=True)
    return fixed.zip_with(as_float.is_not_null(), text).alias(series.name)


def copied_records(output: pl.DataFrame | dict, source: pl.DataFrame, k: int) -> int:
    """How many records of the answer copy a source row under any names (module doc)."""
    frame = pl.DataFrame([output]) if isinstance(output, dict) else output
    if frame.is_empty() or source.is_empty():
        return 0
    answer = _text_columns(frame)
    if answer.is_empty():
        return 0
    answer = pl.DataFrame([_numeric_text(answer[c]) for c in answer.columns])
    real = pl.DataFrame(
        [_numeric_text(source[c].cast(pl.Utf8, strict=False)) for c in source.columns]
    )
    codes: dict[str, tuple[dict[str, int], np.ndarray]] = {}
    for name in real.columns:
        values = real[name]
        levels = {v: i for i, v in enumerate(values.drop_nulls().unique().to_list())}
        array = np.array([levels.get(v, -1) if v is not None else -2 for v in values.to_list()])
        codes[name] = (levels, array)
    mapped = {
        o: [s for s in real.columns if set(answer[o].drop_nulls().to_list()) <= codes[s][0].keys()]
        for o in answer.columns
        if answer[o].drop_nulls().len()
    }
    mapped = {o: s for o, s in mapped.items() if s}
    if len(mapped) < min(MIN_CELLS, source.width):
        return 0
    copies = 0
    for row in answer.select(list(mapped)).iter_rows(named=True):
        agree = np.zeros(source.height, dtype=np.int32)
        cells = 0
        for o, value in row.items():
            if value is None:
                continue
            cells += 1
            hit = np.zeros(source.height, dtype=bool)
            for s in mapped[o]:
                levels, array = codes[s]
                hit |= array == levels.get(value, -3)
            agree += hit
        need = max(min(MIN_CELLS, source.width), math.ceil(SHARE * cells))
        best = int(agree.max())
        if cells and best >= need and int((agree == best).sum()) < k:
            copies += 1
    return copies
