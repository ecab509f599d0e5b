"""Issue 9 items 1, 2, 4, 5, 14, 17 over HTTP: out-of-range input is a 4xx problem naming the
field, never a 500; partial answers say what is missing; no server path in any answer."""

from __future__ import annotations

import pytest

PLAIN = "period,reporter,partner,product,flow,value\n"


def _post(api_client, path: str, body: str, headers=None, **params):
    return api_client.post(
        f"/api/v1/trade/{path}",
        params=params,
        content=body,
        headers={"content-type": "text/csv", **(headers or {})},
    )


@pytest.mark.parametrize("month", ["0000-01", "9999-12", "2025-13", "1900-01", "2101-01", "x"])
def test_working_days_out_of_range_month_is_422(api_client, month):
    got = api_client.get("/api/v1/trade/working-days", params={"month": month})
    assert got.status_code == 422, got.text
    assert got.json()["field"] == "month"


def test_working_days_range_end_out_of_range_is_422(api_client):
    got = api_client.get("/api/v1/trade/working-days", params={"month": "2026-01", "to": "9999-12"})
    assert got.status_code == 422 and got.json()["field"] == "to"


def test_working_days_july_2026_counts_constitution_day(api_client):
    # July 2026: 23 weekdays less 제헌절 (Fri 17 July) = 22, plus 4 Saturdays x 0.5 = 24
    got = api_client.get("/api/v1/trade/working-days", params={"month": "2026-07"})
    assert got.json() == {"month": "2026-07", "working_days": 24.0}


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("indicators", {"period": "0000"}, "period"),
        ("indicators", {"period": "2025", "basis": "BOGUS"}, "basis"),
        ("shares", {"period": "2025", "vintage": "bogus"}, "vintage"),
        ("share-change", {"before": "2024", "after": "9999"}, "after"),
        ("window", {"start": "2025-01", "end": "0000-12"}, "end"),
        ("nowcast", {"month": "2026-03", "flash": "nan"}, "flash"),
        ("nowcast", {"month": "2026-03", "flash": "inf"}, "flash"),
        ("nowcast", {"month": "2026-03", "flash": "1e400"}, "flash"),
        ("nowcast", {"month": "2026-03", "flash": "30", "day": "15"}, "day"),
        ("projection", {"year": "-536870913"}, "year"),
        ("fdi/cash-grant", {"investment_usd": "nan", "category": "general", "region": "capital"},
         "investment_usd"),
        ("fdi", {"period": "0000-Q9"}, "period"),
        ("items", {"period": "9999-12"}, "period"),
    ],
)  # fmt: skip
def test_bounded_query_parameters(api_client, path, params, field):
    got = api_client.get(f"/api/v1/trade/{path}", params=params)
    assert got.status_code == 422, got.text
    assert got.json()["field"] == field


def test_import_refuses_a_bogus_vintage(api_client, auth_headers):
    body = PLAIN + "2025,KOR,USA,TOTAL,X,5\n"
    got = _post(api_client, "import", body, auth_headers("operator"), vintage="bogus")
    assert got.status_code == 422 and got.json()["field"] == "vintage"


def test_import_labels_a_plain_flash_with_its_vintage(api_client, auth_headers):
    """Item 14: a days 1–20 flash imported as plain CSV stays a flash, not a month total."""
    body = PLAIN + "2026-03,KOR,WLD,TOTAL,X,36000000000\n"
    got = _post(
        api_client, "import", body, auth_headers("operator"), vintage="flash_20",
        release_date="2026-03-21",
    )  # fmt: skip
    assert got.status_code == 200, got.text
    assert got.json()["vintages"] == {"flash_20": 1}
    stored = api_client.get("/api/v1/trade/flows", params={"all_vintages": "true"}).json()
    assert [r["vintage"] for r in stored] == ["flash_20"]
    # and the latest-vintage view leaves the flash out (it is not a month total)
    assert api_client.get("/api/v1/trade/flows").json() == []


def test_complexity_ddof_outside_0_1_is_422(api_client):
    body = PLAIN + "2025,KOR,WLD,8542,X,1\n2025,JPN,WLD,8703,X,1\n"
    got = _post(api_client, "complexity", body, period="2025", ddof="2")
    assert got.status_code == 422 and got.json()["field"] == "ddof"


def test_uploaded_nan_is_refused_with_line_and_no_server_path(api_client):
    body = PLAIN + "2025,KOR,USA,TOTAL,X,5\n2025,KOR,CHN,TOTAL,X,NaN\n"
    got = _post(api_client, "shares", body, period="2025", by="partner")
    assert got.status_code == 422
    problem = got.json()
    assert problem["field"] == "value"
    assert problem["detail"].startswith("line 3: 'NaN'")
    assert "/" not in problem["detail"]


def test_uploaded_garbage_is_a_clean_refusal(api_client):
    got = _post(api_client, "shares", "\x00\x01garbage", period="2025")
    assert got.status_code == 422 and got.json()["field"] == "input"


def test_indicators_without_the_base_year_answer_what_they_can(api_client):
    """Item 17: 2025-02 is on file but 2024-02 is not: value given, YoY marked missing."""
    got = api_client.get("/api/v1/trade/indicators", params={"period": "2025-02"})
    assert got.status_code == 200, got.text
    yoy = got.json()["yoy"]
    assert yoy["value"] == pytest.approx(52.3e9)
    assert yoy["base"] is None and yoy["growth"] is None
    assert yoy["unavailable"] == "no figure for the base period 2024-02"


def test_world_table_period_0000_is_a_clean_refusal(cli, tmp_path):
    path = tmp_path / "w.csv"
    path.write_text(PLAIN + "2025,KOR,WLD,8542,X,1\n2025,JPN,WLD,8703,X,1\n")
    for command in (["complexity"], ["rca"], ["diversification"]):
        result = cli(["trade", *command, "--input", str(path), "--period", "0000"])
        assert result.exit_code == 2, result.stderr
        assert result.stderr.strip().startswith("error: period:"), result.stderr
    facts = cli(["trade", "facts", "--period", "0000"])
    assert facts.exit_code == 2 and facts.stderr.startswith("error: period:")


def test_import_answer_carries_no_server_path(api_client, auth_headers):
    body = PLAIN + "2025,KOR,USA,TOTAL,X,5\n"
    got = _post(api_client, "import", body, auth_headers("operator"), release_date="2026-01-02")
    assert got.status_code == 200, got.text
    assert set(got.json()) == {"batch_id", "rows", "vintages"}
    assert "/" not in got.text


def test_complexity_of_all_zero_exports_is_422(api_client):
    body = PLAIN + "2025,KOR,WLD,8542,X,0\n2025,JPN,WLD,8703,X,0\n"
    got = _post(api_client, "complexity", body, period="2025")
    assert got.status_code == 422 and got.json()["field"] == "value"


def test_complexity_of_identical_export_structures_is_422_not_nan(api_client):
    # KOR and JPN both export 8542 and 8703 equally: M is all ones, λ₂ has no eigenvector
    # that ranks anyone, so ECI is undefined (the old answer was NaN/null for everyone)
    body = PLAIN + "".join(
        f"2025,{r},WLD,{p},X,1\n" for r in ("KOR", "JPN") for p in ("8542", "8703")
    )
    got = _post(api_client, "complexity", body, period="2025")
    assert got.status_code == 422 and got.json()["field"] == "input"


def test_partner_shares_without_partner_rows_say_so(api_client):
    # KCS 2025 is on file only as a world total: an empty breakdown is not an answer
    got = api_client.get(
        "/api/v1/trade/shares", params={"period": "2025", "by": "partner", "basis": "KCS"}
    )
    assert got.status_code == 404 and got.json()["field"] == "by"
