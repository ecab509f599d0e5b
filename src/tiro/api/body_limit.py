"""One size limit for every HTTP request body, counted as it streams in.

Before this, a JSON body of any size was read whole (FastAPI reads a body before the route
runs), so one absurd POST could take the server's memory for every domain (T-BREAK). This is
a pure ASGI middleware, so it sees the body before any framework code buffers it:

- a declared ``Content-Length`` past the limit is refused before a byte is read;
- otherwise each ``http.request`` message is counted, and the moment the total passes the
  limit the app's read fails and the answer is a 413 problem+json naming ``body`` — so a
  refused body costs at most the limit in memory, whatever its size.

The limits are the dated parameter ``api.max_request_body``: ``default`` for every route, and
an explicit larger one for the routes that take uploads (``ROUTE_CLASSES``). A route may
still keep a stricter cap of its own (energy station prices, 8 MB) with :func:`read_capped`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any

from starlette.requests import Request

from tiro.core.errors import PayloadTooLarge

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

PARAMETER = "api.max_request_body"
#: (method, exact path) -> the breakdown key of ``api.max_request_body`` it takes.
ROUTE_CLASSES: dict[tuple[str, str], str] = {
    ("POST", "/api/v1/energy/allocate"): "energy_allocate",
    ("POST", "/api/v1/trade/shares"): "trade_upload",
    ("POST", "/api/v1/trade/concentration"): "trade_upload",
    ("POST", "/api/v1/trade/complexity"): "trade_upload",
    ("POST", "/api/v1/trade/import"): "trade_upload",
    ("POST", "/api/v1/manufacturing/library/assets/upload"): "library_upload",
    ("POST", "/api/v1/tariff/batch"): "tariff_batch",
}
PROBLEM = b"application/problem+json"


def limits_on(day: dt.date) -> dict[str, int]:
    """The limits in force on ``day``, by route class (``default`` and the upload routes)."""
    from tiro.core.parameters import get_params

    return {key: int(value) for key, value in get_params().at(PARAMETER, day).items()}


def too_large(limit: int, declared: int | None = None) -> PayloadTooLarge:
    """The one refusal: the field is the body, the reason says by how much."""
    if declared is not None:
        return PayloadTooLarge(f"the body is {declared:,} bytes; at most {limit:,}", field="body")
    return PayloadTooLarge(f"the body passes {limit:,} bytes", field="body")


async def read_capped(request: Request, limit: int) -> bytes:
    """The body of a route with a cap stricter than the app's, refused (413) past ``limit``."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large(limit, int(declared))
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


class _BodyTooLarge(Exception):
    """Raised inside the app's ``receive`` when the body passes its limit."""


class BodyLimit:
    """ASGI middleware: refuse (413) a request body past its route's limit, as it streams."""

    def __init__(self, app: ASGIApp, *, limits: Mapping[str, int]) -> None:
        self.app = app
        self.default = int(limits["default"])
        self.routes = {route: int(limits[key]) for route, key in ROUTE_CLASSES.items()}

    def limit_for(self, method: str, path: str) -> int:
        """The byte limit of one request (the route's own class, or ``default``)."""
        return self.routes.get((method, path.rstrip("/") or "/"), self.default)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["method"], scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _answer(send, too_large(limit, declared))
            return
        state = {"received": 0, "over": False, "started": False}

        async def counted() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
                if state["received"] > limit:
                    state["over"] = True
                    raise _BodyTooLarge
            return message

        async def guarded(message: Message) -> None:
            # Whatever the app makes of the failed read (FastAPI turns it into a 400), the
            # client is told the truth: 413, the body is too large.
            if state["over"]:
                return
            if message["type"] == "http.response.start":
                state["started"] = True
            await send(message)

        with contextlib.suppress(_BodyTooLarge):
            await self.app(scope, counted, guarded)
        if state["over"] and not state["started"]:
            await _answer(send, too_large(limit))


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() else None
    return None


async def _answer(send: Send, error: PayloadTooLarge) -> None:
    import json

    body = json.dumps(error.problem()).encode()
    headers = [
        (b"content-type", PROBLEM),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),  # the rest of the body is not read
    ]
    await send({"type": "http.response.start", "status": error.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
