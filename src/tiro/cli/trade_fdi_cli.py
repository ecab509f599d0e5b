"""``tiro trade fdi|programmes``: 외국인직접투자 and 수출 지원 사업.

FDI by year, half or quarter on the notified (신고) or arrived (도착) basis, broken down by
type, sector, source or region; and the export-support programmes' budgets and commitments
as of a day.
"""

from __future__ import annotations

from pathlib import Path

import typer

from tiro.cli.output import JSON_OPTION, console, emit, table
from tiro.cli.trade_options import SCENARIO, day_option, pct
from tiro.core.parameters import get_params
from tiro.trade import fdi as fdi_engine
from tiro.trade import programmes as programmes_engine

app = typer.Typer(help="FDI figures and export-support programmes.")


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
                        pct(r["growth"]),
                        "" if r["growth_reported"] is None else f"{r['growth_reported']:+.1f}%",
                        pct(r["share"]).lstrip("+"),
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
    day = day_option(on, "on")
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
