"""Tariff routes (미국 관세): quote, batch file pricing, scenario comparison, measures, timeline.

Pure computations: no token needed. Bad input answers problem+json naming the field. A
scenario is a shipped name (``tiro.api.deps.http_scenario``) or, in a quote body, an overlay
object — never a path on the server (issue 9 item 20).
"""

from __future__ import annotations

import datetime as dt
import gc
import tempfile
from pathlib import Path
from typing import Any

import polars as pl
from fastapi import APIRouter, File, Query, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from tiro.api.deps import SCENARIO_QUERY, http_scenario
from tiro.core.errors import InvalidInput
from tiro.core.validation import MAX_MAGNITUDE, finite
from tiro.tariff.batch.stream import error_path_for, measures_path_for, run_batch
from tiro.tariff.deal.compare import compare_basket, load_basket
from tiro.tariff.measures.browser import measures_for_code
from tiro.tariff.pricing import quote_fast
from tiro.tariff.pricing.quote import NeedsEngine, parse_facts, quote, timeline
from tiro.tariff.schedule.usitc_json import read_hts_table
from tiro.tariff.schemas import CompareRequest, QuoteRequest, http_measure_set

router = APIRouter(prefix="/api/v1/tariff", tags=["tariff"])


def _date(text: str | None, field: str) -> dt.date:
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(f"not a date (YYYY-MM-DD): {text}", field=field) from exc


@router.post("/quote", summary="Quote the US duty on one line")
async def quote_route(body: QuoteRequest) -> dict[str, Any]:
    """Every applicable Chapter 99 heading with rate (fraction), basis, amount and citation, the
    column-1 base rate, the totals, facts still needed and an explanation (issue 3 contract),
    with the entry's fees and the AD/CVD orders that may cover it; ``landed``, ``krw`` and
    ``compare_korus`` add the landed cost and the KORUS claimed vs not comparison."""
    # A line the fast path answers from its caches (a fraction of a millisecond) is answered
    # here on the event loop; anything else (an overlay to build, a code or key to learn, the
    # engine) runs on the thread pool, as a synchronous route would.
    if body.scenario is None or isinstance(body.scenario, str):
        try:
            return _quote(body, engine=False)
        except NeedsEngine:
            pass
    answer = await run_in_threadpool(_quote, body)
    _freeze_after_learning()
    return answer


_frozen = -1


def _freeze_after_learning() -> None:
    """Once the fast path has learnt something, move every object alive out of the cyclic
    garbage collector's reach (``gc.freeze``; reference counting still frees them). A full
    collection walks the whole heap — the app, the engine's tables, the caches — and took
    70-360 ms on this machine, during which no request is answered: it was the 32-client tail
    of the latency bench. The caches only grow by learning, so it is frozen after each lesson."""
    global _frozen
    now = quote_fast.generation()
    if now != _frozen:
        _frozen = now
        gc.freeze()


def _quote(body: QuoteRequest, engine: bool = True) -> dict[str, Any]:
    return quote(
        hts=body.hts,
        origin=body.origin,
        entry_date=body.entry_date,
        customs_value=body.customs_value,
        quantity=body.quantity,
        unit=body.unit,
        korus=body.korus,
        metal_share=body.metal_share,
        facts=body.facts,
        scenario=http_measure_set(body.scenario),
        broker=body.broker(),
        engine=engine,
    )


@router.get("/adcvd", summary="AD/CVD orders on Korean goods in force on a date")
def adcvd_route(
    hts: str | None = Query(
        None, max_length=20, description="Only orders that may cover this HTS code or prefix"
    ),
    date: str | None = Query(None, max_length=10, description="Date YYYY-MM-DD (default: today)"),
) -> list[dict[str, Any]]:
    """Commerce's antidumping and countervailing duty orders on goods of Korea shipped with tiro:
    case, product, HTS references (the written scope decides), and the all-others and company
    cash-deposit rates in force on the date, each with its source (issue 11 item 3)."""
    from tiro.tariff.broker.adcvd import order_listing

    return order_listing(hts=hts, on=_date(date, "date"))


@router.get("/timeline", summary="Total rate of an HTS code at every change of the measures")
def timeline_route(
    hts: str = Query(..., description="HTS code"),
    origin: str = Query("KR", description="ISO alpha-2 origin"),
    value: float = Query(10000.0, ge=0, le=MAX_MAGNITUDE, description="Customs value, USD"),
    korus: bool | None = Query(None, description="KORUS claimed"),
    metal_share: float | None = Query(None, ge=0, le=1, description="Metal share of value, 0-1"),
    fact: list[str] = Query(
        default_factory=list, description="Declared facts NAME=true|false (as in the quote)"
    ),
    scenario: str | None = SCENARIO_QUERY,
) -> list[dict[str, Any]]:
    """The total rate at every date the measures change, from the first measure to the last
    date any measure of the scenario starts or ends."""
    return timeline(
        hts=hts,
        origin=origin,
        customs_value=finite(value, "value"),
        korus=korus,
        metal_share=finite(metal_share, "metal_share"),
        facts=parse_facts(fact),
        scenario=http_scenario(scenario),
    )


@router.post("/batch", summary="Price a file of declaration lines")
def batch_route(
    file: UploadFile = File(
        ..., description="CSV or Parquet with hts, origin, entry_date, customs_value"
    ),
    hts_table: UploadFile | None = File(
        None,
        description="Column-1 rates to price every date with, instead of the shipped HTS revisions: a USITC HTS "
        "JSON export, or a table saved by `tiro tariff import-hts` (.csv/.parquet)",
    ),
    scenario: str | None = SCENARIO_QUERY,
    part: str = Query(
        "priced",
        description="'priced' (Parquet), 'errors' (CSV of bad rows) or 'measures' (Parquet: "
        "every measure of every pricing key with status and citation)",
    ),
    columns: str | None = Query(
        None,
        max_length=1000,
        description="Comma-separated output columns (default: the input columns and the quote "
        "columns); may add the broker's costs: mpf, hmf, adcvd_cases, adcvd_deposit, adcvd_needs",
    ),
) -> Response:
    """Upload a file, get the priced Parquet back (headers carry row and error counts);
    ``part=errors`` returns the bad rows with field and reason instead, ``part=measures`` the
    legal basis per pricing key (join on ``pricing_key``). An ``hts_table`` upload replaces the
    shipped column-1 rates, as ``--hts-table`` does on the command line."""
    if part not in ("priced", "errors", "measures"):
        raise InvalidInput("part must be 'priced', 'errors' or 'measures'", field="part")
    suffix = Path(file.filename or "").suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise InvalidInput("upload a .csv or .parquet file", field="file")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / f"input{suffix}"
        source.write_bytes(file.file.read())
        out = Path(tmp) / "priced.parquet"
        rates = None
        if hts_table is not None:
            rates_suffix = Path(hts_table.filename or "").suffix.lower()
            if rates_suffix not in (".json", ".csv", ".parquet"):
                raise InvalidInput("upload a .json, .csv or .parquet rate table", field="hts_table")
            rates_file = Path(tmp) / f"rates{rates_suffix}"
            rates_file.write_bytes(hts_table.file.read())
            rates = read_hts_table(rates_file)
        summary = run_batch(
            source,
            out,
            scenario=http_scenario(scenario),
            hts_table=rates,
            columns=None if columns is None else columns.split(","),
        )
        headers = {
            "X-Tiro-Rows": str(summary.rows),
            "X-Tiro-Priced": str(summary.priced),
            "X-Tiro-Errors": str(summary.errors),
            "X-Tiro-Incomplete": str(summary.incomplete),
            "X-Tiro-Scenario": summary.scenario,
        }
        if part == "errors":
            errors = error_path_for(out)
            body = errors.read_bytes() if errors.exists() else b"line,line_id,error_field,error\n"
            return Response(body, media_type="text/csv", headers=headers)
        if part == "measures":
            return Response(
                measures_path_for(out).read_bytes(),
                media_type="application/vnd.apache.parquet",
                headers={
                    **headers,
                    "Content-Disposition": 'attachment; filename="priced.measures.parquet"',
                },
            )
        return Response(
            out.read_bytes(),
            media_type="application/vnd.apache.parquet",
            headers={**headers, "Content-Disposition": 'attachment; filename="priced.parquet"'},
        )


@router.post("/compare", summary="Price a basket under several scenarios")
def compare_route(body: CompareRequest) -> dict[str, Any]:
    """Duty by product group and HS chapter under each scenario, totals and the deal's saving
    (no_deal minus actual). Without a basket, Korea's 2024 exports to the US are priced."""
    if body.basket is None:
        basket = load_basket(None)
    else:
        rows = [b.model_dump() for b in body.basket]
        frame = pl.DataFrame(
            rows,
            schema={
                "hts": pl.Utf8,
                "value_usd": pl.Float64,
                "product_group": pl.Utf8,
                "metal_share": pl.Float64,
            },
        )
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "basket.parquet"
            frame.write_parquet(path)
            basket = load_basket(path)
    names = tuple(http_scenario(s) or "actual" for s in body.scenarios)
    return compare_basket(basket, scenarios=names, on=_date(body.entry_date, "entry_date"))


@router.get("/measures", summary="Measures that touch an HTS code")
def measures_route(
    hts: str = Query(..., description="HTS code, 8 or 10 digits"),
    origin: str = Query("KR", description="ISO alpha-2 origin"),
    date: str | None = Query(None, description="Only measures in force on this date"),
    scenario: str | None = SCENARIO_QUERY,
) -> list[dict[str, Any]]:
    """Every dated Chapter 99 record whose HTS and origin scope touch the code, by date."""
    on = _date(date, "date") if date else None
    return measures_for_code(hts, origin=origin, on=on, scenario=http_scenario(scenario))
