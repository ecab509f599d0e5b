"""The manufacturing dashboard page in a real browser: every panel fills from the API."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_page_renders_every_panel(page):
    page.goto("/manufacturing")
    page.wait_for_selector("#mx-counts .card")
    page.wait_for_selector("#mx-facts tbody tr")
    page.wait_for_selector("#mx-models tbody tr:nth-child(2)", timeout=30000)
    page.wait_for_selector("#mx-rules tbody tr:nth-child(3)", timeout=30000)
    page.wait_for_selector("#mx-effects .main-svg")
    assert page.locator("#mx-counts .card").count() == 5
    assert "✗" not in page.locator("#mx-facts tbody").inner_text()
    models = page.locator("#mx-models tbody").inner_text()
    assert "champion" in models and "α 134,651" in models
    assert page.locator("#mx-rules tbody tr").count() == 3
    for error in ("mx-counts-error", "mx-effects-error", "mx-facts-error", "mx-models-error",
                  "mx-rules-error"):  # fmt: skip
        assert page.locator(f"#{error}").inner_text() == ""
    assert page.js_errors == []
