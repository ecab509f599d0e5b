"""Trade statistics API: shipped figures, vintaged store, growth, shares, concentration,
complexity. Pure computations need no token; importing into the store needs an operator."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Coroutine
from typing import Any, Literal

import polars as pl
from fastapi import APIRouter, Body, Depends, Query, Request, Response
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session

from tiro.api.body_limit import read_capped
from tiro.api.deps import SCENARIO_QUERY, get_session, http_params, require_role
from tiro.core.models import User
from tiro.core.parameters import get_params
from tiro.trade import concentration as conc
from tiro.trade import growth, io_files, shares
from tiro.trade.complexity import complexity as run_complexity
from tiro.trade.facts import korea_flows
from tiro.trade.schema import MONTH_RE, PERIOD_HINT, PERIOD_RE, period_end
from tiro.trade.service import (
    import_flows,
    latest_flows,
    period_indicators,
    read_input,
    working_days_table,
    world_exports,
)
from tiro.trade.store import FlowStore


class CappedUpload(APIRoute):
    """A route whose body is read in chunks and refused (413) past ``MAX_UPLOAD_BYTES``.

    FastAPI reads a ``Body`` whole before the handler runs; this reads it first, counting,
    and leaves it cached on the request for FastAPI, so an absurd upload costs no memory.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def capped(request: Request) -> Response:
            if request.method == "POST":
                # Starlette's body() cache, filled by the app's one capped reader
                request._body = await read_capped(request, io_files.MAX_UPLOAD_BYTES)
            return await handler(request)

        return capped


router = APIRouter(prefix="/api/v1/trade", tags=["trade"], route_class=CappedUpload)

# Query parameters of every trade route, each stating in the schema the rule the code
# enforces (pattern, enum, bounds), so a value outside it is a 422 naming the field.
Basis = Literal["MOTIE", "KCS", "COMTRADE", "REPORT", "USER"]
Vintage = Literal["flash_10", "flash_20", "provisional", "confirmed", "revised"]
Breakdown = Literal["partner", "partner_group", "partner_group_set", "product"]
Over = Literal["product", "partner"]
Normalization = Literal["growthlab", "self", "none"]
Format = Literal["plain", "comtrade", "kcs"]

#: ISO alpha-3, WLD, a partner-group code (LATIN_AMERICA) or a non-country area code (XNS).
PARTNER_PATTERN = r"^[A-Z][A-Z_]{1,31}$"
#: ISO alpha-3 of a reporting country.
REPORTER_PATTERN = r"^[A-Z]{3}$"
#: TOTAL, an HS/MTI code or a major-item key.
PRODUCT_PATTERN = r"^(TOTAL|\d{1,10}|[a-z][a-z0-9_]{0,39})$"


def period_query(default: str | None = ..., **extra: object) -> object:  # type: ignore[assignment]
    """A required (or defaulted) period query parameter with its pattern."""
    return Query(
        default, description=f"Period {PERIOD_HINT}.", pattern=PERIOD_RE, max_length=7, **extra
    )


def month_query(default: str | None = ..., description: str = "Month YYYY-MM.") -> object:  # type: ignore[assignment]
    """A month query parameter with its pattern."""
    return Query(default, description=description, pattern=MONTH_RE, max_length=7)


def code_query(default: str | None, description: str, pattern: str) -> object:
    """A code query parameter (partner, reporter, product) with its shape."""
    return Query(default, description=description, pattern=pattern, max_length=40)


def _records(frame: pl.DataFrame) -> list[dict]:
    return frame.drop("row", strict=False).to_dicts()


@router.get("/facts", summary="Shipped Korean trade figures")
def facts(
    period: str | None = period_query(None),
    as_of: dt.date | None = Query(None, description="Latest vintage released by this date."),
    all_vintages: bool = Query(False, description="Every release side by side."),
) -> list[dict]:
    """Korea's published figures (USD) with vintage, basis (MOTIE/KCS/REPORT) and source."""
    frame = korea_flows() if all_vintages else latest_flows(as_of=as_of)
    if period:
        frame = frame.filter(pl.col("period") == period)
    return _records(frame)


@router.get("/series", summary="Monthly exports: raw and per working day")
def monthly_series(
    basis: Basis = Query("MOTIE", description="Source basis."),
    as_of: dt.date | None = Query(None, description="Latest vintage released by this date."),
    product: str = code_query("TOTAL", "TOTAL or a major-item key.", PRODUCT_PATTERN),
) -> list[dict]:
    """Monthly exports with working days (조업일수) and the daily average (일평균 수출)."""
    flows = latest_flows(as_of=as_of, basis=basis)
    xs = growth.series(flows, product=product, flow="X", basis=basis)
    xs = xs.filter(pl.col("period").str.len_chars() == 7)
    days = working_days_table(xs["period"].to_list(), get_params())
    daily = growth.daily_average(xs, days).join(
        days.select("period", "days_source"), on="period", how="left"
    )
    return daily.to_dicts()


@router.get("/indicators", summary="Growth indicators for one period")
def indicators(
    period: str = period_query(),
    basis: Basis = Query("MOTIE", description="Source basis."),
    partner: str = code_query("WLD", "Partner code (default world).", PARTNER_PATTERN),
    product: str = code_query("TOTAL", "Product or major-item key.", PRODUCT_PATTERN),
    as_of: dt.date | None = Query(None, description="Latest vintage released by this date."),
) -> dict:
    """Value and YoY (전년동기비); for a month also year to date (누적) and the daily average
    (일평균 수출, value ÷ 조업일수) with its YoY — the same answer as ``tiro trade indicators``."""
    flows = latest_flows(as_of=as_of, basis=basis)
    return period_indicators(
        flows, period=period, params=get_params(), partner=partner, product=product, basis=basis
    )


@router.get("/window", summary="Growth over a month window")
def window(
    start: str = month_query(description="First month YYYY-MM."),
    end: str = month_query(description="Last month YYYY-MM."),
    basis: Basis = Query("MOTIE", description="Source basis."),
    as_of: dt.date | None = Query(None, description="Latest vintage released by this date."),
) -> dict:
    """Sum of exports over START..END and growth on the same months a year earlier."""
    xs = growth.series(latest_flows(as_of=as_of, basis=basis), flow="X", basis=basis)
    return growth.window(xs, start, end)


@router.get("/balance", summary="Balance identity check")
def balance() -> list[dict]:
    """X − M per release against the balance each source printed (flags inconsistencies)."""
    return growth.balance_check(korea_flows(), get_params()).to_dicts()


@router.get("/shares", summary="Shares by partner, partner group, group set or product")
def shares_route(
    period: str = period_query(),
    by: Breakdown = Query(
        "partner_group", description="partner, partner_group, partner_group_set, product."
    ),
    basis: Basis = Query("MOTIE", description="Source basis."),
    vintage: Vintage | None = Query(None, description="Only this vintage (e.g. provisional)."),
    as_of: dt.date | None = Query(None, description="Latest vintage released by this date."),
    scenario: str | None = SCENARIO_QUERY,
) -> dict:
    """``{"period", "total", "groups": {name: share}}`` from the shipped figures."""
    filters = {"basis": basis, **({"vintage": vintage} if vintage else {})}
    flows = latest_flows(as_of=as_of, **filters)
    return shares.shares(flows, period=period, by=by, params=http_params(scenario))


@router.get("/share-change", summary="Share change between two periods")
def share_change(
    before: str = period_query(),
    after: str = period_query(),
    by: Breakdown = Query("partner_group_set", description="Breakdown."),
    basis: Basis = Query("MOTIE", description="Source basis."),
    vintage: Vintage | None = Query("provisional", description="Vintage (default provisional)."),
) -> list[dict]:
    """Shares in two periods and the change in percentage points (美中 의존 38.1→35.8)."""
    filters = {"basis": basis, **({"vintage": vintage} if vintage else {})}
    flows = latest_flows(**filters)
    return shares.share_changes(
        flows, before=before, after=after, by=by, params=get_params()
    ).to_dicts()


@router.post("/shares", summary="Shares from an uploaded plain CSV")
def shares_upload(
    period: str = period_query(),
    by: Breakdown = Query("partner_group", description="Breakdown."),
    reporter: str = code_query("KOR", "Reporter ISO alpha-3.", REPORTER_PATTERN),
    csv: str = Body(..., media_type="text/csv", description="Plain CSV of flows."),
) -> dict:
    """Same contract as ``tiro trade shares --input FILE``."""
    flows = latest_flows(source=read_input(csv.encode()))
    return shares.shares(flows, period=period, by=by, params=get_params(), reporter=reporter)


@router.post("/concentration", summary="HHI, normalised HHI, UNCTAD index")
def concentration_upload(
    period: str = period_query(),
    reporter: str = code_query(..., "Reporter ISO alpha-3.", REPORTER_PATTERN),
    over: Over = Query("product", description="product or partner."),
    csv: str = Body(..., media_type="text/csv", description="Plain CSV of flows."),
) -> dict:
    """``{"hhi", "hhi_normalized", "unctad_concentration", "n"}`` for one reporter."""
    flows = latest_flows(
        source=read_input(csv.encode()), period=period, reporter=reporter, flow="X"
    )
    return conc.concentration_over(flows, over=over)


@router.post("/complexity", summary="Economic complexity (Growth Lab)")
def complexity_upload(
    period: str = period_query(),
    normalization: Normalization = Query("growthlab", description="growthlab, self or none."),
    ddof: int = Query(0, ge=0, le=1, description="sd degrees of freedom: 0 (population) or 1."),
    csv: str = Body(..., media_type="text/csv", description="Plain CSV of exports."),
) -> dict:
    """``{"locations": [{loc, diversity, eci}], "products": [{prod, ubiquity, pci}]}``."""
    flows = latest_flows(source=read_input(csv.encode()), period=period, flow="X")
    exports = world_exports(flows, flow="X")
    threshold = float(get_params().at("trade.complexity.rca_threshold", period_end(period)))
    result = run_complexity(exports, threshold=threshold, normalization=normalization, ddof=ddof)
    return {
        "locations": result.locations.select("loc", "diversity", "eci").to_dicts(),
        "products": result.products.select("prod", "ubiquity", "pci").to_dicts(),
    }


@router.post("/import", summary="Import flows into the vintaged store")
def import_route(
    fmt: Format = Query("plain", alias="format", description="plain, comtrade or kcs."),
    release_date: dt.date | None = Query(None, description="Publication day."),
    vintage: Vintage | None = Query(
        None, description="Vintage of every Comtrade/KCS row and of plain rows without one."
    ),
    body: str = Body(..., media_type="text/plain", description="File content."),
    session: Session = Depends(get_session, scope="function"),
    user: User = Depends(require_role("operator")),
) -> dict:
    """All rows or none; a flow already stored in the same vintage is refused (409)."""
    flows = read_input(body.encode(), fmt=fmt, release_date=release_date, vintage=vintage)
    receipt = import_flows(
        flows=flows,
        store=FlowStore(),
        label=f"api:{fmt}",
        session=session,
        actor=user.name,
    )
    # the batch file's path stays on the server (issue 9 item 17)
    return {"batch_id": receipt.batch_id, "rows": receipt.rows, "vintages": receipt.vintages}


@router.get("/flows", summary="Flows in the store, latest vintage as of a date")
def flows_route(
    period: str | None = period_query(None),
    flow: Literal["X", "M", "B"] | None = Query(None, description="X, M or B."),
    as_of: dt.date | None = Query(None, description="Release date cut-off."),
    all_vintages: bool = Query(False, description="Every stored vintage."),
) -> list[dict]:
    """Stored flows; vintages stand side by side and are never overwritten."""
    filters = {k: v for k, v in {"period": period, "flow": flow}.items() if v}
    store = FlowStore()
    frame = store.all_vintages(**filters) if all_vintages else store.latest(as_of, **filters)
    return frame.to_dicts()
