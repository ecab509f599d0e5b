"""The /energy page's stations section in headless Chromium: scatter, finder, screens, cases.

The finder's rows are checked against the brute-force scan computed here, not against the
API's own answer; every request the page makes must go to the live server (no network).
"""

from __future__ import annotations

import datetime as dt

import pytest

from tiro.energy.stations.finder import brute_force_near
from tiro.energy.stations.sample import StationSample

pytestmark = pytest.mark.browser

ON = dt.date(2026, 5, 25)


def _record_requests(page) -> list[str]:
    urls: list[str] = []
    page.on("request", lambda req: urls.append(req.url))
    return urls


def test_stations_section_renders_sample_network(page, station_sample: StationSample) -> None:
    urls = _record_requests(page)
    page.goto("/energy")
    page.wait_for_function(  # five screens over two million price rows: cold, on a busy CI box
        "document.querySelectorAll('#station-screens tbody tr').length === 5", timeout=180_000
    )
    page.wait_for_function(
        "(() => { const d = document.getElementById('station-map').data;"
        " return d && d.length === 2 && d[1].x.length > 0; })()",
        timeout=30_000,
    )
    # every sample station on the plane, and the round's 228 good stations (one per 시군구)
    n_all, n_good = page.evaluate(
        "[document.getElementById('station-map').data[0].x.length,"
        " document.getElementById('station-map').data[1].x.length]"
    )
    assert n_all == station_sample.stations.height == 11_750
    assert n_good == 228
    assert page.locator("#good-count").inner_text() == "228"
    # screens: planted cases found exactly (15 collusive, 2 price leaders, 12 cycling,
    # 6 hoarders, 5 fake-fuel)
    rows = {
        r.get_attribute("data-screen"): r.inner_text()
        for r in page.locator("#station-screens tbody tr").all()
    }
    assert set(rows) == {"collusion", "leader_follower", "edgeworth", "hoarding", "fake_fuel"}
    assert "\t15\t15\t" in rows["collusion"] and "\t6\t6\t" in rows["hoarding"]
    assert "\t4\t2\t2\t1\t1\t" in rows["leader_follower"]
    assert all("sample" in r for r in rows.values())
    # the register on a fresh database: nothing found yet, the report's 137 beside it
    page.wait_for_function("document.getElementById('station-cases-note').textContent.length > 0")
    note = page.locator("#station-cases-note").inner_text()
    assert "137" in note and "opened 0" in note
    assert page.locator("#station-cases tbody tr").count() == 4
    assert "sample" in page.locator("#stations-card h2").inner_text()
    assert page.locator("#stations-error").inner_text() == ""
    assert page.js_errors == []
    assert urls and all(u.startswith(page.base_url) for u in urls), [
        u for u in urls if not u.startswith(page.base_url)
    ]


def test_finder_form_lists_the_brute_force_answer(page, station_sample: StationSample) -> None:
    urls = _record_requests(page)
    page.goto("/energy")
    page.fill("#station-finder-form input[name=lat]", "35.1796")
    page.fill("#station-finder-form input[name=lon]", "129.0756")
    page.fill("#station-finder-form input[name=radius_km]", "4")
    page.select_option("#station-finder-form select[name=product]", "diesel")
    page.click("#station-finder-form button")
    page.wait_for_function(
        "document.querySelectorAll('#station-near tbody tr[data-id]').length > 0"
    )
    ref = brute_force_near(
        station_sample.stations, station_sample.prices, ON, 35.1796, 129.0756, 4.0, "diesel"
    )
    want = ref["station_id"].to_list()[:20]
    assert len(want) >= 5
    got = [r.get_attribute("data-id") for r in page.locator("#station-near tbody tr").all()]
    assert got == want
    first = page.locator("#station-near tbody tr").first.inner_text()
    assert f"{ref['price'][0]:,.0f}" in first and "sample" in first
    # bad input: a point outside Korea is refused naming the field, the table emptied
    page.fill("#station-finder-form input[name=lat]", "48")
    page.click("#station-finder-form button")
    page.wait_for_function("document.getElementById('station-finder-error').textContent.length > 0")
    assert page.locator("#station-finder-error").inner_text().startswith("lat:")
    assert page.locator("#station-near tbody tr").count() == 0
    assert page.js_errors == []
    assert all(u.startswith(page.base_url) for u in urls)
