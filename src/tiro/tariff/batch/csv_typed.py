"""Reading a declaration CSV typed (형식 지정 읽기), with answers equal to reading it as text.

``batch.scan_lines`` reads every CSV cell as text so a bad cell becomes a row error, never a
crash; the casts then run on one thread over every line (~0.5 s per million lines: dates,
numbers and yes/no texts). Here Polars' reader does that work on its own threads instead:

* numbers are parsed by the reader (``Float64``);
* the HTS code, origin, entry date and yes/no facts are read as categoricals of one batch's own
  ``Categories``: a file has a few thousand distinct codes and a few hundred dates, so each
  distinct text is parsed once (``decode_chunk``) and reaches the lines by its dictionary code.

The typed read must never answer differently from the text read. Where it could, it gives up
(``NotTyped``) and the batch prices the whole file from text again:

* the reader refuses a cell (``"1,5"``, ``"5 "``, ``"abc"`` as a number): the text read makes
  it a row error with the cell quoted;
* a date text the strict ``YYYY-MM-DD`` parse rejects: its error message quotes the cell;
* NaN, an infinity or an implausible magnitude: its error message quotes the cell as typed.

One difference is removed at the source: the reader accepts a number with leading blanks
(``" 5"``), so the text path strips blanks around numbers too (``stripped_numbers``).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from tiro.core.validation import MAX_MAGNITUDE
from tiro.tariff.pricing.lines import LINE_COLUMNS

_FLOATS = tuple(c.name for c in LINE_COLUMNS if c.dtype == pl.Float64())
_DATES = tuple(c.name for c in LINE_COLUMNS if c.dtype == pl.Date())
_BOOLS = tuple(c.name for c in LINE_COLUMNS if c.dtype == pl.Boolean())
_CODES = ("hts", "origin")  # stay categorical: the code book and origins look up categories


class NotTyped(Exception):
    """The typed read could answer differently from the text read: price the file from text."""


def scan_typed(path: Path) -> pl.LazyFrame:
    """The declared columns of a CSV, typed (see module docstring); other columns are not read
    (a batch writes back only declared columns)."""
    header = pl.scan_csv(path, infer_schema=False, n_rows=0).collect_schema().names()
    declared = {c.name for c in LINE_COLUMNS}
    kinds: dict[str, pl.DataType] = {}
    for name in header:
        if name not in declared:
            continue
        if name in _FLOATS:
            kinds[name] = pl.Float64()
        elif name in (*_CODES, *_DATES, *_BOOLS):
            # each column its own dictionary (not the process's): its texts are its codes
            kinds[name] = pl.Categorical(pl.Categories.random())
        else:
            kinds[name] = pl.Utf8()
    if len(set(header)) != len(header):
        raise NotTyped("repeated column names")
    lf = pl.scan_csv(path, infer_schema=False, schema_overrides=kinds)
    return lf.select([n for n in header if n in declared])


def _dictionary(column: pl.Series) -> tuple[pl.Series, pl.Series]:
    """(distinct texts by dictionary code, each line's code) of a categorical column."""
    return column.dtype.categories.to_series(), column.to_physical()  # type: ignore[union-attr]


def _date(texts: pl.Series) -> pl.Series:
    """The text path's date parse (``lines.coerce_lines``), on distinct texts."""
    return texts.str.strip_chars().str.strptime(pl.Date, "%Y-%m-%d", strict=False)


def _boolean(texts: pl.Series) -> pl.Series:
    """The text path's yes/no parse (``lines.coerce_lines``), on distinct texts."""
    text = pl.col("t").str.strip_chars().str.to_lowercase()
    return (
        pl.DataFrame({"t": texts})
        .select(
            pl.when(text.is_in(["true", "1", "yes", "y", "t"]))
            .then(True)
            .when(text.is_in(["false", "0", "no", "n", "f"]))
            .then(False)
        )
        .to_series()
    )


def decode_chunk(chunk: pl.DataFrame) -> pl.DataFrame:
    """A typed chunk in the types the engine takes, parsed per distinct text; ``NotTyped`` where
    the text read would say something else (see module docstring)."""
    columns = []
    for name in chunk.columns:
        column = chunk[name]
        if name in _DATES or name in _BOOLS:
            texts, codes = _dictionary(column)
            values = _date(texts) if name in _DATES else _boolean(texts)
            if name in _DATES and (values.is_null() & texts.is_not_null()).any():
                raise NotTyped(f"{name}: a text that is not a YYYY-MM-DD date")
            column = values.gather(codes).alias(name)
        elif name in _FLOATS:
            bad = column.is_nan() | column.is_infinite() | (column.abs() > MAX_MAGNITUDE)
            if bad.any():
                raise NotTyped(f"{name}: a number whose error message quotes the cell")
        columns.append(column)
    return pl.DataFrame(columns)


def stripped_numbers(chunk: pl.DataFrame) -> pl.DataFrame:
    """A text chunk with blanks stripped around its numbers, as the typed reader reads them."""
    present = [n for n in _FLOATS if n in chunk.columns and chunk.schema[n] == pl.Utf8]
    if not present:
        return chunk
    return chunk.with_columns(pl.col(present).str.strip_chars())
