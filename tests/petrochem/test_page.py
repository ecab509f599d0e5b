"""The petrochem dashboard page in a real browser: charts and tables fill from the API."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_page_renders_every_panel(page):
    page.goto("/petrochem")
    page.wait_for_selector("#pc-projects tbody tr")
    page.wait_for_selector("#pc-optimize tbody tr:nth-child(2)", timeout=30000)
    assert page.locator("#pc-projects tbody tr").count() == 5
    for chart in ("pc-capacity", "pc-cost", "pc-target-chart"):
        page.wait_for_selector(f"#{chart} .main-svg")
    rows = page.locator("#pc-optimize tbody tr").all_inner_texts()
    assert "optimal" in rows[0] and "lotte_daesan (suspend)" in rows[0]
    for error in ("pc-target-error", "pc-capacity-error", "pc-projects-error", "pc-cost-error"):
        assert page.locator(f"#{error}").inner_text() == ""
    assert page.js_errors == []
