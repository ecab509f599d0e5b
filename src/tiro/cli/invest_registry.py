"""``tiro invest projects|submit|advance``: the MOU project registry and its pre-review."""

from __future__ import annotations

import typer

from tiro.cli.output import JSON_OPTION, cli_actor, console, emit, table
from tiro.core.errors import InvalidInput
from tiro.core.validation import finite

SCENARIO = typer.Option(None, "--scenario", help="Parameter scenario (name or YAML file).")


def _capital(text: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for item in (text or "").split(","):
        year, sep, amount = item.partition("=")
        if not sep:
            raise InvalidInput(
                f"{item.strip()!r} is not YEAR=USD (e.g. 2026=1e9,2027=2e9)", field="--capital"
            )
        if year.strip() in out:
            raise InvalidInput(f"year {year.strip()} is given twice", field="--capital")
        try:
            out[year.strip()] = finite(float(amount), "--capital")
        except ValueError:
            raise InvalidInput(f"{amount.strip()!r} is not a number", field="--capital") from None
    return out


def _document(text: str) -> dict[str, str]:
    title, _, href = text.partition("|")
    if not title.strip():
        raise InvalidInput(f"{text!r} needs a title (TITLE or TITLE|URL)", field="--document")
    if href and not href.strip().startswith(("http://", "https://")):
        raise InvalidInput(f"{href.strip()!r} is not an http(s) URL", field="--document")
    return {"title": title.strip(), **({"href": href.strip()} if href.strip() else {})}


def _print_projects(projects: list[dict]) -> None:
    rows = [
        [str(p["id"]), p["name"], p["sector"], p["state"], str(p["priority"]),
         f"{p['principal_usd'] / 1e9:,.2f}", p["data_label"]]
        for p in projects
    ]  # fmt: skip
    cols = ["id", "project", "sector", "state", "priority", "USD bn", "data"]
    console.print(table("MOU project registry", cols, rows))


def register(app: typer.Typer) -> None:
    """Add the registry commands to ``tiro invest``."""

    @app.command("projects")
    def projects_cmd(
        state: str | None = typer.Option(None, "--state", help="Only projects in this state."),
        sector: str | None = typer.Option(None, "--sector", help="Only projects in this sector."),
        as_json: bool = JSON_OPTION,
    ) -> None:
        """프로젝트 Registry of candidate projects, with their review steps."""
        from tiro.core.db import session_scope
        from tiro.invest.models import STATES
        from tiro.invest.service import list_projects

        if state is not None and state not in STATES:
            raise InvalidInput(
                f"unknown state {state!r} (states: {', '.join(STATES)})", field="--state"
            )
        if sector is not None:
            from tiro.cli.invest import _params
            from tiro.invest.terms import check_known_sector

            check_known_sector(_params(None), sector, "--sector")
        with session_scope() as session:
            data = list_projects(session=session, state=state, sector=sector)
        emit(data, as_json, _print_projects)

    @app.command("submit")
    def submit_cmd(
        name: str = typer.Option(..., "--name", help="Project name (unique)."),
        sector: str = typer.Option(..., "--sector", help="MOU sector (invest.mou.sectors)."),
        sponsor: str = typer.Option(..., "--sponsor", help="Sponsor."),
        capital: str = typer.Option(
            ..., "--capital", help="Capital by year: 2026=1e9,2027=2e9 (USD)."
        ),
        cash_flows: str = typer.Option(
            ..., "--cash-flows", help="Expected cash flows, years 1..N (USD)."
        ),
        supplier: list[str] = typer.Option(
            [], "--supplier", help="Korean vendor/supplier (repeat)."
        ),
        us_spv: str | None = typer.Option(None, "--us-spv", help="US special-purpose vehicle."),
        priority: int = typer.Option(0, "--priority", help="Higher is paid first."),
        notes: str | None = typer.Option(None, "--notes", help="Free-text notes."),
        document: list[str] = typer.Option(
            [], "--document", help="A filed document as TITLE or TITLE|URL (repeat)."
        ),
        on: str | None = typer.Option(None, "--on", help="Submission date (default today)."),
        actor: str | None = typer.Option(None, "--actor", help="Who the change is audited as."),
        scenario: str | None = SCENARIO,
        as_json: bool = JSON_OPTION,
    ) -> None:
        """제출 Register a candidate project (state submitted; audited)."""
        from tiro.cli.invest import _day, _numbers, _params
        from tiro.core.db import session_scope
        from tiro.invest.service import submit

        flows = _numbers(cash_flows, "--cash-flows")
        with session_scope() as session:
            data = submit(
                session=session, params=_params(scenario), actor=cli_actor(actor), name=name,
                sector=sector, sponsor=sponsor, capital=_capital(capital), cash_flows=flows,
                on=_day(on, "--on"), korean_suppliers=supplier, us_spv=us_spv,
                priority=priority, notes=notes, documents=[_document(d) for d in document],
            )  # fmt: skip
        emit(data, as_json, lambda d: console.print(f"project {d['id']} {d['name']}: {d['state']}"))

    @app.command("advance")
    def advance_cmd(
        project: str = typer.Argument(..., help="Project id or name."),
        to: str = typer.Option(..., "--to", help="Next state (screened, consulted, ...)."),
        reason: str = typer.Option(..., "--reason", help="Why (recorded and audited)."),
        role: str = typer.Option("operator", "--role", help="The actor's role."),
        on: str | None = typer.Option(None, "--on", help="Date of the step (default today)."),
        actor: str | None = typer.Option(None, "--actor", help="Who the change is audited as."),
        scenario: str | None = SCENARIO,
        as_json: bool = JSON_OPTION,
    ) -> None:
        """심사 단계 Move a project one pre-review step (wrong state refused; audited)."""
        from tiro.cli.invest import _day, _params
        from tiro.core.db import session_scope
        from tiro.invest.service import advance

        with session_scope() as session:
            data = advance(
                session=session, params=_params(scenario), actor=cli_actor(actor), role=role,
                project=project, to=to, reason=reason, on=_day(on, "--on"),
            )  # fmt: skip
        last = data["steps"][-1]
        emit(data, as_json, lambda d: console.print(
            f"project {d['id']} {d['name']}: {last['from']} → {last['to']} on {last['on']} ({last['body']})"))  # fmt: skip
