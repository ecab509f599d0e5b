"""Energy ledger and alert routes: 비축유 SWAP and 자원안보 위기경보 (``/api/v1/energy``).

Reads and rule evaluations need no token; every change needs the operator role and an
``Idempotency-Key`` header (SWAP) or a reason (alerts), and is audited as the caller.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Header, Path, Query
from pydantic import Field
from sqlalchemy.orm import Session

from tiro.api.deps import get_session, http_params, require_role
from tiro.core.models import User
from tiro.core.parameters import get_params
from tiro.core.scenarios import SCENARIO_NAME_PATTERN
from tiro.core.validation import FiniteFloat, InputModel
from tiro.energy import alert_service, swap_queries, swap_service
from tiro.energy.alert_engine import evaluate
from tiro.energy.alert_timeline import load_indicators, recommended_path, replay
from tiro.energy.inputs import Barrels

router = APIRouter(prefix="/api/v1/energy", tags=["energy: SWAP and alerts"])
LoanId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Loan id.")]
KEY_HEADER = Header(None, alias="Idempotency-Key", description="Idempotency key (required).")


class Indicators(InputModel):
    """Alert indicators; omitted ones are not known. Numbers are finite (NaN/inf are 422)."""

    price_change: FiniteFloat | None = Field(
        None, description="Price rise vs pre-crisis (0.1 = 10%)."
    )
    disrupted_share: FiniteFloat | None = Field(
        None, description="Share of normal supply disrupted."
    )
    stock_ratio: FiniteFloat | None = Field(None, description="Stock / statutory obligation.")
    index: FiniteFloat | None = Field(None, description="Early-warning index.")
    transport_risk: bool = Field(False, description="Hormuz / transport-risk flag.")


class EvaluateBody(Indicators):
    """One evaluation: resource, date, indicators, optional level in force."""

    resource: str = Field(..., max_length=30, description="crude or gas (or another by parameter).")
    on: dt.date | None = Field(None, description="Date of the rules (default today).")
    current_level: str | None = Field(
        None, max_length=10, description="Level in force (hysteresis)."
    )
    scenario: str | None = Field(
        None, pattern=SCENARIO_NAME_PATTERN, max_length=64, description="Shipped scenario name."
    )


class DecisionBody(InputModel):
    """An official's decision: level, date (not after today), reason, the indicators it rests on."""

    resource: str = Field(..., max_length=30)
    level: str = Field(..., max_length=10, description="관심, 주의, 경계, 심각 (or 정상 to lift).")
    reason: str = Field(..., min_length=1, max_length=4000, description="Why; required.")
    on: dt.date | None = Field(None, description="Decision date (default today; not later).")
    indicators: Indicators | None = None


class RescindBody(InputModel):
    """Why the decision is rescinded (required; kept in the audit trail)."""

    reason: str = Field(..., min_length=1, max_length=4000)


class LoanBody(InputModel):
    """A loan request tied to a private cargo."""

    refiner: str = Field(..., max_length=30)
    site: str = Field(..., max_length=30)
    grade: str = Field(..., max_length=60)
    vessel: str = Field(..., max_length=120)
    origin: str = Field(..., max_length=80)
    cargo_grade: str = Field(..., max_length=60)
    cargo_bbl: Barrels
    loading_date: dt.date
    eta: dt.date
    requested_bbl: Barrels


class ConfirmBody(InputModel):
    """Bill of lading for the cargo (never above the declared cargo)."""

    bl_number: str = Field(..., max_length=80)
    confirmed_bbl: Barrels


class ReleaseBody(InputModel):
    """Release date (not after today) and optional volume (default: all approved)."""

    on: dt.date
    volume_bbl: Barrels | None = None


class ArriveBody(InputModel):
    """Arrival date of the refiner's cargo (not before the release, not after today)."""

    on: dt.date


class RepayBody(InputModel):
    """Barrels repaid in kind and the date (not before the previous step, not after today)."""

    volume_bbl: Barrels
    on: dt.date


@router.post("/alerts/evaluate", summary="Recommended alert level (경보 판단)")
def alerts_evaluate(
    body: EvaluateBody, session: Session = Depends(get_session, scope="function")
) -> dict:
    """Indicators → recommended level (관심/주의/경계/심각 or 정상), rules fired, measures.

    Without ``current_level`` the level in force is the last decision on or before ``on``
    (what ``/alerts/current`` and the dashboard show); ``current_level_source`` says which.
    """
    params, on = http_params(body.scenario), body.on or dt.date.today()
    current, source = body.current_level, "current_level"
    if current is None:
        levels = alert_service.current_levels(session=session, params=params, on=on)
        row = next((r for r in levels if r["resource"] == body.resource), None)
        if row is not None and row["since"] is not None:
            current, source = row["level"], f"decision of {row['since']}"
        else:
            source = "no decision recorded"
    result = evaluate(
        params,
        resource=body.resource,
        on=on,
        price_change=body.price_change,
        disrupted_share=body.disrupted_share,
        stock_ratio=body.stock_ratio,
        index=body.index,
        transport_risk=body.transport_risk,
        current_level=current,
    )
    return {**result, "current_level_source": source}


@router.post("/alerts/decisions", summary="Decide an alert level (경보 결정)", status_code=201)
def alerts_decide(
    body: DecisionBody,
    user: User = Depends(require_role("operator")),
    session: Session = Depends(get_session, scope="function"),
) -> dict:
    """Confirm or override the rules' recommendation with a reason (operator; audited)."""
    return alert_service.decide(
        session=session,
        params=get_params(),
        resource=body.resource,
        level=body.level,
        on=body.on or dt.date.today(),
        actor=user.name,
        reason=body.reason,
        indicators=body.indicators.model_dump() if body.indicators else None,
    )


@router.post(
    "/alerts/decisions/{decision_id}/rescind", summary="Rescind the decision in force (경보 취소)"
)
def alerts_rescind(
    decision_id: int = Path(..., ge=1, le=2**31 - 1, description="Decision id (from history)."),
    body: RescindBody = Body(...),
    user: User = Depends(require_role("operator")),
    session: Session = Depends(get_session, scope="function"),
) -> dict:
    """Remove the newest decision of its resource with a reason (operator; audited with the
    whole row); the level before it is in force again. To correct a decision, rescind it and
    decide again."""
    return alert_service.rescind(
        session=session, params=get_params(), decision_id=decision_id, actor=user.name,
        reason=body.reason,
    )  # fmt: skip


@router.get("/alerts/history", summary="Alert timeline (경보 이력)")
def alerts_history(
    resource: str | None = Query(None, description="Only this resource."),
    session: Session = Depends(get_session, scope="function"),
) -> list[dict]:
    """Every decision, oldest first; the 2026 decisions are seeded from report section 3."""
    return alert_service.history(session=session, resource=resource)


@router.get("/alerts/current", summary="Levels in force (현재 경보)")
def alerts_current(
    on: dt.date | None = Query(None, description="Date (default today)."),
    session: Session = Depends(get_session, scope="function"),
) -> list[dict]:
    """The level in force per resource on a date, with the measures it activates."""
    return alert_service.current_levels(
        session=session, params=get_params(), on=on or dt.date.today()
    )


@router.get("/alerts/replay", summary="2026 decisions vs the rules (규칙 재현)")
def alerts_replay(scenario: str | None = Query(None, description="Scenario overlay.")) -> list:
    """Each 2026 decision beside the first day the rules recommended its level."""
    return replay(http_params(scenario))


@router.get("/alerts/path", summary="Rules over the 2026 indicators (경보 경로)")
def alerts_path(scenario: str | None = Query(None, description="Scenario overlay.")) -> list[dict]:
    """Per resource and day: indicators (public or sample), rule level and recommended level."""
    path = recommended_path(http_params(scenario), load_indicators())
    columns = ["date", "resource", "price_change", "disrupted_share", "stock_ratio", "index",
               "transport_risk", "label", "source", "entry_level", "recommended", "fired"]  # fmt: skip
    return path.select(columns).to_dicts()


@router.get("/swap/sites", summary="Reserve sites (비축기지)")
def swap_sites(session: Session = Depends(get_session, scope="function")) -> list[dict]:
    """KNOC reserve sites with capacity (cited) and per-grade stock, floor and loans (sample)."""
    return swap_queries.list_sites(session=session)


@router.get("/swap/status", summary="SWAP balances and loans (현황)")
def swap_status(
    as_of: dt.date | None = Query(None, description="Date for overdue flags (default today)."),
    site: str | None = Query(None, description="Only this site."),
    refiner: str | None = Query(None, description="Only this refiner."),
    session: Session = Depends(get_session, scope="function"),
) -> dict:
    """Balances per site and grade, loans with overdue flags, totals by refiner."""
    return swap_queries.status(
        session=session, as_of=as_of or dt.date.today(), site=site, refiner=refiner
    )


@router.post("/swap/loans", summary="Request a SWAP loan (대여 신청)", status_code=201)
def swap_request(
    body: LoanBody,
    key: str | None = KEY_HEADER,
    user: User = Depends(require_role("operator")),
    session: Session = Depends(get_session, scope="function"),
) -> dict:
    """Register a loan tied to a private cargo (operator; idempotent by key; audited)."""
    return swap_service.request_loan(
        session=session, params=get_params(), key=key, actor=user.name, **body.model_dump()
    )


@router.post("/swap/loans/{loan_id}/confirm", summary="Loading confirmed (선적 확인)")
def swap_confirm(
    loan_id: LoanId,
    body: ConfirmBody,
    key: str | None = KEY_HEADER,
    user: User = Depends(require_role("operator")),
    session: Session = Depends(get_session, scope="function"),
) -> dict:
    """Record the B/L; the loan is capped at the confirmed cargo."""
    return swap_service.confirm_loading(
        session=session, key=key, actor=user.name, loan_id=loan_id, **body.model_dump()
    )


@router.post("/swap/loans/{loan_id}/release", summary="Release reserve oil (비축유 방출)")
def swap_release(
    loan_id: LoanId,
    body: ReleaseBody,
    key: str | None = KEY_HEADER,
    user: User = Depends(require_role("operator")),
    session: Session = Depends(get_session, scope="function"),
) -> dict:
    """Release to the refiner; refused (409) when the site would fall below its floor."""
    return swap_service.release(
        session=session, params=get_params(), key=key, actor=user.name, loan_id=loan_id,
        on=body.on, volume_bbl=body.volume_bbl,
    )  # fmt: skip


@router.post("/swap/loans/{loan_id}/arrive", summary="Cargo arrived (반입)")
def swap_arrive(
    loan_id: LoanId,
    body: ArriveBody,
    key: str | None = KEY_HEADER,
    user: User = Depends(require_role("operator")),
    session: Session = Depends(get_session, scope="function"),
) -> dict:
    """The refiner's cargo arrived in Korea; repayment is now due."""
    return swap_service.arrive(
        session=session, key=key, actor=user.name, loan_id=loan_id, on=body.on
    )


@router.post("/swap/loans/{loan_id}/repay", summary="Repay in kind (상환)")
def swap_repay(
    loan_id: LoanId,
    body: RepayBody,
    key: str | None = KEY_HEADER,
    user: User = Depends(require_role("operator")),
    session: Session = Depends(get_session, scope="function"),
) -> dict:
    """Repay barrels in kind; a repayment above what is owed is refused (422)."""
    return swap_service.repay(
        session=session, key=key, actor=user.name, loan_id=loan_id,
        volume_bbl=body.volume_bbl, on=body.on,
    )  # fmt: skip
