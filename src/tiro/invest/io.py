"""Reading a capital-call pipeline CSV: ``project,priority,requested_year,amount_usd``.

Every refusal names the column (and the file line, header = line 1) so a user can fix the
file; nothing is scheduled from a file with one bad cell.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.core.validation import finite_frame
from tiro.invest.limits import YEARS
from tiro.invest.schedule import PIPELINE_COLUMNS

#: Years a request may name (declared once in tiro.invest.limits).
YEAR_RANGE = YEARS


def _numbers(frame: pl.DataFrame, column: str, dtype: pl.DataType) -> pl.Series:
    raw = frame.get_column(column)
    parsed = raw.cast(pl.Utf8).str.strip_chars().cast(dtype, strict=False)
    bad = parsed.is_null()
    if bad.any():
        index = int(bad.arg_max())
        raise InvalidInput(f"line {index + 2}: {raw[index]!r} is not a number", field=column)
    return parsed


def refuse_repeats(lines: pl.DataFrame, *, first_line: int = 1) -> None:
    """One line per project and requested year in a user's pipeline: a repeat is called twice.

    The scheduler itself takes several tranches of one project-year (they are just lines);
    but in a file or a request body a row pasted twice is far likelier than two tranches
    meant apart, so input is refused and the user adds tranches into one line. Lines are
    numbered from ``first_line`` (2 for a CSV file, whose line 1 is the header).
    """
    repeated = lines.select(pl.struct("project", "requested_year").is_duplicated()).to_series()
    if repeated.any():
        index = lines.with_row_index().filter(repeated)
        key = index.row(0, named=True)
        again = index.filter(
            (pl.col("project") == key["project"])
            & (pl.col("requested_year") == key["requested_year"])
        ).row(1, named=True)
        raise InvalidInput(
            f"line {again['index'] + first_line} repeats line {key['index'] + first_line}: "
            f"project {key['project']!r} requests {key['requested_year']} twice "
            "(put one line per project and year)",
            field="pipeline",
        )


def check_pipeline(frame: pl.DataFrame) -> pl.DataFrame:
    """The pipeline with typed columns, or a refusal naming the first bad column and line."""
    missing = [c for c in PIPELINE_COLUMNS if c not in frame.columns]
    if missing:
        raise InvalidInput(
            f"the pipeline lacks column(s) {', '.join(missing)} "
            f"(needs {','.join(PIPELINE_COLUMNS)})",
            field=missing[0],
        )
    twice = [c for c in frame.columns if "_duplicated_" in c]  # polars renames a repeated name
    if twice:
        column = twice[0].split("_duplicated_")[0]
        raise InvalidInput(f"the header names column {column!r} twice", field=column)
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
    refuse_repeats(typed, first_line=2)
    return typed


def read_pipeline(path: Path) -> pl.DataFrame:
    """Read and check a pipeline CSV (all columns as text first, so a typo is named, not coerced)."""
    if not path.is_file():
        raise InvalidInput(f"{path} is not a readable file", field="pipeline")
    try:
        with path.open("rb") as head:
            start = head.read(4)
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}", field="pipeline") from None
    if start.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InvalidInput(f"{path} is UTF-16 text; save it as UTF-8", field="pipeline")
    try:
        frame = pl.read_csv(path, infer_schema=False)
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as exc:
        reason = " ".join(str(exc).split())[:200]
        raise InvalidInput(f"{path} is not a readable CSV ({reason})", field="pipeline") from None
    return check_pipeline(frame)
