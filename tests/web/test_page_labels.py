"""Small things a reader of the pages noticed (issue 10 item 7), checked in the browser.

- The trade page's share table and its note used to say 35.7% and 35.8% with nothing to
  tell them apart: shares are now computed and rounded by one rule (half-up, one decimal,
  on the unrounded share) and the report's printed figure stands in its own column.
- Release stages (vintages) were named in Korean only.
- The energy page's procurement chart cut its x-axis labels.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def trade_page(page):
    page.goto("/trade")
    page.wait_for_function("document.body.dataset.tradeReady === '1'", timeout=30_000)
    return page


def test_share_table_states_one_rounding_rule_and_the_reports_figure(trade_page):
    # MOTIE provisional 2025: US 122.9 + China 130.8 of 709.7 bn = 35.747% -> 35.7%;
    # 2024: (127.8 + 133.0) / 683.8 = 38.140% -> 38.1%. The report prints 38.1 -> 35.8.
    assert round((122.9 + 130.8) / 709.7 * 100, 3) == 35.747
    cells = trade_page.locator("#trade-diversification tr[data-key=us_china] td").all_inner_texts()
    assert cells[1:3] == ["38.1%", "35.7%"]
    assert cells[4].split() == ["38.1%", "→", "35.8%"]
    asean = trade_page.locator(
        "#trade-diversification tr[data-key=diversification_markets] td"
    ).all_inner_texts()
    assert asean[1:3] == ["22.6%", "23.6%"] and asean[4].split() == ["22.6%", "→", "23.6%"]
    note = trade_page.locator("#trade-share-note").inner_text()
    assert "35.747% → 35.7%" in note and "35.8%" in note and "up to 35.76%" in note
    assert trade_page.js_errors == []


def test_vintages_are_named_in_english_too(trade_page):
    rows = trade_page.locator("#trade-balance tbody tr").all_inner_texts()
    assert rows
    for row in rows:
        assert ("잠정 provisional" in row) or ("확정 confirmed" in row) or ("속보 flash" in row)
    assert "provisional" in trade_page.locator("[data-kpi=balance] .sub").inner_text()


def test_procurement_chart_labels_are_whole_and_inside(page):
    page.goto("/energy")
    page.wait_for_function(
        "document.querySelectorAll('#procurement-chart .xtick text').length === 3"
    )
    # Other sections keep loading (the stations plane pages through /stations) and move the
    # chart down the page; measure the chart and its labels in one synchronous read.
    page.wait_for_load_state("networkidle")
    box, ticks = page.evaluate(
        """() => {
            const rect = (e) => { const r = e.getBoundingClientRect();
                return {x: r.x, y: r.y, width: r.width, height: r.height, text: e.textContent}; };
            const svg = document.querySelector('#procurement-chart .main-svg');
            const ticks = [...document.querySelectorAll('#procurement-chart .xtick text')];
            return [rect(svg), ticks.map(rect)];
        }"""
    )
    texts = " ".join(t["text"] or "" for t in ticks)
    for name in ("UAE", "Kazakhstan", "Saudi Arabia", "Oman", "(bbl)", "(t)"):
        assert name in texts
    for tick in ticks:
        assert tick["x"] >= box["x"] and tick["x"] + tick["width"] <= box["x"] + box["width"]
        assert tick["y"] + tick["height"] <= box["y"] + box["height"]


def test_compare_explains_the_unpriced_residual(page):
    # KITA: USD 127,791 mn of exports to the US in 2024 less the itemised rows = 33,252 mn
    page.goto("/tariff")
    page.click("#compare-run")
    page.wait_for_function(
        "document.getElementById('compare-summary').textContent.includes('residual')"
    )
    summary = page.locator("#compare-summary").inner_text()
    assert "unpriced residual USD 33,252 mn (기타 (잔여) Other (residual))" in summary
    assert "no single HTS line" in summary and "priced USD 94,539 mn only" in summary
    assert page.locator("#compare-table thead th").first.inner_text().startswith("품목")
    assert page.js_errors == []
