"""The inspection register's service: open, advance and count cases in SQL, audited.

Keyword-only functions taking the session (STYLE §9). The workflow rule is the one in
:mod:`tiro.energy.screens.cases` (``NEXT``); every change writes an audit entry in the same
transaction; a wrong step is a Conflict with nothing written. Stations are checked against
the network served (the sample registry).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from tiro.core.audit import record_audit
from tiro.core.errors import Conflict, InvalidInput, NotFound
from tiro.core.parameters import ParameterTree
from tiro.core.recorded import not_future
from tiro.core.report_facts import fact
from tiro.energy.screens.cases import CASE_SCHEMA, CASE_TYPES, NEXT, counts_as_of
from tiro.energy.screens.models import InspectionCase
from tiro.energy.screens.service import run_screen
from tiro.energy.stations.service import network

ENTITY = "energy_inspection_case"
#: Screens that open cases, and the case type each opens.
SCREEN_TYPES = {
    "collusion": "collusion",
    "leader_follower": "collusion",
    "hoarding": "hoarding",
    "fake_fuel": "fake_fuel",
}


def case_dict(case: InspectionCase) -> dict[str, Any]:
    """A case as plain data (the API and CLI answer)."""
    return {
        "id": case.id, "station_id": case.station_id, "case_type": case.case_type,
        "state": case.state, "origin": case.origin, "reason": case.reason,
        "opened_on": case.opened_on.isoformat(),
        "inspected_on": case.inspected_on.isoformat() if case.inspected_on else None,
        "closed_on": case.closed_on.isoformat() if case.closed_on else None,
    }  # fmt: skip


def _check_station(station_id: str) -> None:
    known = network().stations["station_id"]
    if not known.is_in([station_id]).any():
        raise NotFound(f"no station {station_id!r}", field="station_id")


def _open_case_exists(session: Session, station_id: str, case_type: str) -> bool:
    return (
        session.execute(
            select(InspectionCase.id).where(
                InspectionCase.station_id == station_id,
                InspectionCase.case_type == case_type,
                InspectionCase.state.in_(("opened", "inspected")),
            )
        ).first()
        is not None
    )


def open_case(
    *, session: Session, actor: str, station_id: str, case_type: str, on: dt.date,
    reason: str, origin: str = "manual",
) -> dict[str, Any]:  # fmt: skip
    """Open one case by hand; a second open case of the same type for a station is a Conflict."""
    if case_type not in CASE_TYPES:
        raise InvalidInput(f"unknown case type {case_type!r}; known: {', '.join(CASE_TYPES)}",
                           field="case_type")  # fmt: skip
    if not reason.strip():
        raise InvalidInput("a case needs a reason", field="reason")
    not_future(on)
    _check_station(station_id)
    if _open_case_exists(session, station_id, case_type):
        raise Conflict(f"station {station_id} already has an open {case_type} case",
                       field="station_id")  # fmt: skip
    case = InspectionCase(station_id=station_id, case_type=case_type, state="opened",
                          origin=origin, reason=reason.strip()[:2000], opened_on=on)  # fmt: skip
    session.add(case)
    session.flush()
    record_audit(session, actor=actor, action="inspection.open", entity=ENTITY,
                 entity_id=case.id, after=case_dict(case))  # fmt: skip
    return case_dict(case)


def open_from_screen(
    *, session: Session, actor: str, screen: str, on: dt.date, params: ParameterTree,
    station_id: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    """One case per station the screen flags, skipping stations with that case already open.

    With ``station_id``, only that station's case (the page's per-flag button): the server
    checks the station is flagged, so the case's origin and reason are the screen's own.
    """
    if screen not in SCREEN_TYPES:
        raise InvalidInput(f"screen {screen!r} opens no cases; use one of: "
                           f"{', '.join(SCREEN_TYPES)}", field="screen")  # fmt: skip
    not_future(on)
    flags = pl.DataFrame(
        run_screen(screen, params=params)["flags"],
        schema_overrides={"station_id": pl.String, "reason": pl.String},
    )
    if station_id is not None:
        _check_station(station_id)
        if flags.is_empty() or station_id not in set(flags["station_id"]):
            raise InvalidInput(f"station {station_id} is not flagged by the {screen} screen",
                               field="station_id")  # fmt: skip
        flags = flags.filter(pl.col("station_id") == station_id)
    if flags.is_empty():  # a screen that flags nobody opens nothing (no columns to group)
        return {"screen": screen, "opened": [], "skipped_already_open": []}
    first = flags.group_by("station_id", maintain_order=True).agg(pl.col("reason").first())
    opened, skipped = [], []
    for station_id, reason in first.sort("station_id").iter_rows():  # cases, not price rows
        if _open_case_exists(session, station_id, SCREEN_TYPES[screen]):
            skipped.append(station_id)
            continue
        opened.append(
            open_case(
                session=session,
                actor=actor,
                station_id=station_id,
                case_type=SCREEN_TYPES[screen],
                on=on,
                reason=reason,
                origin=f"screen:{screen}",
            )
        )
    return {"screen": screen, "opened": opened, "skipped_already_open": skipped}


def advance_case(
    *, session: Session, actor: str, case_id: int, to: str, on: dt.date
) -> dict[str, Any]:
    """Move a case one step (opened → inspected → sanctioned | cleared), audited."""
    case = session.execute(
        select(InspectionCase).where(InspectionCase.id == case_id).with_for_update()
    ).scalar_one_or_none()
    if case is None:
        raise NotFound(f"no case {case_id}", field="case_id")
    not_future(on)
    if to not in NEXT:
        raise InvalidInput(f"unknown state {to!r}; known: {', '.join(NEXT)}", field="state")
    if to not in NEXT[case.state]:
        allowed = " or ".join(NEXT[case.state]) or "nothing (final)"
        raise Conflict(f"case {case_id} is {case.state}; it can move to {allowed}", field="state")
    last = case.inspected_on or case.opened_on
    if on < last:
        raise InvalidInput(f"{on} is before the case's last step on {last}", field="on")
    before = case_dict(case)
    case.state = to
    if to == "inspected":
        case.inspected_on = on
    else:
        case.closed_on = on
    session.flush()
    record_audit(session, actor=actor, action=f"inspection.{to}", entity=ENTITY,
                 entity_id=case.id, before=before, after=case_dict(case))  # fmt: skip
    return case_dict(case)


def list_cases(*, session: Session, state: str | None = None) -> list[dict[str, Any]]:
    """Every case (optionally in one state), oldest first."""
    query = select(InspectionCase).order_by(InspectionCase.id)
    if state is not None:
        if state not in NEXT:
            raise InvalidInput(f"unknown state {state!r}", field="state")
        query = query.where(InspectionCase.state == state)
    return [case_dict(c) for c in session.execute(query).scalars()]


def counts(*, session: Session, as_of: dt.date) -> dict[str, Any]:
    """Cases opened and violations found by a date, by type, beside the report's 137."""
    rows = [
        {"case_id": str(c["id"]), "station_id": c["station_id"], "case_type": c["case_type"],
         "state": c["state"], "opened_on": dt.date.fromisoformat(c["opened_on"]),
         "updated_on": dt.date.fromisoformat(c["closed_on"] or c["inspected_on"] or c["opened_on"]),
         "origin": c["origin"], "reason": c["reason"]}
        for c in list_cases(session=session)
    ]  # fmt: skip
    table = pl.DataFrame(rows, schema=CASE_SCHEMA)
    published = fact("energy.inspection.violations")
    return counts_as_of(table, as_of) | {
        "published": {"found": published.value, "as_of": published.as_of,
                      "label": "범부처 합동점검단 적발 (report 3 ②)"},
    }  # fmt: skip
