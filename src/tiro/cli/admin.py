"""``tiro db``, ``tiro users`` and ``tiro audit``: the database and who may change it."""

from __future__ import annotations

import typer

from tiro.cli.output import JSON_OPTION, cli_actor, console, emit, table
from tiro.core import auth
from tiro.core.audit import verify_chain
from tiro.core.db import session_scope
from tiro.core.errors import Conflict

db_app = typer.Typer(help="Database: migrations and reference data.")
users_app = typer.Typer(help="Users, roles and API tokens.")
audit_app = typer.Typer(help="The append-only, hash-chained audit trail.")


@db_app.command("upgrade")
def db_upgrade(as_json: bool = JSON_OPTION) -> None:
    """Apply every Alembic migration to the configured database."""
    from tiro.core import migrate  # Alembic: only for this command (issue 10: start-up time)

    head = migrate.upgrade()
    emit({"revision": head}, as_json, lambda d: console.print(f"database at revision {head}"))


@db_app.command("seed")
def db_seed(as_json: bool = JSON_OPTION) -> None:
    """Load each domain's reference data (idempotent: a second run adds nothing)."""
    from tiro.core.reference import seed_reference_data  # every domain's tables and data

    counts = seed_reference_data(actor=cli_actor())
    emit(
        counts,
        as_json,
        lambda d: console.print(table("reference data", ["domain", "rows"], d.items())),
    )


@users_app.command("add")
def users_add(
    name: str = typer.Argument(..., help="User name."),
    role: str = typer.Option(..., "--role", help="viewer, analyst, operator or admin."),
    actor: str | None = typer.Option(None, "--actor", help="Who is adding (audited)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Add a user with a role."""
    with session_scope() as session:
        user = auth.add_user(session=session, name=name, role=role, actor=cli_actor(actor))
        data = {"id": user.id, "name": user.name, "role": user.role}
    emit(data, as_json, lambda d: console.print(f"added {d['name']} ({d['role']})"))


@users_app.command("token")
def users_token(
    name: str = typer.Argument(..., help="User to issue a token for."),
    actor: str | None = typer.Option(None, "--actor", help="Who is issuing (audited)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Issue an API token; the secret is printed once and stored only as a hash."""
    with session_scope() as session:
        secret = auth.issue_token(session=session, name=name, actor=cli_actor(actor))
    emit({"name": name, "token": secret}, as_json, lambda d: typer.echo(d["token"]))


@users_app.command("revoke")
def users_revoke(
    name: str = typer.Argument(..., help="User whose tokens are revoked."),
    actor: str | None = typer.Option(None, "--actor", help="Who is revoking (audited)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Revoke every live token of a user."""
    with session_scope() as session:
        count = auth.revoke_tokens(session=session, name=name, actor=cli_actor(actor))
    emit({"name": name, "revoked": count}, as_json, lambda d: console.print(f"revoked {count}"))


@audit_app.command("verify")
def audit_verify(as_json: bool = JSON_OPTION) -> None:
    """Recompute the audit hash chain; exits non-zero at the first broken entry."""
    with session_scope() as session:
        report = verify_chain(session)
    emit(
        report.as_dict(),
        as_json,
        lambda d: console.print(
            f"{d['entries']} entries, chain {'intact' if d['ok'] else 'BROKEN'}"
        ),
    )
    if not report.ok:
        raise Conflict(f"audit chain broken at entry {report.first_bad_id}: {report.reason}")
