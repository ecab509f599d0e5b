"""The FastAPI application: core routes, every domain router found, and the dashboard."""

from __future__ import annotations

import importlib
import pkgutil

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from tiro import __version__
from tiro.api import problems, routers
from tiro.core.db import get_engine
from tiro.web import apidocs
from tiro.web.pages import WEB_DIR, install_error_pages
from tiro.web.pages import router as pages_router


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
    install_error_pages(app)  # a browser sees the same problem as a page
    for info in sorted(pkgutil.iter_modules(routers.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{routers.__name__}.{info.name}")
        app.include_router(module.router)
    app.include_router(apidocs.router)
    app.include_router(pages_router)  # before the mount: it serves /static/vendor/plotly.min.js
    app.mount(apidocs.ASSETS_URL, apidocs.assets(), name="apidocs")
    app.mount("/static", StaticFiles(directory=str(WEB_DIR / "static")), name="static")
    return app
