"""Alert decisions (위기경보 발령·격상·하향·해제): the audited timeline per resource.

The rules recommend; an authorised official decides. A decision that matches the rules'
recommendation on the indicators given is a ``confirm``; one that departs from it is an
``override``; one taken without indicators is a ``record``. Every decision needs a reason
and is written with its audit entry in one transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tiro.core.audit import record_audit
from tiro.core.errors import Conflict, InvalidInput
from tiro.core.parameters import ParameterTree
from tiro.energy import alert_rules as rules
from tiro.energy.alert_engine import evaluate, measures
from tiro.energy.models import AlertDecision

INDICATOR_KEYS = ("price_change", "disrupted_share", "stock_ratio", "index", "transport_risk")


def decision_dict(decision: AlertDecision) -> dict[str, Any]:
    """One decision as plain data."""
    return {
        "id": decision.id,
        "resource": decision.resource,
        "level": decision.level,
        "previous_level": decision.previous_level,
        "decided_on": decision.decided_on,
        "kind": decision.kind,
        "recommended_level": decision.recommended_level,
        "reason": decision.reason,
        "actor": decision.actor,
        "indicators": decision.indicators,
        "source_href": decision.source_href,
    }


def latest(session: Session, resource: str) -> AlertDecision | None:
    """The decision in force (the newest by date, then by id)."""
    return session.execute(
        select(AlertDecision)
        .where(AlertDecision.resource == resource)
        .order_by(AlertDecision.decided_on.desc(), AlertDecision.id.desc())
        .limit(1)
        .with_for_update()
    ).scalar_one_or_none()


def decide(
    *,
    session: Session,
    params: ParameterTree,
    resource: str,
    level: str,
    on: dt.date,
    actor: str,
    reason: str,
    indicators: dict[str, Any] | None = None,
    source_href: str | None = None,
) -> dict[str, Any]:
    """Record an official's decision, classified against the rules' recommendation."""
    rules.check_resource(params, resource, on)
    rules.check_level(params, level, on, allow_normal=True)
    if not reason or not reason.strip():
        raise InvalidInput("a decision needs a reason", field="reason")
    unknown = set(indicators or {}) - set(INDICATOR_KEYS)
    if unknown:
        raise InvalidInput(f"unknown indicator {sorted(unknown)[0]!r}", field="indicators")
    current = latest(session, resource)
    previous = current.level if current else rules.NORMAL
    if current and on < current.decided_on:
        raise InvalidInput(
            f"{on} is before the decision in force ({current.level} on {current.decided_on})",
            field="on",
        )
    if level == previous:
        raise Conflict(f"{resource} is already at {level}", field="level")
    recommended = None
    kind = "record"
    given = {k: v for k, v in (indicators or {}).items() if v is not None}
    if given:
        result = evaluate(params, resource=resource, on=on, current_level=previous, **given)
        recommended = result["level"]
        kind = "confirm" if recommended == level else "override"
    decision = AlertDecision(
        resource=resource,
        level=level,
        previous_level=previous,
        decided_on=on,
        kind=kind,
        recommended_level=recommended,
        reason=reason.strip(),
        actor=actor,
        indicators=given or None,
        source_href=source_href,
    )
    session.add(decision)
    session.flush()
    out = decision_dict(decision)
    out["measures"] = measures(params, resource, level, on)
    record_audit(
        session,
        actor=actor,
        action=f"energy.alert.{kind}",
        entity="energy_alert_decision",
        entity_id=decision.id,
        before={"resource": resource, "level": previous},
        after=decision_dict(decision),
    )
    return out


def history(*, session: Session, resource: str | None = None) -> list[dict[str, Any]]:
    """The timeline, oldest first (optionally one resource)."""
    query = select(AlertDecision).order_by(AlertDecision.decided_on, AlertDecision.id)
    if resource:
        query = query.where(AlertDecision.resource == resource)
    return [decision_dict(d) for d in session.execute(query).scalars()]


def current_levels(*, session: Session, params: ParameterTree, on: dt.date) -> list[dict]:
    """The level in force for every watched resource, with its measures."""
    out = []
    for resource in rules.resources(params, on):
        decision = session.execute(
            select(AlertDecision)
            .where(AlertDecision.resource == resource, AlertDecision.decided_on <= on)
            .order_by(AlertDecision.decided_on.desc(), AlertDecision.id.desc())
            .limit(1)
        ).scalar_one_or_none()
        level = decision.level if decision else rules.NORMAL
        out.append(
            {
                "resource": resource,
                "level": level,
                "since": decision.decided_on if decision else None,
                "measures": measures(params, resource, level, on),
            }
        )
    return out
