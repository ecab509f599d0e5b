"""Core routes: health, parameters, scenarios, and the caller's identity."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Path, Query
from sqlalchemy import text
from sqlalchemy.orm import Session

from tiro import __version__
from tiro.api.deps import SCENARIO_QUERY, get_session, http_params, require_role
from tiro.core.audit import verify_chain
from tiro.core.models import User
from tiro.core.parameters import get_params, leaf_row
from tiro.core.report_facts import fact, facts_under
from tiro.core.scenarios import available_scenarios

router = APIRouter(prefix="/api/v1", tags=["core"])


@router.get("/health", summary="Health check")
def health(session: Session = Depends(get_session, scope="function")) -> dict:
    """Answers ``{"status": "ok"}`` when the server and its database respond."""
    session.execute(text("SELECT 1"))
    return {"status": "ok", "version": __version__}


#: A dotted parameter path or fact key: what the tree's file names allow (schema for clients
#: and the fuzz; an unknown but well-formed path is still a 404 naming the nearest one).
DOTTED = r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$"


@router.get("/params/{path}", summary="A parameter's value on a date")
def parameter(
    path: str = Path(
        ...,
        description="Dotted parameter path (GET /api/v1/params lists them).",
        pattern=DOTTED,
        max_length=200,
        examples=["energy.swap.floor_share"],
    ),
    date: dt.date = Query(..., description="Date the value is wanted for (YYYY-MM-DD)."),
    scenario: str | None = SCENARIO_QUERY,
) -> dict:
    """The value in force on ``date`` with unit, effective date and reference."""
    explanation = http_params(scenario).explain(path, date)
    return explanation.as_dict()


@router.get("/params", summary="List parameter paths")
def parameters(
    prefix: str = Query("", description="Only paths under this prefix.", max_length=200),
) -> list[dict]:
    """Every leaf under a prefix with its unit, description and declared range (or null)."""
    params = get_params()
    return [leaf_row(params.leaf(p)) for p in params.paths(prefix)]


@router.get("/scenarios", summary="List shipped scenarios")
def scenarios() -> list[str]:
    """Names accepted wherever a ``scenario`` parameter is."""
    return available_scenarios()


@router.get("/me", summary="The caller's identity")
def me(user: User = Depends(require_role("viewer"))) -> dict:
    """Name and role of the token's owner."""
    return {"name": user.name, "role": user.role}


@router.get("/audit/verify", summary="Check the audit hash chain")
def audit_verify(
    session: Session = Depends(get_session, scope="function"),
    _: User = Depends(require_role("admin")),
) -> dict:
    """Recompute the audit chain (admin only)."""
    return verify_chain(session).as_dict()


@router.get("/facts", summary="The report's facts")
def report_facts(
    prefix: str = Query("", description="Only keys under this prefix.", max_length=200),
) -> list[dict]:
    """Figures stated in the report (2026-05-27), each with its section and a quote."""
    return [f.as_dict() for f in facts_under(prefix)]


@router.get("/facts/{key}", summary="One fact of the report")
def report_fact(
    key: str = Path(..., pattern=DOTTED, max_length=200, examples=["energy.alert.crude_attention"]),
) -> dict:
    """A single fact by its dotted key (404 problem when unknown)."""
    return fact(key).as_dict()
