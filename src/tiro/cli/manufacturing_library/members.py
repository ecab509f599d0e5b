"""``tiro manufacturing members``: library roles (라이브러리 역할) per organisation."""

from __future__ import annotations

import typer

from tiro.cli.manufacturing_library.common import call, lib, say
from tiro.cli.output import JSON_OPTION, cli_actor, console, emit, records
from tiro.cli.petrochem_common import ACTOR

members_app = typer.Typer(
    help="라이브러리 역할 Library members: owner, analyst, steward, auditor per organisation.",
    no_args_is_help=True,
)


@members_app.command("add")
def members_add(
    user: str = typer.Argument(..., help="A tiro user (see `tiro users add`)."),
    organisation: str = typer.Option(..., "--organisation", help="Organisation name."),
    role: str = typer.Option(..., "--role", help="owner, analyst, steward or auditor."),
    actor: str | None = ACTOR,
    as_json: bool = JSON_OPTION,
) -> None:
    """Give a user a library role in an organisation (admins; owners add analysts/auditors)."""
    data = call(lib("members").add_member, actor=cli_actor(actor), user=user,
                organisation=organisation, role=role)  # fmt: skip
    emit(data, as_json, say("{user} is {role} of {organisation}"))


@members_app.command("list")
def members_list(
    organisation: str | None = typer.Option(None, "--organisation", help="Only this one."),
    actor: str | None = ACTOR,
    as_json: bool = JSON_OPTION,
) -> None:
    """Library memberships."""
    data = call(lib("members").list_members, actor=cli_actor(actor), organisation=organisation)
    emit(data, as_json, lambda d: console.print(records("library members", d)))
