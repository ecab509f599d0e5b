"""Support packages (맞춤형 지원패키지): items, conditions, disbursement, totals.

A disbursement needs the project approved (or implementing/completed) and the item's
condition met on the disbursement date; it never exceeds the item's amount (also a CHECK in
the database). Each disbursement is audited. Amounts are integers of won.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from tiro.core.audit import record_audit
from tiro.core.errors import Conflict, InvalidInput, NotFound
from tiro.core.recorded import not_future
from tiro.core.yaml_strict import load_yaml
from tiro.petrochem import registry
from tiro.petrochem.limits import MAX_KRW
from tiro.petrochem.models import Project, SupportItem
from tiro.petrochem.registry import DATA_DIR
from tiro.petrochem.workflow import APPROVED

CUT_STATES = ("suspended", "closed")


def item_dict(item: SupportItem) -> dict[str, Any]:
    """One support item as plain data."""
    return {
        "id": item.id,
        "project": item.project_id,
        "kind": item.kind,
        "instrument": item.instrument,
        "amount_krw": item.amount_krw,
        "disbursed_krw": item.disbursed_krw,
        "condition": item.condition,
        "source": item.source,
    }


def condition_met(condition: dict[str, Any] | None, on: dt.date) -> tuple[bool, str]:
    """Whether a condition holds on ``on``, and why (the registry's unit history decides)."""
    if not condition:
        return True, "no condition"
    if condition.get("kind") != "capacity_cut":
        return False, f"unknown condition kind {condition.get('kind')!r}"
    units = registry.load_units()
    by = dt.date.fromisoformat(str(condition["by"]))
    state = registry.status_on(units, registry.load_events(units), min(on, by))
    row = state.filter(pl.col("unit") == condition["unit"])
    status = row["status"][0] if row.height else None
    met = status in CUT_STATES
    return met, (
        f"{condition['unit']} is {status or 'unknown'} on {min(on, by)}; "
        f"needed suspended or closed by {by}"
    )


def packages(*, session: Session, on: dt.date | None = None) -> dict[str, Any]:
    """Items per project with totals by project, kind and programme; conditions evaluated."""
    on = on or dt.date.today()
    items = session.execute(select(SupportItem).order_by(SupportItem.id)).scalars().all()
    projects: dict[str, dict[str, Any]] = {}
    by_kind: dict[str, int] = {}
    for item in items:
        data = item_dict(item)
        data["condition_met"], data["condition_status"] = condition_met(item.condition, on)
        entry = projects.setdefault(
            item.project_id, {"items": [], "amount_krw": 0, "disbursed_krw": 0, "unpriced_items": 0}
        )
        entry["items"].append(data)
        entry["disbursed_krw"] += item.disbursed_krw
        if item.amount_krw is None:
            entry["unpriced_items"] += 1
        else:
            entry["amount_krw"] += item.amount_krw
            by_kind[item.kind] = by_kind.get(item.kind, 0) + item.amount_krw
    stated = {p["project"]: p for p in load_yaml(DATA_DIR / "support.yaml")["packages"]}
    for pid, entry in projects.items():
        entry["stated_total_krw"] = stated.get(pid, {}).get("stated_total_krw")
    return {
        "date": on.isoformat(),
        "projects": projects,
        "programme": {
            "amount_krw": sum(p["amount_krw"] for p in projects.values()),
            "disbursed_krw": sum(p["disbursed_krw"] for p in projects.values()),
            "by_kind_krw": by_kind,
        },
    }


def disburse(
    *, session: Session, item_id: int, amount_krw: int, on: dt.date, actor: str
) -> dict[str, Any]:
    """Disburse part of an item; refused (nothing written) when any rule is not met."""
    if amount_krw <= 0:
        raise InvalidInput("amount must be a positive number of won", field="amount_krw")
    if amount_krw > MAX_KRW:
        raise InvalidInput(f"{amount_krw:,} won is above {MAX_KRW:,}", field="amount_krw")
    not_future(on, field="date")  # a future step would freeze the project
    item = session.execute(
        select(SupportItem).where(SupportItem.id == item_id).with_for_update()
    ).scalar_one_or_none()
    if item is None:
        raise NotFound(f"no support item {item_id}", field="item")
    project = session.get(Project, item.project_id)
    if project is None or project.state not in APPROVED:
        state = project.state if project else "missing"
        raise Conflict(f"project {item.project_id} is {state}, not approved", field="item")
    if item.amount_krw is None:
        raise Conflict("this item has no amount to disburse (tax/regulation relief)", field="item")
    if item.disbursed_krw + amount_krw > item.amount_krw:
        left = item.amount_krw - item.disbursed_krw
        raise Conflict(f"only {left} won left on this item", field="amount_krw")
    met, why = condition_met(item.condition, on)
    if not met:
        raise Conflict(f"condition not met: {why}", field="condition")
    before = item.disbursed_krw
    item.disbursed_krw = before + amount_krw
    session.flush()
    record_audit(
        session, actor=actor, action="petrochem.support.disburse", entity="petrochem_support_item",
        entity_id=item.id, before={"disbursed_krw": before},
        after={"disbursed_krw": item.disbursed_krw, "on": on.isoformat()},
    )  # fmt: skip
    return item_dict(item)


def load_support(session: Session) -> int:
    """Seed the shipped support items of projects that have none yet."""
    added = 0
    for package in load_yaml(DATA_DIR / "support.yaml")["packages"]:
        pid = package["project"]
        if session.get(Project, pid) is None:
            continue
        exists = session.execute(
            select(SupportItem.id).where(SupportItem.project_id == pid).limit(1)
        ).first()
        if exists:
            continue
        for item in package["items"]:
            condition = item.get("condition")
            if condition and "by" in condition:
                condition = {**condition, "by": str(condition["by"])}
            session.add(
                SupportItem(
                    project_id=pid, kind=item["kind"], instrument=item["instrument"],
                    amount_krw=item["amount_krw"], condition=condition, disbursed_krw=0,
                    source=package["source"],
                )
            )  # fmt: skip
            added += 1
    session.flush()
    return added
