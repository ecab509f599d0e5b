"""``tiro facts``: the report's own figures, with the section each comes from."""

from __future__ import annotations

import typer

from tiro.cli.output import JSON_OPTION, console, emit, table
from tiro.core.report_facts import fact, facts_under

app = typer.Typer(help="Facts stated in the report (2026-05-27), each with its section.")


@app.command("show")
def show(
    key: str = typer.Argument(..., help="Dotted fact key, e.g. trade.exports.total_2025."),
    as_json: bool = JSON_OPTION,
) -> None:
    """One fact: value, unit, label, section and the quote to find it by."""
    data = fact(key).as_dict()
    emit(
        data,
        as_json,
        lambda d: console.print(
            table(
                key,
                ["value", "unit", "section", "as of"],
                [[d["value"], d["unit"], d["section"], d["as_of"]]],
            )
        ),
    )


@app.command("list")
def list_(
    prefix: str = typer.Argument("", help="Only keys starting with this prefix."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Every fact under a prefix."""
    rows = [f.as_dict() for f in facts_under(prefix)]
    emit(
        rows,
        as_json,
        lambda r: console.print(
            table(
                "report facts",
                ["key", "value", "unit", "section"],
                [[x["key"], x["value"], x["unit"], x["section"]] for x in r],
            )
        ),
    )
