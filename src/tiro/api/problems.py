"""RFC 9457 problem+json for every error the API returns."""

from __future__ import annotations

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, IntegrityError, OperationalError, ProgrammingError
from starlette.exceptions import HTTPException

from tiro.core.db import integrity_problem, missing_table_problem
from tiro.core.errors import TiroError

PROBLEM = "application/problem+json"
logger = logging.getLogger("tiro.api")


#: One error scheme for every problem, whether tiro raised it or the framework did.
_TYPES = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    409: "Conflict",
    413: "PayloadTooLarge",
    415: "UnsupportedMediaType",
    422: "InvalidInput",
    500: "InternalError",
}


def _problem(
    status: int, title: str, detail: str, field: str | None = None, **extra
) -> JSONResponse:
    kind = _TYPES.get(status, f"HTTP{status}")
    body = {"type": f"urn:tiro:error:{kind}", "title": title, "status": status, "detail": detail}
    if field:
        body["field"] = field
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def install(app: FastAPI) -> None:
    """Register the handlers that turn exceptions into problem documents."""

    @app.exception_handler(TiroError)
    async def tiro_error(_: Request, exc: TiroError) -> JSONResponse:
        body = exc.problem()
        return JSONResponse(body, status_code=exc.status, media_type=PROBLEM)

    @app.exception_handler(DataError)
    @app.exception_handler(IntegrityError)
    async def integrity_error(_: Request, exc: IntegrityError | DataError) -> JSONResponse:
        # A CHECK/UNIQUE/FK violation no service anticipated: 422 or 409, never a 500.
        error = integrity_problem(exc)
        return JSONResponse(error.problem(), status_code=error.status, media_type=PROBLEM)

    @app.exception_handler(OperationalError)
    @app.exception_handler(ProgrammingError)
    async def database_error(_: Request, exc: OperationalError | ProgrammingError) -> JSONResponse:
        error = missing_table_problem(exc)
        if error is None:
            logger.exception("database error")
            return _problem(500, "Internal error", f"unexpected {type(exc).__name__}")
        return JSONResponse(error.problem(), status_code=error.status, media_type=PROBLEM)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
        field = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path"))
        return _problem(
            422,
            "Invalid input",
            f"{field or 'request'}: {first.get('msg')}",
            field or None,
            errors=[{"loc": list(e.get("loc", ())), "msg": e.get("msg")} for e in errors],
        )

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        # Titled like tiro's own problem of the same kind ("Not found"), and a route that
        # does not exist says which, as an unknown page does ("no page 'x'").
        name = _TYPES.get(exc.status_code)
        kind = next((c for c in TiroError.__subclasses__() if c.__name__ == name), None)
        title = kind.title if kind else HTTPStatus(exc.status_code).phrase
        detail = str(exc.detail)
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"no route {request.method} {request.url.path}"
        return _problem(exc.status_code, title, detail)

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        # Still a 500 (the fuzz test fails on it), but a problem document without a
        # traceback or a server path, so nothing internal leaks to the caller.
        logger.exception("unhandled error")
        return _problem(500, "Internal error", f"unexpected {type(exc).__name__}")
