"""``tiro energy stockpile``: 비축 확충 — reserve storage and international joint stockpiling.

Thin shell over tiro.energy.stockpile.records (cited records, data/energy/stockpile/).
"""

from __future__ import annotations

import typer

from tiro.cli.energy.common import parse_day
from tiro.cli.output import JSON_OPTION, console, emit, records
from tiro.energy.stockpile import records as stockpile

stockpile_app = typer.Typer(
    help="비축 확충 Reserve storage and international joint stockpiling (cited records).",
    no_args_is_help=True,
)


@stockpile_app.command("storage")
def storage_cmd(as_json: bool = JSON_OPTION) -> None:
    """비축시설 National storage capacity and stocks over time (Mbbl), government and private."""
    emit(stockpile.storage_capacity(), as_json, lambda d: console.print(records("비축시설", d)))


@stockpile_app.command("sites")
def sites_cmd(as_json: bool = JSON_OPTION) -> None:
    """비축기지별 KNOC bases over time: capacity added or the site total (Mbbl), with sources."""
    emit(stockpile.storage_sites(), as_json, lambda d: console.print(records("비축기지", d)))


@stockpile_app.command("plans")
def plans_cmd(as_json: bool = JSON_OPTION) -> None:
    """비축 확충 계획 Dated plans: storage, stocks, joint stockpiling, budget (report 3 ③)."""
    emit(stockpile.plans(), as_json, lambda d: console.print(records("비축 확충 계획", d)))


@stockpile_app.command("joint")
def joint_cmd(as_json: bool = JSON_OPTION) -> None:
    """국제공동비축 Joint-stockpiling contracts and totals, and priority rights exercised."""
    data = {"records": stockpile.joint_stockpiling(),
            "priority_rights_exercised": stockpile.priority_rights_exercised()}  # fmt: skip

    def render(d: dict) -> None:
        console.print(records("국제공동비축", d["records"]))
        console.print(records("우선구매권 행사", d["priority_rights_exercised"]))

    emit(data, as_json, render)


@stockpile_app.command("position")
def position_cmd(
    date: str | None = typer.Option(None, "--date", help="Date, YYYY-MM-DD (default today)."),
    daily_net_imports_kbbl: float | None = typer.Option(
        None, help="Daily net imports, kbbl/d, to show each line in days."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Storage, government and private stock and the joint line (separate), as last published."""
    data = stockpile.position(parse_day(date, "--date"), daily_net_imports_kbbl)
    emit(data, as_json, lambda d: console.print(records(f"비축 현황 {d['date']}", d["lines"])))
