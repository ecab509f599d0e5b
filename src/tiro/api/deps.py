"""Request dependencies: a database session per request, and token auth with roles."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from tiro.core import auth
from tiro.core.db import session_factory
from tiro.core.models import ROLES, User


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the route returns, rolled back on error.

    Always declare it as ``Depends(get_session, scope="function")``: the default scope ends a
    yield-dependency after the response is sent, so a client could be told "201 Created" for
    a change whose commit then fails. With ``scope="function"`` the commit happens first.
    """
    session = session_factory(request.app.state.engine)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _bearer(request: Request) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def current_user_optional(
    request: Request, session: Session = Depends(get_session, scope="function")
) -> User | None:
    """The caller when a token is sent, else None (for routes that only read)."""
    token = _bearer(request)
    return auth.user_for_token(session=session, token=token) if token else None


def require_role(role: str) -> Callable[..., User]:
    """A dependency that admits only callers whose role is at least ``role``."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")

    def dependency(
        request: Request, session: Session = Depends(get_session, scope="function")
    ) -> User:
        user = auth.user_for_token(session=session, token=_bearer(request))
        return auth.require(user, role)

    dependency.__name__ = f"require_{role}"
    return dependency
