"""Tariff API routes: quote contract, batch upload -> file, compare, measures, timeline."""

from __future__ import annotations

import io

import polars as pl
import pytest

QUOTE_KEYS = {
    "hts",
    "hts_description",
    "schedule_revision",
    "origin",
    "entry_date",
    "customs_value",
    "column1_rate_text",
    "column1_source",
    "base_rate",
    "base_duty",
    "lines",
    "additional_duty",
    "total_duty",
    "total_rate",
    "total_complete",
    "not_modelled",
    "needs",
    "explain",
    "fees",  # issue 11 item 3: MPF/HMF of the entry
    "adcvd",  # issue 11 item 3: AD/CVD orders that may cover the line
}


def test_quote_contract(api_client) -> None:
    r = api_client.post(
        "/api/v1/tariff/quote",
        json={
            "hts": "8703.23.01",
            "entry_date": "2025-12-01",
            "customs_value": 30000,
            "korus": False,
        },
    )
    assert r.status_code == 200
    q = r.json()
    assert set(q) == QUOTE_KEYS
    # 2.5% MFN x 30,000 = 750; 9903.94.61 tops up (15% - 2.5%) x 30,000 = 3,750; total 4,500
    assert q["base_rate"] == 0.025
    # issue 9 item 25: the column-1 rate as the schedule prints it, its source and base duty
    assert (q["column1_rate_text"], q["column1_source"], q["base_duty"]) == (
        "2.5%",
        "General (MFN)",
        750.0,
    )
    assert q["hts_description"].endswith(
        "Of a cylinder capacity exceeding 1,500 cc but not exceeding 3,000 cc"
    )
    # entry 2025-12-01: the shipped revision in force is HTS 2025 Revision 17 (from 2025-07-01)
    assert q["schedule_revision"] == "USITC HTS 2025 Revision 17 (in force from 2025-07-01)"
    assert (q["total_complete"], q["not_modelled"]) == (True, [])
    assert q["lines"] == [
        {
            "heading": "9903.94.61",
            "program": "kr_autos",
            "program_label": "한국산 자동차 15% 상한 Korea deal — vehicles 15% all-in",
            "rate": 0.125,
            "basis": "full_value",
            "basis_value": 30000.0,
            "duty": 3750.0,
            "basis_label": "전체 가격 full value",
            "declared": False,
            "citation": q["lines"][0]["citation"],
        },
        {  # EO 14257 sec. 3(b): a Section 232 article declares 9903.01.33, not the reciprocal
            "heading": "9903.01.33",
            "program": "ieepa_reciprocal",
            "program_label": q["lines"][1]["program_label"],
            "rate": 0.0,
            "basis": "full_value",
            "basis_value": 30000.0,
            "duty": 0.0,
            "basis_label": "전체 가격 full value",
            "declared": True,
            "citation": q["lines"][1]["citation"],
        },
    ]
    assert q["lines"][0]["citation"]["href"].startswith("https://www.govinfo.gov/")
    assert q["lines"][1]["citation"]["href"] == "https://www.federalregister.gov/d/2025-06063"
    assert q["lines"][1]["program_label"].endswith("exemption declared (신고 면제)")
    assert (q["additional_duty"], q["total_duty"], q["total_rate"]) == (3750.0, 4500.0, 0.15)


def test_quote_bad_origin_is_problem_json(api_client) -> None:
    r = api_client.post(
        "/api/v1/tariff/quote",
        json={"hts": "8703.23.01", "origin": "XX", "entry_date": "2025-12-01", "customs_value": 1},
    )
    assert r.status_code == 422
    assert r.json()["field"] == "origin"


def test_batch_upload_returns_parquet_and_errors(api_client) -> None:
    csv = (
        "hts,origin,entry_date,customs_value,metal_share\n"
        "3304.10.00.00,KR,2025-12-01,1000,\n"
        "7308.90.60.00,KR,2025-06-04,10000,0.6\n"
        "bad,KR,2025-12-01,1000,\n"
    )
    files = {"file": ("lines.csv", csv.encode(), "text/csv")}
    r = api_client.post("/api/v1/tariff/batch", files=files)
    assert r.status_code == 200
    assert r.headers["X-Tiro-Errors"] == "1"
    priced = pl.read_parquet(io.BytesIO(r.content))
    # 15% x 1,000 = 150; 50% x 6,000 + 10% x 4,000 = 3,400
    assert priced["total_duty"].to_list() == pytest.approx([150.0, 3400.0], abs=1e-6)
    errors = api_client.post("/api/v1/tariff/batch?part=errors", files=files)
    assert "malformed HTS code bad" in errors.text
    basis = api_client.post("/api/v1/tariff/batch?part=measures", files=files)
    explained = pl.read_parquet(io.BytesIO(basis.content)).join(
        priced.select("line_id", "pricing_key"), on="pricing_key"
    )
    applied = explained.filter(pl.col("status") == "applied").sort("line_id", "heading")
    # line 1: steel 9903.81.89 on the metal content, reciprocal on the rest (value split)
    assert applied.select("line_id", "heading", "final_basis").rows() == [
        (0, "9903.02.80", "full_value"),
        (1, "9903.01.25", "non_metal_value"),
        (1, "9903.81.89", "metal_content"),
    ]


def test_compare_shipped_basket(api_client) -> None:
    r = api_client.post("/api/v1/tariff/compare", json={"entry_date": "2025-12-01"})
    assert r.status_code == 200
    body = r.json()
    assert body["scenarios"] == ["actual", "no_deal", "threat_2026_01"]
    cars = next(g for g in body["by_product_group"] if g["hts"] == "8703.23.01")
    # 34,740 mn x 15% = 5,211 mn (actual) vs x 25% = 8,685 mn (no deal)
    assert cars["duty_actual"] == pytest.approx(5_211_000_000, abs=1)
    assert cars["duty_no_deal"] == pytest.approx(8_685_000_000, abs=1)
    assert (
        body["deal_saving"] == body["totals"]["no_deal"]["duty"] - body["totals"]["actual"]["duty"]
    )
    assert body["deal_saving"] > 0


def test_compare_user_basket(api_client) -> None:
    r = api_client.post(
        "/api/v1/tariff/compare",
        json={
            "entry_date": "2025-12-01",
            "scenarios": ["actual", "no_deal"],
            "basket": [{"hts": "3304.10.00.00", "value_usd": 1000, "product_group": "cosmetics"}],
        },
    )
    assert r.json()["deal_saving"] == 100.0  # 25% - 15% of 1,000


def test_measures_and_timeline(api_client) -> None:
    r = api_client.get(
        "/api/v1/tariff/measures", params={"hts": "8703.23.01", "date": "2025-12-01"}
    )
    assert {m["heading"] for m in r.json()} >= {"9903.94.01", "9903.94.61", "9903.02.80"}
    t = api_client.get("/api/v1/tariff/timeline", params={"hts": "8703.23.01"}).json()
    rates = {p["date"]: p["total_rate"] for p in t}
    assert rates["2025-04-03"] == 0.25 and rates["2025-11-01"] == 0.15


def test_batch_upload_with_an_hts_rate_table(api_client, footwear_export) -> None:
    """A code the shipped subset lacks prices once a rate table is uploaded with the batch."""
    csv = "hts,origin,entry_date,customs_value,korus\n6402.99.90.00,KR,2025-12-01,10000,false\n"
    lines = ("lines.csv", csv.encode(), "text/csv")
    r = api_client.post("/api/v1/tariff/batch", files={"file": lines})
    assert (r.status_code, r.headers["X-Tiro-Errors"]) == (200, "1")  # unknown code
    rates = ("export.json", footwear_export.read_bytes(), "application/json")
    r = api_client.post("/api/v1/tariff/batch", files={"file": lines, "hts_table": rates})
    assert r.status_code == 200, r.text
    priced = pl.read_parquet(io.BytesIO(r.content))
    # no KORUS: General 20% x 10,000 = 2,000; column 1 >= 15% -> 9903.02.79 adds 0
    assert priced.select("base_rate", "total_duty").row(0) == (0.2, 2000.0)
    bad = ("rates.txt", b"x", "text/plain")
    r = api_client.post("/api/v1/tariff/batch", files={"file": lines, "hts_table": bad})
    assert (r.status_code, r.json()["field"]) == (422, "hts_table")


def test_timeline_takes_declared_facts(api_client) -> None:
    base = "/api/v1/tariff/timeline?hts=8507.60.00.20&value=10000"
    unsaid = {p["date"]: p for p in api_client.get(base).json()}
    assert unsaid["2025-11-14"]["total_rate"] is None  # needs vehicle_part
    said = {p["date"]: p for p in api_client.get(base + "&fact=vehicle_part=true").json()}
    assert said["2025-11-14"]["total_rate"] == pytest.approx(0.15)  # 9903.94.63 15% all-in
    r = api_client.get(base + "&fact=vehicle_part=maybe")
    assert (r.status_code, r.json()["field"]) == (422, "facts")


def test_quote_of_an_invalid_statistical_suffix_is_a_422(api_client) -> None:
    """Issue 11 item 1: 7326.90.86.99 is not a line of HTS 2026 Rev. 10 nor of the derived Rev. 11
    (the 8-digit 7326.90.86 is): a problem naming ``hts``, not a quote priced on the 8-digit
    prefix."""
    body = {"hts": "7326.90.86.99", "entry_date": "2026-12-01", "customs_value": 1000}
    r = api_client.post("/api/v1/tariff/quote", json=body)
    assert (r.status_code, r.json()["field"]) == (422, "hts")
    assert "invalid statistical suffix" in r.json()["detail"]
    ok = api_client.post("/api/v1/tariff/quote", json={**body, "hts": "7326.90.86.88"})
    assert ok.status_code == 200
    assert ok.json()["schedule_revision"] == (
        "USITC HTS 2026 Revision 11 (derived from Revision 10) (in force from 2026-07-01)"
    )
