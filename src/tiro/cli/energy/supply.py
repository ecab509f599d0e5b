"""``tiro energy supply``: 수급 현황 — published figures, the sample balance, real tables checked.

Thin shell over tiro.energy.supply (figures, balance): the declared tables (schemas) and the
monthly views a user's KNOC / Petronet file gives once validated.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import RenderableType

from tiro.cli.energy.common import PARAMS_SCENARIO, fmt, parse_day
from tiro.cli.output import JSON_OPTION, console, emit, records, table
from tiro.core.parameters import get_params
from tiro.energy.schemas import ALL_TABLES
from tiro.energy.supply import figures as supply
from tiro.energy.supply.balance import summarise
from tiro.energy.supply.stock_cover import stock_days as compute_stock_days

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


def _kt_option(help_text: str) -> object:
    return typer.Option(None, help=help_text + " kt (default 0).")


def stock_days_cmd(
    primary_net_imports_kt: float = typer.Option(
        ..., help="Primary-product net imports (crude, NGL, feedstocks) over the year, kt."
    ),
    product_net_imports_kt: float = typer.Option(
        ..., help="Product net imports over the year, kt (negative for a net exporter)."
    ),
    crude_stocks_kt: float = typer.Option(..., help="Crude and feedstock stocks, kt."),
    product_stocks_kt: float = typer.Option(..., help="Product stocks, kt."),
    primary_stock_build_kt: float | None = _kt_option(
        "Stock build subtracted from primary net imports,"
    ),
    product_stock_build_kt: float | None = _kt_option(
        "Stock build subtracted from product net imports,"
    ),
    product_naphtha_net_imports_kt: float | None = _kt_option(
        "Naphtha net imports, excluded from product net imports,"
    ),
    bunkers_kt: float | None = _kt_option("International marine bunkers, excluded,"),
    excluded_crude_stocks_kt: float | None = _kt_option(
        "Crude stocks not counted (military, at sea, pipelines, end users),"
    ),
    excluded_product_stocks_kt: float | None = _kt_option(
        "Product stocks not counted (military, service stations, end users),"
    ),
    main_products: bool = typer.Option(
        False, "--main-products", help="Main-products method for product stocks (x 1.2)."
    ),
    days_in_year: int = typer.Option(365, help="Days in the net-import year (365 or 366)."),
    on: str | None = typer.Option(None, "--on", help="Date for the method parameters."),
    explain: bool = typer.Option(False, "--explain", help="Add the parameters used (JSON)."),
    scenario: str | None = PARAMS_SCENARIO,
    as_json: bool = JSON_OPTION,
) -> None:
    """비축일수 Days of net imports covered by stocks, by the IEA method.

    Daily net imports = (primary x (1 - 4% naphtha) + products x 1.065) / days in year;
    obligation = 90 x daily; counted stocks = (crude x 0.96 + products x 1.065) x 0.9
    (x 1.2 with --main-products), excluded stocks subtracted first.
    """
    result = compute_stock_days(
        params=get_params(scenario),
        on=parse_day(on, "--on"),
        primary_net_imports_kt=primary_net_imports_kt,
        product_net_imports_kt=product_net_imports_kt,
        crude_stocks_kt=crude_stocks_kt,
        product_stocks_kt=product_stocks_kt,
        days_in_year=days_in_year,
        main_products_only=main_products,
        primary_stock_build_kt=primary_stock_build_kt,
        product_stock_build_kt=product_stock_build_kt,
        product_naphtha_net_imports_kt=product_naphtha_net_imports_kt,
        bunkers_kt=bunkers_kt,
        excluded_crude_stocks_kt=excluded_crude_stocks_kt,
        excluded_product_stocks_kt=excluded_product_stocks_kt,
    )
    keys = ["daily_net_imports_kt", "obligation_kt", "counted_stocks_kt", "days", "surplus_kt",
            "obligation_days", "meets_obligation", "method", "inputs", "separate_lines"]  # fmt: skip
    data = {k: result[k] for k in keys}
    if explain:
        data["explain"] = result["explain"]

    def render(d: dict) -> None:
        rows = [
            ["일평균 순수입 daily net imports (kt/d)", fmt(d["daily_net_imports_kt"], 3)],
            [f"비축의무 obligation ({d['obligation_days']:g} days, kt)", fmt(d["obligation_kt"])],
            [f"인정 재고 counted stocks (kt, {d['method']})", fmt(d["counted_stocks_kt"])],
            ["비축일수 days of net imports", fmt(d["days"], 1)],
            ["의무 충족 meets obligation", "yes" if d["meets_obligation"] else "NO"],
        ]
        rows += [[f"국제공동비축 joint stock, not counted ({x['as_of']})",
                  fmt(x["days_if_bought"], 1)] for x in d["separate_lines"]]  # fmt: skip
        console.print(table("IEA 비축일수 stock cover", ["항목 item", "값 value"], rows))

    emit(data, as_json, render)
