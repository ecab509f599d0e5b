"""/docs and /redoc work with no internet: every asset comes from this server.

The browser context aborts every request that does not go to the live server, as a
machine without network would; the pages must still list the API's routes.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

REDOCLY_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


@pytest.fixture
def offline_page(browser, live_server: str):
    """A page whose requests to any host but the live server are aborted (and recorded)."""
    context = browser.new_context(base_url=live_server)
    local = urlsplit(live_server).netloc
    blocked: list[str] = []

    def route(r):
        if urlsplit(r.request.url).netloc == local:
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.blocked, pg.js_errors = blocked, errors
    yield pg
    context.close()


def test_swagger_ui_lists_routes_offline(offline_page, api_client):
    paths = set(api_client.get("/openapi.json").json()["paths"])
    offline_page.goto("/docs")
    offline_page.wait_for_selector(".opblock-summary-path", timeout=15_000)
    shown = {
        p.get_attribute("data-path")
        for p in offline_page.locator(".opblock-summary-path").element_handles()
    }
    # every documented route is listed, e.g. the health check and the tariff quote
    assert "/api/v1/health" in shown
    assert "/api/v1/tariff/quote" in paths and "/api/v1/tariff/quote" in shown
    assert shown == paths
    assert offline_page.blocked == []
    assert offline_page.js_errors == []


def test_redoc_lists_routes_offline(offline_page):
    offline_page.goto("/redoc")
    offline_page.wait_for_selector("redoc [data-section-id]", timeout=20_000, state="attached")
    text = offline_page.locator("redoc").inner_text()
    assert "/api/v1/health" in text
    assert "/api/v1/tariff/quote" in text
    # ReDoc's bundle itself only asks for its maker's logo, an <img> that hides itself
    # when it does not load; nothing the page needs comes from elsewhere.
    assert set(offline_page.blocked) <= {REDOCLY_LOGO}
    assert offline_page.js_errors == []


def test_docs_pages_reference_no_other_host(api_client):
    for url in ("/docs", "/redoc"):
        html = api_client.get(url).text
        assert "cdn.jsdelivr" not in html and "fonts.googleapis" not in html
        assert "/static/apidocs/" in html
    js = api_client.get("/static/apidocs/swagger-ui-bundle.js")
    assert js.status_code == 200 and "SwaggerUIBundle" in js.text
    assert api_client.get("/static/apidocs/redoc.standalone.js").status_code == 200
