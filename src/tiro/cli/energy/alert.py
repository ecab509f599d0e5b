"""``tiro energy alert``: 자원안보 위기경보 — evaluate the rules, decide, read the timeline.

Thin shell over tiro.energy.alerts.engine / alert_service / alert_timeline.
"""

from __future__ import annotations

import typer

from tiro.cli.energy.common import ACTOR, SCENARIO
from tiro.cli.energy.common import parse_day as _day
from tiro.cli.output import JSON_OPTION, cli_actor, console, emit, table
from tiro.core.db import session_scope
from tiro.core.parameters import get_params
from tiro.energy.alerts import service as alert_service
from tiro.energy.alerts.engine import evaluate
from tiro.energy.alerts.timeline import replay

alert_app = typer.Typer(help="자원안보 위기경보 Resource-security alerts.", no_args_is_help=True)


def _level_in_force(resource: str, on: object, scenario: str | None) -> tuple[str | None, str]:
    """The decided level for ``resource`` on ``on`` and where it comes from.

    No database yet means no decision recorded: the rules then start from 정상.
    """
    from sqlalchemy.exc import OperationalError, ProgrammingError

    try:
        with session_scope() as session:
            levels = alert_service.current_levels(
                session=session, params=get_params(scenario), on=on
            )
    except (OperationalError, ProgrammingError):
        return None, "no decision recorded (database not set up)"
    row = next((r for r in levels if r["resource"] == resource), None)
    if row is None or row["since"] is None:
        return None, "no decision recorded"
    return row["level"], f"decision of {row['since']}"


@alert_app.command("evaluate")
def alert_evaluate(
    resource: str = typer.Option(..., "--resource", help="crude or gas (or another by parameter)."),
    price_change: float | None = typer.Option(None, help="Price rise vs pre-crisis (0.1 = 10%)."),
    stock_ratio: float | None = typer.Option(
        None, help="Stock / statutory obligation (1.0 = 100%)."
    ),
    index: float | None = typer.Option(
        None, help="Early-warning index (KNOC bands 1.5/2.5/3.5/4.5)."
    ),
    disrupted_share: float | None = typer.Option(None, help="Share of normal supply disrupted."),
    transport_risk: bool = typer.Option(
        False, "--transport-risk", help="Hormuz/transport risk flag."
    ),
    current_level: str | None = typer.Option(None, help="Level in force (turns on hysteresis)."),
    on: str | None = typer.Option(None, "--on", help="Date of the rules (default today)."),
    scenario: str | None = SCENARIO,
    as_json: bool = JSON_OPTION,
) -> None:
    """경보 판단 Recommended level (관심/주의/경계/심각 or 정상) and the rules that fired.

    Without --current-level the level in force is the last decision recorded on or before
    --on (what the dashboard shows), so hysteresis applies as it would for the official.
    """
    when = _day(on, "--on")
    source = "--current-level"
    if current_level is None:
        current_level, source = _level_in_force(resource, when, scenario)
    data = evaluate(
        get_params(scenario), resource=resource, on=when, price_change=price_change,
        disrupted_share=disrupted_share, stock_ratio=stock_ratio, index=index,
        transport_risk=transport_risk, current_level=current_level,
    )  # fmt: skip
    data["current_level_source"] = source

    def render(d: dict) -> None:
        console.print(
            f"[bold]{d['resource_ko']} {d['resource']}: {d['level']} ({d['level_en']})[/bold]"
        )
        console.print(f"  in force: {d['current_level']} ({d['current_level_source']})")
        for r in d["rules"]:
            console.print(
                f"  {r['id']}: {r.get('value')} {r.get('comparison', '')} {r.get('threshold', '')}"
            )
        for m in d["measures"]:
            console.print(f"  · [{m['level']}] {m['measure']}")

    emit(data, as_json, render)


@alert_app.command("decide")
def alert_decide(
    resource: str = typer.Option(..., "--resource", help="crude or gas."),
    level: str = typer.Option(..., "--level", help="관심, 주의, 경계, 심각 (or 정상 to lift)."),
    reason: str = typer.Option(..., "--reason", help="Why (required; kept in the timeline)."),
    on: str | None = typer.Option(None, "--on", help="Decision date (default today)."),
    price_change: float | None = typer.Option(None, help="Indicator: price rise vs pre-crisis."),
    stock_ratio: float | None = typer.Option(None, help="Indicator: stock / obligation."),
    index: float | None = typer.Option(None, help="Indicator: early-warning index."),
    disrupted_share: float | None = typer.Option(None, help="Indicator: supply disrupted."),
    transport_risk: bool | None = typer.Option(
        None, "--transport-risk/--no-transport-risk", help="Indicator: risk flag."
    ),
    actor: str | None = ACTOR,
    scenario: str | None = SCENARIO,
    as_json: bool = JSON_OPTION,
) -> None:
    """경보 결정 Confirm or override the rules' recommendation, with a reason (audited)."""
    indicators = {"price_change": price_change, "stock_ratio": stock_ratio, "index": index,
                  "disrupted_share": disrupted_share, "transport_risk": transport_risk}  # fmt: skip
    with session_scope() as session:
        data = alert_service.decide(
            session=session, params=get_params(scenario), resource=resource, level=level,
            on=_day(on, "--on"), actor=cli_actor(actor), reason=reason, indicators=indicators,
        )  # fmt: skip
    emit(data, as_json, lambda d: console.print(
        f"{d['resource']}: {d['previous_level']} → {d['level']} on {d['decided_on']} ({d['kind']})"))  # fmt: skip


@alert_app.command("rescind")
def alert_rescind(
    decision_id: int = typer.Argument(..., help="Decision id (see `alert history --json`)."),
    reason: str = typer.Option(..., "--reason", help="Why (required; kept in the audit trail)."),
    actor: str | None = ACTOR,
    as_json: bool = JSON_OPTION,
) -> None:
    """경보 취소 Rescind the decision in force (newest of its resource), with a reason (audited).

    The level before it is in force again; to correct a decision, rescind it and decide again.
    """
    with session_scope() as session:
        data = alert_service.rescind(
            session=session, params=get_params(), decision_id=decision_id,
            actor=cli_actor(actor), reason=reason,
        )  # fmt: skip
    d = data["decision"]
    emit(data, as_json, lambda r: console.print(
        f"{d['resource']}: {d['level']} of {d['decided_on']} rescinded; "
        f"{r['level_in_force']} in force again ({r['reason']})", markup=False))  # fmt: skip


@alert_app.command("history")
def alert_history(
    resource: str | None = typer.Option(None, "--resource", help="Only this resource."),
    as_json: bool = JSON_OPTION,
) -> None:
    """경보 이력 The decision timeline, oldest first (2026 decisions seeded from the report)."""
    with session_scope() as session:
        data = alert_service.history(session=session, resource=resource)

    def render(decisions: list[dict]) -> None:
        console.print("[bold]위기경보 이력 alert history[/bold] (oldest first)")
        for d in decisions:
            rules = f", rules: {d['recommended_level']}" if d["recommended_level"] else ""
            source = f" <{d['source_href']}>" if d["source_href"] else ""
            console.print(
                f"{d['decided_on']} {d['resource']} {d['previous_level']} → {d['level']} "
                f"({d['kind']}{rules}) by {d['actor']}: {d['reason']}{source}",
                markup=False,
            )

    emit(data, as_json, render)


@alert_app.command("replay")
def alert_replay(scenario: str | None = SCENARIO, as_json: bool = JSON_OPTION) -> None:
    """규칙 재현 The 2026 decisions beside the first day the rules recommended each level."""
    data = replay(get_params(scenario))
    rows = [[d["resource"], d["level"], d["decided_on"], d["rules_first_on"], d["lead_days"],
             d["data_label"], d.get("public_data_first_on")] for d in data]  # fmt: skip
    cols = ["resource", "level", "decided", "rules first", "lead days", "data", "public data first"]
    emit(data, as_json, lambda _: console.print(table("2026 replay", cols, rows)))
