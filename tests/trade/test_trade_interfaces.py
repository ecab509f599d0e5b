"""CLI contracts (exact JSON keys) and API routes on the shipped figures."""

from __future__ import annotations

import json

import pytest

CSV = """period,reporter,partner,product,flow,value
2025,KOR,USA,TOTAL,X,122.9
2025,KOR,CHN,TOTAL,X,130.8
2025,KOR,VNM,TOTAL,X,60
2025,KOR,WLD,TOTAL,X,709.7
2025,KOR,WLD,8542,X,50
2025,KOR,WLD,8703,X,30
2025,KOR,WLD,2710,X,20
2025,JPN,WLD,8542,X,20
2025,JPN,WLD,8703,X,80
2025,USA,WLD,2710,X,70
2025,USA,WLD,8542,X,10
"""


@pytest.fixture
def flows_csv(tmp_path):
    path = tmp_path / "flows.csv"
    path.write_text(CSV)
    return str(path)


def test_shares_contract(cli, flows_csv):
    result = cli(
        [
            "trade",
            "shares",
            "--input",
            flows_csv,
            "--period",
            "2025",
            "--by",
            "partner_group",
            "--json",
        ]
    )
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert set(out) == {"period", "total", "groups"}
    # USA 122.9/709.7 = 0.17317; ASEAN (VNM) 60/709.7 = 0.08454
    assert out["groups"]["usa"] == pytest.approx(122.9 / 709.7)
    assert out["groups"]["asean"] == pytest.approx(60 / 709.7)


def test_concentration_contract(cli, flows_csv):
    result = cli(
        [
            "trade",
            "concentration",
            "--input",
            flows_csv,
            "--period",
            "2025",
            "--reporter",
            "KOR",
            "--json",
        ]
    )
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    # KOR products 50/30/20 → HHI 0.38 (worked in test_trade_indicators)
    assert set(out) == {"hhi", "hhi_normalized", "unctad_concentration", "n"}
    assert out["hhi"] == pytest.approx(0.38) and out["n"] == 3


def test_complexity_contract(cli, flows_csv):
    result = cli(["trade", "complexity", "--input", flows_csv, "--period", "2025", "--json"])
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert set(out) == {"locations", "products"}
    assert set(out["locations"][0]) == {"loc", "diversity", "eci"}
    assert set(out["products"][0]) == {"prod", "ubiquity", "pci"}
    assert {x["loc"] for x in out["locations"]} == {"KOR", "JPN", "USA"}


def test_bad_period_is_one_line_error(cli, flows_csv):
    result = cli(["trade", "shares", "--input", flows_csv, "--period", "2025-13", "--json"])
    assert result.exit_code != 0
    assert "period" in result.stderr


def test_import_then_conflict(cli, flows_csv):
    first = cli(["trade", "import", flows_csv, "--release-date", "2026-01-01", "--json"])
    assert first.exit_code == 0, first.stderr
    assert json.loads(first.stdout)["rows"] == 11
    again = cli(["trade", "import", flows_csv, "--release-date", "2026-01-01", "--json"])
    assert again.exit_code != 0 and "never overwritten" in again.stderr


def test_api_shares_and_series(api_client):
    res = api_client.get("/api/v1/trade/share-change", params={"before": "2024", "after": "2025"})
    assert res.status_code == 200
    rows = {r["key"]: r for r in res.json()}
    assert round(rows["us_china"]["share_before"] * 100, 1) == 38.1
    series = api_client.get("/api/v1/trade/series").json()
    feb = next(r for r in series if r["period"] == "2026-02")
    assert feb["per_day"] == pytest.approx(67.448e9 / 19)


def test_api_bad_input_is_problem_json(api_client):
    res = api_client.post(
        "/api/v1/trade/shares",
        params={"period": "2025"},
        content="period,reporter,partner,product,flow,value\n2025,KOR,USA,TOTAL,X,-1\n",
        headers={"content-type": "text/csv"},
    )
    assert res.status_code == 422
    assert res.json()["field"] == "value"


def test_api_import_needs_operator(api_client, auth_headers):
    body = CSV
    denied = api_client.post(
        "/api/v1/trade/import", content=body, headers={"content-type": "text/plain"}
    )
    assert denied.status_code == 401
    ok = api_client.post(
        "/api/v1/trade/import",
        content=body,
        headers={"content-type": "text/plain", **auth_headers("operator")},
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["rows"] == 11


def test_dashboard_page_and_item_shares(api_client):
    page = api_client.get("/trade")
    assert page.status_code == 200 and "trade-monthly" in page.text
    items = api_client.get(
        "/api/v1/trade/shares", params={"period": "2025", "by": "product", "vintage": "provisional"}
    )
    # semiconductors 173.4 / 709.7 = 0.244329
    assert items.json()["groups"]["semiconductors"] == pytest.approx(173.4 / 709.7)
