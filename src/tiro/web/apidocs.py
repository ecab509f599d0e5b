"""The API's own documentation pages (/docs, /redoc) with no CDN.

FastAPI's default pages load Swagger UI and ReDoc from a CDN, so on a machine without
internet /docs is blank. The same assets ship inside the ``fastapi-offline`` wheel
(Swagger UI 5, ReDoc 2); they are served from the installed package the way the
dashboard serves Plotly, and the pages are FastAPI's own HTML pointed at them.
"""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

#: Swagger UI and ReDoc bundles as installed with the package.
ASSETS_DIR = Path(fastapi_offline.__file__).resolve().parent / "static"
#: Where the bundles are served; mounted before ``/static`` so it wins the match.
ASSETS_URL = "/static/apidocs"
OAUTH2_REDIRECT_URL = "/docs/oauth2-redirect"

router = APIRouter(include_in_schema=False)


def assets() -> StaticFiles:
    """The static app serving the bundled Swagger UI and ReDoc files."""
    return StaticFiles(directory=str(ASSETS_DIR))


def _root(request: Request) -> str:
    return str(request.scope.get("root_path", ""))


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI on the app's OpenAPI document, every asset from this server."""
    root = _root(request)
    return get_swagger_ui_html(
        openapi_url=f"{root}{request.app.openapi_url}",
        title=f"{request.app.title} — Swagger UI",
        oauth2_redirect_url=OAUTH2_REDIRECT_URL,  # the page prefixes the origin itself
        swagger_js_url=f"{root}{ASSETS_URL}/swagger-ui-bundle.js",
        swagger_css_url=f"{root}{ASSETS_URL}/swagger-ui.css",
        swagger_favicon_url=f"{root}{ASSETS_URL}/favicon.png",
        swagger_ui_parameters=request.app.swagger_ui_parameters,
    )


@router.get(OAUTH2_REDIRECT_URL, response_class=HTMLResponse)
def swagger_ui_redirect() -> HTMLResponse:
    """The OAuth2 redirect page Swagger UI's "Authorize" dialog returns to."""
    return get_swagger_ui_oauth2_redirect_html()


@router.get("/redoc", response_class=HTMLResponse)
def redoc(request: Request) -> HTMLResponse:
    """ReDoc on the same document, without Google Fonts (no network)."""
    root = _root(request)
    return get_redoc_html(
        openapi_url=f"{root}{request.app.openapi_url}",
        title=f"{request.app.title} — ReDoc",
        redoc_js_url=f"{root}{ASSETS_URL}/redoc.standalone.js",
        redoc_favicon_url=f"{root}{ASSETS_URL}/favicon.png",
        with_google_fonts=False,
    )
