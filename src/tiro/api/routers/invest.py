"""Invest routes: the MOU project registry, pre-review, reasonableness and capital calls.

Reads and computations need no token (the dashboard reads them, as it does every domain's);
submitting a project needs the analyst role, advancing its review the operator role, and
both are audited as the caller. Bad input is a 4xx problem+json naming the field.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from pydantic import Field, StringConstraints
from sqlalchemy.orm import Session

from tiro.api.deps import SCENARIO_QUERY, get_session, http_params, require_role
from tiro.core.errors import InvalidInput, ParameterDateError
from tiro.core.models import User
from tiro.core.scenarios import SCENARIO_NAME_PATTERN
from tiro.core.validation import FiniteFloat, InputModel
from tiro.invest import calendar, limits, service, terms
from tiro.invest.calendar import add_us_business_days
from tiro.invest.io import refuse_repeats
from tiro.invest.models import STATES
from tiro.invest.schedule import solve
from tiro.invest.waterfall import reasonableness

router = APIRouter(prefix="/api/v1/invest", tags=["invest: Korea–US strategic investment MOU"])

Name = Annotated[
    str, StringConstraints(min_length=1, max_length=limits.MAX_NAME, strip_whitespace=True)
]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000, strip_whitespace=True)]
# Bounds declared once in tiro.invest.limits, which the CLI checks with too.
Money = Annotated[float, Field(allow_inf_nan=False, gt=0, le=limits.MAX_AMOUNT)]
Flow = Annotated[float, Field(allow_inf_nan=False, ge=-limits.MAX_AMOUNT, le=limits.MAX_AMOUNT)]
Year = Annotated[int, Field(ge=limits.YEARS[0], le=limits.YEARS[1])]
Flows = Field(..., min_length=1, max_length=limits.MAX_CASH_FLOW_YEARS)
DAY = Field(None, description="Date of the step (default today).", ge=dt.date(1900, 1, 1),
            le=dt.date(2200, 12, 31))  # fmt: skip
PROJECT_ID = Path(..., ge=1, le=2**31 - 1, description="Project id.")
STATE_PATTERN = "^(" + "|".join(STATES) + ")$"


def _today(on: dt.date | None) -> dt.date:
    return on or calendar.today()


class Document(InputModel):
    """A document filed with a project: a title and where to read it."""

    title: Name
    href: Annotated[str, StringConstraints(max_length=500, pattern=r"^https?://\S+$")] | None = None


class SubmitBody(InputModel):
    """A candidate project: capital by calendar year and expected cash flows by year 1..N."""

    name: Name
    sector: Annotated[str, StringConstraints(max_length=40)]
    sponsor: Name
    capital: dict[Annotated[str, StringConstraints(pattern=r"^\d{4}$")], Money] = Field(
        ..., min_length=1, max_length=50, description='USD by year, e.g. {"2027": 2e9}.'
    )
    cash_flows: list[Flow] = Flows
    korean_suppliers: list[Name] = Field(default_factory=list, max_length=50)
    us_spv: Name | None = None
    priority: int = Field(0, ge=limits.PRIORITY_RANGE[0], le=limits.PRIORITY_RANGE[1])
    notes: Annotated[str, StringConstraints(max_length=2000)] | None = None
    documents: list[Document] = Field(default_factory=list, max_length=50)
    on: dt.date | None = DAY
    scenario: str | None = Field(None, max_length=64, pattern=SCENARIO_NAME_PATTERN)


class AdvanceBody(InputModel):
    """One review step: the next state and why."""

    to: Annotated[str, StringConstraints(pattern=STATE_PATTERN)]
    reason: Text
    on: dt.date | None = DAY
    scenario: str | None = Field(None, max_length=64, pattern=SCENARIO_NAME_PATTERN)


class ReasonablenessBody(InputModel):
    """Principal at year 0 and the project's cash flows at the end of years 1..N."""

    principal: Money
    cash_flows: list[Flow] = Flows
    discount_rate: FiniteFloat | None = Field(
        None, ge=limits.DISCOUNT_RATE[0], le=limits.DISCOUNT_RATE[1]
    )
    on: dt.date | None = DAY
    scenario: str | None = Field(None, max_length=64, pattern=SCENARIO_NAME_PATTERN)


class PipelineLine(InputModel):
    """One line of a pipeline: a project's amount requested for a year."""

    project: Name
    priority: FiniteFloat
    requested_year: Year
    amount_usd: Money


class ScheduleBody(InputModel):
    """A pipeline (default: the registry's selected projects), a what-if cap, FX deferrals."""

    pipeline: list[PipelineLine] | None = Field(None, min_length=1, max_length=5000)
    cap: Money | None = Field(None, description="What-if annual cap in USD.")
    defer: dict[Name, Year] = Field(
        default_factory=dict, max_length=500,
        description="FX-volatility adjustment requests: project -> earliest year to pay.",
    )  # fmt: skip
    scenario: str | None = Field(None, max_length=64, pattern=SCENARIO_NAME_PATTERN)


@router.get("/terms")
def get_terms(
    on: dt.date | None = Query(None, description="Date of the terms (default today)."),
    scenario: str | None = SCENARIO_QUERY,
) -> dict:
    """The MOU terms in force on a date, each with its value, date and reference."""
    params, day = http_params(scenario), _today(on)
    found = []
    for path in params.paths("invest."):
        try:
            found.append(params.explain(path, day).as_dict())
        except ParameterDateError:
            continue  # not in force yet on that date (e.g. the pre-review body before 2026-02-13)
    return {"on": day.isoformat(), "terms": found}


@router.get("/projects")
def list_projects(
    state: str | None = Query(None, pattern=STATE_PATTERN, description="Only this state."),
    sector: str | None = Query(None, max_length=40, description="Only this sector."),
    session: Session = Depends(get_session, scope="function"),
) -> list[dict]:
    """The project registry with each project's review steps."""
    if sector is not None:
        terms.check_known_sector(http_params(None), sector)
    return service.list_projects(session=session, state=state, sector=sector)


@router.get("/projects/{project_id}")
def get_project(
    project_id: int = PROJECT_ID, session: Session = Depends(get_session, scope="function")
) -> dict:
    """One project with its capital, cash flows and review steps."""
    return service.describe(service.get_project(session=session, ref=project_id))


@router.get("/projects/{project_id}/reasonableness")
def project_reasonableness(
    project_id: int = PROJECT_ID,
    discount_rate: float | None = Query(None, gt=-1, le=10, description="NPV rate."),
    scenario: str | None = SCENARIO_QUERY,
    session: Session = Depends(get_session, scope="function"),
) -> dict:
    """A registry project's waterfall (principal = its capital), NPV, IRR and verdict."""
    params, day = http_params(scenario), dt.date.today()
    data = service.describe(service.get_project(session=session, ref=project_id))
    rate = terms.discount_rate_on(params, day) if discount_rate is None else discount_rate
    result = reasonableness(
        float(data["principal_usd"]), [float(v) for v in data["cash_flows"]], rate=rate,
        split=terms.split_on(params, day),
    )  # fmt: skip
    return {"project": data["name"], "data_label": data["data_label"], "discount_rate": rate,
            **result}  # fmt: skip


@router.post("/projects", status_code=201)
def submit_project(
    body: SubmitBody,
    user: User = Depends(require_role("analyst")),
    session: Session = Depends(get_session, scope="function"),
) -> dict:
    """Register a candidate project (state submitted); audited as the caller."""
    return service.submit(
        session=session, params=http_params(body.scenario), actor=user.name, name=body.name,
        sector=body.sector, sponsor=body.sponsor, capital=body.capital,
        cash_flows=body.cash_flows, on=_today(body.on), korean_suppliers=body.korean_suppliers,
        us_spv=body.us_spv, priority=body.priority, notes=body.notes,
        documents=[d.model_dump(exclude_none=True) for d in body.documents],
    )  # fmt: skip


@router.post("/projects/{project_id}/advance")
def advance_project(
    body: AdvanceBody,
    project_id: int = PROJECT_ID,
    user: User = Depends(require_role("operator")),
    session: Session = Depends(get_session, scope="function"),
) -> dict:
    """Move a project one pre-review step; a wrong-state move is 409 and changes nothing."""
    return service.advance(
        session=session, params=http_params(body.scenario), actor=user.name, role=user.role,
        project=project_id, to=body.to, reason=body.reason, on=_today(body.on),
    )  # fmt: skip


@router.post("/reasonableness")
def post_reasonableness(body: ReasonablenessBody) -> dict:
    """The commercial-reasonableness contract for any principal and cash flows."""
    params, day = http_params(body.scenario), _today(body.on)
    rate = terms.discount_rate_on(params, day) if body.discount_rate is None else body.discount_rate
    return reasonableness(
        body.principal, body.cash_flows, rate=rate, split=terms.split_on(params, day)
    )


@router.post("/schedule")
def post_schedule(
    body: ScheduleBody, session: Session = Depends(get_session, scope="function")
) -> dict:
    """Capital calls under the annual cap (HiGHS LP), by year, with deferrals and caps."""
    import polars as pl

    params = http_params(body.scenario)
    if body.pipeline is None:
        frame = service.registry_pipeline(session=session)
    else:
        frame = pl.DataFrame([line.model_dump() for line in body.pipeline])
        refuse_repeats(frame)
    cap = body.cap
    plan = solve(
        frame, (lambda y: cap) if cap else (lambda y: terms.annual_cap(params, y)),
        earliest=body.defer, first_year=calendar.today().year,
    )  # fmt: skip
    return {**plan.contract(), "caps": plan.caps}


@router.get("/due-date")
def due_date(
    notice: dt.date = Query(
        ..., description="Date of the US notice.", ge=dt.date(1900, 1, 1), le=dt.date(2200, 12, 31)
    ),
    scenario: str | None = SCENARIO_QUERY,
) -> dict:
    """Payment due date: notice + the parameter's US business days (federal holidays skipped)."""
    params = http_params(scenario)
    start = params.series(terms.DUE_DAYS)[0].effective_from
    if notice < start:
        raise InvalidInput(f"the MOU's payment terms start on {start}", field="notice")
    days = terms.due_business_days(params, notice)
    return {"notice": notice.isoformat(), "business_days": days,
            "due": add_us_business_days(notice, days).isoformat()}  # fmt: skip
