"""FDI, programmes and items through the CLI and the API."""

from __future__ import annotations

import json

import pytest


def test_cli_fdi_2025_by_source(cli) -> None:
    result = cli(["trade", "fdi", "--period", "2025", "--by", "source", "--json"])
    assert result.exit_code == 0, result.stderr
    rows = {r["category"]: r for r in json.loads(result.stdout)["rows"]}
    # US 9.77 of 36.05 = 27.1%; reported +86.6% implies a 2024 base of 9.77 / 1.866 = 5.236.
    assert rows["US"]["share"] == pytest.approx(0.2710, abs=1e-4)
    assert rows["US"]["implied_prior"] == pytest.approx(5.2358, abs=1e-4)


def test_api_fdi_cash_grant_and_bad_region(api_client) -> None:
    got = api_client.get(
        "/api/v1/trade/fdi/cash-grant",
        params={
            "investment_usd": 1e8,
            "category": "rnd_centre",
            "region": "non_capital",
            "on": "2026-06-01",
        },
    ).json()
    # R&D centre: 50% ceiling -> 50m; outside the capital region the state pays 70% = 35m.
    assert got["grant_ceiling_usd"] == pytest.approx(5e7)
    assert got["national_usd"] == pytest.approx(3.5e7)
    bad = api_client.get(
        "/api/v1/trade/fdi/cash-grant",
        params={"investment_usd": 1, "category": "general", "region": "busan"},
    )
    assert bad.status_code == 422 and bad.json()["field"] == "region"


def test_cli_programmes_and_api_items(cli, api_client) -> None:
    result = cli(["trade", "programmes", "--on", "2026-05-27", "--json"])
    data = json.loads(result.stdout)
    assert data["totals_krw_bn"]["guarantee"] == 2400.0
    items = api_client.get("/api/v1/trade/items", params={"period": "2025", "on": "2026-04-30"})
    body = items.json()
    assert body["set_size"] == 15
    assert {d["item"] for d in body["definitions"] if d["major"]} >= {"semiconductors", "autos"}


def test_api_fdi_series_notified_and_arrived(api_client) -> None:
    notified = api_client.get("/api/v1/trade/fdi/series").json()
    assert [r["period"] for r in notified] == ["2020", "2021", "2022", "2023", "2024", "2025"]
    last = notified[-1]
    # 36.05 / 34.57 - 1 = 4.28% (MOTIE printed +4.3%); above every earlier year on file.
    assert last["value_usd_bn"] == 36.05 and last["growth"] == pytest.approx(0.042812, abs=1e-6)
    assert last["record"] is True and notified[0]["record"] is None  # nothing earlier on file
    arrived = api_client.get("/api/v1/trade/fdi/series", params={"basis": "arrived"}).json()
    # 2024 arrivals 14.77 fell from 18.79 in 2023: 14.77 / 18.79 - 1 = -21.39%, not a record.
    by_year = {r["period"]: r for r in arrived}
    assert "2022" not in by_year and by_year["2024"]["record"] is False
    assert by_year["2024"]["growth"] == pytest.approx(-0.213944, abs=1e-6)
    bad = api_client.get("/api/v1/trade/fdi/series", params={"category": "nowhere"})
    assert bad.status_code == 422 and bad.json()["field"] == "period_type"
    bad = api_client.get("/api/v1/trade/fdi/series", params={"basis": "promised"})
    assert bad.status_code == 422 and bad.json()["field"] == "basis"


def test_api_labels_are_korean_first_from_the_parameters(api_client) -> None:
    names = api_client.get("/api/v1/trade/labels").json()
    assert names["partner_group"]["latin_america"] == {"ko": "중남미", "en": "Latin America"}
    assert names["partner_group"]["other"] == {"ko": "기타", "en": "Other"}
    assert names["partner_group_set"]["us_china"]["ko"] == "미·중"
    # "반도체 (HS 근사)" on the HS-approximation leaf -> the item's own name without the note.
    assert names["item"]["semiconductors"] == {"ko": "반도체", "en": "Semiconductors"}
    assert len(names["item"]) == 20
