"""Output helpers shared by every command: JSON for machines, rich tables for people."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

console = Console()
JSON_OPTION = typer.Option(False, "--json", help="Print machine-readable JSON instead of a table.")


def _default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if hasattr(value, "as_dict"):
        return value.as_dict()
    if hasattr(value, "to_dicts"):
        return value.to_dicts()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def to_json(data: Any) -> str:
    """JSON with dates, Decimals and Polars frames handled; Korean kept readable."""
    from tiro.core.validation import json_safe

    plain = json.loads(json.dumps(data, default=_default, ensure_ascii=False))
    return json.dumps(json_safe(plain), ensure_ascii=False, indent=2, allow_nan=False)


def emit(data: Any, as_json: bool, render: Callable[[Any], None] | None = None) -> None:
    """Print ``data`` as JSON, or as a human table (``render``, else a generic one)."""
    if as_json:
        typer.echo(to_json(data))
    elif render is not None:
        render(data)
    else:
        generic_render(data)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.4f}".rstrip("0").rstrip(".")
    if isinstance(value, dict | list):
        return to_json(value).replace("\n", " ")
    return "" if value is None else str(value)


def generic_render(data: Any) -> None:
    """A table for commands without a bespoke one: rows of dicts, or a dict of fields."""
    if isinstance(data, list) and data and all(isinstance(r, dict) for r in data):
        columns = list(dict.fromkeys(k for row in data for k in row))
        rows = [[_cell(row.get(c)) for c in columns] for row in data]
        console.print(table("", columns, rows))
    elif isinstance(data, dict):
        console.print(table("", ["field", "value"], [[k, _cell(v)] for k, v in data.items()]))
    else:
        typer.echo(to_json(data))


def table(title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Table:
    """A rich table with string cells."""
    out = Table(title=title)
    for column in columns:
        out.add_column(column)
    for row in rows:
        out.add_row(*("" if cell is None else str(cell) for cell in row))
    return out


def cli_actor(explicit: str | None = None) -> str:
    """Who a CLI change is audited as: --actor, else TIRO_USER, else the OS user."""
    return explicit or os.environ.get("TIRO_USER") or f"cli:{getpass.getuser()}"
