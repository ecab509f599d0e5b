"""``tiro tariff batch`` and ``tiro tariff import-hts``: the commands that read and write files.

Registered on the ``tiro tariff`` app by ``tiro.cli.tariff``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from tiro.cli.output import JSON_OPTION, console, emit, table
from tiro.core.errors import InvalidInput

# The batch engine (Polars, PyArrow) is imported inside the commands: loading ``tiro tariff``
# must not cost a second before any command runs (issue 10). This is
# ``tiro.tariff.batch.stream.COMPRESSION``; a test keeps the two equal.
COMPRESSION = "lz4"

HTS_TABLE_OPTION = typer.Option(
    None,
    "--hts-table",
    help="Column-1 rates to use instead of the shipped HTS revisions: a USITC HTS JSON export, or a "
    "table written by `tiro tariff import-hts` (.csv/.parquet).",
)


def batch_cmd(
    source: Path = typer.Argument(
        ...,
        help="Declaration lines, .csv or .parquet (hts, origin, entry_date, customs_value, ...).",
    ),
    out: Path = typer.Option(..., "--out", help="Output .parquet with the quote columns added."),
    scenario: str | None = typer.Option(None, "--scenario", help="Scenario name or overlay YAML."),
    chunk_rows: int = typer.Option(1_000_000, "--chunk-rows", help="Rows priced per chunk."),
    hts_table: Path | None = HTS_TABLE_OPTION,
    compression: str = typer.Option(
        COMPRESSION, "--compression", help="Parquet codec: lz4, zstd, snappy or uncompressed."
    ),
    columns: str | None = typer.Option(
        None,
        "--columns",
        help="Comma-separated output columns to write (default: line_id, the input columns, "
        "the quote columns, not_modelled, pricing_key); fewer columns write faster.",
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Price a file of declaration lines; bad rows go to OUT.errors.csv (the batch goes on), the legal basis per pricing key to OUT.measures.parquet."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from tiro.tariff.batch.stream import run_batch
    from tiro.tariff.schedule.usitc_json import read_hts_table

    rates = None if hts_table is None else read_hts_table(hts_table)
    with Progress(
        TextColumn("일괄 계산 pricing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=as_json,
    ) as bar:
        task = bar.add_task("batch", total=None)
        summary = run_batch(
            source,
            out,
            scenario=scenario,
            chunk_rows=chunk_rows,
            # --json shows no bar: no progress callback, so no row count (a pass over a CSV)
            progress=None
            if as_json
            else lambda done, total: bar.update(task, completed=done, total=total),
            hts_table=rates,
            compression=compression,
            columns=None if columns is None else columns.split(","),
        )

    def render(s: dict[str, Any]) -> None:
        console.print(
            table("일괄 계산 결과 Batch result", ["item", "value"], [[k, v] for k, v in s.items()])
        )

    emit(summary.as_dict(), as_json, render)


def import_hts_cmd(
    export: Path = typer.Argument(
        ..., help="USITC HTS JSON export (hts.usitc.gov → Export → JSON), whole or one chapter."
    ),
    out: Path = typer.Option(..., "--out", help="Rate table to write (.csv or .parquet)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Import a USITC HTS JSON export into a column-1 rate table for --hts-table."""
    from tiro.tariff.batch.readers import writable_target
    from tiro.tariff.schedule.usitc_json import import_usitc_json

    suffix = out.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise InvalidInput("the rate table must be a .csv or .parquet file", field="out")
    writable_target(out, "out")
    rates = import_usitc_json(export)
    if suffix == ".csv":
        rates.write_csv(out)
    elif suffix == ".parquet":
        rates.write_parquet(out)
    else:
        raise InvalidInput("the rate table must be a .csv or .parquet file", field="out")
    summary = {
        "export": str(export),
        "table": str(out),
        "rate_lines": rates.height,
        "chapters": sorted(rates["chapter"].unique().to_list()),
    }

    def render(s: dict[str, Any]) -> None:
        console.print(
            table(
                "HTS 세율표 가져오기 HTS import", ["item", "value"], [[k, v] for k, v in s.items()]
            )
        )

    emit(summary, as_json, render)


def register(app: typer.Typer) -> None:
    """Add the file commands to ``tiro tariff``."""
    app.command("batch")(batch_cmd)
    app.command("import-hts")(import_hts_cmd)
