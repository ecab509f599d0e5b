"""Path parameters, dependencies and the Idempotency-Key header shared by the library routes."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Depends, Header, Path
from pydantic import Field

from tiro.api.deps import get_session, require_role
from tiro.core.models import User
from tiro.manufacturing.library import idempotency
from tiro.manufacturing.library.tables import (
    CONTRACT_STATES,
    LIBRARY_ROLES,
    REQUEST_STATES,
    SENSITIVITIES,
)
from tiro.manufacturing.quality import datasets

PREFIX = "/api/v1/manufacturing/library"
TAG = "manufacturing: data library"
"""Each mechanism's router carries the prefix and tag itself, so its routes' paths are the
published ones (tests walk ``app.routes`` into included routers and compare them)."""
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


def keyed(user: User, key: str | None, route: str, payload: dict[str, Any]) -> Any:
    """The library step inside answers once per (user, key) — see the package docstring."""
    return idempotency.keyed(actor=user.name, key=key, route=route, payload=payload)
