"""Users, roles and API tokens. Tokens are random secrets shown once and stored hashed."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from tiro.core.audit import record_audit
from tiro.core.db import utcnow
from tiro.core.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthorized
from tiro.core.models import ROLES, ApiToken, User

TOKEN_PREFIX = "tiro_"
NAME_MAX = 120  # users.name is VARCHAR(120)


def hash_token(token: str) -> str:
    """SHA-256 of the secret: enough for random 256-bit tokens, and constant-time to check."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def role_at_least(role: str, required: str) -> bool:
    """Roles are ordered: viewer < analyst < operator < admin."""
    return ROLES.index(role) >= ROLES.index(required)


def add_user(*, session: Session, name: str, role: str, actor: str) -> User:
    """Create a user; the name must be new and the role one of the four."""
    if role not in ROLES:
        raise InvalidInput(f"role must be one of {', '.join(ROLES)}, not {role!r}", field="role")
    if not name or not name.strip():
        raise InvalidInput("user name must not be empty", field="name")
    if len(name) > NAME_MAX:
        raise InvalidInput(f"user name is longer than {NAME_MAX} characters", field="name")
    if session.execute(select(User).where(User.name == name)).scalar_one_or_none():
        raise Conflict(f"user {name!r} already exists", field="name")
    user = User(name=name, role=role)
    session.add(user)
    session.flush()
    record_audit(
        session,
        actor=actor,
        action="user.add",
        entity="user",
        entity_id=user.id,
        after={"name": name, "role": role},
    )
    return user


def issue_token(*, session: Session, name: str, actor: str) -> str:
    """A new token for an existing user; the secret is returned once and never stored."""
    user = session.execute(select(User).where(User.name == name)).scalar_one_or_none()
    if user is None:
        raise NotFound(f"no user {name!r}", field="name")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, token_hash=hash_token(secret), prefix=secret[:12])
    session.add(token)
    session.flush()
    record_audit(
        session,
        actor=actor,
        action="token.issue",
        entity="api_token",
        entity_id=token.id,
        after={"user": name, "prefix": token.prefix},
    )
    return secret


def user_for_token(*, session: Session, token: str | None) -> User:
    """The user a bearer token belongs to; unknown or revoked tokens are refused."""
    if not token:
        raise Unauthorized("a bearer token is required", field="Authorization")
    row = session.execute(
        select(ApiToken).where(ApiToken.token_hash == hash_token(token))
    ).scalar_one_or_none()
    if row is None or row.revoked_at is not None:
        raise Unauthorized("the token is unknown or revoked", field="Authorization")
    return row.user


def require(user: User, role: str) -> User:
    """Refuse a user whose role is below the one required."""
    if not role_at_least(user.role, role):
        raise Forbidden(f"role {user.role!r} may not do this; needs {role!r}", field="role")
    return user


def revoke_tokens(*, session: Session, name: str, actor: str) -> int:
    """Revoke every live token of a user; returns how many."""
    user = session.execute(select(User).where(User.name == name)).scalar_one_or_none()
    if user is None:
        raise NotFound(f"no user {name!r}", field="name")
    live = [t for t in user.tokens if t.revoked_at is None]
    for token in live:
        token.revoked_at = utcnow()
    record_audit(
        session,
        actor=actor,
        action="token.revoke",
        entity="user",
        entity_id=user.id,
        after={"revoked": len(live)},
    )
    return len(live)
