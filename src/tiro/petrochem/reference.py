"""Reference data for the petrochem workflow (``tiro db seed``): the shipped project history.

Loads the five projects of report section 2 with their units and dated steps from
``data/petrochem/projects.yaml``; a project already present is left as it is, so seeding never
overwrites a workflow an operator has moved on.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from tiro.core.audit import record_audit
from tiro.petrochem import registry
from tiro.petrochem.models import Project, ProjectStep, ProjectUnit
from tiro.petrochem.project_data import load_projects
from tiro.petrochem.support import load_support

SEED_ACTOR = "reference:report-2"


def _date(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def load_reference(*, session: Session) -> dict[str, int]:
    """Insert the shipped projects that are missing; returns how many were added."""
    added = 0
    for p in load_projects(registry.load_units()):
        if session.get(Project, p["id"]) is not None:
            continue
        last = p["history"][-1]
        session.add(
            Project(
                id=p["id"], name=p["name"], complex=p["complex"], participants=p["participants"],
                conversion=p["conversion"], source=str(p["source"]), state=last["state"],
                state_since=last["date"],
            )
        )  # fmt: skip
        session.flush()
        for u in p["units"]:
            session.add(
                ProjectUnit(
                    project_id=p["id"], unit=u["unit"], action=u["action"],
                    capacity_kt=int(u["capacity_kt"]), until=_date(u.get("until")),
                    note=u.get("note"),
                )
            )  # fmt: skip
        for s in p["history"]:
            session.add(
                ProjectStep(
                    project_id=p["id"], state=s["state"], on=s["date"], role=s["role"],
                    documents=s["documents"], source=s["source"],
                    inferred=bool(s.get("inferred", False)), actor=SEED_ACTOR,
                )
            )  # fmt: skip
        session.flush()
        record_audit(
            session, actor=SEED_ACTOR, action="petrochem.project.seed",
            entity="petrochem_project", entity_id=p["id"],
            after={"state": last["state"], "since": last["date"].isoformat()},
        )  # fmt: skip
        added += 1
    return {"projects": added, "support_items": load_support(session)}
