"""``tiro energy scenario``: 수급 차질 시나리오 — a scenario YAML in, the day-by-day path out.

Thin shell over tiro.energy.disruption (io parses and checks the file, engine runs it).
"""

from __future__ import annotations

from pathlib import Path

import typer

from tiro.cli.energy.common import PARAMS_SCENARIO, fmt
from tiro.cli.output import JSON_OPTION, console, emit, table
from tiro.core.parameters import get_params
from tiro.energy.disruption.engine import run_scenario
from tiro.energy.disruption.io import load_scenario

scenario_app = typer.Typer(help="수급 차질 시나리오 Disruption scenarios (YAML file in, path out).")


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
                fmt(p["supply_bbl"] / 1e3, 0),
                fmt(p["demand_bbl"] / 1e3, 0),
                fmt(p["government_bbl"] / 1e6, 2),
                fmt(p["private_bbl"] / 1e6, 2),
                fmt(p["stock_days"]),
                fmt(p["shortage_bbl"] / 1e3, 0),
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
                fmt(float(t["days"])),
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
