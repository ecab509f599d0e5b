"""Alert decisions (위기경보 발령·격상·하향·해제): the audited timeline per resource.

The rules recommend; an authorised official decides. A decision that matches the rules'
recommendation on the indicators given is a ``confirm``; one that departs from it is an
``override``; one taken without indicators is a ``record``. Every decision needs a reason
and is written with its audit entry in one transaction.

A decision may not be dated after today plus ``energy.alert.decision_lead_days`` (0): a
future-dated decision would be "in force" and refuse every decision dated before it. A wrong
decision is rescinded, not edited: ``rescind`` removes the decision in force with a reason
and an audit entry that keeps the whole row, and the level before it is in force again; a
correction is a rescission followed by the right decision.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tiro.core.audit import record_audit
from tiro.core.errors import Conflict, InvalidInput, NotFound
from tiro.core.models import AuditEntry
from tiro.core.parameters import ParameterTree
from tiro.core.validation import finite
from tiro.energy.alerts import rules
from tiro.energy.alerts.engine import evaluate, measures
from tiro.energy.models import AlertDecision

INDICATOR_KEYS = ("price_change", "disrupted_share", "stock_ratio", "index", "transport_risk")
LEAD_PARAM = "energy.alert.decision_lead_days"
RESCIND_ACTION = "energy.alert.rescind"
#: Longest lead a parameter overlay may allow (one year): beyond it is a typo.
MAX_LEAD_DAYS = 366


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
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Record an official's decision, classified against the rules' recommendation."""
    check_not_ahead(params, on, today or dt.date.today())
    check_actor(actor)
    rules.check_resource(params, resource, on)
    rules.check_level(params, level, on, allow_normal=True)
    if not reason or not reason.strip():
        raise InvalidInput("a decision needs a reason", field="reason")
    unknown = set(indicators or {}) - set(INDICATOR_KEYS)
    if unknown:
        raise InvalidInput(f"unknown indicator {sorted(unknown)[0]!r}", field="indicators")
    for name, value in (indicators or {}).items():
        if name != "transport_risk":
            finite(value, f"indicators.{name}")
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


def check_actor(actor: str) -> None:
    """Who acts is named (audited) in at most 120 characters, the column's size."""
    if not actor or not actor.strip() or len(actor) > 120:
        raise InvalidInput("a name of 1 to 120 characters is required", field="actor")


def check_not_ahead(params: ParameterTree, on: dt.date, today: dt.date) -> None:
    """Refuse a decision dated after today + the allowed lead (a dated parameter, 0 days)."""
    lead = int(params.at(LEAD_PARAM, today))
    if not 0 <= lead <= MAX_LEAD_DAYS:
        raise InvalidInput(f"{lead} days is outside 0..{MAX_LEAD_DAYS}", field=LEAD_PARAM)
    latest_day = today + dt.timedelta(days=lead)
    if on > latest_day:
        raise InvalidInput(
            f"{on} is after {latest_day} (today {today} + {lead} days allowed by {LEAD_PARAM}): "
            "a decision is dated when it is taken",
            field="on",
        )


def rescind(
    *, session: Session, params: ParameterTree, decision_id: int, actor: str, reason: str
) -> dict[str, Any]:
    """Rescind (취소) the decision in force for its resource, with a reason; audited.

    Only the newest decision of a resource can be rescinded — a later one rests on it (its
    ``previous_level``) — so an older mistake is undone newest first. The row leaves the
    timeline; the audit entry keeps all of it, the reason and who rescinded it, and the level
    before it is in force again.
    """
    if not reason or not reason.strip():
        raise InvalidInput("a rescission needs a reason", field="reason")
    check_actor(actor)
    decision = session.get(AlertDecision, decision_id, with_for_update=True)
    if decision is None:
        raise NotFound(f"no alert decision {decision_id}", field="decision_id")
    newest = latest(session, decision.resource)
    if newest is not None and newest.id != decision.id:
        raise Conflict(
            f"decision {decision_id} ({decision.level} on {decision.decided_on}) is not the one in "
            f"force for {decision.resource}: rescind decision {newest.id} ({newest.level} on "
            f"{newest.decided_on}) first",
            field="decision_id",
        )
    before = decision_dict(decision)
    session.delete(decision)
    session.flush()
    now_in_force = latest(session, decision.resource)
    level = now_in_force.level if now_in_force else rules.NORMAL
    after = {
        "rescinded": True,
        "reason": reason.strip(),
        "resource": decision.resource,
        "level_in_force": level,
        "in_force_since": now_in_force.decided_on if now_in_force else None,
    }
    record_audit(
        session,
        actor=actor,
        action=RESCIND_ACTION,
        entity="energy_alert_decision",
        entity_id=decision_id,
        before=before,
        after=after,
        note=reason.strip(),
    )
    on = now_in_force.decided_on if now_in_force else before["decided_on"]
    return {**after, "decision": before, "measures": measures(params, decision.resource, level, on)}


def rescinded_keys(session: Session) -> set[tuple[str, str, str]]:
    """(resource, decided_on ISO, level) of every rescinded decision, from the audit trail.

    The reference seed skips these, so ``tiro db seed`` never brings back a decision an
    operator rescinded.
    """
    rows = session.execute(
        select(AuditEntry.before).where(AuditEntry.action == RESCIND_ACTION)
    ).scalars()
    return {
        (str(b["resource"]), str(b["decided_on"]), str(b["level"]))
        for b in rows
        if isinstance(b, dict)
    }


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
