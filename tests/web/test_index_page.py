"""The landing page in a real browser (Debian's Chromium through Playwright)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_index_lists_domains_and_reports_health(page):
    page.goto("/")
    page.wait_for_function("document.getElementById('health-status').textContent === 'ok'")
    items = page.locator("#domain-list li")
    assert items.count() == 6  # pages.DOMAINS, invest added
    assert "관세" in page.locator("li[data-domain=tariff]").inner_text()
    assert page.js_errors == []


def test_language_toggle_hides_english(page):
    page.goto("/")
    english = page.locator("#domain-list li[data-domain=energy] .en").first
    assert english.is_visible()
    page.click("#lang-toggle")
    assert not english.is_visible()
