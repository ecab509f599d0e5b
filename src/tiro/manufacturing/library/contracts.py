"""Access contracts (이용 계약): requested → offered → agreed → finalised | terminated.

After the Dataspace Protocol's contract negotiation: the consumer's analyst requests access to
an asset for a purpose; the provider's owner offers the asset's current policy, which is
frozen into the contract (the snapshot the consumer agrees to); the analyst agrees; the
owner or steward finalises; either side may terminate at any point before or after. The
terms are checked (organisation, purpose, expiry) at the request, the offer and the
finalisation, and again whenever a compute request is submitted or executed.

Each transition is a guarded ``UPDATE … WHERE state IN (expected)``: of two concurrent
steps on one contract exactly one changes it; the other finds no row in the expected state
and is refused (and audited) — the state column never skips a step.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from tiro.core.errors import Conflict, InvalidInput
from tiro.manufacturing.library.assets import get_asset
from tiro.manufacturing.library.members import (
    Actor,
    actor_name,
    audit,
    require,
    resolve,
    run_step,
    text,
)
from tiro.manufacturing.library.policies import (
    check_use,
    required_policy,
    terms_of,
)
from tiro.manufacturing.library.states import fresh, guarded_move
from tiro.manufacturing.library.tables import LibraryAsset, LibraryContract

ENTITY = "contract"
PROVIDER = ("owner", "steward")


def contract_dict(row: LibraryContract, asset_name: str | None = None) -> dict[str, Any]:
    """A contract as the CLI and API show it (the terms snapshot included)."""
    return {"id": row.id, "asset_id": row.asset_id, "asset": asset_name,
            "organisation": row.organisation, "purpose": row.purpose, "state": row.state,
            "policy_version": row.policy_version, "terms": row.terms,
            "expires_on": row.expires_on, "requested_by": row.requested_by,
            "offered_by": row.offered_by, "agreed_by": row.agreed_by,
            "finalised_by": row.finalised_by, "terminated_by": row.terminated_by,
            "terminated_reason": row.terminated_reason}  # fmt: skip


def get_contract(session: Session, contract_id: int) -> LibraryContract:
    """The contract as stored now (re-read, never a stale identity-map copy)."""
    return fresh(session, LibraryContract, contract_id, label="contract", field="contract")


def guarded_transition(
    session: Session,
    contract_id: int,
    expected: tuple[str, ...],
    new_state: str,
    step: str,
    **values: Any,
) -> None:
    """Move the contract only if it is still in an ``expected`` state (one winner)."""
    guarded_move(session, LibraryContract, contract_id, expected, new_state, step=step,
                 label="contract", field="contract", **values)  # fmt: skip


def _step(
    session: Session,
    actor: str | Actor | None,
    step: str,
    contract_id: int | str,
    payload: dict[str, Any],
    act: Any,
) -> dict[str, Any]:
    return run_step(session, actor=actor_name(actor), step=f"contract.{step}", entity=ENTITY,
                    entity_id=contract_id, payload=payload, action=act)  # fmt: skip


def _finish(
    session: Session, who: Actor, step: str, contract_id: int, before: dict[str, Any]
) -> dict[str, Any]:
    row = get_contract(session, contract_id)
    asset = session.get(LibraryAsset, row.asset_id)
    out = contract_dict(row, asset.name if asset else None)
    audit(session, who.name, f"contract.{step}", ENTITY, row.id, before=before, after=out)
    return out


def _expect_state(row: LibraryContract, expected: tuple[str, ...], step: str) -> None:
    if row.state not in expected:
        raise Conflict(
            f"contract {row.id} is {row.state}; {step} needs {' or '.join(expected)}",
            field="contract",
        )


def request_contract(
    *,
    session: Session,
    actor: str | Actor,
    asset: str | int,
    purpose: str,
    organisation: str | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """An analyst asks for access to ``asset`` for ``purpose`` on behalf of an organisation."""
    payload = {"asset": asset, "purpose": purpose, "organisation": organisation}

    def act() -> dict[str, Any]:
        who = resolve(session, actor)
        row = get_asset(session, asset)
        org = organisation
        if org is None:
            mine = sorted(who.organisations(("analyst",)))
            if len(mine) != 1:
                raise InvalidInput(
                    "name the organisation you request for (you are analyst of "
                    f"{', '.join(mine) or 'none'})",
                    field="organisation",
                )
            org = mine[0]
        org = text(org, "organisation")
        require(who, ("analyst",), org, f"request a contract for {org}")
        wanted = text(purpose, "purpose")
        policy = required_policy(session, row.id, row.name)
        check_use(terms_of(policy), organisation=org, purpose=wanted,
                  on=today or dt.date.today(), where=f"the policy of {row.name} v{policy.version}")  # fmt: skip
        contract = LibraryContract(asset_id=row.id, organisation=org, purpose=wanted,
                                   state="requested", requested_by=who.name)  # fmt: skip
        session.add(contract)
        session.flush()
        return _finish(session, who, "request", contract.id, None)

    return _step(session, actor, "request", asset, payload, act)


def offer(
    *, session: Session, actor: str | Actor, contract_id: int, today: dt.date | None = None
) -> dict[str, Any]:
    """The owner offers the asset's current policy; its terms are frozen into the contract."""

    def act() -> dict[str, Any]:
        who = resolve(session, actor)
        row = get_contract(session, contract_id)
        asset = session.get(LibraryAsset, row.asset_id)
        require(who, ("owner",), asset.organisation, f"offer contract {contract_id}")
        _expect_state(row, ("requested",), "offer")
        policy = required_policy(session, asset.id, asset.name)
        check_use(terms_of(policy), organisation=row.organisation, purpose=row.purpose,
                  on=today or dt.date.today(), where=f"the policy of {asset.name} v{policy.version}")  # fmt: skip
        before = contract_dict(row, asset.name)
        guarded_transition(session, contract_id, ("requested",), "offered", "offer",
                           offered_by=who.name, terms=policy.terms,
                           policy_version=policy.version, expires_on=policy.expires_on)  # fmt: skip
        return _finish(session, who, "offer", contract_id, before)

    return _step(session, actor, "offer", contract_id, {"contract": contract_id}, act)


def agree(
    *, session: Session, actor: str | Actor, contract_id: int, today: dt.date | None = None
) -> dict[str, Any]:
    """The consumer's analyst agrees to the offered terms."""

    def act() -> dict[str, Any]:
        who = resolve(session, actor)
        row = get_contract(session, contract_id)
        require(who, ("analyst",), row.organisation, f"agree to contract {contract_id}")
        _expect_state(row, ("offered",), "agree")
        check_use(terms_of(row.terms), organisation=row.organisation, purpose=row.purpose,
                  on=today or dt.date.today(), where=f"contract {contract_id}'s terms")  # fmt: skip
        before = contract_dict(row)
        guarded_transition(session, contract_id, ("offered",), "agreed", "agree",
                           agreed_by=who.name)  # fmt: skip
        return _finish(session, who, "agree", contract_id, before)

    return _step(session, actor, "agree", contract_id, {"contract": contract_id}, act)


def finalise(
    *, session: Session, actor: str | Actor, contract_id: int, today: dt.date | None = None
) -> dict[str, Any]:
    """The owner or steward finalises an agreed contract: compute requests may follow."""

    def act() -> dict[str, Any]:
        who = resolve(session, actor)
        row = get_contract(session, contract_id)
        asset = session.get(LibraryAsset, row.asset_id)
        require(who, PROVIDER, asset.organisation, f"finalise contract {contract_id}",
                admin=True)  # fmt: skip
        _expect_state(row, ("agreed",), "finalise")
        check_use(terms_of(row.terms), organisation=row.organisation, purpose=row.purpose,
                  on=today or dt.date.today(), where=f"contract {contract_id}'s terms")  # fmt: skip
        before = contract_dict(row, asset.name)
        guarded_transition(session, contract_id, ("agreed",), "finalised", "finalise",
                           finalised_by=who.name)  # fmt: skip
        return _finish(session, who, "finalise", contract_id, before)

    return _step(session, actor, "finalise", contract_id, {"contract": contract_id}, act)


def terminate(
    *, session: Session, actor: str | Actor, contract_id: int, reason: str
) -> dict[str, Any]:
    """Either side ends the contract (also a finalised one: no further request may run)."""
    live = ("requested", "offered", "agreed", "finalised")

    def act() -> dict[str, Any]:
        who = resolve(session, actor)
        row = get_contract(session, contract_id)
        asset = session.get(LibraryAsset, row.asset_id)
        provider = who.is_admin or who.has(PROVIDER, asset.organisation)
        if not provider:
            require(who, ("analyst",), row.organisation, f"terminate contract {contract_id}")
        why = text(reason, "reason", 2000)
        _expect_state(row, live, "terminate")
        before = contract_dict(row, asset.name)
        guarded_transition(session, contract_id, live, "terminated", "terminate",
                           terminated_by=who.name, terminated_reason=why)  # fmt: skip
        return _finish(session, who, "terminate", contract_id, before)

    return _step(session, actor, "terminate", contract_id,
                 {"contract": contract_id, "reason": reason}, act)  # fmt: skip
