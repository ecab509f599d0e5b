"""The FastAPI application: core routes, every domain router found, and the dashboard."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from tiro import __version__
from tiro.api import problems, routers
from tiro.api.body_limit import BodyLimit, limits_on
from tiro.core.db import get_engine
from tiro.web import apidocs
from tiro.web.pages import WEB_DIR, install_error_pages
from tiro.web.pages import router as pages_router

MATCH_FIRST = ("tariff",)
"""Routers tried first. A request is matched against the included routers in turn, every route
of each (FastAPI 0.165), so a route late in the list pays for the ones before it: ~0.25 ms per
request, a third of the CPU of a cached tariff quote, the route with a latency target (issue 11
item 5; bench/results/tariff_quote_latency.md). Prefixes do not overlap, so order changes only
the time to match and the order of the OpenAPI paths."""


def _match_order(module: pkgutil.ModuleInfo) -> tuple[bool, str]:
    return module.name not in MATCH_FIRST, module.name


def create_app(database_url: str | None = None) -> FastAPI:
    """Build the app on a database URL (default: the configured one)."""
    app = FastAPI(
        title="tiro API",
        version=__version__,
        description="산업·통상·자원 정책 엔진 — tariffs, petrochemicals, energy, trade, "
        "manufacturing. Errors are RFC 9457 problem+json.",
        docs_url=None,  # /docs and /redoc come from tiro.web.apidocs, without a CDN
        redoc_url=None,
    )
    app.state.engine = get_engine(database_url)
    problems.install(app)
    # Every body is counted as it streams: 413 past api.max_request_body (uploads have their own).
    app.add_middleware(BodyLimit, limits=limits_on(dt.date.today()))
    install_error_pages(app)  # a browser sees the same problem as a page
    for info in sorted(pkgutil.iter_modules(routers.__path__), key=_match_order):
        module = importlib.import_module(f"{routers.__name__}.{info.name}")
        app.include_router(module.router)
    app.include_router(apidocs.router)
    app.include_router(pages_router)  # before the mount: it serves /static/vendor/plotly.min.js
    app.mount(apidocs.ASSETS_URL, apidocs.assets(), name="apidocs")
    app.mount("/static", StaticFiles(directory=str(WEB_DIR / "static")), name="static")
    return app
