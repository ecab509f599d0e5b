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

One module per mechanism — ``members``, ``assets`` (assets and their policies),
``contracts``, ``requests`` (compute requests) and ``audit`` — each with its own router,
included here in that order (the order of the OpenAPI paths); the shared path parameters,
dependencies, the prefix and tag and the Idempotency-Key header are in ``common``.
"""

from __future__ import annotations

from fastapi import APIRouter

from tiro.api.routers.manufacturing_library import assets, audit, contracts, members, requests

router = APIRouter()
for _mechanism in (members, assets, contracts, requests, audit):
    router.include_router(_mechanism.router)
