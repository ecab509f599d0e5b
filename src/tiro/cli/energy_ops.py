"""``tiro energy swap`` (비축유 SWAP ledger) and ``tiro energy alert`` (자원안보 위기경보).

Thin shells over tiro.energy.swap_service / alert_service: parse, call, print. Every change
takes ``--key`` (idempotency) or ``--actor`` (audit) as the contract asks.
"""

from __future__ import annotations

import datetime as dt

import typer

from tiro.cli.output import JSON_OPTION, cli_actor, console, emit, table
from tiro.core.db import session_scope
from tiro.core.parameters import get_params
from tiro.energy import alert_service, swap_queries, swap_service
from tiro.energy.alert_engine import evaluate
from tiro.energy.alert_timeline import replay

swap_app = typer.Typer(
    help="비축유 SWAP Reserve-oil loans against confirmed cargoes.", no_args_is_help=True
)
alert_app = typer.Typer(help="자원안보 위기경보 Resource-security alerts.", no_args_is_help=True)

KEY = typer.Option(..., "--key", help="Idempotency key: the same key returns the first result.")
ACTOR = typer.Option(None, "--actor", help="Who acts (audited); default TIRO_USER or OS user.")
SCENARIO = typer.Option(None, "--params-scenario", help="Parameter scenario overlay.")


def _day(value: str | None, field: str) -> dt.date:
    from tiro.core.errors import InvalidInput

    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{value!r} is not a date (YYYY-MM-DD)", field=field) from None


def _loan_line(d: dict) -> None:
    flag = " [red]OVERDUE[/red]" if d.get("overdue") else ""
    again = " (replayed)" if d.get("replayed") else ""
    console.print(
        f"loan {d['id']} {d['refiner']} {d['site']}/{d['grade']}: {d['status']}, "
        f"released {d['released_bbl']:,} bbl, outstanding {d['outstanding_bbl']:,} bbl, "
        f"due {d['due_date']}{flag}{again}"
    )


@swap_app.command("sites")
def swap_sites(as_json: bool = JSON_OPTION) -> None:
    """비축기지 Reserve sites with capacity (cited) and stock, floor, loans per grade (sample)."""
    with session_scope() as session:
        data = swap_queries.list_sites(session=session)

    def render(sites: list[dict]) -> None:
        rows = [
            [s["code"], f"{s['name_ko']} {s['name_en']}", s["capacity_bbl"] or "n/p", g["grade"],
             f"{g['stock_bbl']:,}", f"{g['floor_bbl']:,}", f"{g['outstanding_bbl']:,}", g["data_label"]]
            for s in sites for g in s["grades"]
        ]  # fmt: skip
        cols = [
            "site",
            "기지 name",
            "capacity bbl",
            "grade",
            "stock",
            "floor",
            "outstanding",
            "label",
        ]
        console.print(table("비축기지 reserve sites", cols, rows))

    emit(data, as_json, render)


@swap_app.command("request")
def swap_request(
    key: str = KEY,
    refiner: str = typer.Option(..., help="Refiner code (sk_energy, s_oil, gs_caltex, ...)."),
    site: str = typer.Option(..., help="Reserve site code (ulsan, yeosu, geoje, seosan, ...)."),
    grade: str = typer.Option(..., help="Grade to borrow, as held at the site."),
    vessel: str = typer.Option(..., help="Vessel carrying the refiner's own cargo."),
    origin: str = typer.Option(..., help="Loading country of the cargo."),
    cargo_grade: str = typer.Option(..., help="Grade of the cargo."),
    cargo_bbl: int = typer.Option(..., help="Cargo volume, barrels."),
    loading_date: str = typer.Option(..., help="Loading date (YYYY-MM-DD)."),
    eta: str = typer.Option(..., help="ETA in Korea (YYYY-MM-DD)."),
    volume: int = typer.Option(..., help="Barrels to borrow (≤ cargo)."),
    actor: str | None = ACTOR,
    scenario: str | None = SCENARIO,
    as_json: bool = JSON_OPTION,
) -> None:
    """대여 신청 Request a loan tied to a private cargo (nothing moves until B/L and release)."""
    with session_scope() as session:
        data = swap_service.request_loan(
            session=session, params=get_params(scenario), key=key, actor=cli_actor(actor),
            refiner=refiner, site=site, grade=grade, vessel=vessel, origin=origin,
            cargo_grade=cargo_grade, cargo_bbl=cargo_bbl,
            loading_date=_day(loading_date, "loading_date"), eta=_day(eta, "eta"),
            requested_bbl=volume,
        )  # fmt: skip
    emit(data, as_json, _loan_line)


@swap_app.command("confirm")
def swap_confirm(
    loan_id: int = typer.Argument(..., help="Loan id."),
    key: str = KEY,
    bl: str = typer.Option(..., "--bl", help="Bill of lading number."),
    confirmed_bbl: int = typer.Option(..., help="Volume on the B/L, barrels."),
    actor: str | None = ACTOR,
    as_json: bool = JSON_OPTION,
) -> None:
    """선적 확인 Loading confirmed by B/L; the loan is capped at the confirmed cargo."""
    with session_scope() as session:
        data = swap_service.confirm_loading(
            session=session, key=key, actor=cli_actor(actor), loan_id=loan_id,
            bl_number=bl, confirmed_bbl=confirmed_bbl,
        )  # fmt: skip
    emit(data, as_json, _loan_line)


@swap_app.command("release")
def swap_release(
    loan_id: int = typer.Argument(..., help="Loan id."),
    key: str = KEY,
    on: str | None = typer.Option(None, "--on", help="Release date (default today)."),
    volume: int | None = typer.Option(None, help="Barrels (default: all approved)."),
    actor: str | None = ACTOR,
    scenario: str | None = SCENARIO,
    as_json: bool = JSON_OPTION,
) -> None:
    """비축유 방출 Release reserve oil to the refiner; the site never goes below its floor."""
    with session_scope() as session:
        data = swap_service.release(
            session=session, params=get_params(scenario), key=key, actor=cli_actor(actor),
            loan_id=loan_id, on=_day(on, "on"), volume_bbl=volume,
        )  # fmt: skip
    emit(data, as_json, _loan_line)


@swap_app.command("arrive")
def swap_arrive(
    loan_id: int = typer.Argument(..., help="Loan id."),
    key: str = KEY,
    on: str | None = typer.Option(None, "--on", help="Arrival date (default today)."),
    actor: str | None = ACTOR,
    as_json: bool = JSON_OPTION,
) -> None:
    """반입 The refiner's cargo arrived in Korea; repayment is now due."""
    with session_scope() as session:
        data = swap_service.arrive(
            session=session, key=key, actor=cli_actor(actor), loan_id=loan_id, on=_day(on, "on")
        )
    emit(data, as_json, _loan_line)


@swap_app.command("repay")
def swap_repay(
    loan_id: int = typer.Argument(..., help="Loan id."),
    key: str = KEY,
    volume: int = typer.Option(..., help="Barrels repaid in kind."),
    on: str | None = typer.Option(None, "--on", help="Repayment date (default today)."),
    actor: str | None = ACTOR,
    as_json: bool = JSON_OPTION,
) -> None:
    """상환 Repay in kind (principal, then premium barrels); closes the loan when settled."""
    with session_scope() as session:
        data = swap_service.repay(
            session=session, key=key, actor=cli_actor(actor), loan_id=loan_id,
            volume_bbl=volume, on=_day(on, "on"),
        )  # fmt: skip
    emit(data, as_json, _loan_line)


@swap_app.command("status")
def swap_status(
    as_of: str | None = typer.Option(
        None, "--as-of", help="Date for overdue flags (default today)."
    ),
    site: str | None = typer.Option(None, help="Only this site."),
    refiner: str | None = typer.Option(None, help="Only this refiner's loans."),
    as_json: bool = JSON_OPTION,
) -> None:
    """현황 Balances per site and grade, loans with overdue flags, totals by refiner."""
    with session_scope() as session:
        data = swap_queries.status(
            session=session, as_of=_day(as_of, "as_of"), site=site, refiner=refiner
        )

    def render(d: dict) -> None:
        rows = [[b["site"], b["grade"], f"{b['stock_bbl']:,}", f"{b['floor_bbl']:,}",
                 f"{b['released_bbl']:,}", f"{b['repaid_bbl']:,}", f"{b['outstanding_bbl']:,}",
                 b["data_label"]] for b in d["balances"]]  # fmt: skip
        cols = ["site", "grade", "stock", "floor", "released", "repaid", "outstanding", "label"]
        console.print(table(f"SWAP 현황 as of {d['as_of']}", cols, rows))
        for loan in d["loans"]:
            _loan_line(loan)
        console.print(f"ledger balanced: {d['ledger_balanced']}")

    emit(data, as_json, render)


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
    """경보 판단 Recommended level (관심/주의/경계/심각 or 정상) and the rules that fired."""
    data = evaluate(
        get_params(scenario), resource=resource, on=_day(on, "on"), price_change=price_change,
        disrupted_share=disrupted_share, stock_ratio=stock_ratio, index=index,
        transport_risk=transport_risk, current_level=current_level,
    )  # fmt: skip

    def render(d: dict) -> None:
        console.print(
            f"[bold]{d['resource_ko']} {d['resource']}: {d['level']} ({d['level_en']})[/bold]"
        )
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
            on=_day(on, "on"), actor=cli_actor(actor), reason=reason, indicators=indicators,
        )  # fmt: skip
    emit(data, as_json, lambda d: console.print(
        f"{d['resource']}: {d['previous_level']} → {d['level']} on {d['decided_on']} ({d['kind']})"))  # fmt: skip


@alert_app.command("history")
def alert_history(
    resource: str | None = typer.Option(None, "--resource", help="Only this resource."),
    as_json: bool = JSON_OPTION,
) -> None:
    """경보 이력 The decision timeline, oldest first (2026 decisions seeded from the report)."""
    with session_scope() as session:
        data = alert_service.history(session=session, resource=resource)
    rows = [[d["decided_on"], d["resource"], f"{d['previous_level']} → {d['level']}", d["kind"],
             d["actor"], d["reason"][:60]] for d in data]  # fmt: skip
    emit(data, as_json, lambda _: console.print(
        table("위기경보 이력 alert history", ["date", "resource", "level", "kind", "actor", "reason"], rows)))  # fmt: skip


@alert_app.command("replay")
def alert_replay(scenario: str | None = SCENARIO, as_json: bool = JSON_OPTION) -> None:
    """규칙 재현 The 2026 decisions beside the first day the rules recommended each level."""
    data = replay(get_params(scenario))
    rows = [[d["resource"], d["level"], d["decided_on"], d["rules_first_on"], d["lead_days"],
             d["data_label"], d.get("public_data_first_on")] for d in data]  # fmt: skip
    cols = ["resource", "level", "decided", "rules first", "lead days", "data", "public data first"]
    emit(data, as_json, lambda _: console.print(table("2026 replay", cols, rows)))
