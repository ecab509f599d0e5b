"""``tiro trade``: trade statistics — vintaged flows, growth, shares, concentration, complexity.

Every command reads the shipped Korean figures by default, a file with ``--input`` (the plain
CSV ``period,reporter,partner,product,flow,value[,vintage]``), or the local store with
``--store``. Commands of the nowcast/FDI/programme side come from ``tiro.cli.trade_more``.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import polars as pl
import typer

from tiro.cli.output import JSON_OPTION, cli_actor, console, emit, table
from tiro.core.parameters import get_params
from tiro.trade import concentration as conc
from tiro.trade import growth, ranking, shares, similarity
from tiro.trade.complexity import complexity as run_complexity
from tiro.trade.service import import_flows, latest_flows, read_input, working_days_table
from tiro.trade.store import FlowStore

app = typer.Typer(
    help="무역 통계 Trade statistics: vintaged flows, growth, shares, concentration, complexity.",
    no_args_is_help=True,
)

INPUT = typer.Option(None, "--input", help="Plain CSV period,reporter,partner,product,flow,value.")
PERIOD = typer.Option(..., "--period", help="Period YYYY or YYYY-MM.")
AS_OF = typer.Option(None, "--as-of", help="Latest vintage released on or before (YYYY-MM-DD).")
STORE = typer.Option(False, "--store", help="Read the local flow store instead of shipped facts.")
BASIS = typer.Option(None, "--basis", help="MOTIE, KCS, COMTRADE, REPORT or USER.")
VINTAGE = typer.Option(None, "--vintage", help="Only this vintage (e.g. provisional).")
SCENARIO = typer.Option(None, "--params-scenario", help="Parameter scenario overlay.")


def _flows(input_: Path | None, as_of: dt.datetime | None, use_store: bool, **filters):
    """Latest vintages from a file, the store or the shipped facts (MOTIE basis by default)."""
    day = as_of.date() if as_of else None
    if input_ is None and not use_store and not filters.get("basis"):
        filters["basis"] = "MOTIE"
    if input_ is not None:
        return latest_flows(source=read_input(input_), as_of=day, **filters)
    return latest_flows(source="store" if use_store else "facts", as_of=day, **filters)


def _pick(basis: str | None, vintage: str | None) -> dict[str, str]:
    return {k: v for k, v in {"basis": basis, "vintage": vintage}.items() if v}


def _bn(value: float | None) -> str:
    return "" if value is None else f"{value / 1e9:,.2f}"


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:+.1f}%"


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
        frame = frame.filter(pl.col("period") == period)
    rows = frame.drop("row", strict=False).to_dicts()
    emit(
        rows,
        as_json,
        lambda r: console.print(
            table(
                "수출입 실적 Korean trade figures (USD bn)",
                ["period", "partner", "product", "flow", "value", "vintage", "released", "basis"],
                [
                    [
                        x["period"],
                        x["partner"],
                        x["product"],
                        x["flow"],
                        _bn(x["value"]),
                        x["vintage"],
                        x["release_date"],
                        x["basis"],
                    ]
                    for x in r
                ],
            )
        ),
    )


@app.command("import")
def import_cmd(
    file: Path = typer.Argument(..., help="File to import."),
    fmt: str = typer.Option("plain", "--format", help="plain, comtrade or kcs."),
    release_date: dt.datetime = typer.Option(None, "--release-date", help="Publication day."),
    vintage: str = typer.Option("confirmed", "--vintage", help="Vintage for comtrade/kcs rows."),
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
    filters = {
        k: v
        for k, v in {"period": period, "partner": partner, "product": product, "flow": flow}.items()
        if v
    }
    store = FlowStore()
    frame = (
        store.all_vintages(**filters)
        if all_vintages
        else store.latest(as_of and as_of.date(), **filters)
    )
    rows = frame.to_dicts()
    emit(
        rows,
        as_json,
        lambda r: console.print(
            table(
                "Flows",
                [
                    "period",
                    "reporter",
                    "partner",
                    "product",
                    "flow",
                    "value",
                    "vintage",
                    "released",
                    "basis",
                ],
                [
                    [
                        x["period"],
                        x["reporter"],
                        x["partner"],
                        x["product"],
                        x["flow"],
                        _bn(x["value"]),
                        x["vintage"],
                        x["release_date"],
                        x["basis"],
                    ]
                    for x in r
                ],
            )
        ),
    )


@app.command("indicators")
def indicators_cmd(
    period: str = PERIOD,
    window: str = typer.Option(
        None, "--window", help="Month window START:END, e.g. 2025-06:2026-04."
    ),
    partner: str = typer.Option("WLD", "--partner", help="Partner (default world)."),
    product: str = typer.Option("TOTAL", "--product", help="Product or major-item key."),
    basis: str = typer.Option("MOTIE", "--basis", help="Which source's figures (MOTIE, KCS, ...)."),
    input_: Path = INPUT,
    as_of: dt.datetime = AS_OF,
    use_store: bool = STORE,
    as_json: bool = JSON_OPTION,
) -> None:
    """증감률 Value, YoY, year to date, a month window and daily average for one period."""
    flows = _flows(input_, as_of, use_store)
    xs = growth.series(flows, partner=partner, product=product, flow="X", basis=basis)
    out: dict[str, object] = {"period": period, "basis": basis, "yoy": growth.yoy(xs, period)}
    if len(period) == 7:
        out["ytd"] = _try(lambda: growth.ytd(xs, period))
        days = working_days_table(xs["period"].to_list(), get_params())
        daily = growth.daily_average(xs, days).filter(pl.col("period") == period)
        out["daily_average"] = (
            daily.drop("basis", "vintage").to_dicts()[0] if daily.height else None
        )
    if window:
        start, _, end = window.partition(":")
        out["window"] = growth.window(xs, start, end)
    emit(out, as_json)


def _try(fn):
    from tiro.core.errors import TiroError

    try:
        return fn()
    except TiroError as exc:
        return {"unavailable": exc.one_line()}


@app.command("balance")
def balance_cmd(
    input_: Path = INPUT,
    use_store: bool = STORE,
    scenario: str = SCENARIO,
    as_json: bool = JSON_OPTION,
) -> None:
    """무역수지 Balance X − M per release, flagging sources whose stated balance differs."""
    from tiro.trade.facts import korea_flows

    if input_ is not None:
        flows = read_input(input_)
    elif use_store:
        flows = FlowStore().all_vintages()
    else:
        flows = korea_flows()
    rows = growth.balance_check(flows, get_params(scenario)).to_dicts()
    emit(
        rows,
        as_json,
        lambda r: console.print(
            table(
                "무역수지 항등식 Balance identity (USD bn)",
                ["period", "basis", "vintage", "exports", "imports", "X-M", "stated", "consistent"],
                [
                    [
                        x["period"],
                        x["basis"],
                        x["vintage"],
                        _bn(x["exports"]),
                        _bn(x["imports"]),
                        _bn(x["balance"]),
                        _bn(x["stated_balance"]),
                        x["consistent"],
                    ]
                    for x in r
                ],
            )
        ),
    )


@app.command("shares")
def shares_cmd(
    period: str = PERIOD,
    by: str = typer.Option(
        "partner_group", "--by", help="partner, partner_group, partner_group_set or product."
    ),
    reporter: str = typer.Option("KOR", "--reporter", help="Reporter ISO alpha-3."),
    flow: str = typer.Option("X", "--flow", help="X or M."),
    basis: str = BASIS,
    vintage: str = VINTAGE,
    input_: Path = INPUT,
    as_of: dt.datetime = AS_OF,
    use_store: bool = STORE,
    scenario: str = SCENARIO,
    as_json: bool = JSON_OPTION,
) -> None:
    """비중 Shares of the total by partner, partner group, group set or product."""
    flows = _flows(input_, as_of, use_store, **_pick(basis, vintage))
    out = shares.shares(
        flows, period=period, by=by, params=get_params(scenario), reporter=reporter, flow=flow
    )
    emit(
        out,
        as_json,
        lambda r: console.print(
            table(
                f"{r['period']} shares of {_bn(r['total'])} bn",
                [by, "share"],
                [[k, f"{v * 100:.2f}%"] for k, v in r["groups"].items()],
            )
        ),
    )


@app.command("share-change")
def share_change_cmd(
    before: str = typer.Option(..., "--before", help="Earlier period."),
    after: str = typer.Option(..., "--after", help="Later period."),
    by: str = typer.Option("partner_group_set", "--by", help="Breakdown (see shares)."),
    basis: str = BASIS,
    vintage: str = VINTAGE,
    input_: Path = INPUT,
    as_of: dt.datetime = AS_OF,
    use_store: bool = STORE,
    scenario: str = SCENARIO,
    as_json: bool = JSON_OPTION,
) -> None:
    """비중 변화 Share in two periods and the change in percentage points."""
    flows = _flows(input_, as_of, use_store, **_pick(basis, vintage))
    frame = shares.share_changes(
        flows, before=before, after=after, by=by, params=get_params(scenario)
    )
    emit(frame.to_dicts(), as_json)


@app.command("contributions")
def contributions_cmd(
    before: str = typer.Option(..., "--before", help="Base period."),
    after: str = typer.Option(..., "--after", help="Current period."),
    by: str = typer.Option("partner_group", "--by", help="Breakdown (see shares)."),
    basis: str = BASIS,
    vintage: str = VINTAGE,
    input_: Path = INPUT,
    as_of: dt.datetime = AS_OF,
    use_store: bool = STORE,
    scenario: str = SCENARIO,
    as_json: bool = JSON_OPTION,
) -> None:
    """기여도 Contribution of each partner/group/product to total growth."""
    flows = _flows(input_, as_of, use_store, **_pick(basis, vintage))
    frame = shares.contributions(
        flows, before=before, after=after, by=by, params=get_params(scenario)
    )
    emit(frame.to_dicts(), as_json)


@app.command("concentration")
def concentration_cmd(
    input_: Path = typer.Option(..., "--input", help="Plain CSV of flows."),
    period: str = PERIOD,
    reporter: str = typer.Option(..., "--reporter", help="Reporter ISO alpha-3."),
    over: str = typer.Option("product", "--over", help="product or partner."),
    flow: str = typer.Option("X", "--flow", help="X or M."),
    as_json: bool = JSON_OPTION,
) -> None:
    """집중도 HHI, normalised HHI and UNCTAD concentration index (named apart)."""
    flows = latest_flows(source=read_input(input_), period=period, reporter=reporter, flow=flow)
    other = "partner" if over == "product" else "product"
    if over == "product":
        lines = flows.filter(pl.col("product") != "TOTAL")
    else:
        lines = flows.filter(pl.col("partner") != "WLD")
    if other == "partner" and lines.filter(pl.col("partner") != "WLD").height:
        lines = lines.filter(pl.col("partner") != "WLD")
    out = conc.concentration(lines.group_by(over).agg(pl.col("value").sum())["value"])
    emit(
        out,
        as_json,
        lambda r: console.print(
            table(f"{reporter} {period} concentration over {over}", list(r), [list(r.values())])
        ),
    )


@app.command("complexity")
def complexity_cmd(
    input_: Path = typer.Option(..., "--input", help="Plain CSV of exports by reporter, product."),
    period: str = PERIOD,
    normalization: str = typer.Option(
        "growthlab", "--normalization", help="growthlab (PCI on ECI's mean/sd), self or none."
    ),
    ddof: int = typer.Option(0, "--ddof", help="Degrees of freedom of the sd (0 = population)."),
    scenario: str = SCENARIO,
    as_json: bool = JSON_OPTION,
) -> None:
    """경제복잡성 ECI/PCI, diversity and ubiquity in the Growth Lab's definitions."""
    flows = latest_flows(source=read_input(input_), period=period, flow="X")
    exports = flows.filter((pl.col("product") != "TOTAL") & (pl.col("reporter") != "WLD"))
    threshold = float(
        get_params(scenario).at("trade.complexity.rca_threshold", dt.date(int(period[:4]), 12, 31))
    )
    result = run_complexity(exports, threshold=threshold, normalization=normalization, ddof=ddof)
    out = {
        "locations": result.locations.select("loc", "diversity", "eci").to_dicts(),
        "products": result.products.select("prod", "ubiquity", "pci").to_dicts(),
    }
    emit(
        out,
        as_json,
        lambda r: console.print(
            table(
                f"ECI {period}",
                ["loc", "diversity", "eci"],
                [[x["loc"], x["diversity"], f"{x['eci']:.3f}"] for x in r["locations"]],
            )
        ),
    )


@app.command("rca")
def rca_cmd(
    input_: Path = typer.Option(..., "--input", help="Plain CSV world table."),
    period: str = PERIOD,
    reporter: str = typer.Option(None, "--reporter", help="Only this reporter."),
    as_json: bool = JSON_OPTION,
) -> None:
    """현시비교우위 Balassa RCA by reporter and product."""
    flows = latest_flows(source=read_input(input_), period=period, flow="X")
    table_ = similarity.rca(flows.filter(pl.col("product") != "TOTAL"))
    if reporter:
        table_ = table_.filter(pl.col("reporter") == reporter)
    emit(table_.to_dicts(), as_json)


@app.command("similarity")
def similarity_cmd(
    input_: Path = typer.Option(..., "--input", help="Plain CSV world table."),
    period: str = PERIOD,
    a: str = typer.Option(..., "--a", help="First exporter."),
    b: str = typer.Option(..., "--b", help="Second exporter."),
    as_json: bool = JSON_OPTION,
) -> None:
    """수출유사도 Finger–Kreinin export similarity of two exporters (0–100)."""
    flows = latest_flows(source=read_input(input_), period=period, flow="X")
    value = similarity.export_similarity(flows.filter(pl.col("product") != "TOTAL"), a, b)
    emit({"period": period, "a": a, "b": b, "export_similarity": value}, as_json)


@app.command("complementarity")
def complementarity_cmd(
    input_: Path = typer.Option(..., "--input", help="Plain CSV world table (X and M)."),
    period: str = PERIOD,
    exporter: str = typer.Option(..., "--exporter", help="Exporting country."),
    importer: str = typer.Option(..., "--importer", help="Importing country."),
    as_json: bool = JSON_OPTION,
) -> None:
    """무역보완도 Trade complementarity of an exporter with an importer (0–100)."""
    flows = latest_flows(source=read_input(input_), period=period)
    lines = flows.filter(pl.col("product") != "TOTAL")
    value = similarity.trade_complementarity(
        lines.filter(pl.col("flow") == "X"), lines.filter(pl.col("flow") == "M"), exporter, importer
    )
    emit(
        {
            "period": period,
            "exporter": exporter,
            "importer": importer,
            "trade_complementarity": value,
        },
        as_json,
    )


@app.command("diversification")
def diversification_cmd(
    input_: Path = typer.Option(..., "--input", help="Plain CSV world table."),
    period: str = PERIOD,
    as_json: bool = JSON_OPTION,
) -> None:
    """다변화 WITS diversification index DX per exporter (0 = world structure)."""
    flows = latest_flows(source=read_input(input_), period=period, flow="X")
    emit(conc.diversification_dx(flows.filter(pl.col("product") != "TOTAL")).to_dicts(), as_json)


@app.command("rank")
def rank_cmd(
    input_: Path = typer.Option(..., "--input", help="World table: reporters' exports to WLD."),
    period: str = typer.Option(..., "--period", help="Period, or START:END month window."),
    reporter: str = typer.Option("KOR", "--reporter", help="Country to place."),
    as_json: bool = JSON_OPTION,
) -> None:
    """수출 순위 Rank of a country among exporters in a world table."""
    from tiro.trade.periods import month_range

    start, _, end = period.partition(":")
    periods = month_range(start, end, field="period") if end else [start]
    flows = latest_flows(source=read_input(input_))
    out = ranking.rank_of(ranking.rank_exporters(flows, periods=periods), reporter)
    emit(
        out,
        as_json,
        lambda r: console.print(
            f"{r['reporter']} ranks {r['rank']} of {r['of']} ({_bn(r['value'])} bn)"
        ),
    )


if importlib.util.find_spec("tiro.cli.trade_more"):
    from tiro.cli import trade_more

    for command in trade_more.app.registered_commands:
        app.registered_commands.append(command)
    for group in trade_more.app.registered_groups:
        app.registered_groups.append(group)
