"""The tiro app plus one route that only validates a quote body (a floor for the quote bench).

Not shipped: ``bench/tariff_quote_latency.py --route validate`` serves ``create`` with uvicorn
so the HTTP stack, the app's exception handlers and the pydantic model of ``POST
/api/v1/tariff/quote`` are measured without pricing anything.
"""

from __future__ import annotations

from fastapi import FastAPI

from tiro.api.app import create_app
from tiro.tariff.schemas import QuoteRequest


def create() -> FastAPI:
    """``create_app()`` with ``POST /bench/validate`` (sync, as the quote route is) and
    ``POST /bench/validate-async`` (an ``async def`` route: no thread-pool hop)."""
    app = create_app()

    @app.post("/bench/validate")
    def validate(body: QuoteRequest) -> dict[str, object]:
        return {"hts": body.hts, "ok": True}

    @app.post("/bench/validate-async")
    async def validate_async(body: QuoteRequest) -> dict[str, object]:
        return {"hts": body.hts, "ok": True}

    return app
