"""The shipped project history (``data/petrochem/projects.yaml``), validated, as tables.

The engines (targets, optimiser) read project states as a table ``project, state, unit,
action, capacity_kt``; the service builds the same table from the database.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.core.parameters import get_params
from tiro.core.yaml_strict import load_yaml
from tiro.petrochem.registry import DATA_DIR
from tiro.petrochem.schemas import COMPLEXES
from tiro.petrochem.workflow import ACTIONS, allowed, check_role

ACTION_SCHEMA = {
    "project": pl.Utf8,
    "state": pl.Utf8,
    "unit": pl.Utf8,
    "action": pl.Utf8,
    "capacity_kt": pl.Float64,
}


def _day(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput(f"{where}: {value!r} is not a date", field="projects") from None


def load_projects(units: pl.DataFrame) -> list[dict[str, Any]]:
    """Projects with their history in workflow order; refuses unknown units, bad moves and a step
    taken by a role the law does not give it to (``petrochem.workflow.step_roles``), as the
    service refuses them when a user records a step."""
    data = load_yaml(DATA_DIR / "projects.yaml")
    params = get_params()
    known = set(units["unit"].to_list())
    out = []
    for project in data["projects"]:
        pid = project["id"]
        if project["complex"] not in COMPLEXES:
            raise InvalidInput(f"{pid}: unknown complex", field="projects")
        for item in project["units"]:
            if item["unit"] not in known or item["action"] not in ACTIONS:
                raise InvalidInput(f"{pid}: unknown unit or action {item}", field="projects")
            if not item["capacity_kt"] > 0:
                raise InvalidInput(f"{pid}: capacity must be positive", field="projects")
        state, last = None, dt.date.min
        for step in project["history"]:
            step["date"] = _day(step["date"], pid)
            if not allowed(state, step["state"]) or step["date"] < last:
                raise InvalidInput(f"{pid}: {state} -> {step['state']} invalid", field="projects")
            try:
                check_role(params, step["state"], step["role"], step["date"])
            except InvalidInput as exc:
                raise InvalidInput(f"{pid}: {exc}", field="projects") from None
            state, last = step["state"], step["date"]
        out.append(project)
    return out


def state_on(project: dict[str, Any], on: dt.date) -> str | None:
    """The project's state on a date (None before it was filed)."""
    state = None
    for step in project["history"]:
        if step["date"] <= on:
            state = step["state"]
    return state


def actions_on(projects: list[dict[str, Any]], on: dt.date) -> pl.DataFrame:
    """One row per unit a project affects, with the project's state on ``on``."""
    rows = [
        {
            "project": p["id"],
            "state": state_on(p, on),
            "unit": u["unit"],
            "action": u["action"],
            "capacity_kt": float(u["capacity_kt"]),
        }
        for p in projects
        for u in p["units"]
    ]
    return pl.DataFrame(rows, schema=ACTION_SCHEMA).filter(pl.col("state").is_not_null())
