"""Dashboard pages: server-rendered shells whose charts load the API client side."""

from __future__ import annotations

from pathlib import Path

import plotly
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.templating import Jinja2Templates

from tiro import __version__
from tiro.core.errors import NotFound

WEB_DIR = Path(__file__).resolve().parent
TEMPLATES = Jinja2Templates(directory=str(WEB_DIR / "templates"))
PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"

DOMAINS = [
    {"slug": "tariff", "ko": "관세", "en": "US tariffs", "section": "1"},
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
