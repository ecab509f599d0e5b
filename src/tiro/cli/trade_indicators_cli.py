"""``tiro trade indicators|balance|shares|share-change|contributions``: one reporter's figures.

Growth (증감률), year to date, month windows, daily averages (일평균), the balance identity
(무역수지 = 수출 − 수입), shares by partner or partner group (비중) and contributions to growth
(기여도), all over the latest vintage of the chosen source.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from tiro.cli.lazy import deferred
from tiro.cli.output import JSON_OPTION, console, emit, money_to_cents, table
from tiro.cli.trade_options import (
    AS_OF,
    BASIS,
    INPUT,
    PERIOD,
    SCENARIO,
    STORE,
    VINTAGE,
    bn,
    flows_from,
    known_flow,
    pick,
)
from tiro.core.parameters import get_params
from tiro.trade import growth, shares

# SQLAlchemy and the flow store load when a command needs them (issue 10: start-up time).
period_indicators = deferred("tiro.trade.service", "period_indicators")
read_input = deferred("tiro.trade.service", "read_input")
FlowStore = deferred("tiro.trade.store", "FlowStore")

app = typer.Typer(help="Growth, balance, shares and contributions of one reporter.")

BY = "partner, partner_group, partner_group_set or product."


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
    pick(basis, None)
    flows = flows_from(input_, as_of, use_store)
    out = period_indicators(
        flows,
        period=period,
        params=get_params(),
        partner=partner,
        product=product,
        basis=basis,
        window=window,
    )
    emit(out, as_json)


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
    columns = ["period", "basis", "vintage", "exports", "imports", "balance", "stated_balance"]
    money = {"exports", "imports", "balance", "stated_balance"}
    emit(
        rows,
        as_json,
        lambda r: console.print(
            table(
                "무역수지 항등식 Balance identity (USD bn)",
                ["period", "basis", "vintage", "exports", "imports", "X-M", "stated", "consistent"],
                [
                    [bn(x[c]) if c in money else x[c] for c in columns] + [x["consistent"]]
                    for x in r
                ],
            )
        ),
    )


@app.command("shares")
def shares_cmd(
    period: str = PERIOD,
    by: str = typer.Option("partner_group", "--by", help=BY),
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
    known_flow(flow)
    flows = flows_from(input_, as_of, use_store, **pick(basis, vintage))
    out = shares.shares(
        flows, period=period, by=by, params=get_params(scenario), reporter=reporter, flow=flow
    )
    emit(
        out,
        as_json,
        lambda r: console.print(
            table(
                f"{r['period']} shares of {bn(r['total'])} bn",
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
    flows = flows_from(input_, as_of, use_store, **pick(basis, vintage))
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
    flows = flows_from(input_, as_of, use_store, **pick(basis, vintage))
    frame = shares.contributions(
        flows, before=before, after=after, by=by, params=get_params(scenario)
    )
    # Presentation only: USD to the cent, so a value derived by subtraction ("other" = total
    # minus the named groups) prints 179,100,000,000.0, not 179099999999.99997.
    emit(money_to_cents(frame, ["value_before", "value_after"]).to_dicts(), as_json)
