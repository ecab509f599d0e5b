"""Station routes (``/api/v1/energy/stations…``, ``good-stations``, ``screens``): 주유소.

Reads over the seeded sample network (labelled ``sample``) need no token; opening and
advancing inspection cases (``/cases``) needs an operator. Every query
parameter is bounded in the schema (coordinates, radius, limit, product, dates); a point
outside Korea, an unknown station or a day outside the sample is a 4xx naming the field.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import Field
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from tiro.api.body_limit import read_capped
from tiro.api.deps import SCENARIO_QUERY, get_session, http_params, require_role
from tiro.core.errors import BadRequest, InvalidInput, TiroError
from tiro.core.models import User
from tiro.core.validation import InputModel
from tiro.energy.screens import register
from tiro.energy.screens.price_display import MAX_OBSERVED_BYTES, OBSERVED_COLUMNS
from tiro.energy.screens.service import run_price_display, run_screen
from tiro.energy.stations import service

router = APIRouter(prefix="/api/v1/energy", tags=["energy: stations"])

Product = Literal["gasoline", "premium", "diesel", "kerosene"]
Day = Annotated[
    dt.date | None,
    Query(description="Price day (default: the sample's last day, 2026-05-25)."),
]


@router.get("/stations/near", summary="Stations near a point, cheapest first (주변 주유소)")
def stations_near(
    lat: float = Query(..., ge=-90, le=90, description="Latitude, WGS84 degrees (in Korea)."),
    lon: float = Query(..., ge=-180, le=180, description="Longitude, WGS84 degrees (in Korea)."),
    radius_km: float = Query(..., gt=0, le=100, description="Radius in km."),
    product: Product = Query("gasoline"),
    limit: int | None = Query(None, ge=1, le=1000, description="At most this many stations."),
    below_average: bool = Query(False, description="Only stations below their 시도 average."),
    date: Day = None,
) -> dict:
    """``{"stations": [{"id", "name", "distance_km", "price", ...}]}`` sorted by price then
    distance, from a KD-tree over the registry (never a scan of all stations)."""
    return service.near(
        lat=lat, lon=lon, radius_km=radius_km, product=product, limit=limit, on=date,
        below_average=below_average,
    )  # fmt: skip


@router.get("/stations/averages", summary="National and 시도 average prices on a day")
def stations_averages(product: Product = Query("gasoline"), date: Day = None) -> dict:
    """Opinet-style daily averages over every reporting station (sample)."""
    return service.averages(product=product, on=date)


@router.get("/stations", summary="A page of the station registry")
def stations_list(
    sido: str | None = Query(None, max_length=20, description="Only this 시도, e.g. 서울."),
    limit: int = Query(50, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> dict:
    """Static attributes only (place, brand, opened, fake-fuel record); prices apart."""
    return service.list_stations(sido=sido, limit=limit, offset=offset)


@router.get("/stations/{station_id}", summary="One station and its latest prices")
def stations_show(
    station_id: Annotated[str, Path(max_length=64, description="Station id (UNI_ID).")],
) -> dict:
    """The registry record and each product's latest price; unknown id is 404."""
    return service.station(station_id)


@router.get("/good-stations", summary="A round's good stations (착한주유소)")
def good_stations(
    start: dt.date = Query(..., description="Round start."),
    end: dt.date = Query(..., description="Round end."),
    product: Product = Query("gasoline"),
    scenario: str | None = SCENARIO_QUERY,
) -> dict:
    """The cheapest eligible station per 시군구 (years operating, full reporting, no recent
    fake fuel — each a dated parameter, listed in the answer) and the report's 368."""
    return service.good_stations(
        start=start, end=end, product=product, params=http_params(scenario)
    )


@router.get(
    "/screens/{screen}",
    summary="Market screens: collusion, leader-follower, Edgeworth, hoarding, fake-fuel risk",
)
def screens(
    screen: Literal["collusion", "leader_follower", "edgeworth", "hoarding", "fake_fuel"],
    product: Product | None = Query(None),
    scenario: str | None = SCENARIO_QUERY,
) -> dict:
    """Each flag with its reason, and precision/recall against the sample's planted cases."""
    return run_screen(screen, params=http_params(scenario), product=product)


class UnsupportedMediaType(TiroError):
    """The request body is in a form the route does not read."""

    status, exit_code, title = 415, 2, "Unsupported media type"


OBSERVED_EXAMPLE = ",".join(OBSERVED_COLUMNS) + "\nS000001,2026-05-25,gasoline,1999\n"
OBSERVED_BODY = {
    "required": True,
    "description": "The observed-price CSV itself (never a server path): "
    f"{', '.join(OBSERVED_COLUMNS)}; UTF-8, at most {MAX_OBSERVED_BYTES:,} bytes.",
    "content": {
        "text/csv": {
            "schema": {"type": "string", "maxLength": MAX_OBSERVED_BYTES},
            "example": OBSERVED_EXAMPLE,
        },
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {"file": {"type": "string", "format": "binary"}},
            }
        },
    },
}


async def _capped_body(request: Request) -> bytes:
    """The body, refused (413) past ``MAX_OBSERVED_BYTES`` (stricter than the app's limit)."""
    return await read_capped(request, MAX_OBSERVED_BYTES)


async def observed_upload(request: Request) -> bytes:
    """The observed-price CSV from a ``text/csv`` body or a multipart ``file`` field."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in ("text/csv", "text/plain", "multipart/form-data"):
        raise UnsupportedMediaType(
            f"send the CSV as text/csv or as multipart/form-data field 'file', not {kind or 'nothing'!r}",
            field="body",
        )
    body = await _capped_body(request)
    if kind != "multipart/form-data":
        return body

    async def once():
        yield body

    try:
        form = await MultiPartParser(request.headers, once(), max_files=1, max_fields=4).parse()
    except MultiPartException as exc:
        raise BadRequest(f"unreadable multipart body: {exc.message}", field="file") from None
    try:
        part = form.get("file")
        if isinstance(part, UploadFile):
            return await part.read()
        if isinstance(part, str):
            return part.encode("utf-8")
    finally:
        await form.close()
    raise InvalidInput("the multipart body has no 'file' field", field="file")


@router.post(
    "/screens/price-display",
    summary="Price-display signal over an uploaded observed-price CSV (가격표시)",
    openapi_extra={"requestBody": OBSERVED_BODY},
)
async def screens_price_display(request: Request, scenario: str | None = SCENARIO_QUERY) -> dict:
    """Observed (posted) prices against the Opinet reports of the same day: stations whose
    displayed price differs by more than the dated tolerance, or that reported nothing.
    The same checks as ``tiro energy screens price-display --observed FILE``; a bad file is
    a problem naming the field and line, and nothing is screened in part."""
    params = await run_in_threadpool(http_params, scenario)  # may read YAML: off the loop
    data = await observed_upload(request)
    return await run_in_threadpool(run_price_display, data, params=params)


class CaseIn(InputModel):
    """A case opened by hand."""

    station_id: str = Field(..., min_length=1, max_length=64)
    case_type: Literal["fake_fuel", "collusion", "hoarding", "price_display"]
    on: dt.date
    reason: str = Field(..., min_length=1, max_length=2000)


class CaseStep(InputModel):
    """One step of a case's workflow."""

    to: Literal["inspected", "sanctioned", "cleared"]
    on: dt.date


class FromScreen(InputModel):
    """Open cases for every station a screen flags (or for one of them)."""

    on: dt.date
    station_id: str | None = Field(
        None, min_length=1, max_length=64,
        description="Only this flagged station (422 when the screen does not flag it).",
    )  # fmt: skip


CaseId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Case id.")]


@router.get("/cases", summary="The inspection register (점검 사건)")
def cases_list(
    state: Literal["opened", "inspected", "sanctioned", "cleared"] | None = Query(None),
    session: Session = Depends(get_session, scope="function"),
) -> dict:
    """Every case, oldest first (optionally in one state)."""
    return {"cases": register.list_cases(session=session, state=state)}


@router.get("/cases/counts", summary="Cases and violations found by type as of a date")
def cases_counts(
    as_of: dt.date = Query(..., description="Count as of this date (report: 2026-05-25)."),
    session: Session = Depends(get_session, scope="function"),
) -> dict:
    """Opened and found (sanctioned) by type, beside the report's 137 found by 5/25."""
    return register.counts(session=session, as_of=as_of)


@router.post("/cases", summary="Open a case by hand (operator)")
def cases_open(
    body: CaseIn,
    user: User = Depends(require_role("operator")),
    session: Session = Depends(get_session, scope="function"),
) -> dict:
    """Audited; a second open case of the same type for a station is 409."""
    return register.open_case(session=session, actor=user.name, **body.model_dump())


@router.post("/cases/from-screen/{screen}", summary="Open cases from a screen's flags (operator)")
def cases_from_screen(
    screen: Literal["collusion", "leader_follower", "hoarding", "fake_fuel"],
    body: FromScreen,
    scenario: str | None = SCENARIO_QUERY,
    user: User = Depends(require_role("operator")),
    session: Session = Depends(get_session, scope="function"),
) -> dict:
    """One case per flagged station (or only ``station_id``, which must be flagged);
    stations with that case already open are skipped."""
    return register.open_from_screen(session=session, actor=user.name, screen=screen,
                                     on=body.on, params=http_params(scenario),
                                     station_id=body.station_id)  # fmt: skip


@router.post("/cases/{case_id}/advance", summary="Move a case one step (operator)")
def cases_advance(
    case_id: CaseId,
    body: CaseStep,
    user: User = Depends(require_role("operator")),
    session: Session = Depends(get_session, scope="function"),
) -> dict:
    """opened → inspected → sanctioned | cleared; a wrong step is 409 with nothing written."""
    return register.advance_case(session=session, actor=user.name, case_id=case_id,
                                 to=body.to, on=body.on)  # fmt: skip
