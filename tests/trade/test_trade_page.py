"""The trade dashboard in headless Chromium: every chart and table is drawn from the live API
(seeded server), with Korean labels first, and without a JavaScript error."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def _chart(page, element_id: str) -> dict:
    """Traces and title of a Plotly chart as the browser holds them."""
    return page.evaluate(
        """(id) => { const el = document.getElementById(id);
             return { title: el.layout.title.text,
                      traces: el.data.map((t) => ({ name: t.name || '', type: t.type,
                        x: Array.from(t.x || []), y: Array.from(t.y || []),
                        labels: Array.from(t.labels || []), values: Array.from(t.values || []) })) }; }""",
        element_id,
    )


@pytest.fixture
def trade_page(page):
    page.goto("/trade")
    page.wait_for_function("document.body.dataset.tradeReady === '1'", timeout=30_000)
    return page


def test_page_loads_every_panel_without_errors(trade_page):
    page = trade_page
    errors = page.eval_on_selector_all(".error", "els => els.map((e) => e.textContent.trim())")
    assert [e for e in errors if e] == []
    for chart in ("trade-monthly", "trade-yoy", "trade-partners", "trade-items", "trade-fdi"):
        assert page.locator(f"#{chart} .main-svg").count() >= 1, chart
    assert page.js_errors == []
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path="/tmp/trade.png", full_page=True)  # for a human look; not an assertion


def test_monthly_exports_raw_per_day_and_seasonally_adjusted(trade_page):
    chart = _chart(trade_page, "trade-monthly")
    assert chart["title"].startswith("월별 수출")
    raw, derived, sa, per_day = chart["traces"]
    assert raw["name"].startswith("수출액") and derived["name"].startswith("수출액 역산")
    assert sa["name"].startswith("계절조정") and per_day["name"].startswith("일평균")
    # October 2025: MOTIE 59.57 bn = 595.7억 달러 over 20 working days = 29.785억 a day.
    october = raw["x"].index("2025-10")
    assert raw["y"][october] == pytest.approx(595.7)
    assert derived["y"][october] is None
    assert per_day["y"][october] == pytest.approx(595.7 / 20)
    # January 2024 is back-solved: 2025-01 49.12 / (1 - 10.3%) = 54.76 bn, drawn pale apart.
    assert raw["y"][raw["x"].index("2024-01")] is None
    assert derived["y"][derived["x"].index("2024-01")] == pytest.approx(547.6)
    assert len(sa["y"]) == len(raw["y"])


def test_partner_shares_with_korean_group_names(trade_page):
    chart = _chart(trade_page, "trade-partners")
    before, after = chart["traces"]
    assert (before["name"], after["name"]) == ("2024", "2025")
    assert "중국 China" in after["y"] and "중남미 Latin America" in after["y"]
    # China 2025: 130.8 / 709.7 = 18.43% of exports (MOTIE provisional).
    assert after["x"][after["y"].index("중국 China")] == pytest.approx(100 * 130.8 / 709.7)
    table = trade_page.locator("#trade-diversification tbody").inner_text()
    # US + China: (122.9 + 130.8) / 709.7 = 35.75% in 2025, 38.1% in 2024 (report: 38.1 -> 35.8).
    assert "미·중" in table and "38.1%" in table and "35.7%" in table


def test_fdi_by_year_and_type(trade_page):
    chart = _chart(trade_page, "trade-fdi")
    notified, arrived = chart["traces"]
    assert notified["name"].startswith("신고") and arrived["name"].startswith("도착")
    # 2025 notified 36.05 bn = 360.5억 달러 (report ③), arrived 17.95 bn = 179.5억.
    assert notified["y"][notified["x"].index("2025")] == pytest.approx(360.5)
    assert arrived["y"][arrived["x"].index("2025")] == pytest.approx(179.5)
    kinds = _chart(trade_page, "trade-fdi-type")["traces"][0]
    assert kinds["labels"] == ["인수합병 M&A", "그린필드 Greenfield"]
    assert kinds["values"] == pytest.approx([74.6, 285.9])
    sources = trade_page.locator("#trade-fdi-source tbody tr").all_inner_texts()
    assert sources[0].startswith("미국 US") and "97.7" in sources[0]  # largest first
    assert sources[2].startswith("일본 Japan") and "44.0" in sources[2]  # 4.40 bn, one decimal
    kpi = trade_page.locator('[data-kpi="fdi"]').inner_text()
    assert "360.5억 달러" in kpi and "+4.3%" in kpi


def test_headline_items_and_balance_identity(trade_page):
    page = trade_page
    exports = page.locator('[data-kpi="exports"]').inner_text()
    # 709.7 / 683.61 - 1 = 3.82% (2024 confirmed as the base).
    assert "7,097억 달러" in exports and "+3.8%" in exports
    items = _chart(page, "trade-items")["traces"][0]
    assert items["y"][-1] == "반도체"  # the largest bar sits on top
    assert items["x"][-1] == pytest.approx(1734.0)  # MOTIE 173.4 bn
    first = page.locator("#trade-items-table tbody tr").first.inner_text()
    assert "반도체" in first and "1,753" in first and "관세청" in first  # KCS 175.3 bn
    # 2021: 644.54 - 615.05 = 29.49 bn, but the article printed 24.99 -> flagged.
    flagged = page.locator("#trade-balance tbody tr.flag").all_inner_texts()
    assert any(row.startswith("2021") for row in flagged)
