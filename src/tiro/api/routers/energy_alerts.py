"""Alert routes: 자원안보 위기경보 (``/api/v1/energy/alerts``).

Rule evaluations and reads need no token; a decision or a rescission needs the operator role
and a reason, and is audited as the caller. The 비축유 SWAP routes live in ``energy_swap``.
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Body, Depends, Path, Query
from pydantic import Field
from sqlalchemy.orm import Session

from tiro.api.deps import get_session, http_params, require_role
from tiro.core.models import User
from tiro.core.parameters import get_params
from tiro.core.scenarios import SCENARIO_NAME_PATTERN
from tiro.core.validation import FiniteFloat, InputModel
from tiro.energy.alerts import service as alert_service
from tiro.energy.alerts.engine import evaluate
from tiro.energy.alerts.timeline import load_indicators, recommended_path, replay

router = APIRouter(prefix="/api/v1/energy", tags=["energy: alerts"])


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
