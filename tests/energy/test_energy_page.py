"""The crisis-room page in headless Chromium: every panel loads from the API without errors."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_crisis_room_panels_load(page):
    page.goto("/energy")
    page.wait_for_function("document.querySelectorAll('#scenario-thresholds tbody tr').length >= 1")
    page.wait_for_function("document.querySelectorAll('#alloc-tiers tbody tr').length === 4")
    page.wait_for_function("document.querySelector('#alert-levels .alert-level') !== null")
    page.wait_for_function("document.querySelectorAll('#scenario-alerts tbody tr').length === 2")
    # shipped example: tier 3 (core industry) gets 1,900 of 2,700 t
    tier3 = page.locator("#alloc-tiers tbody tr").nth(2).inner_text()
    assert "1,900" in tier3 and "70.4%" in tier3
    assert page.locator("#stock-gauge .main-svg").count() >= 1
    assert "195.3" in page.locator("#stock-published").inner_text()
    assert page.locator("#swap-sites tbody tr").count() >= 1
    assert page.js_errors == []


def test_stock_form_and_scenario_rerun(page):
    page.goto("/energy")
    page.wait_for_function("document.querySelectorAll('#scenario-thresholds tbody tr').length >= 1")
    page.fill("#stock-form input[name=product_stocks_kt]", "-1")
    page.click("#stock-form button")
    page.wait_for_function("document.getElementById('stock-error').textContent.length > 0")
    assert "product_stocks_kt" in page.locator("#stock-error").inner_text()
    page.fill("#stock-form input[name=product_stocks_kt]", "8000")
    page.click("#stock-form button")
    # (15,000 x 0.96 + 8,000 x 1.065) x 0.9 x 365 / (45,000 x 0.96 - 3,500 x 1.065) = 190.7 days
    page.wait_for_function("document.querySelectorAll('#stock-result tr').length === 4")
    assert "190.7" in page.locator("#stock-result").inner_text()
    before = page.locator("#scenario-summary").inner_text()
    page.fill("#scenario-form input[name=share]", "0.9")
    page.click("#scenario-form button")
    page.wait_for_function(f"document.getElementById('scenario-summary').innerText !== {before!r}")
    assert page.js_errors == []
