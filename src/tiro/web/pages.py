"""Dashboard pages: server-rendered shells whose charts load the API client side."""

from __future__ import annotations

import json
from pathlib import Path

import plotly
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from tiro import __version__
from tiro.core.errors import NotFound, TiroError

WEB_DIR = Path(__file__).resolve().parent
TEMPLATES = Jinja2Templates(directory=str(WEB_DIR / "templates"))
PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"

DOMAINS = [
    {"slug": "tariff", "ko": "관세", "en": "US tariffs", "section": "1"},
    {"slug": "invest", "ko": "대미 투자", "en": "US investment MOU", "section": "1"},
    {"slug": "petrochem", "ko": "석유화학", "en": "Petrochemicals", "section": "2"},
    {"slug": "energy", "ko": "에너지 위기", "en": "Energy crisis room", "section": "3"},
    {"slug": "trade", "ko": "수출·투자", "en": "Exports & FDI", "section": "4"},
    {"slug": "manufacturing", "ko": "제조 AX", "en": "Manufacturing AI", "section": "5"},
]

router = APIRouter(include_in_schema=False)


def page_exists(slug: str) -> bool:
    """A domain's page exists once its template does."""
    return (WEB_DIR / "templates" / f"{slug}.html").exists()


def _domains() -> list[dict]:
    return [dict(d, ready=page_exists(d["slug"])) for d in DOMAINS]


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    """The landing page lists the domains and which pages are live."""
    return TEMPLATES.TemplateResponse(
        request, "index.html", {"domains": _domains(), "version": __version__}
    )


@router.get("/static/vendor/plotly.min.js")
def plotly_js() -> FileResponse:
    """Plotly is served from the installed package: no CDN, the machine has no network."""
    return FileResponse(PLOTLY_JS, media_type="application/javascript")


@router.get("/{slug}", response_class=HTMLResponse)
def domain_page(request: Request, slug: str) -> HTMLResponse:
    """A domain's page, rendered from ``templates/<slug>.html``."""
    if slug not in {d["slug"] for d in DOMAINS} or not page_exists(slug):
        raise NotFound(f"no page {slug!r}", field="page")
    return TEMPLATES.TemplateResponse(
        request, f"{slug}.html", {"domains": _domains(), "version": __version__, "slug": slug}
    )


#: Korean titles of the problems a page can meet (the English title is the problem's own).
_KO_TITLES = {400: "잘못된 요청", 401: "인증 필요", 403: "권한 없음", 404: "찾을 수 없음",
              405: "허용되지 않는 메서드", 409: "충돌", 422: "잘못된 입력", 500: "내부 오류"}  # fmt: skip


def _wants_html(request: Request) -> bool:
    """A browser navigating to a page, not a script or client asking the API."""
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get(
        "accept", ""
    )


def install_error_pages(app: FastAPI) -> None:
    """Show a problem to a browser as a page, in the API's own error scheme.

    The API's handlers (:mod:`tiro.api.problems`) stay the only source of the problem: a
    browser asking for a page gets that same document (``urn:tiro:error:<Kind>``, status,
    title, detail) rendered as HTML with the same status; every other caller, and every
    ``/api/`` path, gets the problem+json unchanged. Call after ``problems.install``.
    """
    for exc_class in (StarletteHTTPException, TiroError):
        api_handler = app.exception_handlers[exc_class]

        async def handler(request: Request, exc: Exception, api_handler=api_handler) -> Response:
            response = await api_handler(request, exc)
            if not _wants_html(request):
                return response
            problem = json.loads(bytes(response.body))
            return TEMPLATES.TemplateResponse(
                request,
                "error.html",
                {"problem": problem, "ko_title": _KO_TITLES.get(problem["status"], "오류"),
                 "domains": _domains(), "version": __version__, "slug": None},
                status_code=response.status_code,
            )  # fmt: skip

        app.exception_handlers[exc_class] = handler
