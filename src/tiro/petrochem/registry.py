"""The cracker capacity registry: units, their dated status history and totals by date.

Totals count units *operating or idle* on the date (issue 15 item 1): a closed or suspended
unit, or a planned one before its start, is not national capacity. Everything is a Polars
join/filter over the whole table - one call answers any date.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

import tiro
from tiro.core.errors import InvalidInput, NotFound
from tiro.core.validation import MAX_MAGNITUDE, finite_frame
from tiro.petrochem.schemas import (
    COMPLEXES,
    COUNTED,
    DERIVATIVE_SCHEMA,
    EVENT_SCHEMA,
    FEEDSTOCKS,
    STATUSES,
    UNIT_SCHEMA,
)

DATA_DIR = Path(tiro.__file__).parent / "data" / "petrochem"


def _read(path: Path, schema: dict[str, pl.DataType], field: str) -> pl.DataFrame:
    """Read a CSV against its declared schema; any malformed file is one clear refusal."""
    if not path.is_file():
        raise InvalidInput(f"{path} is not a file", field=field)
    try:
        frame = pl.read_csv(
            path, comment_prefix="#", schema_overrides=schema, try_parse_dates=False
        )
    except (pl.exceptions.PolarsError, UnicodeDecodeError, OSError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InvalidInput(f"{path.name} cannot be read: {first}", field=field) from None
    missing = [c for c in schema if c not in frame.columns]
    if missing:
        raise InvalidInput(f"{path.name} lacks columns {missing}", field=field)
    return frame.select(list(schema)).with_columns(_line=_file_lines(path, frame.height))


def _file_lines(path: Path, rows: int) -> pl.Series:
    """The file line of each data row: the shipped files open with ``#`` comment lines (and
    may have more between rows), which the reader skips, so ``row + 2`` would be off by them.

    Polars gives every other physical line after the header a row (a blank line is a row of
    nulls); if the count disagrees (a quoted field across lines), rows are numbered as if
    the file had no comment lines.
    """
    text = path.read_bytes().split(b"\n")
    if text and text[-1] in (b"", b"\r"):
        text.pop()
    numbers = [i for i, line in enumerate(text, 1) if not line.startswith(b"#")][1:]
    if len(numbers) != rows:
        numbers = list(range(2, rows + 2))
    return pl.Series("_line", numbers, dtype=pl.Int64)


def _line(frame: pl.DataFrame, row: int) -> int:
    """The line of ``row`` in the file it came from (a frame built in memory: header + row)."""
    return int(frame["_line"][row]) if "_line" in frame.columns else row + 2


def _finite(frame: pl.DataFrame, columns: list[str]) -> None:
    """``finite_frame`` (NaN, infinity, absurd size refused, naming the column), at the
    row's real file line."""
    for name in columns:
        values = frame[name].cast(pl.Float64, strict=False)
        bad = (values.is_nan() | values.is_infinite() | (values.abs() > MAX_MAGNITUDE)).fill_null(
            False
        )
        if bad.any():
            row = int(bad.arg_max())
            finite_frame(frame[row].drop("_line", strict=False), [name],
                         line_offset=_line(frame, row))  # fmt: skip


def _refuse(frame: pl.DataFrame, bad: pl.Series, field: str, reason: str) -> None:
    if bad.fill_null(True).any():
        row = int(bad.fill_null(True).arg_max())
        raise InvalidInput(f"line {_line(frame, row)}: {reason}", field=field)


def validate_units(units: pl.DataFrame, field: str = "units") -> pl.DataFrame:
    """Refuse unknown complexes/feeds, non-positive capacities and duplicate unit ids."""
    _finite(units, ["capacity_kt", "capacity_low_kt", "capacity_high_kt"])
    _refuse(units, units["unit"].is_null(), field, "unit id is empty")
    _refuse(units, units["unit"].is_duplicated(), field, "unit id is repeated")
    _refuse(units, ~(units["capacity_kt"] > 0), field, "capacity_kt must be a positive number")
    _refuse(units, ~units["complex"].is_in(COMPLEXES), field, f"complex must be {COMPLEXES}")
    _refuse(units, ~units["feedstock"].is_in(FEEDSTOCKS), field, f"feedstock: {FEEDSTOCKS}")
    _refuse(units, units["company"].is_null(), field, "company is empty")
    return units


def validate_events(events: pl.DataFrame, units: pl.DataFrame) -> pl.DataFrame:
    """Refuse events of unknown units, unknown states, bad dates or non-positive capacity."""
    _finite(events, ["capacity_kt"])
    field = "unit_events"
    _refuse(events, ~events["unit"].is_in(units["unit"].to_list()), field, "unknown unit")
    _refuse(events, ~events["status"].is_in(STATUSES), field, f"status must be {STATUSES}")
    _refuse(events, events["date"].is_null(), field, "date is empty")
    _refuse(events, ~(events["capacity_kt"].fill_null(1) > 0), field, "capacity_kt must be > 0")
    twice = pl.struct("unit", "date").is_duplicated()
    repeated = events.select(twice).to_series()
    if repeated.any():  # which status holds that day would be up to the sort: refused
        row = int(repeated.arg_max())
        unit, day = events["unit"][row], events["date"][row]
        raise InvalidInput(
            f"line {_line(events, row)}: {unit} has two events on {day}", field=field
        )
    return events


def load_units(path: Path | None = None) -> pl.DataFrame:
    """The shipped unit table (or a user's file of the same schema), validated."""
    frame = _read(path or DATA_DIR / "units.csv", UNIT_SCHEMA, "units")
    return validate_units(frame).drop("_line")


def load_events(units: pl.DataFrame, path: Path | None = None) -> pl.DataFrame:
    """The dated status history, validated against the units."""
    frame = _read(path or DATA_DIR / "unit_events.csv", EVENT_SCHEMA, "unit_events")
    # validated in file order (lines as in the file), then sorted
    return validate_events(frame, units).drop("_line").sort(["unit", "date"])


def load_derivatives(path: Path | None = None) -> pl.DataFrame:
    """Integrated derivative plants (sourced rows only)."""
    frame = _read(path or DATA_DIR / "derivatives.csv", DERIVATIVE_SCHEMA, "derivatives")
    _finite(frame, ["capacity_kt"])
    _refuse(frame, ~(frame["capacity_kt"] > 0), "derivatives", "capacity_kt must be > 0")
    return frame.drop("_line")


def status_on(units: pl.DataFrame, events: pl.DataFrame, on: dt.date) -> pl.DataFrame:
    """Each unit's status and capacity on ``on``.

    Status is the last event on or before the date (``None`` before a unit's first event);
    a suspension whose ``until`` has passed reads as operating again. Capacity is the last
    stated capacity on or before the date, else the unit's table capacity.
    """
    past = events.filter(pl.col("date") <= on)
    last = past.group_by("unit").agg(
        pl.col("status").last(), pl.col("until").last(), pl.col("date").last().alias("since")
    )
    cap = (
        past.filter(pl.col("capacity_kt").is_not_null())
        .group_by("unit")
        .agg(pl.col("capacity_kt").last().alias("event_capacity_kt"))
    )
    lapsed = (pl.col("status") == "suspended") & pl.col("until").is_not_null()
    lapsed = lapsed & (pl.col("until") <= on)
    return (
        units.join(last, on="unit", how="left")
        .join(cap, on="unit", how="left")
        .with_columns(
            pl.when(lapsed).then(pl.lit("operating")).otherwise(pl.col("status")).alias("status"),
            pl.coalesce("event_capacity_kt", "capacity_kt").alias("capacity_kt"),
        )
        .with_columns(pl.col("status").is_in(COUNTED).fill_null(False).alias("counted"))
        .drop("event_capacity_kt")
    )


def capacity_totals(units: pl.DataFrame, events: pl.DataFrame, on: dt.date) -> dict[str, object]:
    """``{"date", "total_kt", "by_complex", "by_company"}`` of counted capacity on ``on``."""
    state = status_on(units, events, on).filter(pl.col("counted"))

    def grouped(key: str) -> dict[str, float]:
        table = state.group_by(key).agg(pl.col("capacity_kt").sum()).sort(key)
        return {k: float(v) for k, v in table.iter_rows()}

    by_complex = {c: 0.0 for c in COMPLEXES} | grouped("complex")
    return {
        "date": on.isoformat(),
        "total_kt": float(state["capacity_kt"].sum()),
        "by_complex": by_complex,
        "by_company": grouped("company"),
    }


def require_unit(units: pl.DataFrame, unit: str) -> pl.DataFrame:
    """The row of ``unit`` or a NotFound naming the known ids."""
    row = units.filter(pl.col("unit") == unit)
    if row.is_empty():
        raise NotFound(f"unknown unit {unit!r} (known: {', '.join(units['unit'])})", field="unit")
    return row


def sources_disagree(units: pl.DataFrame) -> pl.DataFrame:
    """Units whose published capacities differ by source (low != high)."""
    return units.filter(pl.col("capacity_low_kt") != pl.col("capacity_high_kt")).select(
        "unit", "capacity_kt", "capacity_low_kt", "capacity_high_kt", "note"
    )
