"""``tiro trade facts|import|flows``: the shipped figures and the vintaged flow store.

Releases are kept side by side (속보 flash, 잠정 provisional, 확정 confirmed, revised), never
overwritten; reading picks the latest vintage released as of a day.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import typer

from tiro.cli.lazy import deferred
from tiro.cli.output import JSON_OPTION, cli_actor, console, emit, table
from tiro.cli.trade_options import AS_OF, bn, known_flow
from tiro.trade.schema import parse_period

# SQLAlchemy and the flow store load when a command needs them (issue 10: start-up time).
import_flows = deferred("tiro.trade.service", "import_flows")
latest_flows = deferred("tiro.trade.service", "latest_flows")
read_input = deferred("tiro.trade.service", "read_input")
FlowStore = deferred("tiro.trade.store", "FlowStore")

app = typer.Typer(help="Shipped figures and the vintaged flow store.")

FLOW_COLUMNS = ["period", "reporter", "partner", "product", "flow", "value", "vintage"]


def _flow_rows(rows: list[dict], columns: list[str]) -> list[list[object]]:
    return [
        [bn(x[c]) if c == "value" else x[c] for c in columns] + [x["release_date"], x["basis"]]
        for x in rows
    ]


@app.command("facts")
def facts_cmd(
    period: str = typer.Option(None, "--period", help="Only this period (YYYY or YYYY-MM)."),
    all_vintages: bool = typer.Option(False, "--all-vintages", help="Every release, not latest."),
    as_of: dt.datetime = AS_OF,
    as_json: bool = JSON_OPTION,
) -> None:
    """실적 Shipped Korean figures (USD) with vintage, basis and source."""
    from tiro.trade.facts import korea_flows

    frame = korea_flows() if all_vintages else latest_flows(as_of=as_of and as_of.date())
    if period:
        parse_period(period)
        frame = frame.filter(pl.col("period") == period)
    columns = [c for c in FLOW_COLUMNS if c != "reporter"]
    emit(
        frame.drop("row", strict=False).to_dicts(),
        as_json,
        lambda r: console.print(
            table(
                "수출입 실적 Korean trade figures (USD bn)",
                [*columns, "released", "basis"],
                _flow_rows(r, columns),
            )
        ),
    )


@app.command("import")
def import_cmd(
    file: Path = typer.Argument(..., help="File to import."),
    fmt: str = typer.Option("plain", "--format", help="plain, comtrade or kcs."),
    release_date: dt.datetime = typer.Option(None, "--release-date", help="Publication day."),
    vintage: str = typer.Option(
        None,
        "--vintage",
        help="flash_10, flash_20, provisional, confirmed or revised: every Comtrade/KCS row, "
        "and plain-CSV rows without their own vintage (default confirmed).",
    ),
    actor: str = typer.Option(None, "--actor", help="Who the import is audited as."),
    as_json: bool = JSON_OPTION,
) -> None:
    """적재 Import a file into the vintaged store (all rows or none; never overwrites)."""
    from tiro.core.db import session_scope

    flows = read_input(
        file, fmt=fmt, release_date=release_date and release_date.date(), vintage=vintage
    )
    with session_scope() as session:
        receipt = import_flows(
            flows=flows, store=FlowStore(), label=str(file), session=session, actor=cli_actor(actor)
        )
    emit(
        receipt.__dict__,
        as_json,
        lambda r: console.print(
            f"imported {r['rows']} rows as batch {r['batch_id']} {r['vintages']}"
        ),
    )


@app.command("flows")
def flows_cmd(
    period: str = typer.Option(None, "--period", help="Only this period."),
    partner: str = typer.Option(None, "--partner", help="Only this partner."),
    product: str = typer.Option(None, "--product", help="Only this product."),
    flow: str = typer.Option(None, "--flow", help="X, M or B."),
    as_of: dt.datetime = AS_OF,
    all_vintages: bool = typer.Option(False, "--all-vintages", help="Every stored vintage."),
    as_json: bool = JSON_OPTION,
) -> None:
    """저장소 조회 Flows in the local store, latest vintage as of a date (or all vintages)."""
    if period:
        parse_period(period)
    known_flow(flow)
    chosen = {"period": period, "partner": partner, "product": product, "flow": flow}
    filters = {k: v for k, v in chosen.items() if v}
    store = FlowStore()
    frame = (
        store.all_vintages(**filters)
        if all_vintages
        else store.latest(as_of and as_of.date(), **filters)
    )
    emit(
        frame.to_dicts(),
        as_json,
        lambda r: console.print(
            table("Flows", [*FLOW_COLUMNS, "released", "basis"], _flow_rows(r, FLOW_COLUMNS))
        ),
    )
