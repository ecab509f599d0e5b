"""``tiro trade working-days|nowcast|adjust|project``: the month as it is being counted.

조업일수 (weekday 1, Saturday 0.5, holidays 0), the month-end nowcast from the KCS 10/20-day
flashes (calibrated factor beside plain pro-rating), seasonal and working-day adjustment
(X-13 when the binary is there, STL otherwise) and the year-end projection with an interval.
"""

from __future__ import annotations

import typer

from tiro.cli.lazy import DeferredModule
from tiro.cli.output import JSON_OPTION, console, emit, table
from tiro.cli.trade_options import SCENARIO, pct
from tiro.core.errors import InvalidInput
from tiro.core.parameters import get_params
from tiro.trade import nowcast as nowcast_engine
from tiro.trade.calendar import month_working_days, monthly_calendar

# NumPy and the X-13/STL machinery load when ``adjust`` or ``project`` runs (issue 10).
seasonal_engine = DeferredModule("tiro.trade.seasonal")

app = typer.Typer(help="Working days, nowcasts, seasonal adjustment and the year-end projection.")


@app.command("working-days")
def working_days(
    month: str = typer.Option(..., "--month", help="Month YYYY-MM."),
    to: str = typer.Option(None, "--to", help="Last month YYYY-MM for a range (table only)."),
    as_json: bool = JSON_OPTION,
    scenario: str = SCENARIO,
) -> None:
    """조업일수 — Korean working days of a month (weekday 1, Saturday 0.5, holidays 0)."""
    params = get_params(scenario)
    if to is None:
        data = {"month": month, "working_days": month_working_days(month, params=params)}
        emit(data, as_json, lambda d: console.print(f"{d['month']}: {d['working_days']} 조업일수"))
        return
    cal = monthly_calendar(month, to, params=params, fields=("month", "to"))
    emit(
        cal,
        as_json,
        lambda c: console.print(
            table(
                "조업일수 Working days",
                ["월 month", "조업일수", "설 Seol", "추석 Chuseok"],
                c.select("month", "working_days", "seol_days", "chuseok_days").rows(),
            )
        ),
    )


@app.command("nowcast")
def nowcast(
    month: str = typer.Option(None, "--month", help="Month YYYY-MM to nowcast."),
    flash: float = typer.Option(None, "--flash", help="Flash exports for the window, USD bn."),
    day: int = typer.Option(20, "--day", help="Flash window end day: 10 or 20."),
    as_json: bool = JSON_OPTION,
    scenario: str = SCENARIO,
) -> None:
    """Month-end exports from a KCS 10/20-day flash; without --month, the calibration errors."""
    params = get_params(scenario)
    if month is None:
        result = nowcast_engine.evaluate(params)
        result.pop("months")
        emit(result, as_json, _render_evaluation)
        return
    if flash is None:
        raise InvalidInput("give the flash value with --flash", field="flash")
    out = nowcast_engine.nowcast(month, flash, day, params=params)
    emit(
        out,
        as_json,
        lambda o: console.print(
            f"{o['month']}: nowcast {o['nowcast_usd_bn']:.1f} bn "
            f"[{o['interval']['low']:.1f}–{o['interval']['high']:.1f}] "
            f"(pro-rata {o['pro_rata_usd_bn']:.1f}, factor {o['factor']:.3f})"
        ),
    )


def _render_evaluation(result: dict) -> None:
    rows = [
        (
            f"1–{window}",
            method,
            w["n"],
            f"{w['factor']:.3f}",
            pct(w[method]["mape"]).lstrip("+"),
            pct(w[method]["bias"]),
        )
        for window, w in result["windows"].items()
        for method in ("pro_rata", "calibrated")
    ]
    console.print(
        table(
            "Nowcast errors (leave-one-out)",
            ["window", "method", "n", "factor", "MAPE", "bias"],
            rows,
        )
    )


@app.command("adjust")
def adjust(
    method: str = typer.Option("auto", "--method", help="auto, stl or x13."),
    as_json: bool = JSON_OPTION,
    scenario: str = SCENARIO,
) -> None:
    """Seasonal and working-day adjustment: raw YoY, 일평균 YoY and SA m/m side by side."""
    frame, used = seasonal_engine.seasonal_adjust(get_params(scenario), method=method)
    cols = [
        "month",
        "exports_usd_bn",
        "working_days",
        "daily_avg",
        "yoy_raw",
        "yoy_per_day",
        "sa_usd_bn",
        "sa_mom",
    ]
    data = {"method": used, "rows": frame.select(cols).to_dicts()}
    emit(
        data,
        as_json,
        lambda d: console.print(
            table(
                f"Seasonally adjusted exports ({d['method']})",
                ["월", "USD bn", "조업일수", "YoY", "일평균 YoY", "SA", "SA m/m"],
                [
                    (
                        r["month"],
                        f"{r['exports_usd_bn']:.2f}",
                        r["working_days"],
                        pct(r["yoy_raw"]),
                        pct(r["yoy_per_day"]),
                        f"{r['sa_usd_bn']:.2f}",
                        pct(r["sa_mom"]),
                    )
                    for r in d["rows"]
                ],
            )
        ),
    )


@app.command("project")
def project(
    year: int = typer.Option(..., "--year", help="Year to project."),
    through: str = typer.Option(None, "--through", help="Project as of this month (backtest)."),
    as_json: bool = JSON_OPTION,
    scenario: str = SCENARIO,
) -> None:
    """Year-end export projection from the year-to-date figure, with an interval."""
    out = seasonal_engine.project_year(year, params=get_params(scenario), through=through)
    emit(
        out,
        as_json,
        lambda o: console.print(
            f"{o['year']} (through {o['through']}): {o['projection_usd_bn']:.1f} bn "
            f"[{o['interval']['low']:.1f}–{o['interval']['high']:.1f}, "
            f"{o['interval']['level']:.0%}]"
        ),
    )
