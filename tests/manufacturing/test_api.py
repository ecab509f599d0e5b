"""``/api/v1/manufacturing``: contracts, roles, refusals as problem+json with nothing written."""

from __future__ import annotations

import pytest

BASE = "/api/v1/manufacturing"


def test_kpi_contract_and_refusals(api_client):
    r = api_client.get(f"{BASE}/kpi", params={"kpi": "work_time", "before": 8, "after": 7})
    assert r.status_code == 200
    got = r.json()
    assert list(got)[:4] == ["kpi", "effect", "direction", "meets_target"]
    assert (got["effect"], got["meets_target"]) == (-0.125, False)
    for params, field in (
        ({"kpi": "speed", "before": 8, "after": 7}, "kpi"),
        ({"kpi": "work_time", "before": -8, "after": 7}, "before"),
        ({"kpi": "work_time", "before": "nan", "after": 7}, "before"),
        ({"kpi": "work_time", "before": 8, "after": "inf"}, "after"),
        ({"kpi": "defect_rate", "before": 2, "after": 0.1}, "before"),
    ):
        r = api_client.get(f"{BASE}/kpi", params=params)
        assert r.status_code == 422, params
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["field"] == field, r.json()


def test_effects_aggregate(api_client):
    body = {"measurements": [
        {"kpi": "defect_rate", "before": 0.1, "after": 0.05, "weight": 1},
        {"kpi": "defect_rate", "before": 0.1, "after": 0.08, "weight": 1},
        {"kpi": "defect_rate", "before": 0.1, "after": 0.02, "weight": 2},
    ], "date": "2026-06-01"}  # fmt: skip
    agg = api_client.post(f"{BASE}/kpi/effects", json=body).json()["aggregates"][0]
    assert agg["median_effect"] == pytest.approx(-0.5)
    assert agg["weighted_effect"] == pytest.approx(-0.575)
    body["measurements"][0]["colour"] = "red"
    assert api_client.post(f"{BASE}/kpi/effects", json=body).status_code == 422


def test_registry_weibull_progress(api_client):
    assert (
        api_client.get(f"{BASE}/registry", params={"date": "2025-12-24"}).json()["members"] == 1300
    )
    facts = api_client.get(f"{BASE}/registry/facts").json()
    assert facts and all(f["agrees"] for f in facts)
    w = api_client.get(f"{BASE}/reliability/weibull", params={"dataset": "reliability:automotive"})
    assert w.json()["beta"] == pytest.approx(1.154427, rel=1e-6)
    assert w.json()["beta_se"] == pytest.approx(0.29614, rel=1e-4)
    bad = api_client.get(f"{BASE}/reliability/weibull", params={"dataset": "rpart:solder"})
    assert bad.status_code == 422 and bad.json()["field"] == "dataset"
    assert api_client.get(f"{BASE}/progress", params={"date": "2026-12-31"}).json()[
        "ai_factories"] == 205  # fmt: skip


def test_train_register_alias_roles_and_hash_refusal(api_client, auth_headers):
    body = {"recipe": "automotive_life", "register_as": "life"}
    assert api_client.post(f"{BASE}/models/train", json=body).status_code == 401
    viewer = auth_headers("viewer")
    assert api_client.post(f"{BASE}/models/train", json=body, headers=viewer).status_code == 403
    analyst = auth_headers("analyst")
    r = api_client.post(f"{BASE}/models/train", json=body, headers=analyst)
    assert r.status_code == 200, r.text
    assert r.json()["registered"] == {"name": "life", "version": 1}
    bad = api_client.post(f"{BASE}/models/train", headers=analyst,
                          json={**body, "expect_hash": "0" * 64})  # fmt: skip
    assert bad.status_code == 409 and bad.json()["field"] == "expect_hash"
    assert [m["version"] for m in api_client.get(f"{BASE}/models").json()] == [1]
    alias = {"alias": "champion", "version": 1}
    r = api_client.post(f"{BASE}/models/life/aliases", json=alias, headers=analyst)
    assert r.status_code == 403
    r = api_client.post(f"{BASE}/models/life/aliases", json=alias, headers=auth_headers("operator"))
    assert r.status_code == 201
    assert (
        api_client.get(f"{BASE}/models/life", params={"alias": "champion"}).json()["version"] == 1
    )
    missing = api_client.get(f"{BASE}/models/life", params={"alias": "gold"})
    assert missing.status_code == 404 and missing.json()["field"] == "alias"


def test_rules_record_score_and_unknown_column(api_client, auth_headers):
    analyst = auth_headers("analyst")
    rule = {"rule_id": "small-thin", "author": "line lead", "statement": "small+thin skips",
            "dataset": "rpart:solder",
            "conditions": [{"column": "Opening", "op": "==", "value": "S"},
                           {"column": "Solder", "op": "==", "value": "Thin"}],
            "outcome": {"column": "skips", "op": ">=", "value": 10}}  # fmt: skip
    assert api_client.post(f"{BASE}/rules", json=rule, headers=analyst).status_code == 201
    score = api_client.get(f"{BASE}/rules/small-thin/score").json()["score"]
    assert (score["matched"], score["hits"]) == (150, 100)
    bad = {**rule, "outcome": {"column": "defects", "op": ">", "value": 1}}
    r = api_client.post(f"{BASE}/rules", json=bad, headers=analyst)
    assert r.status_code == 422 and r.json()["field"] == "outcome.column"
    assert [x["version"] for x in api_client.get(f"{BASE}/rules").json()] == [1]
