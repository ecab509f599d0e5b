"""``tiro energy swap``: the 비축유 SWAP ledger (reserve-oil loans against confirmed cargoes).

Thin shell over tiro.energy.swap.service / swap_queries: parse, call, print. Every change
takes ``--key`` (idempotency) and ``--actor`` (audit). Sample balances show their label.
"""

from __future__ import annotations

import typer

from tiro.cli.energy.common import ACTOR, KEY, SCENARIO, ledger_table
from tiro.cli.energy.common import parse_day as _day
from tiro.cli.output import JSON_OPTION, cli_actor, console, details, emit
from tiro.core.db import session_scope
from tiro.core.parameters import get_params
from tiro.energy.swap import queries as swap_queries
from tiro.energy.swap import service as swap_service

swap_app = typer.Typer(
    help="비축유 SWAP Reserve-oil loans against confirmed cargoes.", no_args_is_help=True
)


def _loan_line(d: dict) -> None:
    flag = " [red]OVERDUE[/red]" if d.get("overdue") else ""
    again = " (replayed)" if d.get("replayed") else ""
    console.print(
        f"loan {d['id']} {d['refiner']} {d['site']}/{d['grade']}: {d['status']}, "
        f"released {d['released_bbl']:,} bbl, outstanding {d['outstanding_bbl']:,} bbl, "
        f"due {d['due_date']}{flag}{again}"
    )


def _capacity(bbl: int | None) -> str:
    return f"{bbl:,} bbl" if bbl else "not published"


@swap_app.command("sites")
def swap_sites(as_json: bool = JSON_OPTION) -> None:
    """비축기지 Reserve sites with capacity (cited) and stock, floor, loans per grade (sample)."""
    with session_scope() as session:
        data = swap_queries.list_sites(session=session)

    def render(sites: list[dict]) -> None:
        rows = [
            [f"{s['name_ko']} {s['code']}", g["grade"], f"{g['stock_bbl']:,}", f"{g['floor_bbl']:,}", f"{g['outstanding_bbl']:,}",
             g["data_label"]]
            for s in sites for g in s["grades"]
        ]  # fmt: skip
        cols = ["기지 site", "유종 grade", "재고 stock", "하한 floor", "잔량 owed", "자료 data"]
        console.print(ledger_table("비축기지 reserve sites (bbl)", cols, rows, {2, 3, 4}, {5}))
        capacity = [
            (f"{s['name_ko']} {s['name_en']}",
             f"capacity {_capacity(s['capacity_bbl'])} — {s['capacity_source']}")
            for s in sites
        ]  # fmt: skip
        console.print(details("[bold]용량 capacity (cited)[/bold]", capacity))

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
            loading_date=_day(loading_date, "--loading-date"), eta=_day(eta, "--eta"),
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
            loan_id=loan_id, on=_day(on, "--on"), volume_bbl=volume,
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
            session=session, key=key, actor=cli_actor(actor), loan_id=loan_id, on=_day(on, "--on")
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
            volume_bbl=volume, on=_day(on, "--on"),
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
            session=session, as_of=_day(as_of, "--as-of"), site=site, refiner=refiner
        )

    def render(d: dict) -> None:
        rows = [[f"{b['site']} {b['grade']}", f"{b['stock_bbl']:,}", f"{b['released_bbl']:,}",
                 f"{b['repaid_bbl']:,}", f"{b['outstanding_bbl']:,}", b["data_label"]]
                for b in d["balances"]]  # fmt: skip
        cols = ["기지·유종 site, grade", "재고 stock", "방출 released", "상환 repaid",
                "잔량 owed", "자료 data"]  # fmt: skip
        title = f"SWAP 현황 as of {d['as_of']} (bbl)"
        console.print(ledger_table(title, cols, rows, {1, 2, 3, 4}, {5}))
        for loan in d["loans"]:
            _loan_line(loan)
        console.print(f"ledger balanced: {d['ledger_balanced']}")

    emit(data, as_json, render)
