"""``tiro petrochem projects|advance``: the restructuring projects and their workflow.

Thin shell over tiro.petrochem.service; the projects live in the database (``tiro db seed``
loads the report's history).
"""

from __future__ import annotations

import typer

from tiro.cli.output import JSON_OPTION, cli_actor, console, emit, table
from tiro.cli.petrochem_common import ACTOR, parse_date


def projects_cmd(
    date: str | None = typer.Option(None, "--date", help="State on this date (default: now)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """사업재편 프로젝트 The restructuring projects, their units and dated steps."""
    from tiro.core.db import session_scope
    from tiro.petrochem import service

    on = parse_date(date) if date else None
    with session_scope() as session:
        data = service.list_projects(session=session, on=on)

    def render(d: list) -> None:
        rows = [
            [p["id"], p["complex"], ", ".join(p["participants"]), p["state"] or "-",
             p["state_since"] or "-", sum(u["capacity_kt"] for u in p["units"])]
            for p in d
        ]  # fmt: skip
        console.print(
            table(
                "Restructuring projects",
                ["id", "complex", "participants", "state", "since", "kt/y affected"],
                rows,
            )
        )

    emit(data, as_json, render)


def advance_cmd(
    project: str = typer.Argument(..., help="Project id (tiro petrochem projects lists them)."),
    to: str = typer.Option(..., "--to", help="Next state (e.g. approved)."),
    date: str | None = typer.Option(None, "--date", help="Date of the step (default today)."),
    role: str = typer.Option(..., "--role", help="Acting role: company, ministry or committee."),
    document: list[str] | None = typer.Option(
        None, "--document", help="A document of the step (repeatable)."
    ),
    actor: str | None = ACTOR,
    as_json: bool = JSON_OPTION,
) -> None:
    """단계 진행 Move a project one workflow step (dated, audited); wrong moves are refused."""
    from tiro.core.db import session_scope
    from tiro.petrochem import service

    with session_scope() as session:
        data = service.advance(
            session=session, project_id=project, to_state=to, on=parse_date(date), role=role,
            actor=cli_actor(actor), documents=document or [],
        )  # fmt: skip
    emit(
        data, as_json, lambda d: console.print(f"{d['id']}: {d['state']} since {d['state_since']}")
    )


def packages_cmd(
    date: str | None = typer.Option(None, "--date", help="Conditions checked on this date."),
    as_json: bool = JSON_OPTION,
) -> None:
    """지원패키지 Support items per project, conditions, disbursed, totals (KRW)."""
    from tiro.core.db import session_scope
    from tiro.petrochem import support

    with session_scope() as session:
        data = support.packages(session=session, on=parse_date(date))

    def render(d: dict) -> None:
        # At 80 columns: amounts in 억원 (KRW 100 m, as the report states them) and the kind
        # joined to the instrument, so the instrument text keeps a readable width.
        def eok(krw: int | None) -> str:
            return "-" if krw is None else f"{krw / 1e8:,.1f}".removesuffix(".0")

        rows = [
            [i["id"], i["project"], f"{i['kind']}: {i['instrument']}", eok(i["amount_krw"]),
             eok(i["disbursed_krw"]), "yes" if i["condition_met"] else "NO"]
            for p in d["projects"].values()
            for i in p["items"]
        ]  # fmt: skip
        columns = ["id", "project", "kind: instrument", "억원 KRW 100m", "disbursed 억원",
                   "condition met"]  # fmt: skip
        console.print(table(f"Support packages on {d['date']}", columns, rows))
        console.print(f"programme total priced KRW {d['programme']['amount_krw']:,}")

    emit(data, as_json, render)


def disburse_cmd(
    item: int = typer.Argument(..., help="Support item id (tiro petrochem packages lists them)."),
    amount_krw: int = typer.Option(..., "--amount-krw", help="Amount to disburse, won."),
    date: str | None = typer.Option(None, "--date", help="Date of the disbursement."),
    actor: str | None = ACTOR,
    as_json: bool = JSON_OPTION,
) -> None:
    """지원 집행 Disburse part of an item; refused when the condition is not met (audited)."""
    from tiro.core.db import session_scope
    from tiro.petrochem import support

    with session_scope() as session:
        data = support.disburse(
            session=session, item_id=item, amount_krw=amount_krw, on=parse_date(date),
            actor=cli_actor(actor),
        )  # fmt: skip
    emit(
        data, as_json, lambda d: console.print(f"item {d['id']}: disbursed {d['disbursed_krw']:,}")
    )


def register(app: typer.Typer) -> None:
    """Add the project and support-package commands to ``tiro petrochem``."""
    app.command("projects")(projects_cmd)
    app.command("advance")(advance_cmd)
    app.command("packages")(packages_cmd)
    app.command("disburse")(disburse_cmd)
