"""Output helpers shared by every command: JSON for machines, rich tables for people."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

import typer
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

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


#: A cell that must never be broken or cut: a number, date, code or id (no space inside).
_ATOMIC_MAX = 16
_NUMBER = re.compile(r"^[-+−]?[$₩]?[\d,]*\.?\d+(%|pp|x|bn|mn)?$")


def _header_lines(header: str, width: int) -> str:
    """Break a header at spaces so it is no wider than ``width`` (its longest word at least)."""
    lines: list[str] = []
    for word in header.split():
        if lines and cell_len(lines[-1]) + 1 + cell_len(word) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return "\n".join(lines) or header


def table(
    title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], width: int | None = None
) -> Table:
    """A rich table with string cells that fits a narrow terminal without losing text.

    Numbers, dates and codes (cells without a space) keep their full width and never wrap,
    numbers align right. When the table is wider than ``width`` (default: the console's),
    their headers break between words, and the prose columns share the width left in
    proportion to their longest cell, none narrower than its longest word (up to 15):
    rich's own collapse makes a short and a long column equally narrow and cuts dates.
    Nothing is ever cut to "…": a cell too long for its column folds onto the next line.
    """
    cells = [["" if cell is None else str(cell) for cell in row] for row in rows]
    specs: list[tuple[str, int | None, bool]] = []  # header, atomic width, numeric
    for i, column in enumerate(columns):
        values = [row[i] for row in cells if i < len(row) and row[i]]
        atomic = bool(values) and all(
            cell_len(v) <= _ATOMIC_MAX and not any(c.isspace() for c in v) for v in values
        )
        numeric = atomic and all(_NUMBER.match(v) or v in {"-", "—", "?"} for v in values)
        specs.append((str(column), max(map(cell_len, values)) if atomic else None, numeric))
    total = width or console.width
    natural = sum(
        max(cell_len(h), w if w is not None else _longest(cells, i))
        for i, (h, w, _) in enumerate(specs)
    )
    squeeze = natural + 3 * len(specs) + 1 > total
    prose_widths = _share(cells, specs, total) if squeeze else {}
    out = Table(title=title)
    for i, (header, atomic_width, numeric) in enumerate(specs):
        if atomic_width is None:
            out.add_column(header, overflow="fold", width=prose_widths.get(i))
            continue
        out.add_column(
            _header_lines(header, atomic_width) if squeeze else header,
            overflow="fold",
            no_wrap=True,
            min_width=atomic_width,
            justify="right" if numeric else "left",
        )
    for row in cells:
        out.add_row(*row)
    return out


def _longest(cells: list[list[str]], i: int, unit: str = "cell") -> int:
    """The widest cell (or word, ``unit="word"``) of column ``i``."""
    parts = (
        (row[i].split() if unit == "word" else row[i].splitlines() or [""])
        for row in cells
        if i < len(row)
    )
    return max([cell_len(p) for part in parts for p in part] + [0])


def _share(
    cells: list[list[str]], specs: list[tuple[str, int | None, bool]], total: int
) -> dict[int, int]:
    """Widths of the prose columns: each its longest word (≤ 15), the rest shared by need."""
    fixed = sum(max(w, _longest([[h]], 0, "word")) for h, w, _ in specs if w is not None)
    left = total - fixed - 3 * len(specs) - 1
    prose = [i for i, (_, w, _) in enumerate(specs) if w is None]
    floor = {
        i: max(min(max(_longest(cells, i, "word"), _longest([[specs[i][0]]], 0, "word")), 15), 1)
        for i in prose
    }
    want = {i: max(_longest(cells, i), cell_len(specs[i][0]), floor[i]) for i in prose}
    spare = max(left - sum(floor.values()), 0)
    need = sum(want[i] - floor[i] for i in prose) or 1
    widths = {i: floor[i] + min(want[i] - floor[i], spare * (want[i] - floor[i]) // need)
              for i in prose}  # fmt: skip
    return widths


def details(title: str, items: Iterable[tuple[str, str]]) -> Table:
    """A details section: a short key (never broken) and a long text that wraps under itself.

    For what does not fit in a table cell at 80 columns (a legal basis, an explanation):
    the text gets the whole width left of the key, with a hanging indent, instead of a
    column a few characters wide.
    """
    out = Table.grid(padding=(0, 1))
    out.title = title or None
    out.title_justify = "left"
    out.add_column(no_wrap=True)
    out.add_column(overflow="fold")
    for key, text in items:
        out.add_row(Text(key), Text(text))  # plain text: a "[...]" in a citation is not markup
    return out


def cli_actor(explicit: str | None = None) -> str:
    """Who a CLI change is audited as: --actor, else TIRO_USER, else the OS user."""
    return explicit or os.environ.get("TIRO_USER") or f"cli:{getpass.getuser()}"
