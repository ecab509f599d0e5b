"""Options and parsing shared by the ``tiro energy`` command modules."""

from __future__ import annotations

import datetime as dt
from typing import Any

import typer
from rich.table import Table

from tiro.cli.output import table
from tiro.core.errors import InvalidInput

KEY = typer.Option(..., "--key", help="Idempotency key: the same key returns the first result.")
ACTOR = typer.Option(None, "--actor", help="Who acts (audited); default TIRO_USER or OS user.")
SCENARIO = typer.Option(None, "--params-scenario", help="Parameter scenario overlay.")
PARAMS_SCENARIO = typer.Option(
    None, "--params-scenario", help="Parameter scenario overlay (name or YAML file)."
)


def fmt(v: object, nd: int = 1) -> str:
    """A float with thousands separators and ``nd`` decimals; anything else as text."""
    return f"{v:,.{nd}f}" if isinstance(v, float) else str(v)


def parse_day(value: str | None, field: str) -> dt.date:
    """A YYYY-MM-DD option as a date (today when omitted); a bad date names its option.

    ``field`` is the option as the user typed it (``--on``), so the one error line points at
    what to change.
    """
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{value!r} is not a date (YYYY-MM-DD)", field=field) from None


def ledger_table(
    title: str, columns: list[str], rows: list[list[Any]], numeric: set[int], keep: set[int]
) -> Table:
    """A rich table whose barrel figures and labels are never cut ("4,618,…" misleads).

    ``numeric`` columns are right-aligned; they and the ``keep`` columns (the `sample` label)
    keep their full width, and the other text columns wrap instead.
    """
    out = table(title, columns, rows)
    cells = [["" if c is None else str(c) for c in r] for r in rows]
    for i in numeric | keep:
        column = out.columns[i]
        column.min_width = max([len(r[i]) for r in cells] + [1])
        if i in numeric:
            column.justify = "right"
    return out
