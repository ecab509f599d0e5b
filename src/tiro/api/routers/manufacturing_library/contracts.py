"""``/contracts``: access contracts (이용 계약) — requested → offered → agreed → finalised.

offer, agree and finalise are one guarded step each (a repeat is a 409), made from one
template; terminate takes the reason.
"""

from __future__ import annotations

from fastapi import APIRouter, Query
from pydantic import Field
from sqlalchemy.orm import Session

from tiro.api.routers.manufacturing_library.common import (
    ASSET_REF,
    CONTRACT_STATE,
    DB,
    PREFIX,
    TAG,
    ContractId,
    IdemKey,
    Member,
    keyed,
)
from tiro.core.models import User
from tiro.core.validation import InputModel
from tiro.manufacturing.library import contracts, views

router = APIRouter(prefix=PREFIX, tags=[TAG])


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
    with keyed(user, key, "contracts.request", body.model_dump()):
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
