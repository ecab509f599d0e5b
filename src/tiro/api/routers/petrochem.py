"""Petrochemical restructuring routes (``/api/v1/petrochem``): 석유화학산업 구조개편.

Reads and computations need no token; moving a project through its workflow needs the
operator role and is audited as the caller. Project states come from the database (seeded
with the report's history by ``tiro db seed``).
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Path, Query
from pydantic import Field
from sqlalchemy.orm import Session

from tiro.api.deps import SCENARIO_QUERY, get_session, http_params, require_role
from tiro.core.errors import InvalidInput
from tiro.core.models import User
from tiro.core.validation import InputModel
from tiro.petrochem import (
    economics,
    indicators,
    limits,
    planning,
    registry,
    service,
    support,
    targets,
)
from tiro.petrochem.workflow import ROLES, STATES

router = APIRouter(prefix="/api/v1/petrochem", tags=["petrochem: restructuring"])

EARLIEST, LATEST = limits.EARLIEST, limits.LATEST
DATE_QUERY = Query(None, description="Date (YYYY-MM-DD, 1950-2100; default today).")
PROJECT_ID = Path(..., description="Project id.", pattern=r"^[a-z0-9-]{1,40}$", max_length=40)


def _day(value: dt.date | None, field: str = "date") -> dt.date:
    return limits.check_date(value or dt.date.today(), field)


def _tables() -> tuple:
    units = registry.load_units()
    return units, registry.load_events(units)


@router.get("/capacity", summary="Ethylene capacity by complex and company (에틸렌 설비)")
def capacity(date: dt.date | None = DATE_QUERY) -> dict:
    """Capacity (kt/y) of crackers operating or idle on the date, by complex and company."""
    units, events = _tables()
    return registry.capacity_totals(units, events, _day(date))


@router.get("/capacity/series", summary="Capacity by complex over time")
def capacity_series(
    start: int = Query(2015, ge=EARLIEST.year, le=LATEST.year, description="First year."),
    end: int = Query(
        2030, ge=EARLIEST.year, le=LATEST.year, description="Last year (at most 60 after start)."
    ),
) -> list[dict]:
    """Capacity by complex on 1 January of each year from ``start`` to ``end``."""
    if not 0 <= end - start <= 60:
        raise InvalidInput("end must be 0-60 years after start", field="end")
    units, events = _tables()
    return [
        registry.capacity_totals(units, events, dt.date(year, 1, 1))
        for year in range(start, end + 1)
    ]


@router.get("/units", summary="The cracker registry with each unit's status on a date")
def units_on(date: dt.date | None = DATE_QUERY) -> list[dict]:
    """Every unit with status, capacity, published range and source URL on the date."""
    units, events = _tables()
    return registry.status_on(units, events, _day(date)).to_dicts()


@router.get("/target", summary="Progress against the cut target, gross and net (감축 목표)")
def target(
    date: dt.date | None = DATE_QUERY,
    scenario: str | None = SCENARIO_QUERY,
    session: Session = Depends(get_session, scope="function"),
) -> dict:
    """Approved and proposed cuts beside the net change once planned units start."""
    on = _day(date)
    units, events = _tables()
    actions = service.actions_table(session=session, on=on)
    return targets.progress(units, events, actions, http_params(scenario), on)


@router.get("/projects", summary="Restructuring projects (사업재편 프로젝트)")
def projects(
    date: dt.date | None = DATE_QUERY,
    session: Session = Depends(get_session, scope="function"),
) -> list[dict]:
    """Every project with units, state on the date (default now) and dated steps."""
    return service.list_projects(session=session, on=_day(date) if date else None)


class AdvanceBody(InputModel):
    """One workflow step: the next state, its date, the acting role and documents."""

    to: str = Field(..., description=f"Next state: {', '.join(STATES)}.", max_length=30)
    date: dt.date | None = Field(None, description="Date of the step (default today).")
    role: str = Field(..., description=f"Acting role: {', '.join(ROLES)}.", max_length=20)
    documents: list[str] = Field(
        default_factory=list, description="Documents of the step.", max_length=20
    )


@router.post(
    "/projects/{project_id}/advance", summary="Move a project one workflow step", status_code=201
)
def advance(
    body: AdvanceBody,
    project_id: str = PROJECT_ID,
    user: User = Depends(require_role("operator")),
    session: Session = Depends(get_session, scope="function"),
) -> dict:
    """Dated, audited step; a move the workflow does not allow is 409 (operator)."""
    return service.advance(
        session=session, project_id=project_id, to_state=body.to, on=_day(body.date),
        role=body.role, actor=user.name, documents=body.documents,
    )  # fmt: skip


@router.get("/economics", summary="Cracker cash cost, margin and cost curve (경제성)")
def economics_route(
    date: dt.date | None = DATE_QUERY, scenario: str | None = SCENARIO_QUERY
) -> dict:
    """Net cash cost per t of ethylene by unit operating or idle on the date, cheapest first."""
    on = _day(date)
    units, events = _tables()
    state = registry.status_on(units, events, on).filter("counted").select(units.columns)
    curve = economics.merit_order(economics.unit_costs(state, http_params(scenario), on))
    return {
        "date": on.isoformat(),
        "spread_usd_t": float(curve["spread_usd_t"][0]) if curve.height else None,
        "units": curve.drop("source_url", "note").to_dicts(),
    }


@router.get("/optimize", summary="Least-cost keep/suspend/close per cracker (MILP)")
def optimize(
    target_kt: float = Query(..., ge=0, le=limits.MAX_TARGET_KT, description="Cut to reach, kt/y."),
    date: dt.date | None = DATE_QUERY,
    scenario: str | None = SCENARIO_QUERY,
    session: Session = Depends(get_session, scope="function"),
) -> dict:
    """Optimum with approved projects fixed; the negotiated and China-style choices beside it."""
    on = _day(date)
    units, events = _tables()
    return planning.run(
        units=units, events=events, actions=service.actions_table(session=session, on=on),
        params=http_params(scenario), on=on,
        target_kt=limits.check_target_kt(target_kt, "target_kt"),
    )  # fmt: skip


@router.get("/packages", summary="Support packages (맞춤형 지원패키지)")
def packages(
    date: dt.date | None = DATE_QUERY,
    session: Session = Depends(get_session, scope="function"),
) -> dict:
    """Items per project with conditions checked on the date, disbursed, totals (KRW)."""
    return support.packages(session=session, on=_day(date))


class DisburseBody(InputModel):
    """A disbursement: whole won and the date."""

    amount_krw: int = Field(..., gt=0, le=limits.MAX_KRW, description="Won to disburse.")
    date: dt.date | None = Field(None, description="Date (default today).")


@router.post(
    "/packages/items/{item_id}/disburse", summary="Disburse a support item", status_code=201
)
def disburse(
    body: DisburseBody,
    item_id: int = Path(..., ge=1, le=2**31 - 1, description="Support item id."),
    user: User = Depends(require_role("operator")),
    session: Session = Depends(get_session, scope="function"),
) -> dict:
    """Refused (409) unless the project is approved and the item's condition is met."""
    return support.disburse(
        session=session, item_id=item_id, amount_krw=body.amount_krw, on=_day(body.date),
        actor=user.name,
    )  # fmt: skip


@router.get("/indicators", summary="Structural indicators (수출비중, 범용비중, 中 자급율)")
def indicators_route() -> dict:
    """Export ratio, commodity share, China dependence and self-sufficiency, from the report."""
    return indicators.indicators()


@router.get("/balance", summary="National balance and a China self-sufficiency scenario")
def balance_route(
    date: dt.date | None = DATE_QUERY,
    china_pe_self_sufficiency: float | None = Query(
        None,
        ge=limits.SELF_SUFFICIENCY[0],
        le=limits.SELF_SUFFICIENCY[1],
        description="China PE self-sufficiency in the scenario (0.84 = 2024).",
    ),
    scenario: str | None = SCENARIO_QUERY,
) -> dict:
    """Production, domestic use, exports, exports to China; what a higher China ratio removes."""
    on = _day(date)
    units, events = _tables()
    total = registry.capacity_totals(units, events, on)["total_kt"]
    return indicators.balance(total, http_params(scenario), on, china_pe_self_sufficiency)
