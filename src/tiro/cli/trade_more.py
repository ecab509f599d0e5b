"""``tiro trade`` commands for working days, items, nowcast, seasonal adjustment, projection,
FDI and export-support programmes (mounted into ``tiro trade`` by ``tiro.cli.trade``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from tiro.cli.output import JSON_OPTION, console, emit, table
from tiro.core.errors import InvalidInput
from tiro.core.parameters import get_params
from tiro.trade import fdi as fdi_engine
from tiro.trade import items as items_engine
from tiro.trade import nowcast as nowcast_engine
from tiro.trade import programmes as programmes_engine
from tiro.trade import seasonal as seasonal_engine
from tiro.trade.calendar import month_working_days, monthly_calendar

app = typer.Typer(help="Working days, major items, nowcasts, seasonal adjustment, FDI, programmes.")
SCENARIO = typer.Option(None, "--params-scenario", help="Parameter scenario overlay.")


def _date(text: str | None, field: str) -> dt.date:
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{text!r} is not a date (YYYY-MM-DD)", field=field) from None


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:+.1f}%"


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
    cal = monthly_calendar(month, to, params=params)
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


@app.command("items")
def items(
    period: str = typer.Option("2025", "--period", help="Period YYYY or YYYY-MM."),
    on: str = typer.Option(None, "--on", help="Date the item set is read at (default today)."),
    as_json: bool = JSON_OPTION,
    scenario: str = SCENARIO,
) -> None:
    """주력 수출 품목 — major export items: value, growth, share, basis (15 → 20 from 2026-05)."""
    params = get_params(scenario)
    day = _date(on, "on")
    frame = items_engine.item_figures(
        items_engine.load_korea_item_flows(), period=period, on=day, params=params
    )
    defs = items_engine.item_definitions(day, params=params)
    data = {
        "period": period,
        "set_size": int(defs["set_size"][0]),
        "items": frame.select(
            "item",
            "basis",
            "basis_label",
            "approximate",
            "value_usd_bn",
            "growth",
            "growth_source",
            "share",
            "major",
        ).to_dicts(),
    }
    emit(
        data,
        as_json,
        lambda d: console.print(
            table(
                f"주력 품목 Major items {d['period']} ({d['set_size']}대)",
                ["품목 item", "기준 basis", "USD bn", "증감 growth", "비중 share"],
                [
                    (
                        r["item"],
                        r["basis_label"] + f" ({r['basis']})",
                        f"{r['value_usd_bn']:.1f}",
                        _pct(r["growth"]),
                        _pct(r["share"]).lstrip("+"),
                    )
                    for r in d["items"]
                ],
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
    rows = []
    for window, w in result["windows"].items():
        for method in ("pro_rata", "calibrated"):
            rows.append(
                (
                    f"1–{window}",
                    method,
                    w["n"],
                    f"{w['factor']:.3f}",
                    _pct(w[method]["mape"]).lstrip("+"),
                    _pct(w[method]["bias"]),
                )
            )
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
                        _pct(r["yoy_raw"]),
                        _pct(r["yoy_per_day"]),
                        f"{r['sa_usd_bn']:.2f}",
                        _pct(r["sa_mom"]),
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


@app.command("fdi")
def fdi(
    period: str = typer.Option("2025", "--period", help="YYYY, YYYY-H1/H2 or YYYY-Qn."),
    basis: str = typer.Option("notified", "--basis", help="notified (신고) or arrived (도착)."),
    by: str = typer.Option("total", "--by", help="total, type, sector, source or region."),
    input_file: Path = typer.Option(None, "--input", help="Your FDI CSV in the shipped shape."),
    as_json: bool = JSON_OPTION,
) -> None:
    """외국인직접투자 — FDI figures with growth, shares and record flags."""
    frame = fdi_engine.load_fdi(input_file)
    out = fdi_engine.breakdown(frame, period=period, basis=basis, dimension=by)
    emit(
        out,
        as_json,
        lambda o: console.print(
            table(
                f"FDI {o['period']} {o['basis']} by {o['dimension']}",
                ["category", "USD bn", "growth", "reported", "share", "record"],
                [
                    (
                        r["category"],
                        r["value_usd_bn"],
                        _pct(r["growth"]),
                        "" if r["growth_reported"] is None else f"{r['growth_reported']:+.1f}%",
                        _pct(r["share"]).lstrip("+"),
                        r["record"],
                    )
                    for r in o["rows"]
                ],
            )
        ),
    )


@app.command("programmes")
def programmes(
    on: str = typer.Option(None, "--on", help="Status date YYYY-MM-DD (default today)."),
    as_json: bool = JSON_OPTION,
    scenario: str = SCENARIO,
) -> None:
    """수출 지원 사업 — export-support programmes: budgets, targets, commitments by date."""
    day = _date(on, "on")
    frame = programmes_engine.status(day, params=get_params(scenario))
    data = {
        "on": day,
        "programmes": frame.to_dicts(),
        "totals_krw_bn": programmes_engine.totals(frame),
    }
    emit(
        data,
        as_json,
        lambda d: console.print(
            table(
                f"수출 지원 Export support on {d['on']}",
                ["id", "kind", "budget", "unit", "committed", "steps"],
                [
                    (r["id"], r["kind"], r["budget"], r["unit"], r["committed_krw_bn"], r["steps"])
                    for r in d["programmes"]
                ],
            )
        ),
    )
