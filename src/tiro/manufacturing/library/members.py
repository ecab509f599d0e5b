"""Who may act in the data library, and the audited step every act goes through.

Library roles sit on top of the core users (tiro.core.auth: viewer < analyst < operator <
admin): a member is a core user holding a role in one organisation — ``owner`` (the data
owner: registers assets, sets policies, offers contracts), ``steward`` (the owner's approver:
finalises contracts, approves and runs compute requests), ``analyst`` (a consumer: requests
contracts, submits compute requests, reads released results), ``auditor`` (reads the audit
log and metadata, never results). A core ``admin`` may act as any organisation's steward.
Each library role needs a minimum core role (:data:`MIN_CORE_ROLE`), so a ``viewer`` can be
an auditor but never an analyst.

:func:`run_step` is the one way a library change happens: the step runs in a transaction
that commits with its audit entry; a refusal rolls the step back and is then recorded in
its own committed transaction (action ``<step>.refused``), so the audit log shows every
attempt, including the ones that changed nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from tiro.core.audit import record_audit
from tiro.core.auth import role_at_least
from tiro.core.db import integrity_problem
from tiro.core.errors import Conflict, Forbidden, InvalidInput, NotFound, TiroError
from tiro.core.models import User
from tiro.manufacturing.library import idempotency
from tiro.manufacturing.library.tables import LIBRARY_ROLES, LibraryMember

ACTION = "manufacturing.library"
MIN_CORE_ROLE = {"auditor": "viewer", "analyst": "analyst", "owner": "analyst",
                 "steward": "operator"}  # fmt: skip
"""The least core role each library role needs (a steward approves code runs: operator)."""
SYSTEM_ACTOR = "tiro-seed"
"""The seed's actor: registers the shipped datasets without a human member (audited as such)."""
TEXT_MAX = 120


@dataclass(frozen=True)
class Actor:
    """A resolved acting user: core role plus (organisation, library role) pairs."""

    name: str
    core_role: str
    memberships: frozenset[tuple[str, str]]

    @property
    def is_admin(self) -> bool:
        """Core admins act as stewards of every organisation."""
        return self.core_role == "admin"

    def has(self, roles: tuple[str, ...], organisation: str | None = None) -> bool:
        """Whether the actor holds one of ``roles`` (in ``organisation`` when given)."""
        return any(
            role in roles and (organisation is None or org == organisation)
            for org, role in self.memberships
        )

    def organisations(self, roles: tuple[str, ...] = LIBRARY_ROLES) -> set[str]:
        """The organisations where the actor holds one of ``roles``."""
        return {org for org, role in self.memberships if role in roles}


def text(value: Any, field: str, max_length: int = TEXT_MAX) -> str:
    """Required text that fits its column (PostgreSQL refuses longer values with an error)."""
    if value is None or not str(value).strip():
        raise InvalidInput("required", field=field)
    out = str(value).strip()
    if len(out) > max_length:
        raise InvalidInput(f"longer than {max_length} characters", field=field)
    return out


def actor_name(actor: str | Actor | None) -> str | None:
    """The name to audit a step under, whether given as text or as a resolved actor."""
    return actor.name if isinstance(actor, Actor) else actor


def resolve(session: Session, name: str | Actor | None) -> Actor:
    """The acting user with their library roles; an unknown user is refused by name.

    An :class:`Actor` passes through: only in-process callers (the seed) build one; the CLI
    and API pass a name, and the seed's reserved name is refused from them.
    """
    if isinstance(name, Actor):
        return name
    name = text(name, "actor")
    if name == SYSTEM_ACTOR:
        raise Forbidden(f"{SYSTEM_ACTOR!r} is reserved for the library seed", field="actor")
    user = session.execute(select(User).where(User.name == name)).scalar_one_or_none()
    if user is None:
        raise Forbidden(
            f"{name!r} is not a tiro user; add one with `tiro users add` and a library role "
            "with `tiro manufacturing members add`",
            field="actor",
        )
    rows = session.execute(
        select(LibraryMember.organisation, LibraryMember.role).where(
            LibraryMember.user_name == name
        )
    ).all()
    memberships = frozenset(
        (org, role) for org, role in rows if role_at_least(user.role, MIN_CORE_ROLE[role])
    )
    return Actor(name, user.role, memberships)


def require(
    actor: Actor,
    roles: tuple[str, ...],
    organisation: str | None,
    what: str,
    *,
    admin: bool = False,
) -> None:
    """Refuse unless the actor holds one of ``roles`` in ``organisation`` (or is an admin
    acting as steward when ``admin``)."""
    if admin and actor.is_admin:
        return
    if actor.has(roles, organisation):
        return
    where = f" of {organisation}" if organisation else ""
    raise Forbidden(
        f"{actor.name} may not {what}: needs the library role {' or '.join(roles)}{where}",
        field="actor",
    )


def require_member(actor: Actor, what: str) -> None:
    """Any library role (or a core admin): the catalogue is for members."""
    if not actor.is_admin and not actor.memberships:
        raise Forbidden(
            f"{actor.name} may not {what}: not a member of the data library", field="actor"
        )


def audit(
    session: Session,
    actor: str,
    step: str,
    entity: str,
    entity_id: Any,
    before: Any = None,
    after: Any = None,
) -> None:
    """One audit entry for a library step, in the step's transaction."""
    record_audit(session, actor=actor, action=f"{ACTION}.{step}", entity=f"library_{entity}",
                 entity_id=str(entity_id), before=before, after=after)  # fmt: skip


def run_step(
    session: Session,
    *,
    actor: str | None,
    step: str,
    entity: str,
    entity_id: Any,
    payload: dict[str, Any],
    action: Callable[[], Any],
) -> Any:
    """Run one library step and commit it; on refusal roll back, audit the refusal, re-raise.

    The refusal entry carries the error kind, the field and the reason with what was asked
    (``payload``, already free of raw rows), so an auditor sees who tried what and why not.
    A step sent with an ``Idempotency-Key`` (:mod:`.idempotency`) answers a repeat with the
    stored first answer — nothing runs, nothing is audited — and stores a first answer in
    the step's own transaction.
    """
    once = idempotency.take()
    try:
        if once is not None and (stored := idempotency.claim(session, once)) is not None:
            return stored
        result = action()
        if once is not None:
            result = idempotency.record(session, once, result)
        session.commit()
        return result
    except (IntegrityError, DataError) as exc:
        session.rollback()
        error: TiroError = integrity_problem(exc)
        _refusal(session, actor, step, entity, entity_id, payload, error)
        raise error from exc
    except TiroError as exc:
        session.rollback()
        _refusal(session, actor, step, entity, entity_id, payload, exc)
        raise


def _refusal(
    session: Session,
    actor: str | None,
    step: str,
    entity: str,
    entity_id: Any,
    payload: dict[str, Any],
    error: TiroError,
) -> None:
    who = (str(actor).strip() or "?")[:TEXT_MAX] if actor else "?"
    after = {"error": type(error).__name__, "field": error.field, "reason": error.message,
             "asked": payload}  # fmt: skip
    audit(session, who, f"{step}.refused", entity, str(entity_id)[:TEXT_MAX], after=after)
    session.commit()


def member_dict(row: LibraryMember) -> dict[str, Any]:
    """A membership as the CLI and API show it."""
    return {"user": row.user_name, "organisation": row.organisation, "role": row.role,
            "added_by": row.added_by}  # fmt: skip


def add_member(
    *, session: Session, actor: str | None, user: str, organisation: str, role: str
) -> dict[str, Any]:
    """Give a core user a library role in an organisation.

    A core admin adds anyone; an organisation's owner adds analysts and auditors to it.
    """
    payload = {"user": user, "organisation": organisation, "role": role}

    def act() -> dict[str, Any]:
        who = resolve(session, actor)
        org = text(organisation, "organisation")
        if role not in LIBRARY_ROLES:
            raise InvalidInput(
                f"role must be one of {', '.join(LIBRARY_ROLES)}, not {role!r}", field="role"
            )
        if not who.is_admin and not (role in ("analyst", "auditor") and who.has(("owner",), org)):
            raise Forbidden(
                f"{who.name} may not add a {role} to {org}: a core admin adds members; an "
                "owner adds analysts and auditors to their own organisation",
                field="actor",
            )
        target = session.execute(select(User).where(User.name == user)).scalar_one_or_none()
        if target is None:
            raise NotFound(f"no tiro user {user!r}; add one with `tiro users add`", field="user")
        need = MIN_CORE_ROLE[role]
        if not role_at_least(target.role, need):
            raise InvalidInput(
                f"{user} is a core {target.role}; a library {role} must be at least {need}",
                field="role",
            )
        exists = session.execute(
            select(LibraryMember).where(LibraryMember.user_name == user,
                                        LibraryMember.organisation == org,
                                        LibraryMember.role == role)
        ).scalar_one_or_none()  # fmt: skip
        if exists is not None:
            raise Conflict(f"{user} is already {role} of {org}", field="user")
        row = LibraryMember(user_name=user, organisation=org, role=role, added_by=who.name)
        session.add(row)
        session.flush()
        audit(session, who.name, "member.add", "member", row.id, after=member_dict(row))
        return member_dict(row)

    return run_step(session, actor=actor, step="member.add", entity="member", entity_id=user,
                    payload=payload, action=act)  # fmt: skip


def list_members(
    *, session: Session, actor: str | None, organisation: str | None = None
) -> list[dict[str, Any]]:
    """Memberships (all, or one organisation's), for any library member or admin."""
    who = resolve(session, actor)
    require_member(who, "list members")
    query = select(LibraryMember).order_by(LibraryMember.organisation, LibraryMember.user_name)
    if organisation:
        query = query.where(LibraryMember.organisation == organisation)
    return [member_dict(r) for r in session.execute(query).scalars()]
