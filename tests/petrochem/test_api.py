"""Petrochem API: the same answers as the engines, roles, and problem+json refusals."""

from __future__ import annotations

import pytest

from tiro.core.db import get_engine, session_scope
from tiro.petrochem import reference

API = "/api/v1/petrochem"


@pytest.fixture
def seeded_client(api_client, configured):
    with session_scope(get_engine(configured)) as s:
        reference.load_reference(session=s)
    return api_client


def test_capacity_and_series(api_client):
    r = api_client.get(f"{API}/capacity", params={"date": "2025-01-01"})
    assert r.status_code == 200 and r.json()["total_kt"] == 12935
    series = api_client.get(f"{API}/capacity/series", params={"start": 2026, "end": 2027}).json()
    assert [s["total_kt"] for s in series] == [12935, 12935 - 1100 + 1800]
    r = api_client.get(f"{API}/capacity/series", params={"start": 1950, "end": 2100})
    assert r.status_code == 422 and r.json()["field"] == "end"
    assert api_client.get(f"{API}/capacity", params={"date": "2025-13-01"}).status_code == 422


def test_target_and_optimize(seeded_client):
    t = seeded_client.get(f"{API}/target", params={"date": "2026-05-27"}).json()
    assert t["gross"]["approved_cut_kt"] == 1100 and t["gross"]["proposed_cut_kt"] == 1670
    o = seeded_client.get(f"{API}/optimize", params={"target_kt": 2700, "date": "2026-12-05"})
    assert o.status_code == 200 and o.json()["cut_kt"] == 2950
    o = seeded_client.get(f"{API}/optimize", params={"target_kt": 14000, "date": "2026-12-05"})
    assert o.status_code == 200 and o.json()["status"] == "infeasible"  # within the base
    o = seeded_client.get(f"{API}/optimize", params={"target_kt": 15000, "date": "2026-12-05"})
    assert o.status_code == 422 and o.json()["field"] == "target_kt"  # above the 14,735 base
    assert seeded_client.get(f"{API}/optimize", params={"target_kt": 200000}).status_code == 422
    assert seeded_client.get(f"{API}/optimize", params={"target_kt": "nan"}).status_code == 422


def test_advance_needs_operator_and_refuses_wrong_moves(seeded_client, auth_headers):
    url = f"{API}/projects/yeosu-3/advance"
    body = {"to": "approved", "role": "ministry", "date": "2026-06-01"}
    assert seeded_client.post(url, json=body).status_code == 401
    assert seeded_client.post(url, json=body, headers=auth_headers("viewer")).status_code == 403
    op = auth_headers("operator")
    r = seeded_client.post(url, json=body, headers=op)
    assert r.status_code == 409 and r.headers["content-type"].startswith("application/problem")
    r = seeded_client.post(
        url, json={**body, "to": "final_submitted", "role": "company"}, headers=op
    )
    assert r.status_code == 201 and r.json()["state"] == "final_submitted"
    assert (
        seeded_client.post(f"{API}/projects/nope/advance", json=body, headers=op).status_code == 404
    )
    r = seeded_client.post(url, json={**body, "extra": 1}, headers=op)
    assert r.status_code == 422


def test_economics(api_client):
    d = api_client.get(f"{API}/economics", params={"date": "2027-01-01"}).json()
    assert d["spread_usd_t"] == 950 - 600
    costs = [u["net_cash_cost_usd_t"] for u in d["units"]]
    assert costs == sorted(costs) and d["units"][0]["unit"] == "soil_shaheen"


def test_packages_and_disburse(seeded_client, auth_headers):
    d = seeded_client.get(f"{API}/packages", params={"date": "2026-06-01"}).json()
    items = d["projects"]["daesan-1"]["items"]
    money = next(i for i in items if i["kind"] == "finance")
    url = f"{API}/packages/items/{money['id']}/disburse"
    op = auth_headers("operator")
    r = seeded_client.post(url, json={"amount_krw": 10, "date": "2026-01-15"}, headers=op)
    assert r.status_code == 409 and r.json()["field"] == "condition"
    r = seeded_client.post(url, json={"amount_krw": 10, "date": "2026-03-01"}, headers=op)
    assert r.status_code == 201 and r.json()["disbursed_krw"] == 10
    assert seeded_client.post(url, json={"amount_krw": 0}, headers=op).status_code == 422
