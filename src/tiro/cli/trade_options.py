"""Options and small helpers shared by the ``tiro trade`` command modules.

Every flow-reading command takes the same source switches: the shipped Korean figures by
default, a plain CSV ``period,reporter,partner,product,flow,value[,vintage]`` with ``--input``,
or the local vintaged store with ``--store``; ``--as-of`` picks the latest vintage released on
or before a day (잠정치 → 확정치).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from tiro.cli.lazy import deferred
from tiro.core.errors import InvalidInput

if TYPE_CHECKING:
    import polars as pl

# tiro.trade.service brings SQLAlchemy and the flow store: imported when a command reads
# flows, not when ``tiro trade working-days`` loads this module (issue 10: start-up time).
latest_flows = deferred("tiro.trade.service", "latest_flows")
read_input = deferred("tiro.trade.service", "read_input")

INPUT = typer.Option(None, "--input", help="Plain CSV period,reporter,partner,product,flow,value.")
PERIOD = typer.Option(..., "--period", help="Period YYYY or YYYY-MM.")
AS_OF = typer.Option(None, "--as-of", help="Latest vintage released on or before (YYYY-MM-DD).")
STORE = typer.Option(False, "--store", help="Read the local flow store instead of shipped facts.")
BASIS = typer.Option(None, "--basis", help="MOTIE, KCS, COMTRADE, REPORT or USER.")
VINTAGE = typer.Option(None, "--vintage", help="Only this vintage (e.g. provisional).")
SCENARIO = typer.Option(None, "--params-scenario", help="Parameter scenario overlay.")


def flows_from(
    input_: Path | None, as_of: dt.datetime | None, use_store: bool, **filters: str
) -> pl.DataFrame:
    """Latest vintages from a file, the store or the shipped facts (MOTIE basis by default)."""
    day = as_of.date() if as_of else None
    if input_ is None and not use_store and not filters.get("basis"):
        filters["basis"] = "MOTIE"
    if input_ is not None:
        return latest_flows(source=read_input(input_), as_of=day, **filters)
    return latest_flows(source="store" if use_store else "facts", as_of=day, **filters)


def known(value: str | None, allowed: tuple[str, ...] | list[str], option: str) -> None:
    """Refuse a code the data cannot hold, naming the option (not "no flows for <period>")."""
    if value is not None and value not in allowed:
        raise InvalidInput(f"unknown code {value!r} (one of {', '.join(allowed)})", field=option)


def known_flow(flow: str | None, option: str = "--flow") -> None:
    """``--flow`` is one of the schema's flows (X, M, B)."""
    from tiro.trade.schema import FLOWS

    known(flow, FLOWS, option)


def pick(basis: str | None, vintage: str | None) -> dict[str, str]:
    """The basis/vintage filters that were given, each refused when it is no known code."""
    from tiro.trade.schema import BASES, VINTAGE_RANK

    known(basis, BASES, "--basis")
    known(vintage, list(VINTAGE_RANK), "--vintage")
    return {k: v for k, v in {"basis": basis, "vintage": vintage}.items() if v}


def bn(value: float | None) -> str:
    """USD as billions with two decimals (억불 ÷ 10), blank when missing."""
    return "" if value is None else f"{value / 1e9:,.2f}"


def pct(value: float | None) -> str:
    """A ratio as a signed percentage, blank when missing."""
    return "" if value is None else f"{value * 100:+.1f}%"


def day_option(text: str | None, field: str) -> dt.date:
    """A YYYY-MM-DD option, today when not given; a bad date names the option."""
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{text!r} is not a date (YYYY-MM-DD)", field=field) from None
