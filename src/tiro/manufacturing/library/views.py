"""Read models of the data library: what each member may see — and never a raw row.

There is no function here (or anywhere in the library) that returns an asset's rows: the
catalogue gives metadata and the synthetic mock twin; contract and request views give their
state; a request's result is returned only once released, and only to the consumer's
analysts and the provider's owners and stewards (an auditor reads the audit log and
metadata, never results). Each refused read is audited like a refused step.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from tiro.core.errors import Conflict, Forbidden, InvalidInput
from tiro.core.models import AuditEntry
from tiro.manufacturing.library.assets import asset_dict, get_asset
from tiro.manufacturing.library.contracts import contract_dict, get_contract
from tiro.manufacturing.library.members import (
    Actor,
    actor_name,
    require_member,
    resolve,
    run_step,
)
from tiro.manufacturing.library.policies import current_policy, policy_dict
from tiro.manufacturing.library.requests import get_request, request_dict
from tiro.manufacturing.library.tables import (
    CONTRACT_STATES,
    REQUEST_STATES,
    LibraryAsset,
    LibraryContract,
    LibraryRequest,
)

PROVIDER = ("owner", "steward")
AUDIT_LIMIT = 1000


def _read(session: Session, actor: Any, what: str, entity: str, ref: Any, act: Any) -> Any:
    return run_step(session, actor=actor_name(actor), step=f"{what}.read", entity=entity,
                    entity_id=ref, payload={"read": what, "ref": ref}, action=act)  # fmt: skip


def _sees_all(who: Actor) -> bool:
    return who.is_admin or who.has(("auditor",))


def _catalogue_entry(session: Session, asset: LibraryAsset) -> dict[str, Any]:
    policy = current_policy(session, asset.id)
    return {**asset_dict(asset), "policy": None if policy is None else policy_dict(policy)}


def catalogue(*, session: Session, actor: str | Actor) -> list[dict[str, Any]]:
    """Every asset's metadata, current policy and mock twin (any member)."""

    def act() -> list[dict[str, Any]]:
        require_member(resolve(session, actor), "read the catalogue")
        rows = session.execute(select(LibraryAsset).order_by(LibraryAsset.id)).scalars()
        return [_catalogue_entry(session, a) for a in rows]

    return _read(session, actor, "catalogue", "asset", "*", act)


def show_asset(*, session: Session, actor: str | Actor, asset: str | int) -> dict[str, Any]:
    """One asset's metadata, current policy and mock twin (any member)."""

    def act() -> dict[str, Any]:
        require_member(resolve(session, actor), "read the catalogue")
        return _catalogue_entry(session, get_asset(session, asset))

    return _read(session, actor, "asset", "asset", asset, act)


def _visible_contracts(who: Actor) -> Any:
    query = select(LibraryContract).join(LibraryAsset, LibraryAsset.id == LibraryContract.asset_id)
    if _sees_all(who):
        return query
    return query.where(
        or_(
            LibraryContract.organisation.in_(who.organisations(("analyst",))),
            LibraryAsset.organisation.in_(who.organisations(PROVIDER)),
        )
    )


def _check_state(state: str | None, states: tuple[str, ...]) -> None:
    if state is not None and state not in states:
        raise InvalidInput(f"one of {', '.join(states)}", field="state")


def list_contracts(
    *, session: Session, actor: str | Actor, state: str | None = None
) -> list[dict[str, Any]]:
    """Contracts the actor is party to (auditors and admins: all), newest first."""

    def act() -> list[dict[str, Any]]:
        who = resolve(session, actor)
        require_member(who, "list contracts")
        _check_state(state, CONTRACT_STATES)
        query = _visible_contracts(who).order_by(LibraryContract.id.desc())
        if state:
            query = query.where(LibraryContract.state == state)
        names = dict(session.execute(select(LibraryAsset.id, LibraryAsset.name)).all())
        return [contract_dict(c, names.get(c.asset_id)) for c in session.execute(query).scalars()]

    return _read(session, actor, "contracts", "contract", "*", act)


def show_contract(*, session: Session, actor: str | Actor, contract_id: int) -> dict[str, Any]:
    """One contract, to a party of it (or an auditor/admin)."""

    def act() -> dict[str, Any]:
        who = resolve(session, actor)
        row = get_contract(session, contract_id)
        asset = session.get(LibraryAsset, row.asset_id)
        _party(who, row, asset, f"read contract {contract_id}")
        return contract_dict(row, asset.name)

    return _read(session, actor, "contract", "contract", contract_id, act)


def _party(who: Actor, contract: LibraryContract, asset: LibraryAsset, what: str) -> None:
    if _sees_all(who) or who.has(("analyst",), contract.organisation):
        return
    if who.has(PROVIDER, asset.organisation):
        return
    raise Forbidden(
        f"{who.name} may not {what}: not a party to contract {contract.id}", field="actor"
    )


def list_requests(
    *,
    session: Session,
    actor: str | Actor,
    state: str | None = None,
    contract_id: int | None = None,
) -> list[dict[str, Any]]:
    """Compute requests under contracts the actor is party to (metadata, no results)."""

    def act() -> list[dict[str, Any]]:
        who = resolve(session, actor)
        require_member(who, "list compute requests")
        _check_state(state, REQUEST_STATES)
        visible = _visible_contracts(who).with_only_columns(LibraryContract.id)
        query = (
            select(LibraryRequest)
            .where(LibraryRequest.contract_id.in_(visible.scalar_subquery()))
            .order_by(LibraryRequest.id.desc())
        )
        if state:
            query = query.where(LibraryRequest.state == state)
        if contract_id is not None:
            query = query.where(LibraryRequest.contract_id == contract_id)
        return [request_dict(r) for r in session.execute(query).scalars()]

    return _read(session, actor, "requests", "request", "*", act)


def show_request(*, session: Session, actor: str | Actor, request_id: int) -> dict[str, Any]:
    """One request's metadata (state, reasons, resources), to a party or an auditor."""

    def act() -> dict[str, Any]:
        who = resolve(session, actor)
        row = get_request(session, request_id)
        contract = get_contract(session, row.contract_id)
        _party(who, contract, session.get(LibraryAsset, row.asset_id), f"read request {request_id}")
        return request_dict(row)

    return _read(session, actor, "request", "request", request_id, act)


def request_result(*, session: Session, actor: str | Actor, request_id: int) -> dict[str, Any]:
    """The released result: to the consumer's analysts and the provider's owners/stewards.

    Auditors are refused (metadata only); a withheld request has no result to give.
    """

    def act() -> dict[str, Any]:
        who = resolve(session, actor)
        row = get_request(session, request_id)
        contract = get_contract(session, row.contract_id)
        asset = session.get(LibraryAsset, row.asset_id)
        allowed = who.is_admin or who.has(("analyst",), contract.organisation)
        if not (allowed or who.has(PROVIDER, asset.organisation)):
            raise Forbidden(
                f"{who.name} may not read the result of request {request_id}: results go to "
                "the contract's analysts and the asset's owners and stewards",
                field="actor",
            )
        if row.state != "released":
            detail = f" ({row.withheld_reason})" if row.withheld_reason else ""
            raise Conflict(
                f"request {request_id} is {row.state}{detail}: no released result",
                field="request",
            )
        return request_dict(row, result=True)

    return _read(session, actor, "result", "request", request_id, act)


def audit_trail(*, session: Session, actor: str | Actor, limit: int = 200) -> list[dict[str, Any]]:
    """The library's audit entries, newest first (auditors and admins)."""

    def act() -> list[dict[str, Any]]:
        who = resolve(session, actor)
        if not _sees_all(who):
            raise Forbidden(f"{who.name} may not read the audit log: auditors do", field="actor")
        if not 1 <= limit <= AUDIT_LIMIT:
            raise InvalidInput(f"1..{AUDIT_LIMIT}", field="limit")
        rows = session.execute(
            select(AuditEntry)
            .where(AuditEntry.entity.like("library_%"))
            .order_by(AuditEntry.id.desc())
            .limit(limit)
        ).scalars()
        return [{"id": e.id, "at": e.at, "actor": e.actor, "action": e.action,
                 "entity": e.entity, "entity_id": e.entity_id, "after": e.after,
                 "hash": e.hash} for e in rows]  # fmt: skip

    return _read(session, actor, "audit", "audit", "*", act)
