"""Request dependencies: a database session per request, token auth with roles, HTTP scenarios."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from fastapi import Depends, Query, Request
from sqlalchemy.orm import Session

from tiro.core import auth
from tiro.core.db import session_factory
from tiro.core.models import ROLES, User
from tiro.core.parameter_files import PARAMS_ROOT
from tiro.core.parameters import ParameterTree, get_params
from tiro.core.scenarios import SCENARIO_NAME_PATTERN, shipped_scenario_name
from tiro.core.settings import get_settings


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


def _params_root() -> Path:
    return get_settings().params_root or PARAMS_ROOT


def http_scenario(scenario: str | None) -> str | None:
    """A scenario named over HTTP, checked: a shipped name or the baseline, never a path.

    Every route that takes a ``scenario`` (query or body) passes it through here (or through
    :func:`http_params`) before any service sees it, so no caller can make the server read a
    file it names: path-like values are 422 and unknown names 404, both on field ``scenario``.
    """
    return shipped_scenario_name(scenario, _params_root())


def http_params(scenario: str | dict | None, overlay: dict | None = None) -> ParameterTree:
    """The parameter tree for a scenario given over HTTP: a shipped name (checked by
    :func:`http_scenario`), and/or an overlay object from the request body (validated and
    bounded by ``tiro.core.scenarios.scenario_from_mapping``). A dict passed as ``scenario``
    is taken as the overlay, so a body field ``scenario: str | dict`` needs no branching."""
    if isinstance(scenario, dict):
        scenario, overlay = None, scenario
    tree = get_params(http_scenario(scenario))
    return tree.with_overlay(overlay)


#: A ``scenario`` query parameter whose schema states the name rule (the fuzz and clients see
#: it); the route still calls :func:`http_scenario`/:func:`http_params` on the value.
SCENARIO_QUERY = Query(
    None,
    description="Shipped scenario name (GET /api/v1/scenarios lists them; default: actual).",
    pattern=SCENARIO_NAME_PATTERN,
    max_length=64,
)
