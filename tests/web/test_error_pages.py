"""One error scheme for pages and API routes (issue 10 item 7).

An unknown page and an unknown API route are the same problem — ``urn:tiro:error:NotFound``,
title "Not found", a detail naming what was asked for. A browser navigating to a page sees
that problem rendered as a page with the same status; any other caller, and every
``/api/`` path, gets the problem+json.
"""

from __future__ import annotations

import pytest

HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize(
    ("path", "detail"),
    [("/nope", "no page 'nope'"), ("/api/v1/nope", "no route GET /api/v1/nope"),
     ("/tariff/nope", "no route GET /tariff/nope")],
)  # fmt: skip
def test_unknown_page_and_route_are_one_problem(api_client, path, detail):
    r = api_client.get(path)
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert (body["type"], body["title"], body["detail"]) == (
        "urn:tiro:error:NotFound",
        "Not found",
        detail,
    )


def test_other_framework_problems_are_titled_by_kind(api_client):
    r = api_client.delete("/api/v1/health")
    assert r.status_code == 405
    assert r.json()["type"] == "urn:tiro:error:MethodNotAllowed"
    assert r.json()["title"] == "Method Not Allowed"


def test_browser_gets_the_problem_as_a_page(api_client):
    for path in ("/nope", "/tariff/nope"):
        r = api_client.get(path, headers={"accept": HTML})
        assert r.status_code == 404
        assert r.headers["content-type"].startswith("text/html")
        assert 'data-type="urn:tiro:error:NotFound"' in r.text
        assert "찾을 수 없음" in r.text
    api = api_client.get("/api/v1/nope", headers={"accept": HTML})
    assert api.headers["content-type"] == "application/problem+json"


@pytest.mark.browser
def test_unknown_page_in_the_browser(page):
    response = page.goto("/nope")
    assert response.status == 404
    assert page.locator("#problem-type").inner_text() == "urn:tiro:error:NotFound"
    assert page.locator("#problem-detail").inner_text() == "no page 'nope'"
    page.click("text=상황판")
    page.wait_for_url("**/")
    assert page.js_errors == []
