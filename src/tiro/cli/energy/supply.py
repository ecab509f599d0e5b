"""``tiro energy supply``: 수급 현황 — published figures, the sample balance, real tables checked.

Thin shell over tiro.energy.supply and supply_balance: the declared tables (schemas) and the
monthly views a user's KNOC / Petronet file gives once validated.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import RenderableType

from tiro.cli.output import JSON_OPTION, console, emit, records
from tiro.energy import supply
from tiro.energy.schemas import ALL_TABLES
from tiro.energy.supply_balance import summarise

supply_app = typer.Typer(help="수급 현황 Supply balance: shipped public figures and samples.")


def _rows_table(title: str, rows: list[dict]) -> RenderableType:
    """The `supply` commands' dict rows, laid out to fit the terminal (output.records)."""
    return records(title, rows)


@supply_app.command("stock-days-published")
def published_days(as_json: bool = JSON_OPTION) -> None:
    """공표 비축일수 Stock days published by KNOC (IEA basis), with sources."""
    data = supply.published_stock_days().to_dicts()
    emit(data, as_json, lambda d: console.print(_rows_table("KNOC 비축일수", d)))


@supply_app.command("middle-east-share")
def middle_east_share(as_json: bool = JSON_OPTION) -> None:
    """중동 비중 Middle-East share of crude imports (published shares and the sample series)."""
    data = supply.middle_east_share_table().to_dicts()
    emit(data, as_json, lambda d: console.print(_rows_table("중동 비중 ME share", d)))


@supply_app.command("procurement")
def procurement(as_json: bool = JSON_OPTION) -> None:
    """대체 물량 Alternative procurement: contracted (report) vs arrived (sample) by source."""
    data = supply.procurement_status().to_dicts()
    emit(data, as_json, lambda d: console.print(_rows_table("대체 물량 procurement", d)))


@supply_app.command("balance")
def balance(
    year: int = typer.Option(2026, help="Year of the monthly balance."),
    as_json: bool = JSON_OPTION,
) -> None:
    """월별 수급 Monthly crude balance: imports by region, runs, stocks (sample, seeded)."""
    data = supply.monthly_balance(year).to_dicts()
    emit(data, as_json, lambda d: console.print(_rows_table(f"{year} 수급 (sample)", d)))


@supply_app.command("iea-release")
def iea_release(as_json: bool = JSON_OPTION) -> None:
    """IEA 공동방출 The 2026 collective action by region and Korea's share, with sources."""
    data = supply.iea_release().to_dicts()
    emit(data, as_json, lambda d: console.print(_rows_table("IEA 2026", d)))


@supply_app.command("schemas")
def schemas_cmd(as_json: bool = JSON_OPTION) -> None:
    """표 구조 The declared supply-balance tables: columns, types, units, descriptions."""
    data = [{"name": t.name, "ko": t.ko, "en": t.en, "columns": t.doc_rows()} for t in ALL_TABLES]

    def render(d: list[dict]) -> None:
        for t in d:
            console.print(_rows_table(f"{t['name']} — {t['ko']} / {t['en']}", t["columns"]))

    emit(data, as_json, render)


@supply_app.command("check")
def check_cmd(
    table_name: str = typer.Argument(..., help="Table: crude_imports, stocks, demand, ..."),
    file: Path = typer.Argument(..., help="CSV file with the table's columns."),
    as_json: bool = JSON_OPTION,
) -> None:
    """파일 검증 Validate a CSV against a declared table (types, no nulls, no negative volumes)."""
    frame = supply.load_table(table_name, file)
    views = {k: v.to_dicts() for k, v in summarise(table_name, frame).items()}
    data = {"table": table_name, "rows": frame.height, "columns": frame.columns, "valid": True,
            **views}  # fmt: skip

    def render(d: dict) -> None:
        console.print(f"{d['table']}: {d['rows']} rows valid")
        for name, rows in views.items():
            console.print(_rows_table(f"{d['table']} {name}", rows))

    emit(data, as_json, render)
