"""``/audit``: the library's hash-chained audit entries (auditors)."""

from __future__ import annotations

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session

from tiro.api.routers.manufacturing_library.common import DB, PREFIX, TAG, Member
from tiro.core.models import User
from tiro.manufacturing.library import views

router = APIRouter(prefix=PREFIX, tags=[TAG])


@router.get("/audit", summary="The library's audit entries (auditors)")
def audit_list(
    limit: int = Query(200, ge=1, le=1000, description="Newest entries to return."),
    user: User = Member,
    session: Session = DB,
) -> list[dict]:
    """Hash-chained entries of every library step and refusal, newest first."""
    return views.audit_trail(session=session, actor=user.name, limit=limit)
