"""The tariff calculator page in headless Chromium: quote, legal basis, timeline, deal impact."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser
SLOW = 120_000  # ms: a shared 2-core machine; the first quote loads the measure tables


def test_calculator_quotes_and_charts(page):
    page.goto("/tariff")
    page.wait_for_function(
        "document.querySelectorAll('#quote-lines tbody tr').length > 0", timeout=SLOW
    )
    assert "9903.94.61" in page.locator("#quote-lines").inner_text()
    assert "15.00%" in page.locator("#quote-summary").inner_text()
    page.wait_for_selector("#timeline-chart .main-svg", timeout=SLOW)
    measures = page.locator("#measures-table").inner_text()
    assert "9903.94.01" in measures and "9903.94.61" in measures
    page.fill("input[name=hts]", "7308.90.60.00")
    page.fill("input[name=entry_date]", "2025-06-04")
    page.fill("input[name=metal_share]", "0.6")
    page.fill("input[name=customs_value]", "10000")
    page.click("#quote-form button[type=submit]")
    page.wait_for_function(
        "document.getElementById('quote-summary').textContent.includes('3,400')", timeout=SLOW
    )
    assert page.js_errors == []


def test_declared_facts_reach_the_quote(page):
    """A non-EV lithium-ion battery is an auto part only by use: without the fact the page shows
    what is needed; declared a vehicle part, the Korean parts heading prices it (15% all-in)."""
    page.goto("/tariff")
    page.wait_for_function(
        "document.querySelectorAll('#quote-lines tbody tr').length > 0", timeout=SLOW
    )
    page.fill("input[name=hts]", "8507.60.00.20")
    page.fill("input[name=customs_value]", "10000")
    page.click("#quote-form button[type=submit]")
    page.wait_for_function(
        "document.getElementById('quote-needs').textContent.includes('vehicle_part')", timeout=SLOW
    )
    page.click("#quote-facts summary")
    page.select_option("select[name=fact_vehicle_part]", "true")
    page.click("#quote-form button[type=submit]")
    page.wait_for_function(
        "document.getElementById('quote-summary').textContent.includes('1,500')", timeout=SLOW
    )
    assert "9903.94.63" in page.locator("#quote-lines").inner_text()
    assert page.js_errors == []


def test_uas_certification_is_asked_then_priced(page):
    """A Korean drone from 2026-09-03 (Procl. 11055): the page asks for the components
    certification; declared, the Korea heading 9903.08.24 prices it at 15% all-in."""
    page.goto("/tariff")
    page.wait_for_function(
        "document.querySelectorAll('#quote-lines tbody tr').length > 0", timeout=SLOW
    )
    page.fill("input[name=hts]", "8806.92.00")
    page.fill("input[name=entry_date]", "2026-09-03")
    page.fill("input[name=customs_value]", "10000")
    page.click("#quote-form button[type=submit]")
    page.wait_for_function(
        "document.getElementById('quote-needs').textContent.includes('uas_allied_components')",
        timeout=SLOW,
    )
    page.click("#quote-facts summary")
    page.select_option("select[name=fact_uas_allied_components]", "true")
    page.click("#quote-form button[type=submit]")
    page.wait_for_function(
        "document.getElementById('quote-summary').textContent.includes('1,500')", timeout=SLOW
    )
    assert "9903.08.24" in page.locator("#quote-lines").inner_text()
    assert page.js_errors == []


def test_bad_input_shows_the_field(page):
    page.goto("/tariff")
    page.wait_for_function(
        "document.querySelectorAll('#quote-lines tbody tr').length > 0", timeout=SLOW
    )
    page.fill("input[name=origin]", "XX")
    page.click("#quote-form button[type=submit]")
    page.wait_for_function(
        "document.getElementById('quote-error').textContent.startsWith('origin:')"
    )


def test_deal_impact_table(page):
    page.goto("/tariff")
    page.click("#compare-run")
    page.wait_for_function(
        "document.getElementById('compare-summary').textContent.includes('deal saving')"
    )
    assert page.locator("#compare-table tbody tr").count() >= 9


def test_batch_upload_prices_the_file_and_lists_bad_rows(page):
    csv = (
        "hts,origin,entry_date,customs_value,metal_share\n"
        "3304.10.00.00,KR,2025-12-01,1000,\n"
        "7308.90.60.00,KR,2025-06-04,10000,0.6\n"
        "8703.23.01,KR,2024-01-01,1,\n"
    )
    page.goto("/tariff")
    page.set_input_files(
        "#batch-form input[name=file]",
        files=[{"name": "lines.csv", "mimeType": "text/csv", "buffer": csv.encode()}],
    )
    page.click("#batch-form button[type=submit]")
    page.wait_for_function(
        "document.querySelectorAll('#batch-errors tbody tr').length > 0", timeout=SLOW
    )
    summary = page.locator("#batch-summary").inner_text()
    assert "rows 3" in summary and "priced 2" in summary and "errors 1" in summary
    errors = page.locator("#batch-errors").inner_text()
    assert "entry_date" in errors and "before the data" in errors
    assert page.locator("#batch-downloads a").count() == 3
    assert page.js_errors == []


def test_quote_shows_labels_and_what_is_not_modelled(page):
    """Issue 9 items 22 and 25: programme labels, not internal codes; a Chinese car's total is
    marked a floor with the programmes tiro does not model for China."""
    page.goto("/tariff")
    page.wait_for_function(
        "document.querySelectorAll('#quote-lines tbody tr').length > 0", timeout=SLOW
    )
    lines = page.locator("#quote-lines").inner_text()
    assert "Korea deal — vehicles 15% all-in" in lines and "kr_autos" not in lines
    page.fill("input[name=hts]", "8703.80.00")
    page.fill("input[name=origin]", "CN")
    page.fill("input[name=entry_date]", "2025-12-01")
    page.click("#quote-form button[type=submit]")
    page.wait_for_function(
        "document.getElementById('quote-summary').textContent.includes('not modelled for CN')",
        timeout=SLOW,
    )
    assert "Section 301 China" in page.locator("#quote-summary").inner_text()
    assert page.js_errors == []
