"""Energy computation routes: stock days, supply facts, scenario and allocation, bad input."""

from __future__ import annotations

import json

import pytest
import yaml

from tiro.api.routers.energy_allocation import EXAMPLE_ALLOCATION
from tiro.api.routers.energy_disruption import EXAMPLE_SCENARIO


def _as_json(path):
    """The YAML example as the JSON body a client would send (dates as strings)."""
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


def test_stock_days_route(api_client):
    q = {
        "primary_net_imports_kt": 100_000,
        "product_net_imports_kt": 20_000,
        "crude_stocks_kt": 10_000,
        "product_stocks_kt": 5_000,
    }
    r = api_client.get("/api/v1/energy/stock-days", params=q)
    assert r.status_code == 200, r.text
    body = r.json()
    # (10,000 x 0.96 + 5,000 x 1.065) x 0.9 x 365 / (100,000 x 0.96 + 20,000 x 1.065) = 41.7976
    assert body["days"] == pytest.approx(41.7976, abs=1e-4)
    assert {e["path"] for e in body["explain"]} >= {"energy.stock_cover.naphtha_yield"}
    bad = api_client.get("/api/v1/energy/stock-days", params={**q, "product_stocks_kt": -1})
    assert bad.status_code == 422
    assert bad.json()["field"] == "product_stocks_kt"


def test_supply_routes(api_client):
    days = api_client.get("/api/v1/energy/stock-days/published").json()
    assert days[0]["total_days"] == pytest.approx(195.3)
    proc = api_client.get("/api/v1/energy/supply/procurement").json()
    assert [p["contracted"] for p in proc] == [24_000_000, 273_000_000, 2_100_000]
    assert all("sample" in p["provenance"] for p in proc)
    share = api_client.get("/api/v1/energy/supply/middle-east-share").json()
    assert {s["period"]: s["share"] for s in share}["2023"] == pytest.approx(0.719)
    bal = api_client.get("/api/v1/energy/supply/balance", params={"year": 2026}).json()
    assert bal[-1]["vs_normal_month"] == pytest.approx(0.9)  # report: May ~90% of normal
    assert api_client.get("/api/v1/energy/schemas").status_code == 200


def test_scenario_and_allocation_routes(api_client):
    body = _as_json(EXAMPLE_SCENARIO)
    r = api_client.post("/api/v1/energy/scenario/run", json=body)
    assert r.status_code == 200, r.text
    assert len(r.json()["path"]) == 120
    body["disruptions"][0]["share"] = 2
    bad = api_client.post("/api/v1/energy/scenario/run", json=body)
    assert bad.status_code == 422 and bad.json()["field"] == "disruptions.0.share"
    req = _as_json(EXAMPLE_ALLOCATION)
    r = api_client.post("/api/v1/energy/allocate", json=req)
    assert r.status_code == 200, r.text
    assert r.json()["allocated"] == pytest.approx(10_000)
    # the result carries the regional limits it was solved under (the page re-sends them)
    assert r.json()["regional_limits"] == {"ulsan": 4000, "yeosu": 3500}
    req["supply"] = -1
    bad = api_client.post("/api/v1/energy/allocate", json=req)
    assert bad.status_code == 422 and bad.json()["field"] == "supply"
    assert api_client.get("/api/v1/energy/allocate/example").json()["unmet"] == pytest.approx(4500)
