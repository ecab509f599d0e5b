"""The invest page in headless Chromium: pipeline, a waterfall and cap utilisation load."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_invest_page_panels_load(page):
    page.goto("/invest")
    page.wait_for_function("document.querySelectorAll('#iv-projects tbody tr').length >= 12")
    page.wait_for_function("document.querySelectorAll('#iv-by-year tbody tr').length >= 1")
    page.wait_for_function("document.getElementById('iv-verdict').textContent.length > 0")
    assert page.locator("#iv-pipeline .main-svg").count() >= 1
    assert page.locator("#iv-waterfall .main-svg").count() >= 1
    assert page.locator("#iv-cap .main-svg").count() >= 1
    assert "sample" in page.locator("#iv-projects").inner_text()
    # seeded sample: 2027-2029 are filled to the USD 20bn cap
    rows = page.locator("#iv-by-year tbody tr").all_inner_texts()
    assert any(r.startswith("2027") and "100.0%" in r for r in rows)
    assert page.locator("#iv-pipeline-error").inner_text() == ""
    assert page.locator("#iv-cap-error").inner_text() == ""
    assert page.js_errors == []
