"""``/members``: library roles (라이브러리 역할) — owner, analyst, steward, auditor."""

from __future__ import annotations

from fastapi import APIRouter, Query
from pydantic import Field
from sqlalchemy.orm import Session

from tiro.api.routers.manufacturing_library.common import (
    DB,
    ORG,
    PREFIX,
    ROLE,
    TAG,
    IdemKey,
    Member,
    keyed,
)
from tiro.core.models import User
from tiro.core.validation import InputModel
from tiro.manufacturing.library import members

router = APIRouter(prefix=PREFIX, tags=[TAG])


class MemberBody(InputModel):
    """A core user, the organisation and the library role to give them."""

    user: str = Field(..., min_length=1, max_length=120, description="Core user name.")
    organisation: ORG
    role: ROLE = Field(..., description="Library role.")


@router.get("/members", summary="Library members (라이브러리 역할)")
def members_list(
    organisation: str | None = Query(None, min_length=1, max_length=120),
    user: User = Member,
    session: Session = DB,
) -> list[dict]:
    """Memberships, all or one organisation's (any library member)."""
    return members.list_members(session=session, actor=user.name, organisation=organisation)


@router.post("/members", summary="Give a user a library role", status_code=201)
def members_add(
    body: MemberBody, key: IdemKey = None, user: User = Member, session: Session = DB
) -> dict:
    """A core admin adds anyone; an owner adds analysts and auditors to their organisation."""
    with keyed(user, key, "members.add", body.model_dump()):
        return members.add_member(session=session, actor=user.name, **body.model_dump())
