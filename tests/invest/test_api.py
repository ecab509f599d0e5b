"""``/api/v1/invest``: contracts, roles, problem+json refusals (issue 12 item 6)."""

from __future__ import annotations

import pytest

from tiro.invest.reference import load_reference

BN = 1_000_000_000
API = "/api/v1/invest"


@pytest.fixture
def seeded(configured):
    from tiro.core.db import get_engine, session_scope

    with session_scope(get_engine(configured)) as session:
        load_reference(session=session)
    return configured


def test_reasonableness_contract_over_http(api_client):
    r = api_client.post(f"{API}/reasonableness",
                        json={"principal": 100, "cash_flows": [220], "discount_rate": 0})  # fmt: skip
    assert r.status_code == 200
    got = r.json()
    assert got["korea_cash_flows"] == [102] and got["us_cash_flows"] == [118]
    assert got["irr"] == pytest.approx(0.02) and got["commercially_reasonable"] is True


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"principal": 0, "cash_flows": [1]}, "principal"),
        ({"principal": -1, "cash_flows": [1]}, "principal"),
        ({"principal": 10, "cash_flows": []}, "cash_flows"),
        ({"principal": 10, "cash_flows": ["x"]}, "cash_flows"),
        ({"principal": 10, "cash_flows": [1], "extra": 1}, "extra"),
    ],
)
def test_bad_reasonableness_bodies_are_problems(api_client, body, field):
    r = api_client.post(f"{API}/reasonableness", json=body)
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert field in r.text


def test_schedule_over_http_with_a_pipeline_and_a_cap(api_client):
    lines = [{"project": "A", "priority": 3, "requested_year": 2026, "amount_usd": 12 * BN},
             {"project": "B", "priority": 2, "requested_year": 2026, "amount_usd": 15 * BN}]  # fmt: skip
    r = api_client.post(f"{API}/schedule", json={"pipeline": lines})
    assert r.status_code == 200
    assert r.json()["by_year"] == {"2026": 20 * BN, "2027": 7 * BN}
    r = api_client.post(f"{API}/schedule", json={"pipeline": lines, "cap": 0})
    assert r.status_code == 422 and "cap" in r.text
    r = api_client.post(f"{API}/schedule", json={"pipeline": lines, "defer": {"Z": 2027}})
    assert r.status_code == 422 and r.json()["field"] == "defer"


def test_sample_pipeline_from_submission_to_scheduled_calls(api_client, auth_headers, seeded):
    analyst, operator = auth_headers("analyst"), auth_headers("operator")
    body = {"name": "API grid works", "sector": "energy", "sponsor": "S",
            "capital": {"2027": 4 * BN}, "cash_flows": [2 * BN] * 12, "on": "2026-07-01",
            "documents": [{"title": "Feasibility study", "href": "https://example.org/fs.pdf"}]}  # fmt: skip
    assert api_client.post(f"{API}/projects", json=body).status_code == 401
    assert (
        api_client.post(f"{API}/projects", json=body, headers=auth_headers("viewer")).status_code
        == 403
    )
    r = api_client.post(f"{API}/projects", json=body, headers=analyst)
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    assert r.json()["documents"] == [
        {"title": "Feasibility study", "href": "https://example.org/fs.pdf"}
    ]
    bad_doc = {**body, "name": "Other", "documents": [{"title": "x", "href": "file:///etc/passwd"}]}
    assert api_client.post(f"{API}/projects", json=bad_doc, headers=analyst).status_code == 422
    step = {"to": "screened", "reason": "fits the energy list", "on": "2026-07-02"}
    assert (
        api_client.post(f"{API}/projects/{pid}/advance", json=step, headers=analyst).status_code
        == 403
    )
    wrong = api_client.post(f"{API}/projects/{pid}/advance", json={**step, "to": "selected"},
                            headers=operator)  # fmt: skip
    assert wrong.status_code == 409 and wrong.json()["field"] == "to"
    for i, to in enumerate(("screened", "consulted", "recommended", "selected")):
        r = api_client.post(f"{API}/projects/{pid}/advance",
                            json={"to": to, "reason": "ok", "on": f"2026-07-0{i + 2}"},
                            headers=operator)  # fmt: skip
        assert r.status_code == 200, r.text
    assert r.json()["steps"][-1]["role"] == "operator"
    schedule = api_client.post(f"{API}/schedule", json={}).json()
    assert "API grid works" in {c["project"] for c in schedule["calls"]}
    assert all(total <= 20 * BN for total in schedule["by_year"].values())
    listing = api_client.get(f"{API}/projects", params={"state": "selected"}).json()
    assert len(listing) == 7
    waterfall = api_client.get(f"{API}/projects/{pid}/reasonableness").json()
    # principal 4bn, 2bn a year: 50:50 until 8bn (year 4), then 10%: Korea 1bn x 4, 0.2bn x 8
    assert waterfall["korea_cash_flows"] == [BN] * 4 + [0.2 * BN] * 8
    assert waterfall["principal_recovered_year"] == 4
    assert waterfall["commercially_reasonable"] is True


def test_unknown_project_and_bad_queries(api_client):
    assert api_client.get(f"{API}/projects/999").status_code == 404
    assert api_client.get(f"{API}/projects", params={"state": "dreaming"}).status_code == 422
    assert api_client.get(f"{API}/projects/0").status_code == 422
    r = api_client.get(f"{API}/due-date", params={"notice": "2026-11-02"})
    assert r.json()["due"] == "2027-01-08"
    assert api_client.get(f"{API}/due-date", params={"notice": "2020-01-01"}).status_code == 422
    terms = api_client.get(f"{API}/terms", params={"on": "2026-12-01"}).json()["terms"]
    assert {t["path"]: t["value"] for t in terms}["invest.mou.annual_cap"] == 20 * BN
