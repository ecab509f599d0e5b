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
from rich.console import Console, Group, RenderableType
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


def no_negative_zero(data: Any) -> Any:
    """Nested data with every ``-0.0`` as ``0.0``: a sign on zero is an artefact of the
    arithmetic (``-0 * rate``, a rounded tiny negative), never a fact a reader should see."""
    if isinstance(data, float):
        return 0.0 if data == 0 else data
    if isinstance(data, dict):
        return {key: no_negative_zero(value) for key, value in data.items()}
    if isinstance(data, list):
        return [no_negative_zero(value) for value in data]
    return data


_ZERO = re.compile(r"^-([^1-9]*)$")


def plain_zero(text: str) -> str:
    """A formatted number without the minus of a zero (``-0.00%`` -> ``0.00%``, ``-0`` -> ``0``)."""
    return _ZERO.sub(r"\1", text)


def money_to_cents(frame: Any, columns: Sequence[str]) -> Any:
    """``frame`` with its money ``columns`` rounded to the cent, for display only.

    An engine keeps full precision; a sum or a difference of floats carries binary noise
    (179099999999.99997) that no currency unit can mean, so the output layer rounds it away.
    """
    import polars as pl

    return frame.with_columns(pl.col(list(columns)).round(2))


def to_json(data: Any) -> str:
    """JSON with dates, Decimals and Polars frames handled; Korean kept readable; no ``-0.0``."""
    from tiro.core.validation import json_safe

    plain = json.loads(json.dumps(data, default=_default, ensure_ascii=False))
    tidy = no_negative_zero(json_safe(plain))
    return json.dumps(tidy, ensure_ascii=False, indent=2, allow_nan=False)


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
        return plain_zero(f"{value:,.4f}".rstrip("0").rstrip("."))
    if isinstance(value, dict | list):
        return to_json(value).replace("\n", " ")
    return "" if value is None else str(value)


def generic_render(data: Any) -> None:
    """A table for commands without a bespoke one: rows of dicts, or a dict of fields."""
    if isinstance(data, list) and data and all(isinstance(r, dict) for r in data):
        console.print(records("", data))
    elif isinstance(data, dict):
        console.print(table("", ["field", "value"], [[k, _cell(v)] for k, v in data.items()]))
    else:
        typer.echo(to_json(data))


#: A cell that must never be broken or cut: a number, date, code or id (no space inside).
_ATOMIC_MAX = 16
_NUMBER = re.compile(r"^[-+−]?[$₩]?[\d,]*\.?\d+(%|pp|x|bn|mn)?$")


def _pieces(header: str) -> list[tuple[str, bool]]:
    """A header's break points: words, and snake_case words after each ``_`` (glued)."""
    out: list[tuple[str, bool]] = []
    for word in header.split():
        parts = re.findall(r"[^_]+_?|_", word)
        out += [(part, k > 0) for k, part in enumerate(parts)]
    return out


def _header_lines(header: str, width: int, fold: bool = False) -> str:
    """Break a header between words (or after a ``_``) to fit ``width``; ``fold`` cuts words."""
    lines: list[str] = []
    for piece, glued in _pieces(header):
        joined = (lines[-1] if lines else "") + ("" if glued else " ") + piece
        if lines and cell_len(joined) <= width:
            lines[-1] = joined
        else:
            lines.append(piece)
    if fold:
        lines = [_fold(line, width) for line in lines]
    return "\n".join(lines) or header


def _fold(text: str, width: int) -> str:
    """Cut ``text`` into lines of at most ``width`` cells (a header longer than its column)."""
    lines = [""]
    for ch in text:
        if lines[-1] and cell_len(lines[-1] + ch) > width:
            lines.append("")
        lines[-1] += ch
    return "\n".join(lines)


def _narrowest_header(header: str) -> int:
    return max([cell_len(p) for p, _ in _pieces(header)] + [1])


def table(
    title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], width: int | None = None
) -> Table:
    """A rich table with string cells that fits a narrow terminal without losing text.

    Numbers, dates and codes (cells without a space) keep their full width and never wrap,
    numbers align right. When the table is wider than ``width`` (default: the console's),
    their headers break between words, and the prose columns share the width left in
    proportion to their longest cell, none narrower than its longest word (up to 15):
    rich's own collapse makes a short and a long column equally narrow and cuts dates.
    Only a table too wide even so lets its widest codes, then numbers, fold. Nothing is
    ever cut to "…" or cropped: a cell too long for its column folds onto the next line.
    """
    cells = [["" if cell is None else str(cell) for cell in row] for row in rows]
    specs: list[tuple[str, int | None, bool]] = []  # header, atomic width, numeric
    for i, column in enumerate(columns):
        values = [row[i] for row in cells if i < len(row) and row[i]]
        atomic = bool(values) and all(
            (cell_len(v) <= _ATOMIC_MAX or _NUMBER.match(v)) and not any(c.isspace() for c in v)
            for v in values
        )
        numeric = atomic and all(_NUMBER.match(v) or v in {"-", "—", "?"} for v in values)
        specs.append((str(column), max(map(cell_len, values)) if atomic else None, numeric))
    total = width or console.width
    overhead = 3 * len(specs) + 1
    natural = sum(
        max(cell_len(h), w if w is not None else _longest(cells, i))
        for i, (h, w, _) in enumerate(specs)
    )
    squeeze = natural + overhead > total
    # Header width per atomic column: its longest word; folded mid-word only where needed.
    head = {i: _narrowest_header(h) for i, (h, w, _) in enumerate(specs) if w is not None}
    while squeeze:  # then the longest headers fold; last, the widest code (or number) column
        fixed = sum(max(w, head[i]) for i, (_, w, _) in enumerate(specs) if w is not None)
        prose = sum(1 for _, w, _ in specs if w is None)
        if fixed + overhead + 6 * prose <= total or not head:
            break
        over = {i: head[i] - max(specs[i][1], 3) for i in head}
        i = max(over, key=lambda k: over[k])
        if over[i] > 0:
            head[i] = max(specs[i][1], 3)
            continue
        i = max(head, key=lambda k: (not specs[k][2], specs[k][1]))
        specs[i] = (specs[i][0], None, specs[i][2])
        del head[i]
    prose_widths = _share(cells, specs, total, head) if squeeze else {}
    out = Table(title=title)
    for i, (header, atomic_width, numeric) in enumerate(specs):
        justify = "right" if numeric else "left"
        if atomic_width is None:
            out.add_column(header, overflow="fold", width=prose_widths.get(i), justify=justify)
            continue
        out.add_column(
            _header_lines(header, max(atomic_width, head[i]), head[i] < _narrowest_header(header))
            if squeeze
            else header,
            overflow="fold",
            no_wrap=True,
            min_width=atomic_width,
            justify=justify,
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
    cells: list[list[str]],
    specs: list[tuple[str, int | None, bool]],
    total: int,
    head: dict[int, int],
) -> dict[int, int]:
    """Widths of the prose columns: each its longest word (≤ 15), the rest shared by need."""
    fixed = sum(max(w, head[i]) for i, (_, w, _) in enumerate(specs) if w is not None)
    left = total - fixed - 3 * len(specs) - 1
    prose = [i for i, (_, w, _) in enumerate(specs) if w is None]
    if not prose:
        return {}
    floor = {
        i: max(min(max(_longest(cells, i, "word"), _narrowest_header(specs[i][0])), 15), 1)
        for i in prose
    }
    want = {i: max(_longest(cells, i), cell_len(specs[i][0]), floor[i]) for i in prose}
    if sum(floor.values()) > left:  # too many columns: narrower floors, never below 6
        scale = max(left, 0) / sum(floor.values())
        floor = {i: max(int(f * scale), min(f, 6)) for i, f in floor.items()}
    spare = max(left - sum(floor.values()), 0)
    need = sum(want[i] - floor[i] for i in prose) or 1
    widths = {i: floor[i] + min(want[i] - floor[i], spare * (want[i] - floor[i]) // need)
              for i in prose}  # fmt: skip
    return widths


def _figure(value: Any) -> str:
    """A float for a person: whole above 1,000, one decimal above 100, else up to four."""
    if isinstance(value, float) and not isinstance(value, bool):
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        if abs(value) >= 100:
            return f"{value:,.1f}"
    return _cell(value)


def _fits(columns: Sequence[str], cells: list[list[str]], width: int) -> bool:
    """Whether ``table`` can lay these out in ``width`` without folding a code or number."""
    need = 3 * len(columns) + 1
    for i, header in enumerate(columns):
        values = [row[i] for row in cells if row[i]]
        widest_word = max([cell_len(w) for v in values for w in v.split()] + [1])
        need += max(_narrowest_header(header), min(widest_word, 15 if any(
            any(c.isspace() for c in v) for v in values) else widest_word))  # fmt: skip
    return need <= width


def records(title: str, rows: list[dict], width: int | None = None) -> RenderableType:
    """Rows of dicts (a data table) laid out to fit ``width`` (default: the console's).

    A column with one value in every row is said once under the table; a table still too
    wide is turned on its side when it has a few records (one column per record), else
    split into column groups that each repeat the first column. Nothing is cut.
    """
    total = width or console.width
    keys = list(dict.fromkeys(k for row in rows for k in row))
    if not keys:
        return Text(f"{title}: no rows")
    cells = [[_figure(row.get(k)) for k in keys] for row in rows]
    same = (
        [i for i in range(1, len(keys)) if len({row[i] for row in cells}) == 1]
        if len(rows) > 1
        else []
    )
    footer = details("", [(keys[i], cells[0][i]) for i in same]) if same else None
    keep = [i for i in range(len(keys)) if i not in same]
    columns, cells = [keys[i] for i in keep], [[row[i] for i in keep] for row in cells]
    parts: list[RenderableType] = []
    if _fits(columns, cells, total):
        parts.append(table(title, columns, cells, width=total))
    elif len(rows) <= 4:
        side = [[columns[i], *(row[i] for row in cells)] for i in range(1, len(columns))]
        heads = ["", *(row[0] for row in cells)]
        parts.append(table(f"{title} ({columns[0]})", heads, side, width=total))
    else:
        groups: list[list[int]] = [[]]
        for i in range(1, len(columns)):
            trial = [0, *groups[-1], i]
            if groups[-1] and not _fits(
                [columns[k] for k in trial], [[row[k] for k in trial] for row in cells], total
            ):
                groups.append([])
            groups[-1].append(i)  # fmt: skip
        for n, group in enumerate(groups, 1):
            picked = [0, *group]
            parts.append(
                table(f"{title} ({n}/{len(groups)})", [columns[k] for k in picked],
                      [[row[k] for k in picked] for row in cells], width=total)
            )  # fmt: skip
    if footer is not None:
        parts.append(footer)
    return Group(*parts)


def details(title: str, items: Iterable[tuple[str, str]]) -> Table:
    """A details section: a short key and a long text that wraps under itself.

    For what does not fit in a table cell at 80 columns (a legal basis, an explanation):
    the text gets the whole width left of the key, with a hanging indent, instead of a
    column a few characters wide.
    """
    out = Table.grid(padding=(0, 1))
    out.title = title or None
    out.title_justify = "left"
    # A key wraps past a third of the width, so one long key does not starve every text.
    out.add_column(max_width=max(12, console.width // 3), overflow="fold")
    out.add_column(overflow="fold")
    for key, text in items:
        out.add_row(Text(key), Text(text))  # plain text: a "[...]" in a citation is not markup
    return out


def cli_actor(explicit: str | None = None) -> str:
    """Who a CLI change is audited as: --actor, else TIRO_USER, else the OS user."""
    return explicit or os.environ.get("TIRO_USER") or f"cli:{getpass.getuser()}"
