"""Batch pricing (일괄 관세 계산) of declaration files: CSV or Parquet in, Parquet out.

The file is priced in chunks by the same engine as a single quote; each chunk is appended to
the Parquet output as a row group, so memory stays bounded by the chunk, and a progress callback
reports rows done. Bad rows go to ``<out>.errors.csv`` with the field and the reason; they never
stop the batch.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from tiro.core.errors import InvalidInput
from tiro.tariff.engine import OUTPUT_COLUMNS, price
from tiro.tariff.lines import COLUMN_NAMES
from tiro.tariff.measure_data import load_measure_set

CHUNK_ROWS = 1_000_000


@dataclass(frozen=True)
class BatchSummary:
    """What a batch run did."""

    input: str
    output: str
    error_file: str | None
    scenario: str
    rows: int
    priced: int
    errors: int
    needs: int
    total_duty: float
    seconds: float

    def as_dict(self) -> dict[str, object]:
        """JSON-ready summary."""
        return dict(self.__dict__)


def read_lines(path: Path) -> pl.DataFrame:
    """Read a declaration file; CSV is read as text so a bad cell is a row error, not a crash."""
    if not path.exists():
        raise InvalidInput(f"no such file: {path}", field="input")
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return pl.read_parquet(path)
    if suffix == ".csv":
        return pl.read_csv(path, infer_schema=False)
    raise InvalidInput(f"expected a .csv or .parquet file, got {path.name}", field="input")


def error_path_for(out: Path) -> Path:
    """Where the bad rows of a batch go: next to the output."""
    return out.with_name(out.stem + ".errors.csv")


def price_frame(
    df: pl.DataFrame, *, scenario: str | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Price a whole frame in memory: (priced lines with quote columns, error rows)."""
    ms = load_measure_set(scenario)
    p = price(df, ms)
    return p.lines.select(output_columns(p.lines)), p.errors


def price_arrow_batches(
    batches: Iterable[pa.RecordBatch], *, scenario: str | None = None
) -> Iterator[pa.RecordBatch]:
    """Price Arrow record batches one by one — the shape Spark's ``mapInArrow`` calls per
    partition (DESIGN.md: national-scale data runs the same Polars code partition by partition).
    Bad rows are dropped from the output; ``line_id`` counts within each batch."""
    ms = load_measure_set(scenario)
    for batch in batches:
        p = price(pl.from_arrow(pa.Table.from_batches([batch])), ms)
        yield from p.lines.select(output_columns(p.lines)).to_arrow().to_batches()


def output_columns(lines: pl.DataFrame) -> list[str]:
    """Input columns as declared, then the quote columns (issue 3 item 5)."""
    return ["line_id", *[c for c in COLUMN_NAMES if c in lines.columns], *OUTPUT_COLUMNS]


def run_batch(
    source: Path,
    out: Path,
    *,
    scenario: str | None = None,
    chunk_rows: int = CHUNK_ROWS,
    progress: Callable[[int, int], None] | None = None,
) -> BatchSummary:
    """Price ``source`` into ``out`` (Parquet) chunk by chunk; bad rows to the error file."""
    if out.suffix.lower() != ".parquet":
        raise InvalidInput("the output must be a .parquet file", field="out")
    started = time.perf_counter()
    ms = load_measure_set(scenario)
    frame = read_lines(source)
    total = frame.height
    writer: pq.ParquetWriter | None = None
    errors: list[pl.DataFrame] = []
    priced = needs = 0
    duty = 0.0
    try:
        for offset in range(0, max(total, 1), chunk_rows):
            chunk = frame.slice(offset, chunk_rows)
            if chunk.height == 0:
                break
            p = price(chunk, ms)
            lines = p.lines.select(output_columns(p.lines)).with_columns(
                (pl.col("line_id").cast(pl.Int64) + offset).alias("line_id")
            )
            table = lines.to_arrow()
            writer = writer or pq.ParquetWriter(out, table.schema, write_statistics=False)
            writer.write_table(table)
            errors.append(
                p.errors.with_columns((pl.col("line_id").cast(pl.Int64) + offset).alias("line_id"))
            )
            priced += lines.height
            needs += lines.filter(pl.col("needs") != "").height
            duty += float(lines["total_duty"].sum() or 0.0)
            if progress:
                progress(offset + chunk.height, total)
    finally:
        if writer is not None:
            writer.close()
    if writer is None:
        raise InvalidInput("the input file has no rows", field="input")
    bad = pl.concat(errors, how="diagonal_relaxed") if errors else pl.DataFrame()
    error_file = None
    error_path_for(out).unlink(missing_ok=True)
    if bad.height:
        error_file = error_path_for(out)
        bad.write_csv(error_file)
    return BatchSummary(
        str(source),
        str(out),
        None if error_file is None else str(error_file),
        ms.scenario,
        total,
        priced,
        bad.height,
        needs,
        round(duty, 2),
        round(time.perf_counter() - started, 3),
    )
