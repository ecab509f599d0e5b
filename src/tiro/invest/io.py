"""Reading a capital-call pipeline CSV: ``project,priority,requested_year,amount_usd``.

Every refusal names the column (and the file line, header = line 1) so a user can fix the
file; nothing is scheduled from a file with one bad cell.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.core.validation import finite_frame
from tiro.invest.schedule import PIPELINE_COLUMNS

#: Years a request may name: the MOU's era, with room for calls paid long after selection.
YEAR_RANGE = (2025, 2100)


def _numbers(frame: pl.DataFrame, column: str, dtype: pl.DataType) -> pl.Series:
    raw = frame.get_column(column)
    parsed = raw.cast(pl.Utf8).str.strip_chars().cast(dtype, strict=False)
    bad = parsed.is_null()
    if bad.any():
        index = int(bad.arg_max())
        raise InvalidInput(f"line {index + 2}: {raw[index]!r} is not a number", field=column)
    return parsed


def check_pipeline(frame: pl.DataFrame) -> pl.DataFrame:
    """The pipeline with typed columns, or a refusal naming the first bad column and line."""
    missing = [c for c in PIPELINE_COLUMNS if c not in frame.columns]
    if missing:
        raise InvalidInput(
            f"the pipeline lacks column(s) {', '.join(missing)} "
            f"(needs {','.join(PIPELINE_COLUMNS)})",
            field=missing[0],
        )
    if frame.height == 0:
        raise InvalidInput("the pipeline has no rows", field="pipeline")
    project = frame.get_column("project").cast(pl.Utf8).str.strip_chars()
    empty = project.is_null() | (project == "")
    if empty.any():
        raise InvalidInput(f"line {int(empty.arg_max()) + 2}: empty project name", field="project")
    typed = pl.DataFrame(
        {
            "project": project,
            "priority": _numbers(frame, "priority", pl.Float64),
            "requested_year": _numbers(frame, "requested_year", pl.Int64),
            "amount_usd": _numbers(frame, "amount_usd", pl.Float64),
        }
    )
    finite_frame(typed, ["priority", "amount_usd"])
    low, high = YEAR_RANGE
    for column, bad, reason in (
        ("amount_usd", typed["amount_usd"] <= 0, "must be above zero"),
        (
            "requested_year",
            (typed["requested_year"] < low) | (typed["requested_year"] > high),
            f"must be a year from {low} to {high}",
        ),
    ):
        if bad.any():
            index = int(bad.arg_max())
            raise InvalidInput(f"line {index + 2}: {typed[column][index]} {reason}", field=column)
    return typed


def read_pipeline(path: Path) -> pl.DataFrame:
    """Read and check a pipeline CSV (all columns as text first, so a typo is named, not coerced)."""
    if not path.is_file():
        raise InvalidInput(f"{path} is not a readable file", field="pipeline")
    try:
        frame = pl.read_csv(path, infer_schema=False)
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as exc:
        reason = " ".join(str(exc).split())[:200]
        raise InvalidInput(f"{path} is not a readable CSV ({reason})", field="pipeline") from None
    return check_pipeline(frame)
