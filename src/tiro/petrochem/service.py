"""Project workflow service: list, advance (audited, dated), and the project-action table.

Every change is one transaction with its audit row (tiro.core.audit). A move the workflow
does not allow is a Conflict (409, exit 4); a step dated before the current one, an unknown
role or project, or a role the law does not give that step (``petrochem.workflow.step_roles``:
a company cannot approve its own plan) is refused before anything is written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from tiro.core.audit import record_audit
from tiro.core.errors import Conflict, InvalidInput, NotFound
from tiro.core.parameters import ParameterTree, get_params
from tiro.core.recorded import not_future
from tiro.petrochem.models import Project, ProjectStep, ProjectUnit
from tiro.petrochem.project_data import ACTION_SCHEMA
from tiro.petrochem.workflow import NEXT, ROLES, STATES, allowed, check_role


def _steps(session: Session, project_id: str) -> list[ProjectStep]:
    return list(
        session.execute(
            select(ProjectStep)
            .where(ProjectStep.project_id == project_id)
            .order_by(ProjectStep.on, ProjectStep.id)
        ).scalars()
    )


def project_dict(session: Session, project: Project, on: dt.date | None = None) -> dict[str, Any]:
    """A project with its units and steps (steps up to ``on`` when given) as plain data."""
    steps = [s for s in _steps(session, project.id) if on is None or s.on <= on]
    units = session.execute(
        select(ProjectUnit).where(ProjectUnit.project_id == project.id).order_by(ProjectUnit.id)
    ).scalars()
    return {
        "id": project.id,
        "name": project.name,
        "complex": project.complex,
        "participants": project.participants,
        "conversion": project.conversion,
        "state": steps[-1].state if steps else None,
        "state_since": steps[-1].on.isoformat() if steps else None,
        "next_states": list(NEXT.get(steps[-1].state, ())) if steps else ["draft_submitted"],
        "units": [
            {
                "unit": u.unit,
                "action": u.action,
                "capacity_kt": u.capacity_kt,
                "until": u.until.isoformat() if u.until else None,
                "note": u.note,
            }
            for u in units
        ],
        "history": [
            {
                "state": s.state,
                "date": s.on.isoformat(),
                "role": s.role,
                "documents": s.documents,
                "source": s.source,
                "inferred": s.inferred,
                "actor": s.actor,
            }
            for s in steps
        ],
        "source": project.source,
    }


def list_projects(*, session: Session, on: dt.date | None = None) -> list[dict[str, Any]]:
    """Every project with its state on ``on`` (default: now)."""
    projects = session.execute(select(Project).order_by(Project.id)).scalars()
    return [project_dict(session, p, on) for p in projects]


def get_project(session: Session, project_id: str, *, lock: bool = False) -> Project:
    """The project or NotFound naming the field."""
    query = select(Project).where(Project.id == project_id)
    if lock:
        query = query.with_for_update()
    project = session.execute(query).scalar_one_or_none()
    if project is None:
        raise NotFound(f"no project {project_id!r}", field="project")
    return project


#: Longest document name a step records.
MAX_DOCUMENT = 500


def _check_documents(documents: list[str]) -> None:
    """Names fit the audit trail, and hold no NUL (PostgreSQL refuses it, SQLite stored it)."""
    if any(len(d) > MAX_DOCUMENT for d in documents):
        raise InvalidInput(
            f"a document name is longer than {MAX_DOCUMENT} characters", field="documents"
        )
    if any("\x00" in d for d in documents):
        raise InvalidInput("a document name contains a NUL character", field="documents")


def advance(
    *,
    session: Session,
    project_id: str,
    to_state: str,
    on: dt.date,
    role: str,
    actor: str,
    documents: list[str] | None = None,
    source: str = "",
    params: ParameterTree | None = None,
) -> dict[str, Any]:
    """Move a project one step (dated, with the acting role and documents), audited.

    ``role`` is who acted in the real procedure (company, ministry, committee); ``actor`` is
    the tiro user recording it. Only the first is checked against the step.
    """
    if to_state not in STATES:
        raise InvalidInput(f"{to_state!r} is not a state ({', '.join(STATES)})", field="state")
    if role not in ROLES:
        raise InvalidInput(f"{role!r} is not a role ({', '.join(ROLES)})", field="role")
    not_future(on, field="date")  # a future step would freeze the project
    _check_documents(documents or [])
    project = get_project(session, project_id, lock=True)
    if not allowed(project.state, to_state):
        options = ", ".join(NEXT.get(project.state, ())) or "none (final state)"
        raise Conflict(
            f"{project_id} is {project.state}; it cannot move to {to_state} (allowed: {options})",
            field="state",
        )
    if on < project.state_since:
        raise InvalidInput(
            f"{on} is before the current step ({project.state} on {project.state_since})",
            field="date",
        )
    check_role(params or get_params(), to_state, role, on)
    before = {"state": project.state, "since": project.state_since.isoformat()}
    session.add(
        ProjectStep(
            project_id=project_id, state=to_state, on=on, role=role,
            documents=list(documents or []), source=source or f"recorded by {actor}",
            inferred=False, actor=actor,
        )
    )  # fmt: skip
    project.state, project.state_since = to_state, on
    session.flush()
    record_audit(
        session, actor=actor, action="petrochem.project.advance", entity="petrochem_project",
        entity_id=project_id, before=before,
        after={"state": to_state, "since": on.isoformat(), "role": role, "documents": documents},
    )  # fmt: skip
    return project_dict(session, project)


def actions_table(*, session: Session, on: dt.date) -> pl.DataFrame:
    """The project-unit table (project, state on ``on``, unit, action, capacity_kt)."""
    rows = []
    for project in list_projects(session=session, on=on):
        if project["state"] is None:
            continue
        for unit in project["units"]:
            rows.append(
                {"project": project["id"], "state": project["state"], "unit": unit["unit"],
                 "action": unit["action"], "capacity_kt": float(unit["capacity_kt"])}
            )  # fmt: skip
    return pl.DataFrame(rows, schema=ACTION_SCHEMA)
