"""Mock twin of an asset: schema-true synthetic rows any member may see (PySyft's "mock").

An analyst writes and tests a recipe against the mock, then asks for it to run on the real
data. The mock must have the real columns and dtypes, but must not leak the real values:

- numbers are drawn uniformly from a range that keeps only the real column's sign and order
  of magnitude (``[0, 10^ceil(log10(max|x|+1))]``, mirrored when the column has negatives),
  so the mock says "a count in the tens" but not the real minimum, maximum or distribution;
  a 0/1 column stays 0/1 (a failure flag must still be a flag for a recipe to run);
- text labels are synthetic (``Mask_1``, ``Mask_2`` …; as many distinct labels as the real
  column has, up to 10) unless the policy lists the column in ``public_categories`` — then
  they are drawn from the real category set;
- dates are drawn from 2000-01-01 + up to 20 years; booleans at random; a column with
  missing values gets about 10% nulls; any other dtype is all null (right type, no values);
- a mock row that happens to equal a real row is redrawn (then, if it still does, its
  public-category cells take synthetic labels), so no real row is ever copied.

Deterministic for a seed: each column has its own stream derived from (seed, column index).
Contract kept; one addition: the keyword ``public_categories`` (default none).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import numpy as np
import polars as pl

from tiro.core.errors import InvalidInput

MAX_LABELS = 10
NULL_SHARE = 0.1
EPOCH = dt.date(2000, 1, 1)
DATE_SPAN_DAYS = 20 * 365


def _magnitude(series: pl.Series) -> tuple[float, float]:
    values = series.drop_nulls().cast(pl.Float64)
    values = values.filter(values.is_finite())
    if values.is_empty():
        return 0.0, 1.0
    top = 10.0 ** math.ceil(math.log10(float(values.abs().max()) + 1.0))
    return (-top if float(values.min()) < 0 else 0.0), top


def _column(series: pl.Series, rows: int, rng: np.random.Generator, public: bool) -> pl.Series:
    dtype = series.dtype
    name = series.name
    if dtype == pl.Boolean:
        values = pl.Series(name, rng.random(rows) < 0.5)
    elif dtype.is_integer():
        distinct = set(series.drop_nulls().unique().to_list())
        if distinct and distinct <= {0, 1}:
            values = pl.Series(name, rng.integers(0, 2, rows))
        else:
            low, high = _magnitude(series)
            values = pl.Series(name, rng.integers(int(low), int(high) + 1, rows))
    elif dtype.is_float():
        low, high = _magnitude(series)
        values = pl.Series(name, np.round(rng.uniform(low, high, rows), 3))
    elif dtype in (pl.Utf8, pl.Categorical) or isinstance(dtype, pl.Enum):
        real = sorted(str(v) for v in series.drop_nulls().unique().to_list())
        if public and real:
            labels = real
        else:
            labels = [f"{name}_{i + 1}" for i in range(max(1, min(len(real), MAX_LABELS)))]
        values = pl.Series(name, [labels[i] for i in rng.integers(0, len(labels), rows)])
    elif dtype in (pl.Date, pl.Datetime) or isinstance(dtype, pl.Datetime):
        days = rng.integers(0, DATE_SPAN_DAYS, rows)
        values = pl.Series(name, [EPOCH + dt.timedelta(days=int(d)) for d in days])
    else:
        return pl.Series(name, [None] * rows, dtype=dtype)
    if series.null_count():
        values = values.scatter(np.flatnonzero(rng.random(rows) < NULL_SHARE), None)
    try:
        return values.cast(dtype)
    except pl.exceptions.PolarsError:  # an Enum whose set excludes synthetic labels
        return values.cast(pl.Utf8) if not public else pl.Series(name, [None] * rows, dtype=dtype)


def _draw(frame: pl.DataFrame, rows: int, seed: int, public: set[str]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            _column(frame[c], rows, np.random.default_rng([seed, i]), c in public)
            for i, c in enumerate(frame.columns)
        ]
    )


def _copies(mock: pl.DataFrame, frame: pl.DataFrame) -> pl.Series:
    """True where the mock row equals some real row on every column (nulls equal nulls)."""
    if frame.is_empty() or not frame.columns:
        return pl.Series([False] * mock.height)
    real = frame.unique().with_columns(pl.lit(True).alias("__real__"))
    joined = mock.with_row_index("__i__").join(real, on=frame.columns, how="left", nulls_equal=True)
    return joined.sort("__i__")["__real__"].fill_null(False)


def mock_twin(
    frame: pl.DataFrame, *, rows: int = 50, seed: int = 0, public_categories: Sequence[str] = ()
) -> pl.DataFrame:
    """``rows`` synthetic rows with ``frame``'s schema; see the module doc for what is kept."""
    if isinstance(rows, bool) or not isinstance(rows, int) or not 1 <= rows <= 10_000:
        raise InvalidInput("must be a whole number in 1..10000", field="rows")
    unknown = [c for c in public_categories if c not in frame.columns]
    if unknown:
        raise InvalidInput(f"unknown column {unknown[0]!r}", field="public_categories")
    public = set(public_categories)
    mock = _draw(frame, rows, seed, public)
    for attempt in range(1, 11):
        copies = _copies(mock, frame)
        if not copies.any():
            return mock
        fresh = _draw(frame, rows, seed + 7919 * attempt, public)
        mock = pl.DataFrame(
            [pl.Series(c, np.where(copies, fresh[c], mock[c]), dtype=mock[c].dtype)
             for c in mock.columns]
        )  # fmt: skip
    synthetic = _draw(frame, rows, seed, set())
    copies = _copies(mock, frame)
    return mock.with_columns(
        pl.when(pl.Series(copies)).then(synthetic[c]).otherwise(pl.col(c)).alias(c) for c in public
    )
