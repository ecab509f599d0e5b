"""``/requests``: compute requests (원격 분석 요청) — submit, approve | reject, execute, result.

No ``from __future__ import annotations`` here, on purpose: ``SubmitBody`` and
``RejectBody`` share their names with bodies of other routers, so the OpenAPI schema names
them by module (``tiro__api__routers__manufacturing_library__SubmitBody``). They keep the
package's module name, as before the routes were split into modules, so clients' generated
types keep their names; with real (not string) annotations pydantic needs no module
namespace to build them.
"""

from typing import Any

from fastapi import APIRouter, Query
from pydantic import Field
from sqlalchemy.orm import Session

from tiro.api.routers.manufacturing_library.common import (
    DB,
    ID_MAX,
    PREFIX,
    REQUEST_STATE,
    TAG,
    IdemKey,
    Member,
    RequestId,
    keyed,
)
from tiro.core.models import User
from tiro.core.validation import InputModel
from tiro.manufacturing.library import requests, views

router = APIRouter(prefix=PREFIX, tags=[TAG])

SCHEMA_MODULE = "tiro.api.routers.manufacturing_library"
"""The module in the OpenAPI names of the bodies another router also names (see above)."""


class SubmitBody(InputModel):
    """A recipe under a finalised contract (validated and run on the mock twin first)."""

    __module__ = SCHEMA_MODULE

    contract_id: int = Field(..., ge=1, le=ID_MAX)
    recipe: dict[str, Any] = Field(
        ...,
        description="kind: aggregate | train | evaluate | rule_score | user_code, and its "
        "fields (see docs/manufacturing-library.md).",
    )


class NoteBody(InputModel):
    """An optional note on an approval."""

    note: str | None = Field(None, min_length=1, max_length=2000)


class RejectBody(InputModel):
    """The reason for a rejection."""

    __module__ = SCHEMA_MODULE

    note: str = Field(..., min_length=1, max_length=2000)


@router.get("/requests", summary="Compute requests (원격 분석 요청)")
def requests_list(
    state: REQUEST_STATE | None = Query(None, description="Only this state."),
    contract: int | None = Query(None, ge=1, le=ID_MAX, description="Only this contract's."),
    user: User = Member,
    session: Session = DB,
) -> list[dict]:
    """Requests under contracts you are party to: metadata, never results."""
    return views.list_requests(session=session, actor=user.name, state=state, contract_id=contract)


@router.post("/requests", summary="Submit a compute request", status_code=201)
def requests_submit(
    body: SubmitBody, key: IdemKey = None, user: User = Member, session: Session = DB
) -> dict:
    """The contract's analyst submits; the recipe runs on the mock twin, then waits (pending)."""
    with keyed(user, key, "requests.submit", body.model_dump()):
        return requests.submit(
            session=session, actor=user.name, contract_id=body.contract_id, recipe=body.recipe
        )


@router.get("/requests/{request_id}", summary="One compute request's metadata")
def requests_show(request_id: RequestId, user: User = Member, session: Session = DB) -> dict:
    """State, mock run, decision, withheld reason and resources used — no result."""
    return views.show_request(session=session, actor=user.name, request_id=request_id)


@router.post("/requests/{request_id}/approve", summary="Approve a pending request")
def requests_approve(
    request_id: RequestId, body: NoteBody | None = None, user: User = Member,
    session: Session = DB,
) -> dict:  # fmt: skip
    """A steward or owner of the asset's organisation (not the submitter) approves."""
    note = body.note if body else None
    return requests.approve(session=session, actor=user.name, request_id=request_id, note=note)


@router.post("/requests/{request_id}/reject", summary="Reject a pending request")
def requests_reject(
    request_id: RequestId, body: RejectBody, user: User = Member, session: Session = DB
) -> dict:
    """A steward or owner rejects, with the reason."""
    return requests.reject(session=session, actor=user.name, request_id=request_id, note=body.note)


@router.post("/requests/{request_id}/execute", summary="Run an approved request in the sandbox")
def requests_execute(request_id: RequestId, user: User = Member, session: Session = DB) -> dict:
    """Expiry and purpose re-checked today; the sandbox runs on the real data; the result is
    released or withheld with the reason."""
    return requests.execute(session=session, actor=user.name, request_id=request_id)


@router.post("/requests/{request_id}/recover", summary="Withhold a run that died mid-way")
def requests_recover(request_id: RequestId, user: User = Member, session: Session = DB) -> dict:
    """A steward or owner withholds a request left running by a lost execution (only after
    twice the sandbox's wall-clock limit since the claim; nothing of the lost run is kept)."""
    return requests.recover(session=session, actor=user.name, request_id=request_id)


@router.get("/requests/{request_id}/result", summary="A released result")
def requests_result(request_id: RequestId, user: User = Member, session: Session = DB) -> dict:
    """To the contract's analysts and the asset's owners and stewards; withheld: 409 with why."""
    return views.request_result(session=session, actor=user.name, request_id=request_id)
