"""Data library routes (``/api/v1/manufacturing/library``): 제조 AX 데이터 라이브러리.

Thin over tiro.manufacturing.library: every route needs a token; the authenticated core user
is the library actor, and the library services decide what that user's library roles
(owner, steward, analyst, auditor per organisation; a core admin acts as steward) allow.
Every refusal is a problem+json answer and is already in the hash-chained audit log (the
service records it in its own transaction before raising).

No route returns an asset's rows: the catalogue gives metadata and the synthetic mock twin,
a request's ``result`` only once released. Assets are registered from a shipped dataset name
or an uploaded CSV/Parquet body — an HTTP request never names a file on the server.

Idempotency: the library's steps are guarded state transitions (``UPDATE … WHERE state =
expected``), so a repeated offer/agree/finalise/approve/execute is a 409, never a second
step. The creating routes (members, assets, asset upload, policy, contracts, requests) take
an optional ``Idempotency-Key`` header: the same user sending the same key and the same
request again gets the first answer (no second row, no second audit entry); the same key
with another request is a 409 naming the header (``tiro.manufacturing.library.idempotency``).
Without the header a retried contract or compute request makes a second one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import PurePath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Header, Path, Query, UploadFile
from pydantic import Field
from sqlalchemy.orm import Session

from tiro.api.deps import get_session, require_role
from tiro.core.errors import InvalidInput
from tiro.core.models import User
from tiro.core.validation import InputModel
from tiro.manufacturing.library import (
    assets,
    contracts,
    idempotency,
    members,
    policies,
    requests,
    views,
)
from tiro.manufacturing.library.tables import (
    CONTRACT_STATES,
    LIBRARY_ROLES,
    REQUEST_STATES,
    SENSITIVITIES,
)
from tiro.manufacturing.quality import datasets

router = APIRouter(prefix="/api/v1/manufacturing/library", tags=["manufacturing: data library"])

ID_MAX = 2**31 - 1
ASSET_REF = r"^([1-9][0-9]{0,9}|[a-z0-9][a-z0-9_.:-]{0,79})$"
ORG = Annotated[str, Field(min_length=1, max_length=120, description="Organisation.")]
AssetRef = Annotated[str, Path(description="Asset id or name.", pattern=ASSET_REF, max_length=80)]
ContractId = Annotated[int, Path(ge=1, le=ID_MAX, description="Contract id.")]
RequestId = Annotated[int, Path(ge=1, le=ID_MAX, description="Compute request id.")]
DATASET = Literal[datasets.DATASETS]  # type: ignore[valid-type]
SENSITIVITY = Literal[SENSITIVITIES]  # type: ignore[valid-type]
ROLE = Literal[LIBRARY_ROLES]  # type: ignore[valid-type]
CONTRACT_STATE = Literal[CONTRACT_STATES]  # type: ignore[valid-type]
REQUEST_STATE = Literal[REQUEST_STATES]  # type: ignore[valid-type]
MAX_UPLOAD_BYTES = 64 * 1024 * 1024
"""An uploaded table is read into memory once; larger files go through the CLI (--file)."""

Member = Depends(require_role("viewer"))
"""Any authenticated core user; the library services then check the library role."""
DB = Depends(get_session, scope="function")
IdemKey = Annotated[
    str | None,
    Header(
        alias=idempotency.HEADER,
        pattern=idempotency.KEY_PATTERN,
        max_length=idempotency.MAX_KEY,
        description="Optional. The same key and the same request again (same user) return the "
        "first answer without acting twice; the same key with another request is a 409. "
        "1-120 visible ASCII characters.",
    ),
]


def _keyed(user: User, key: str | None, route: str, payload: dict[str, Any]) -> Any:
    """The library step inside answers once per (user, key) — see the module docstring."""
    return idempotency.keyed(actor=user.name, key=key, route=route, payload=payload)


# ---- members ---------------------------------------------------------------------------


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
    with _keyed(user, key, "members.add", body.model_dump()):
        return members.add_member(session=session, actor=user.name, **body.model_dump())


# ---- assets ----------------------------------------------------------------------------


@router.get("/assets", summary="The catalogue with mock twins (데이터 자산)")
def assets_list(user: User = Member, session: Session = DB) -> list[dict]:
    """Every asset's metadata, current policy and synthetic mock twin — never real rows."""
    return views.catalogue(session=session, actor=user.name)


@router.get("/assets/{asset}", summary="One asset with its mock twin")
def assets_show(asset: AssetRef, user: User = Member, session: Session = DB) -> dict:
    """Metadata, schema, content hash, current policy and mock twin of one asset."""
    return views.show_asset(session=session, actor=user.name, asset=asset)


class DatasetBody(InputModel):
    """Register a shipped dataset as an asset of the owner's organisation."""

    dataset: DATASET = Field(..., description="A shipped dataset (rpart:solder, …).")
    organisation: ORG
    name: str | None = Field(
        None, pattern=r"^[a-z0-9][a-z0-9_.:-]{0,79}$", description="Asset name (default: dataset)."
    )
    description: str | None = Field(None, min_length=1, max_length=2000)
    sensitivity: SENSITIVITY = "confidential"


@router.post("/assets", summary="Register a shipped dataset as an asset", status_code=201)
def assets_register(
    body: DatasetBody, key: IdemKey = None, user: User = Member, session: Session = DB
) -> dict:
    """Copy the dataset into the library (Parquet, SHA-256, mock twin); owners only."""
    with _keyed(user, key, "assets.register", body.model_dump()):
        return assets.register_dataset(session=session, actor=user.name, **body.model_dump())


@router.post("/assets/upload", summary="Register an uploaded CSV/Parquet table", status_code=201)
def assets_upload(
    file: UploadFile = File(..., description="A .csv or .parquet table (the upload body)."),
    organisation: str = Query(..., min_length=1, max_length=120, description="Owner org."),
    name: str = Query(..., pattern=r"^[a-z0-9][a-z0-9_.:-]{0,79}$", description="Asset name."),
    description: str | None = Query(None, min_length=1, max_length=2000),
    sensitivity: SENSITIVITY = Query("confidential"),
    key: IdemKey = None,
    user: User = Member,
    session: Session = DB,
) -> dict:
    """The uploaded bytes are parsed here and stored by the library — never a server path."""
    data = file.file.read(MAX_UPLOAD_BYTES + 1)
    frame = _uploaded_frame(file, data)
    source = f"upload {PurePath(file.filename or 'table').name[:150]}"
    asked = {"organisation": organisation, "name": name, "description": description,
             "sensitivity": sensitivity, "source": source,
             "file_sha256": hashlib.sha256(data).hexdigest()}  # fmt: skip
    with _keyed(user, key, "assets.upload", asked):
        return assets.register_asset(
            session=session, actor=user.name, name=name, organisation=organisation,
            frame=frame, source=source, description=description, sensitivity=sensitivity,
        )  # fmt: skip


def _uploaded_frame(file: UploadFile, data: bytes) -> Any:
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidInput(f"larger than {MAX_UPLOAD_BYTES:,} bytes", field="file")
    name = PurePath(file.filename or "upload").name[:150]
    return assets.read_table(data, PurePath(name).suffix, name)


# ---- policies --------------------------------------------------------------------------


class PolicyBody(InputModel):
    """The terms of a new policy version (k and max rows default to the dated parameters)."""

    purposes: list[Annotated[str, Field(min_length=1, max_length=120)]] = Field(
        ..., min_length=1, max_length=50
    )
    organisations: list[Annotated[str, Field(min_length=1, max_length=120)]] = Field(
        ..., min_length=1, max_length=50
    )
    expires_on: dt.date = Field(..., description="Expiry date (not before today).")
    min_group_size: int | None = Field(None, ge=1, le=1_000_000, description="k.")
    max_rows: int | None = Field(None, ge=1, le=10_000_000)
    allowed_model_types: list[Annotated[str, Field(min_length=1, max_length=40)]] = Field(
        default_factory=list, max_length=50
    )
    public_categories: list[Annotated[str, Field(min_length=1, max_length=120)]] = Field(
        default_factory=list, max_length=50
    )
    label: str | None = Field(None, max_length=200)


@router.get("/assets/{asset}/policy", summary="An asset's usage policy (이용 정책)")
def policy_show(asset: AssetRef, user: User = Member, session: Session = DB) -> dict:
    """The current policy with its earlier versions (any member)."""
    return policies.show_policy(session=session, actor=user.name, asset=asset)


@router.post("/assets/{asset}/policy", summary="Set a new policy version", status_code=201)
def policy_set(
    asset: AssetRef,
    body: PolicyBody,
    key: IdemKey = None,
    user: User = Member,
    session: Session = DB,
) -> dict:
    """The asset's owner attaches new terms; contracts snapshot the version they were offered."""
    with _keyed(user, key, "policy.set", {"asset": asset, **body.model_dump()}):
        return policies.set_policy(
            session=session, actor=user.name, asset=asset, **body.model_dump()
        )


# ---- contracts -------------------------------------------------------------------------


class ContractBody(InputModel):
    """An analyst's request for access to an asset for a purpose."""

    asset: str = Field(..., pattern=ASSET_REF, max_length=80, description="Asset id or name.")
    purpose: str = Field(..., min_length=1, max_length=120)
    organisation: str | None = Field(
        None, min_length=1, max_length=120, description="Your organisation (default: your only)."
    )


class TerminateBody(InputModel):
    """Why the contract ends."""

    reason: str = Field(..., min_length=1, max_length=2000)


@router.get("/contracts", summary="Contracts you are party to (이용 계약)")
def contracts_list(
    state: CONTRACT_STATE | None = Query(None, description="Only this state."),
    user: User = Member,
    session: Session = DB,
) -> list[dict]:
    """Contracts of your organisations (auditors and admins: all), newest first."""
    return views.list_contracts(session=session, actor=user.name, state=state)


@router.post("/contracts", summary="Request a contract", status_code=201)
def contracts_request(
    body: ContractBody, key: IdemKey = None, user: User = Member, session: Session = DB
) -> dict:
    """An analyst asks for access; organisation, purpose and expiry are checked now."""
    with _keyed(user, key, "contracts.request", body.model_dump()):
        return contracts.request_contract(session=session, actor=user.name, **body.model_dump())


@router.get("/contracts/{contract_id}", summary="One contract with its terms snapshot")
def contracts_show(contract_id: ContractId, user: User = Member, session: Session = DB) -> dict:
    """To a party of the contract, an auditor or an admin."""
    return views.show_contract(session=session, actor=user.name, contract_id=contract_id)


def _contract_step(step: str, summary: str, doc: str) -> None:
    service = getattr(contracts, step)

    def route(contract_id: ContractId, user: User = Member, session: Session = DB) -> dict:
        return service(session=session, actor=user.name, contract_id=contract_id)

    route.__name__ = f"contracts_{step}"
    route.__doc__ = doc
    router.post(f"/contracts/{{contract_id}}/{step}", summary=summary)(route)


_contract_step("offer", "Offer the current policy", "The owner freezes the policy into it.")
_contract_step("agree", "Agree to the offered terms", "The consumer's analyst agrees.")
_contract_step("finalise", "Finalise an agreed contract", "The owner or steward finalises.")


@router.post("/contracts/{contract_id}/terminate", summary="Terminate a contract")
def contracts_terminate(
    contract_id: ContractId, body: TerminateBody, user: User = Member, session: Session = DB
) -> dict:
    """Either side ends it; no compute request may run under it afterwards."""
    return contracts.terminate(
        session=session, actor=user.name, contract_id=contract_id, reason=body.reason
    )


# ---- compute requests ------------------------------------------------------------------


class SubmitBody(InputModel):
    """A recipe under a finalised contract (validated and run on the mock twin first)."""

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
    with _keyed(user, key, "requests.submit", body.model_dump()):
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


# ---- audit -----------------------------------------------------------------------------


@router.get("/audit", summary="The library's audit entries (auditors)")
def audit_list(
    limit: int = Query(200, ge=1, le=1000, description="Newest entries to return."),
    user: User = Member,
    session: Session = DB,
) -> list[dict]:
    """Hash-chained entries of every library step and refusal, newest first."""
    return views.audit_trail(session=session, actor=user.name, limit=limit)
