"""``tiro energy``: the crisis room — stock cover, disruption scenarios, essential-supply allocation.

Sub-apps `swap` (비축유 SWAP ledger) and `alert` (자원안보 위기경보) come from
tiro.cli.energy_swap and tiro.cli.energy_alert.
"""

from __future__ import annotations

from pathlib import Path

import typer

from tiro.cli.energy_alert import alert_app
from tiro.cli.energy_common import parse_day
from tiro.cli.energy_supply import supply_app
from tiro.cli.energy_swap import swap_app
from tiro.cli.output import JSON_OPTION, console, emit, table
from tiro.core.parameters import get_params
from tiro.energy.allocation_io import load_request, run_allocation
from tiro.energy.disruption import run_scenario
from tiro.energy.disruption_io import load_scenario
from tiro.energy.stock_cover import stock_days as compute_stock_days

app = typer.Typer(
    help="에너지 위기 대응 Energy crisis room: stock cover, disruption scenarios, allocation.",
    no_args_is_help=True,
)
scenario_app = typer.Typer(help="수급 차질 시나리오 Disruption scenarios (YAML file in, path out).")
app.add_typer(scenario_app, name="scenario")
app.add_typer(supply_app, name="supply")

app.add_typer(swap_app, name="swap")
app.add_typer(alert_app, name="alert")

PARAMS_SCENARIO = typer.Option(
    None, "--params-scenario", help="Parameter scenario overlay (name or YAML file)."
)


def _fmt(v: object, nd: int = 1) -> str:
    return f"{v:,.{nd}f}" if isinstance(v, float) else str(v)


def _kt_option(help_text: str) -> object:
    return typer.Option(None, help=help_text + " kt (default 0).")


@app.command("stock-days")
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
            "obligation_days", "meets_obligation", "method", "inputs"]  # fmt: skip
    data = {k: result[k] for k in keys}
    if explain:
        data["explain"] = result["explain"]

    def render(d: dict) -> None:
        rows = [
            ["일평균 순수입 daily net imports (kt/d)", _fmt(d["daily_net_imports_kt"], 3)],
            [f"비축의무 obligation ({d['obligation_days']:g} days, kt)", _fmt(d["obligation_kt"])],
            [f"인정 재고 counted stocks (kt, {d['method']})", _fmt(d["counted_stocks_kt"])],
            ["비축일수 days of net imports", _fmt(d["days"], 1)],
            ["의무 충족 meets obligation", "yes" if d["meets_obligation"] else "NO"],
        ]
        console.print(table("IEA 비축일수 stock cover", ["항목 item", "값 value"], rows))

    emit(data, as_json, render)


@scenario_app.command("run")
def scenario_run(
    file: Path = typer.Argument(..., help="Scenario YAML (see data/energy/scenarios/)."),
    scenario: str | None = PARAMS_SCENARIO,
    as_json: bool = JSON_OPTION,
) -> None:
    """Run a disruption scenario: day-by-day stocks, stock days and threshold crossings."""
    result = run_scenario(load_scenario(file), params=get_params(scenario))

    def render(r: dict) -> None:
        s = r["summary"]
        console.print(f"[bold]{s['scenario']}[/bold]  ({s['data_label']})  {s['start']}–{s['end']}")
        path = r["path"]
        step = max(1, path.height // 20)
        rows = [
            [
                str(p["date"]),
                _fmt(p["supply_bbl"] / 1e3, 0),
                _fmt(p["demand_bbl"] / 1e3, 0),
                _fmt(p["government_bbl"] / 1e6, 2),
                _fmt(p["private_bbl"] / 1e6, 2),
                _fmt(p["stock_days"]),
                _fmt(p["shortage_bbl"] / 1e3, 0),
            ]
            for p in path.gather_every(step).iter_rows(named=True)
        ]
        cols = [
            "날짜 date",
            "공급 supply kb/d",
            "수요 demand kb/d",
            "정부 gov Mbbl",
            "민간 private Mbbl",
            "비축일수 days",
            "부족 short kb",
        ]
        console.print(table(f"경로 path (every {step} days)", cols, rows))
        lines = [
            [
                t["name"],
                _fmt(float(t["days"])),
                t["basis"],
                t["crossed_on"] or "-",
                t["recovered_on"] or "-",
                t["days_below"],
            ]
            for t in r["thresholds"]
        ]
        cols = ["기준선 line", "days", "basis", "하회 crossed", "회복 recovered", "days below"]
        console.print(table("기준선 도달 threshold crossings", cols, lines))
        alerts = [
            [a["level"], f"{a['disrupted_share_at_least']:.0%}", a["first_day"] or "-",
             a["last_day"] or "-", a["days"]]
            for a in r["alerts"]
        ]  # fmt: skip
        cols = ["경보 level", "차질률 ≥ shortfall", "첫날 first", "끝날 last", "days"]
        console.print(table("경보 기준 충족 alert criteria met (supply shortfall)", cols, alerts))
        console.print(
            f"min {s['min_stock_days']:.1f} days on {s['min_stock_days_on']}; "
            f"released {s['released_bbl'] / 1e6:.2f} Mbbl; shortage {s['shortage_bbl'] / 1e6:.2f} Mbbl"
        )

    emit(result, as_json, render)


@app.command("allocate")
def allocate_cmd(
    file: Path = typer.Argument(..., help="Allocation request YAML (see data/energy/allocation/)."),
    scenario: str | None = PARAMS_SCENARIO,
    as_json: bool = JSON_OPTION,
) -> None:
    """필수품목 우선 공급 Allocate scarce feedstock by priority tier (HiGHS linear programme)."""
    result = run_allocation(load_request(file), params=get_params(scenario))

    def render(r: dict) -> None:
        console.print(f"[bold]{r['name']}[/bold] ({r['data_label']}) {r['product']} {r['date']}")
        limits = ", ".join(f"{k} {v:,.0f}" for k, v in r["regional_limits"].items()) or "none"
        console.print(
            f"공급 supply {r['supply']:,.0f} {r['unit']}; 지역 한도 regional limits: {limits}"
        )
        # Ten fields per customer do not fit 80 columns: the figures go in one table, the
        # names and items (prose) in a second one keyed by the same id.
        rows = [
            [
                c["customer_id"],
                c["tier"],
                c["region"],
                _fmt(c["demand"]),
                _fmt(c["minimum"]),
                _fmt(c["allocated"]),
                _fmt(c["unmet"]),
                f"{c['fill_ratio']:.1%}",
            ]
            for c in r["customers"]
        ]
        cols = ["id", "등급 tier", "지역 region", "수요 demand", "최소 min",
                "배정 allocated", "미충족 unmet", "fill"]  # fmt: skip
        console.print(table(f"배정 결과 allocation ({r['unit']})", cols, rows))
        names = [[c["customer_id"], c["name"], c["item"]] for c in r["customers"]]
        console.print(table("수요처 customers", ["id", "수요처 customer", "품목 item"], names))
        tiers = [
            [
                t["tier"],
                f"{t['tier_ko']} {t['tier_en']}",
                _fmt(t["demand"]),
                _fmt(t["allocated"]),
                _fmt(t["unmet"]),
                f"{t['fill_ratio']:.1%}",
            ]
            for t in r["tiers"]
        ]
        cols = ["tier", "등급 name", "수요 demand", "배정 allocated", "미충족 unmet", "fill"]
        console.print(table("등급별 by tier", cols, tiers))

    emit(result, as_json, render)
