"""The API shell: health, parameters, problem+json errors, token auth and roles."""

from __future__ import annotations

import pytest


@pytest.mark.postgres
def test_health(api_client):
    response = api_client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_param_value_and_scenario(api_client, tree_root):
    body = api_client.get(
        "/api/v1/params/tariff.us.reciprocal.kr", params={"date": "2025-09-01"}
    ).json()
    assert body["value"] == 0.15 and body["effective_from"] == "2025-08-07"
    body = api_client.get(
        "/api/v1/params/tariff.us.reciprocal.kr",
        params={"date": "2026-01-01", "scenario": "no_deal"},
    ).json()
    assert body["value"] == 0.25 and body["scenario"] == "no_deal"


@pytest.mark.parametrize(
    ("path", "query", "status", "field"),
    [
        ("tariff.us.nothing", {"date": "2025-09-01"}, 404, "path"),
        ("tariff.us.reciprocal.kr", {"date": "2024-01-01"}, 422, "date"),
        ("tariff.us.reciprocal.kr", {"date": "yesterday"}, 422, "date"),
        ("tariff.us.reciprocal.kr", {}, 422, "date"),
        ("tariff.us.reciprocal.kr", {"date": "2025-09-01", "scenario": "nope"}, 404, "scenario"),
    ],
)
def test_errors_are_problem_json(api_client, tree_root, path, query, status, field):
    response = api_client.get(f"/api/v1/params/{path}", params=query)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["field"] == field and body["detail"]


def test_token_auth_and_roles(api_client, auth_headers):
    assert api_client.get("/api/v1/me").status_code == 401
    bad = api_client.get("/api/v1/me", headers={"Authorization": "Bearer tiro_nope"})
    assert bad.status_code == 401 and bad.json()["field"] == "Authorization"
    viewer = auth_headers("viewer")
    assert api_client.get("/api/v1/me", headers=viewer).json()["role"] == "viewer"
    assert api_client.get("/api/v1/audit/verify", headers=viewer).status_code == 403
    admin = auth_headers("admin")
    report = api_client.get("/api/v1/audit/verify", headers=admin).json()
    assert report["ok"] is True and report["entries"] == 4  # two users, two tokens


def test_openapi_and_index_page(api_client):
    assert "/api/v1/health" in api_client.get("/openapi.json").json()["paths"]
    page = api_client.get("/")
    assert page.status_code == 200 and "정책 상황판" in page.text
    assert api_client.get("/static/vendor/plotly.min.js").status_code == 200
