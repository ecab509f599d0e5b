"""Trade services: read inputs, keep the store, and answer the indicator questions.

Thin orchestration between the interfaces (CLI, API) and the pure engines: it decides where
flows come from (a file, the store, or the shipped facts), reduces them to one vintage per
flow as of a date, and records imports in the audit trail when a database session is given.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

import polars as pl

from tiro.core.errors import Conflict, InvalidInput, TiroError
from tiro.core.parameters import ParameterTree
from tiro.trade.facts import korea_flows, working_days_published
from tiro.trade.io_comtrade import read_comtrade
from tiro.trade.io_csv import read_plain_csv
from tiro.trade.io_kcs import read_kcs
from tiro.trade.schema import VINTAGE_RANK, parse_period
from tiro.trade.store import BatchReceipt, FlowStore, query_flows

Format = Literal["plain", "comtrade", "kcs"]
FORMATS = ("plain", "comtrade", "kcs")


def read_input(
    source: Path | str | bytes,
    *,
    fmt: str = "plain",
    release_date: dt.date | None = None,
    vintage: str | None = None,
) -> pl.DataFrame:
    """Parse and validate one file in a known format into the flow table.

    ``vintage`` labels every row of a Comtrade or KCS file, and the rows of a plain CSV that
    do not state their own (``None``: confirmed); an unknown vintage is refused before the
    file is read.
    """
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown format {fmt!r} ({', '.join(FORMATS)})", field="format")
    if vintage is not None and vintage not in VINTAGE_RANK:
        raise InvalidInput(f"{vintage!r} is not one of {', '.join(VINTAGE_RANK)}", field="vintage")
    released = release_date or dt.date.today()
    if released > dt.date.today():
        raise InvalidInput(f"{released} is in the future", field="release_date")
    if fmt == "plain":
        return read_plain_csv(source, release_date=released, vintage=vintage)
    if fmt == "comtrade":
        return read_comtrade(source, release_date=released, vintage=vintage or "confirmed")
    return read_kcs(source, release_date=released, vintage=vintage or "confirmed")


def import_flows(
    *,
    flows: pl.DataFrame,
    store: FlowStore,
    label: str,
    session=None,
    actor: str = "system",
) -> BatchReceipt:
    """Append a validated batch to the store and its audit row, as one unit.

    The audit row is written and committed under the store's lock, between writing the
    batch and making it visible; if the row cannot be written (a database without its
    migrations, a lost connection) the batch is removed and the import is refused cleanly,
    so a retry never meets a half-done import ("already stored" with no audit row).
    """
    if session is None:
        return store.append(flows, label=label)
    from sqlalchemy.exc import SQLAlchemyError

    from tiro.core.audit import record_audit

    def stage(receipt: BatchReceipt) -> None:
        try:
            record_audit(
                session,
                actor=actor,
                action="trade.import",
                entity="trade_flow_batch",
                entity_id=receipt.batch_id,
                before=None,
                after={"rows": receipt.rows, "vintages": receipt.vintages, "label": label},
            )
            session.flush()
        except SQLAlchemyError as exc:
            session.rollback()
            raise _audit_failure(exc) from None

    def commit() -> None:
        try:
            session.commit()
        except SQLAlchemyError as exc:
            session.rollback()
            raise _audit_failure(exc) from None

    return store.append(flows, label=label, stage=stage, commit=commit)


def _audit_failure(exc: Exception) -> TiroError:
    """A database that cannot take the audit row: say why and what to do, without paths.

    A missing table is the core's DatabaseNotReady (run ``tiro db upgrade``: exit 6, 503);
    any other database failure is a Conflict. Either way nothing was imported.
    """
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from tiro.core.db import missing_table_problem

    if isinstance(exc, OperationalError | ProgrammingError):
        missing = missing_table_problem(exc)
        if missing is not None:
            return type(missing)(f"{missing.message}; nothing was imported", field="database")
    reason = str(getattr(exc, "orig", exc)).splitlines()[0] if str(exc) else type(exc).__name__
    return Conflict(
        f"the import's audit row could not be written; nothing was imported "
        f"[{type(exc).__name__}: {reason}]",
        field="database",
    )


def latest_flows(
    *,
    source: Literal["facts", "store"] | pl.DataFrame = "facts",
    as_of: dt.date | None = None,
    store: FlowStore | None = None,
    **filters: str,
) -> pl.DataFrame:
    """One vintage per flow as of a date, from the shipped facts, the store or a table.

    A ``period`` filter is checked first, so ``0000`` is refused rather than matching
    nothing and answering an empty table.
    """
    if filters.get("period") is not None:
        parse_period(filters["period"])
    if isinstance(source, pl.DataFrame):
        return query_flows(source, as_of=as_of, latest=True, **filters)
    if source == "facts":
        return query_flows(korea_flows(), as_of=as_of, latest=True, **filters)
    return (store or FlowStore()).latest(as_of, **filters)


def world_exports(
    flows: pl.DataFrame, *, flow: str = "X", params: ParameterTree | None = None
) -> pl.DataFrame:
    """Product-level trade of each reporter with the world, each product once.

    The one reading of a world table behind RCA, similarity, complementarity,
    diversification, complexity and concentration over products: the ``WLD`` row where the
    reporter has one, else its partner rows summed once (``tiro.trade.partner_levels``).
    ``TOTAL`` rows are left out: they would double-count the products.
    """
    from tiro.trade.partner_levels import world_cells

    picked = flows.filter((pl.col("flow") == flow) & (pl.col("product") != "TOTAL"))
    return world_cells(picked, params)


def working_days_table(periods: list[str], params: ParameterTree) -> pl.DataFrame:
    """Working days (조업일수) per month: the days a release printed where there is one,
    else the Korean working-day calendar. ``days_source`` says which."""
    months = sorted(p for p in periods if len(p) == 7)
    printed = (
        working_days_published()
        .filter((pl.col("window") == "month") & pl.col("period").is_in(months))
        .select("period", "working_days", pl.lit("published").alias("days_source"))
    )
    if not months:
        return printed
    from tiro.trade.calendar import monthly_calendar

    computed = (
        monthly_calendar(months[0], months[-1], params=params)
        .select(
            pl.col("month").alias("period"),
            pl.col("working_days").cast(pl.Float64),
            pl.lit("calendar").alias("days_source"),
        )
        .filter(
            pl.col("period").is_in(months) & ~pl.col("period").is_in(printed["period"].to_list())
        )
    )
    return pl.concat([printed, computed]).sort("period")


def period_indicators(
    flows: pl.DataFrame,
    *,
    period: str,
    params: ParameterTree,
    partner: str = "WLD",
    product: str = "TOTAL",
    basis: str = "MOTIE",
    window: str | None = None,
) -> dict[str, object]:
    """증감률 for one period, as the CLI and the API both answer it.

    Value and YoY (전년동기비); for a month also year to date (누적) and the daily average
    (일평균, value ÷ 조업일수) with its YoY; with ``window`` = ``START:END`` the sum over those
    months against the same months a year earlier. A missing YoY base is an error (the figure
    asked for cannot be given); a missing year-to-date month only marks that part unavailable.
    """
    from tiro.core.errors import TiroError
    from tiro.trade import growth

    xs = growth.series(flows, partner=partner, product=product, flow="X", basis=basis)
    out: dict[str, object] = {"period": period, "basis": basis, "yoy": growth.yoy(xs, period)}
    if len(period) == 7:
        try:
            out["ytd"] = growth.ytd(xs, period)
        except TiroError as exc:
            out["ytd"] = {"unavailable": exc.one_line()}
        days = working_days_table(xs["period"].to_list(), params)
        daily = growth.daily_average(xs, days).filter(pl.col("period") == period)
        out["daily_average"] = (
            daily.drop("basis", "vintage").to_dicts()[0] if daily.height else None
        )
    if window:
        start, _, end = window.partition(":")
        out["window"] = growth.window(xs, start, end)
    return out
