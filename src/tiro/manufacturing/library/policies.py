"""Usage policies: what an asset may be used for, by whom, until when, and what may leave.

A policy (이용 정책) holds the terms of :class:`tiro.manufacturing.library.terms.PolicyTerms`:
permitted purposes, permitted member organisations, an expiry date, the smallest group a
released aggregate may describe (k), the most rows a result may carry, and the model types a
training recipe may fit. Setting a policy adds a version; contracts snapshot the version they
were offered under. :func:`check_use` is the one test of a use against terms, applied when a
contract is requested, offered and finalised, when a compute request is submitted, and again
on the day it executes (Dataspace Protocol: policies are evaluated at negotiation and at use).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tiro.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from tiro.manufacturing.library.assets import get_asset, refresh_mock
from tiro.manufacturing.library.members import (
    Actor,
    actor_name,
    audit,
    require,
    require_member,
    resolve,
    run_step,
    text,
)
from tiro.manufacturing.library.tables import LibraryPolicy

MAX_K = 1_000_000
MAX_ROWS = 10_000_000
MAX_ITEMS = 50


def _names(values: Any, field: str, *, allow_empty: bool = False, max_length: int = 120) -> tuple:
    if isinstance(values, str):
        values = [values]
    items = [text(v, field, max_length) for v in (values or [])]
    if not items and not allow_empty:
        raise InvalidInput("at least one is required", field=field)
    if len(items) > MAX_ITEMS:
        raise InvalidInput(f"at most {MAX_ITEMS}", field=field)
    return tuple(dict.fromkeys(items))


def _count(value: Any, field: str, top: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput("must be a whole number", field=field)
    if not 1 <= value <= top:
        raise InvalidInput(f"{value} is outside 1..{top:,}", field=field)
    return value


def terms_of(row: LibraryPolicy | dict[str, Any]) -> Any:
    """The :class:`PolicyTerms` a policy row (or a contract's snapshot) holds."""
    from tiro.manufacturing.library.terms import PolicyTerms

    return PolicyTerms.from_dict(row.terms if isinstance(row, LibraryPolicy) else row)


def check_use(terms: Any, *, organisation: str, purpose: str, on: dt.date, where: str) -> None:
    """Refuse a use the terms do not permit: another organisation, another purpose, expired.

    The rule is :meth:`PolicyTerms.refusal`; ``where`` says which terms (the asset's current
    policy, the contract's snapshot) so the refusal reads on its own in the audit log.
    """
    reason = terms.refusal(organisation=organisation, purpose=purpose, on=on)
    if reason is None:
        return
    rule, _, detail = reason.partition(": ")
    if rule == "expired":
        raise Conflict(f"{where}: {detail} (today is {on})", field="expires_on")
    permitted = ", ".join(terms.organisations if rule == "organisation" else terms.purposes)
    raise Forbidden(f"{where}: {detail} (permitted: {permitted})", field=rule)


def current_policy(session: Session, asset_id: int) -> LibraryPolicy | None:
    """The asset's latest policy version, or None when none was set."""
    return session.execute(
        select(LibraryPolicy)
        .where(LibraryPolicy.asset_id == asset_id)
        .order_by(LibraryPolicy.version.desc())
        .limit(1)
    ).scalar_one_or_none()


def required_policy(session: Session, asset_id: int, asset_name: str) -> LibraryPolicy:
    """The current policy; an asset without one cannot be contracted."""
    row = current_policy(session, asset_id)
    if row is None:
        raise Conflict(f"asset {asset_name} has no usage policy yet", field="policy")
    return row


def policy_dict(row: LibraryPolicy, asset_name: str | None = None) -> dict[str, Any]:
    """A policy version as the CLI and API show it."""
    return {"asset_id": row.asset_id, "asset": asset_name, "version": row.version,
            "terms": row.terms, "label": row.label, "set_by": row.set_by}  # fmt: skip


def set_policy(
    *,
    session: Session,
    actor: str | Actor,
    asset: str | int,
    purposes: list[str],
    organisations: list[str],
    expires_on: dt.date,
    min_group_size: int | None = None,
    max_rows: int | None = None,
    allowed_model_types: list[str] | None = None,
    public_categories: list[str] | None = None,
    label: str | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Attach a new policy version to an asset (an owner of the asset's organisation).

    k and the row limit default to ``manufacturing.library.min_group_size`` / ``max_rows``
    on today's date (dated parameters, ACRO's k = 10). When the policy changes which text
    columns are ``public_categories``, the asset's mock twin is drawn again so those columns
    show their real labels (and only those).
    """
    from tiro.manufacturing.library.terms import PolicyTerms

    payload = {"asset": asset, "purposes": purposes, "organisations": organisations,
               "expires_on": expires_on, "min_group_size": min_group_size,
               "max_rows": max_rows, "allowed_model_types": allowed_model_types,
               "public_categories": public_categories}  # fmt: skip

    def act() -> dict[str, Any]:
        who = resolve(session, actor)
        row = get_asset(session, asset)
        require(who, ("owner",), row.organisation, f"set the policy of {row.name}")
        day = today or dt.date.today()
        if not isinstance(expires_on, dt.date) or isinstance(expires_on, dt.datetime):
            raise InvalidInput("a date (YYYY-MM-DD) is required", field="expires_on")
        if expires_on < day:
            raise InvalidInput(f"{expires_on} is before today ({day})", field="expires_on")
        terms = PolicyTerms(
            purposes=_names(purposes, "purposes"),
            organisations=_names(organisations, "organisations"),
            expires_on=expires_on,
            min_group_size=_count(
                _default(min_group_size, "min_group_size", day), "min_group_size", MAX_K
            ),
            max_rows=_count(_default(max_rows, "max_rows", day), "max_rows", MAX_ROWS),
            allowed_model_types=_names(
                allowed_model_types, "allowed_model_types", allow_empty=True, max_length=40
            ),
            public_categories=_names(public_categories, "public_categories", allow_empty=True),
        )
        previous = current_policy(session, row.id)
        shown = set(previous.terms.get("public_categories", [])) if previous else set()
        if set(terms.public_categories) != shown:
            refresh_mock(row, terms.public_categories)
        policy = LibraryPolicy(
            asset_id=row.id, version=(previous.version if previous else 0) + 1,
            terms=_plain(terms.as_dict()),
            expires_on=terms.expires_on, min_group_size=terms.min_group_size,
            max_rows=terms.max_rows, label=label, set_by=who.name,
        )  # fmt: skip
        session.add(policy)
        session.flush()
        out = policy_dict(policy, row.name)
        audit(session, who.name, "policy.set", "policy", f"{row.id}:v{policy.version}", after=out)
        return out

    return run_step(session, actor=actor_name(actor), step="policy.set", entity="policy",
                    entity_id=asset, payload=payload, action=act)  # fmt: skip


def show_policy(*, session: Session, actor: str | Actor, asset: str | int) -> dict[str, Any]:
    """The asset's current policy with every earlier version (any member may read terms)."""

    def act() -> dict[str, Any]:
        who = resolve(session, actor)
        require_member(who, "read policies")
        row = get_asset(session, asset)
        versions = session.execute(
            select(LibraryPolicy)
            .where(LibraryPolicy.asset_id == row.id)
            .order_by(LibraryPolicy.version.desc())
        ).scalars()
        history = [policy_dict(p, row.name) for p in versions]
        if not history:
            raise NotFound(f"asset {row.name} has no usage policy yet", field="policy")
        return {**history[0], "history": history}

    return run_step(session, actor=actor_name(actor), step="policy.show", entity="policy",
                    entity_id=asset, payload={"asset": asset}, action=act)  # fmt: skip


def _default(value: int | None, name: str, day: dt.date) -> int:
    if value is not None:
        return value
    from tiro.core.parameters import get_params

    return int(get_params().at(f"manufacturing.library.{name}", day))


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    import json

    return json.loads(json.dumps(data, default=str))
