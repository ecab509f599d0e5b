"""Batch pricing (일괄 관세 계산) of declaration files: CSV or Parquet in, Parquet out.

The file is streamed: Polars reads it in chunks, one ``Pricer`` prices each chunk (resolving each
pricing key once for the whole file) and Polars' streaming Parquet sink writes the priced chunks
as they come, so memory stays bounded by a few chunks and reading, pricing and writing overlap.
A progress callback reports rows done. Bad rows go to ``<out>.errors.csv`` with the field and the
reason; they never stop the batch. The legal basis of every line is in ``<out>.measures.parquet``:
one row per (pricing key, candidate measure) with its status, heading and citation, joined to the
lines by their ``pricing_key`` column — the explanation is kept once per key, not per line.

A CSV is read *typed* (``csv_typed.py``): Polars' reader parses the numbers on its threads and
reads the HTS code, origin, entry date and yes/no facts as categoricals, so each distinct text
is parsed and looked up once and the lines reach it by their dictionary code. Where that read
could answer differently from reading every cell as text (a cell the typed reader refuses, a
date text the strict ``YYYY-MM-DD`` parse rejects, a non-finite number whose message quotes
the cell), the whole file is priced again from text: slower, same answers.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl
from polars.io.plugins import register_io_source

from tiro.core.errors import InvalidInput
from tiro.core.memory import keep_freed_memory
from tiro.tariff.batch.broker_columns import (
    BROKER_COLUMNS,
    ENTRY_KEYS,
    broker_columns,
    check_inputs,
    entry_fees_pass,
    per_entry,
    wanted,
)
from tiro.tariff.batch.csv_typed import NotTyped, decode_chunk, scan_typed, stripped_numbers
from tiro.tariff.batch.readers import refusing_bad_content, writable_target
from tiro.tariff.measures.coverage import not_modelled_column
from tiro.tariff.measures.data import MeasureSet, load_measure_set
from tiro.tariff.pricing.engine import OUTPUT_COLUMNS, Priced, Pricer
from tiro.tariff.pricing.lines import COLUMN_NAMES

if TYPE_CHECKING:  # pyarrow costs ~0.1-0.7 s to import; only the Spark path needs it
    import pyarrow as pa

CHUNK_ROWS = 1_000_000
COMPRESSION = "lz4"  # ~2x cheaper to write than zstd, read as fast; the file is an interim result
EXPLAIN_COLUMNS = (
    "measure_id",
    "heading",
    "program",
    "status",
    "final_basis",
    "rate_kind",
    "rate_value",
    "specific_amount",
    "needs",
    "displaced_by",
    "split_by",
    "citation",
    "citation_href",
    "verified",
)


@dataclass(frozen=True)
class BatchSummary:
    """What a batch run did."""

    input: str
    output: str
    error_file: str | None
    measures_file: str
    scenario: str
    rows: int
    priced: int
    errors: int
    needs: int
    total_duty: float
    seconds: float
    incomplete: int = 0
    """Priced lines whose origin has programmes tiro does not model (their total is a floor)."""

    def as_dict(self) -> dict[str, object]:
        """JSON-ready summary."""
        return dict(self.__dict__)


def scan_lines(path: Path) -> pl.LazyFrame:
    """Scan a declaration file; CSV is read as text so a bad cell is a row error, not a crash."""
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}", field="input")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".parquet") and path.stat().st_size == 0:
        raise InvalidInput(f"{path.name} is empty", field="input")
    if suffix == ".parquet":
        return pl.scan_parquet(path)
    if suffix == ".csv":
        return pl.scan_csv(path, infer_schema=False)
    raise InvalidInput(f"expected a .csv or .parquet file, got {path.name}", field="input")


def read_lines(path: Path) -> pl.DataFrame:
    """Read a whole declaration file (see ``scan_lines``); unreadable content is refused."""
    lf = scan_lines(path)
    with refusing_bad_content("input", path):
        return lf.collect()


def file_lines(errors: pl.DataFrame, suffix: str) -> pl.DataFrame:
    """Error rows with ``line``, as a user finds them in the file: CSV lines count the header
    as line 1 (first data row = 2), Parquet rows count from 1."""
    first = 2 if suffix == ".csv" else 1
    return errors.select((pl.col("line_id") + first).alias("line"), pl.all())


def error_path_for(out: Path) -> Path:
    """Where the bad rows of a batch go: next to the output."""
    return out.with_name(out.stem + ".errors.csv")


def measures_path_for(out: Path) -> Path:
    """Where the per-key explanation table of a batch goes: next to the output."""
    return out.with_name(out.stem + ".measures.parquet")


OUTPUT_NAMES = (
    "line_id",
    *COLUMN_NAMES,
    *OUTPUT_COLUMNS,
    "not_modelled",
    "pricing_key",
    *BROKER_COLUMNS,
)
"""Every column a batch can write (``--columns`` chooses among them; the broker columns —
fees and AD/CVD deposits, ``broker_columns.py`` — only when asked for)."""


def output_columns(names: Sequence[str] | None) -> tuple[str, ...] | None:
    """The columns a user asked for, checked (None: today's full set)."""
    if names is None:
        return None
    chosen = tuple(dict.fromkeys(n.strip() for n in names if n.strip()))
    unknown = [n for n in chosen if n not in OUTPUT_NAMES]
    if unknown or not chosen:
        raise InvalidInput(
            f"unknown output column {', '.join(unknown) or '(none given)'}; choose among "
            + ", ".join(OUTPUT_NAMES),
            field="columns",
        )
    return chosen


def output_lines(
    p: Priced, columns: Sequence[str] | None = None, not_modelled: pl.Series | None = None
) -> pl.DataFrame:
    """Input columns as given, then the quote columns (issue 3 item 5), the programmes not
    modelled for the line's origin ('' for Korea: the total is complete; issue 9 item 22) and
    the pricing key — or only ``columns`` of these, in that order (writing less is cheaper);
    ``columns`` may name the broker columns (and their ``ENTRY_KEYS``) ``p.lines`` carries;
    ``not_modelled``: that column when the caller has computed it already."""
    if not_modelled is None:
        not_modelled = not_modelled_column(p.lines["origin"], p.lines["entry_date"], p.lines["hts"])
    every = {
        "line_id": pl.col("line_id"),
        **{c: pl.col(c) for c in (*p.input_columns, *OUTPUT_COLUMNS)},
        "not_modelled": not_modelled,
        "pricing_key": pl.col("key_id").alias("pricing_key"),
        **{c: pl.col(c) for c in (*BROKER_COLUMNS, *ENTRY_KEYS) if c in p.lines.columns},
    }
    if columns is not None:
        missing = [c for c in columns if c not in every]
        if missing:
            raise InvalidInput(
                f"{', '.join(missing)} is not a column of the input file", field="columns"
            )
        every = {c: every[c] for c in columns}
    return p.lines.select(list(every.values()))


def explanation_table(pricer: Pricer) -> pl.DataFrame:
    """Every candidate measure of every pricing key with its status and legal basis."""
    m = pricer.measures
    if m.height == 0:
        return pl.DataFrame(schema={"pricing_key": pl.UInt64, "measure_id": pl.Utf8})
    return m.select(
        pl.col("key_id").alias("pricing_key"),
        *[c for c in EXPLAIN_COLUMNS if c != "needs"],
        pl.col("needs").list.join(";"),
    ).sort("pricing_key", "heading", "measure_id", nulls_last=True)  # ties: by id, not by chance


def price_frame(
    df: pl.DataFrame,
    *,
    scenario: str | MeasureSet | None = None,
    hts_table: pl.DataFrame | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Price a whole frame in memory: (priced lines with quote columns, error rows)."""
    p = Pricer(load_measure_set(scenario), hts_table).price(df)
    return output_lines(p), p.errors


def price_arrow_batches(
    batches: Iterable[pa.RecordBatch], *, scenario: str | None = None
) -> Iterator[pa.RecordBatch]:
    """Price Arrow record batches one by one — the shape Spark's ``mapInArrow`` calls per
    partition (DESIGN.md: national-scale data runs the same Polars code partition by partition).
    Bad rows are dropped from the output; ``line_id`` counts within each batch."""
    import pyarrow as pa

    pricer = Pricer(load_measure_set(scenario))
    for batch in batches:
        p = pricer.price(pl.from_arrow(pa.Table.from_batches([batch])))
        yield from output_lines(p).to_arrow().to_batches()


def _row_count(lf: pl.LazyFrame) -> int:
    """Rows in the file, for the progress bar (Parquet: from the footer; CSV: a line count)."""
    return int(lf.select(pl.len()).collect().item())


class _Stream:
    """Prices the chunks of one file in order, collecting errors and totals on the way.
    ``typed``: the chunks come from ``csv_typed.scan_typed`` (a reader error is ``NotTyped``);
    ``text_csv``: text chunks of a CSV (numbers stripped of blanks, as the typed reader reads)."""

    def __init__(
        self,
        pricer: Pricer,
        chunks: Iterator[pl.DataFrame],
        total: int,
        progress: Callable[[int, int], None] | None,
        source: Path | None = None,
        *,
        columns: tuple[str, ...] | None = None,
        typed: bool = False,
        text_csv: bool = False,
        params: object = None,
        entries: bool = False,
    ) -> None:
        self.pricer, self.chunks, self.total, self.progress = pricer, chunks, total, progress
        self.source, self.columns, self.typed, self.text_csv = source, columns, typed, text_csv
        self.broker, self.params, self.entries = wanted(columns), params, entries
        self.errors: list[pl.DataFrame] = []
        self.rows = self.priced = self.needs = self.incomplete = 0
        self.duty = 0.0

    def _next_chunk(self) -> pl.DataFrame | None:
        if self.typed:
            try:
                chunk = next(self.chunks, None)
            except Exception as exc:  # any reader refusal: the text read decides what it is
                raise NotTyped(str(exc)) from exc
            return None if chunk is None else decode_chunk(chunk)
        with refusing_bad_content("input", self.source):  # reading only: a pricing bug stays one
            chunk = next(self.chunks, None)
        if chunk is not None and self.text_csv:
            chunk = stripped_numbers(chunk)
        return chunk

    def next_priced(self) -> pl.DataFrame | None:
        chunk = self._next_chunk()
        if chunk is None:
            return None
        p = self.pricer.price(chunk, offset=self.rows)
        lines = p.lines
        self.rows += chunk.height
        self.errors.append(p.errors)
        self.priced += lines.height
        self.needs += int(lines.select((pl.col("needs") != "").sum()).item())
        not_modelled = not_modelled_column(lines["origin"], lines["entry_date"], lines["hts"])
        self.incomplete += int((not_modelled != "").sum())
        self.duty += float(lines["total_duty"].sum() or 0.0)
        if self.progress:
            self.progress(self.rows, self.total)
        if not self.broker:
            return output_lines(p, self.columns, not_modelled)
        p = dataclasses.replace(
            p, lines=broker_columns(lines, self.broker, self.params, entries=self.entries)
        )
        if not self.entries:
            return output_lines(p, self.columns, not_modelled)
        # the per-entry MPF joins in the second pass (``entry_fees_pass``): carry its inputs
        first_pass = [c for c in self.columns or () if c != "mpf"]
        return output_lines(p, (*first_pass, *ENTRY_KEYS), not_modelled)


def run_batch(
    source: Path,
    out: Path,
    *,
    scenario: str | MeasureSet | None = None,
    chunk_rows: int = CHUNK_ROWS,
    progress: Callable[[int, int], None] | None = None,
    hts_table: pl.DataFrame | None = None,
    compression: str = COMPRESSION,
    columns: Sequence[str] | None = None,
    read_typed: bool = True,
) -> BatchSummary:
    """Price ``source`` into ``out`` (Parquet) chunk by chunk; bad rows to the error file.
    ``hts_table`` replaces the shipped column-1 rates; ``compression`` is the Parquet codec;
    ``columns`` the output columns to write (default: all, ``OUTPUT_NAMES`` order);
    ``read_typed=False`` reads a CSV as text only (the tests compare the two reads)."""
    if out.suffix.lower() != ".parquet":
        raise InvalidInput("the output must be a .parquet file", field="out")
    writable_target(out, "out")
    started = time.perf_counter()
    keep_freed_memory()
    if compression not in ("lz4", "zstd", "snappy", "uncompressed"):
        raise InvalidInput("use lz4, zstd, snappy or uncompressed", field="compression")
    chosen = output_columns(columns)
    scan_lines(source)  # refuses a missing, empty or unsupported file before any work
    broker = _broker_setup(source, scenario, chosen)
    one_pass = partial(
        _run,
        source,
        out,
        scenario,
        chunk_rows,
        progress,
        hts_table,
        compression,
        chosen,
        started,
        broker,
    )
    if read_typed and source.suffix.lower() == ".csv":
        try:
            return one_pass(typed=True)
        except NotTyped:
            pass  # priced again from text below: slower, same answers
    return one_pass(typed=False)


def _broker_setup(
    source: Path, scenario: str | MeasureSet | None, columns: tuple[str, ...] | None
) -> tuple[object, bool]:
    """(the fee parameters, whether the MPF is per entry) when broker columns are asked for;
    a broker column the input cannot feed is refused before any work."""
    chosen = wanted(columns)
    if not chosen:
        return None, False
    from tiro.core.parameters import get_params

    with refusing_bad_content("input", source):
        names = scan_lines(source).collect_schema().names()
    given = [c for c in COLUMN_NAMES if c in names]
    check_inputs(chosen, given)
    # the fee parameters of the scenario a quote would use (a measure set object: baseline)
    params = get_params(scenario if isinstance(scenario, str) else None)
    return params, per_entry(chosen, given)


def _run(
    source: Path,
    out: Path,
    scenario: str | MeasureSet | None,
    chunk_rows: int,
    progress: Callable[[int, int], None] | None,
    hts_table: pl.DataFrame | None,
    compression: str,
    columns: tuple[str, ...] | None,
    started: float,
    broker: tuple[object, bool],
    *,
    typed: bool,
) -> BatchSummary:
    """One pass over the file (``run_batch``); typed: ``NotTyped`` ends it, nothing kept.
    The reader starts first: it reads the first chunk on Polars' threads while the rules load
    (cached after the first call) and the pricer is built."""
    csv = source.suffix.lower() == ".csv"
    params, entries = broker
    if typed:
        try:
            lf = scan_typed(source)
            total = _row_count(lf) if progress else 0  # a count reads the whole CSV once more
            batches = iter(lf.collect_batches(chunk_size=chunk_rows))
        except Exception as exc:
            raise NotTyped(str(exc)) from exc
    else:
        lf = scan_lines(source)
        with refusing_bad_content("input", source):
            total = _row_count(lf) if progress else 0
            batches = iter(lf.collect_batches(chunk_size=chunk_rows))
    try:
        pricer = Pricer(load_measure_set(scenario), hts_table)
    except BaseException:
        del batches  # a bad scenario: the reader's work is dropped
        raise
    stream = _Stream(
        pricer,
        batches,
        total,
        progress,
        source,
        columns=columns,
        typed=typed,
        text_csv=csv and not typed,
        params=params,
        entries=entries,
    )
    first = stream.next_priced()
    if first is None:
        raise InvalidInput("the input file has no rows", field="input")
    failure: list[BaseException] = []

    def chunks(*_: object) -> Iterator[pl.DataFrame]:
        yield first
        while True:
            try:
                lines = stream.next_priced()
            except Exception as exc:  # raised again below, outside Polars' sink
                failure.append(exc)
                return
            if lines is None:
                return
            yield lines

    # per-entry MPF: the lines go to an interim file first, the entries' fees join in a 2nd pass
    target = out.with_name(out.stem + ".entries.tmp.parquet") if entries else out
    try:
        register_io_source(chunks, schema=first.schema).sink_parquet(
            target, compression=compression, statistics=False
        )
        if entries and not failure:
            entry_fees_pass(target, out, columns or (), params, compression)
    finally:
        if entries:
            target.unlink(missing_ok=True)
    if failure:
        out.unlink(missing_ok=True)
        raise failure[0]
    explanation_table(pricer).write_parquet(measures_path_for(out))
    bad = pl.concat(stream.errors, how="diagonal_relaxed")
    error_file = error_path_for(out)
    error_file.unlink(missing_ok=True)
    if bad.height:
        file_lines(bad, source.suffix.lower()).write_csv(error_file)
    return BatchSummary(
        str(source),
        str(out),
        str(error_file) if bad.height else None,
        str(measures_path_for(out)),
        pricer.ms.scenario,
        stream.rows,
        stream.priced,
        bad.height,
        stream.needs,
        round(stream.duty, 2),
        round(time.perf_counter() - started, 3),
        stream.incomplete,
    )
