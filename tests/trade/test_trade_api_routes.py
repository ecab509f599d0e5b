"""API routes of the indicator side not covered by the contract tests, on hand-worked numbers."""

from __future__ import annotations

import math

import pytest

# KOR exports by partner (TOTAL rows) and by product (WLD rows), plus a JPN/USA world table.
CSV = """period,reporter,partner,product,flow,value
2025,KOR,USA,TOTAL,X,122.9
2025,KOR,CHN,TOTAL,X,130.8
2025,KOR,VNM,TOTAL,X,60
2025,KOR,WLD,TOTAL,X,709.7
2025,KOR,WLD,8542,X,50
2025,KOR,WLD,8703,X,30
2025,KOR,WLD,2710,X,20
"""

# The 3×3 example of test_trade_complexity: A sells p1, p2; B p2, p3; C p3 (HS codes here).
HAND = """period,reporter,partner,product,flow,value
2025,KOR,WLD,8542,X,1
2025,KOR,WLD,8703,X,1
2025,JPN,WLD,8703,X,1
2025,JPN,WLD,2710,X,1
2025,USA,WLD,2710,X,1
"""


def _post(api_client, path: str, body: str, **params):
    return api_client.post(
        f"/api/v1/trade/{path}", params=params, content=body, headers={"content-type": "text/csv"}
    )


def test_concentration_over_products_and_partners(api_client):
    got = _post(api_client, "concentration", CSV, period="2025", reporter="KOR").json()
    # Product shares 0.5, 0.3, 0.2 (TOTAL rows left out): HHI 0.25 + 0.09 + 0.04 = 0.38;
    # normalised (0.38 - 1/3)/(2/3) = 0.07; UNCTAD (√0.38 - √(1/3))/(1 - √(1/3)) = 0.09249.
    assert got["n"] == 3 and got["hhi"] == pytest.approx(0.38)
    assert got["hhi_normalized"] == pytest.approx(0.07)
    unctad = (math.sqrt(0.38) - math.sqrt(1 / 3)) / (1 - math.sqrt(1 / 3))
    assert got["unctad_concentration"] == pytest.approx(unctad)
    # Over partners: USA, CHN, VNM totals only (the WLD product lines are not partners):
    # (122.9² + 130.8² + 60²) / 313.7² = 35813.05 / 98407.69 = 0.36393.
    by_partner = _post(
        api_client, "concentration", CSV, period="2025", reporter="KOR", over="partner"
    ).json()
    assert by_partner["n"] == 3 and by_partner["hhi"] == pytest.approx(35813.05 / 98407.69)
    bad = _post(api_client, "concentration", CSV, period="2025", reporter="KOR", over="sector")
    assert bad.status_code == 422 and bad.json()["field"] == "over"


def test_complexity_route_reproduces_the_hand_example(api_client):
    got = _post(api_client, "complexity", HAND, period="2025").json()
    eci = {r["loc"]: r["eci"] for r in got["locations"]}
    # Sorted locations JPN, KOR, USA play B, A, C of the hand example: ECI A = (3+√5)/4.
    assert eci["KOR"] == pytest.approx((3 + math.sqrt(5)) / 4, abs=1e-6)
    assert eci["JPN"] == pytest.approx(-0.190983, abs=1e-6)
    assert eci["USA"] == pytest.approx(-math.sqrt(5) / 2, abs=1e-6)
    pci = {r["prod"]: r["pci"] for r in got["products"]}
    assert pci["8542"] == pytest.approx(1.881966, abs=1e-6)  # p1, held by A alone


def test_facts_indicators_window_and_balance(api_client):
    facts = api_client.get("/api/v1/trade/facts", params={"period": "2025"}).json()
    world = [r for r in facts if r["partner"] == "WLD" and r["product"] == "TOTAL"]
    assert {r["basis"] for r in world} >= {"MOTIE", "KCS"}
    ind = api_client.get("/api/v1/trade/indicators", params={"period": "2026-02"}).json()
    # 67.448 / 52.3 - 1 (Feb 2025 as revised); Jan-Feb (65.85 + 67.448)/(49.2 + 52.3) - 1.
    assert ind["yoy"]["growth"] == pytest.approx(67.448 / 52.3 - 1)
    assert ind["ytd"]["growth"] == pytest.approx((65.85 + 67.448) / (49.2 + 52.3) - 1)
    # Same answer as the CLI: 19 working days -> 67.448 / 19 = 3.550 bn a day.
    assert ind["daily_average"]["working_days"] == 19.0
    assert ind["daily_average"]["per_day"] == pytest.approx(67.448e9 / 19)
    window = api_client.get(
        "/api/v1/trade/window", params={"start": "2026-01", "end": "2026-02"}
    ).json()
    assert window["value"] == pytest.approx((65.85 + 67.448) * 1e9)
    assert window["growth"] == pytest.approx(ind["ytd"]["growth"])
    rows = api_client.get("/api/v1/trade/balance").json()
    flagged = {(r["period"], r["basis"]) for r in rows if r["consistent"] is False}
    # 2021: 644.54 - 615.05 = 29.49 vs 24.99 printed; KCS 2025: 709.33 - 631.8 = 77.53 vs 77.7.
    assert flagged == {("2021", "MOTIE"), ("2025", "KCS")}
    # 2024-10 is not on file: the value is answered, its YoY marked unavailable (issue 9 #17)
    partial = api_client.get("/api/v1/trade/indicators", params={"period": "2025-10"})
    assert partial.status_code == 200
    assert partial.json()["yoy"]["unavailable"] == "no figure for the base period 2024-10"
    assert partial.json()["yoy"]["growth"] is None


def test_programmes_and_empty_store(api_client):
    out = api_client.get("/api/v1/trade/programmes", params={"on": "2026-05-27"}).json()
    assert out["totals_krw_bn"]["guarantee"] == 2400.0
    assert api_client.get("/api/v1/trade/flows").json() == []
