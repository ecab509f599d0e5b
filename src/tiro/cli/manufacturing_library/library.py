"""``tiro manufacturing library``: seed the shipped datasets; read the library's audit log."""

from __future__ import annotations

import typer

from tiro.cli.manufacturing_library.common import call, lib
from tiro.cli.output import JSON_OPTION, cli_actor, console, emit, records, table
from tiro.cli.petrochem_common import ACTOR

library_app = typer.Typer(
    help="데이터 라이브러리 The data library: seed the shipped datasets, read its audit log.",
    no_args_is_help=True,
)


@library_app.command("seed")
def library_seed(as_json: bool = JSON_OPTION) -> None:
    """Register the shipped real datasets as assets with sample owners and policies (once)."""
    data = call(lib("seed").seed_library)
    emit(data, as_json, lambda d: console.print(records("library seed", d)))


@library_app.command("audit")
def library_audit(
    limit: int = typer.Option(50, "--limit", help="Newest entries to show (1-1000)."),
    actor: str | None = ACTOR,
    as_json: bool = JSON_OPTION,
) -> None:
    """The library's audit entries, newest first (auditors and admins)."""
    data = call(lib("views").audit_trail, actor=cli_actor(actor), limit=limit)
    cols = ["id", "at", "actor", "action", "entity_id"]
    emit(data, as_json, lambda rows: console.print(table(
        f"library audit: {len(rows)}", cols, [[str(r[c]) for c in cols] for r in rows])))  # fmt: skip
