"""Over HTTP a scenario is a shipped name, never a file on the server (issue 9 item 20)."""

from __future__ import annotations

import pytest

from tiro.api.deps import http_params, http_scenario
from tiro.core.errors import InvalidInput, NotFound

PATH_LIKE = [
    "/etc/hosts.yaml",
    "../../params/scenarios/no_deal",
    "scenarios/no_deal",
    "..\\\\no_deal",
    "no_deal.yaml",
    "no_deal.yml",
    "..",
    "no deal",
    "no_deal\x00",
]


@pytest.mark.parametrize("name", PATH_LIKE)
def test_path_like_names_are_refused(tree_root, name):
    with pytest.raises(InvalidInput) as caught:
        http_scenario(name)
    assert caught.value.field == "scenario" and caught.value.status == 422


def test_shipped_and_baseline_names_pass(tree_root):
    assert http_scenario("no_deal") == "no_deal"
    for name in (None, "", "actual", "baseline"):
        assert http_scenario(name) == name
    assert http_params("no_deal").at("tariff.us.reciprocal.kr", "2026-01-01") == 0.25
    with pytest.raises(NotFound) as caught:
        http_scenario("nope")
    assert caught.value.field == "scenario"


def test_a_user_yaml_on_the_server_is_not_read(api_client, tree_root, tmp_path):
    # A perfectly valid scenario file the server could read: the old route loaded it.
    own = tmp_path / "mine.yaml"
    own.write_text((tree_root / "scenarios/no_deal.yaml").read_text(encoding="utf-8"))
    for name in (str(own), "../scenarios/no_deal", "no_deal.yaml"):
        response = api_client.get(
            "/api/v1/params/tariff.us.reciprocal.kr",
            params={"date": "2026-01-01", "scenario": name},
        )
        assert response.status_code == 422, name
        body = response.json()
        assert body["field"] == "scenario"
        assert str(tmp_path) not in response.text


REF = {"title": "what-if", "section": "1"}


def test_an_overlay_object_from_a_request_body(tree_root):
    overlay = {
        "description": "what if 20%",
        "overrides": {"tariff.us.reciprocal.kr": {"2026-01-01": {"value": 0.2, "reference": REF}}},
    }
    tree = http_params(overlay)
    assert tree.scenario == "request"
    assert tree.at("tariff.us.reciprocal.kr", "2026-01-01") == 0.2
    assert tree.at("tariff.us.reciprocal.kr", "2025-09-01") == 0.15  # history kept
    on_top = http_params("no_deal", overlay)
    assert on_top.at("tariff.us.reciprocal.kr", "2025-09-01") == 0.25
    assert on_top.at("tariff.us.reciprocal.kr", "2026-01-01") == 0.2


@pytest.mark.parametrize(
    ("overlay", "field", "reason"),
    [
        ("no_deal.yaml", "scenario", "not a scenario name"),
        ([1], "scenario", "must be an object"),
        ({"overrides": {}, "path": "/etc"}, "scenario", "unknown keys: path"),
        ({"overrides": {}}, "scenario.overrides", "must map"),
        (
            {"overrides": {f"a{i}": {} for i in range(51)}},
            "scenario.overrides",
            "at most 50",
        ),
        (
            {"overrides": {"tariff.us.reciprocal.kr": {"soon": {"value": 1, "reference": REF}}}},
            "scenario.overrides.tariff.us.reciprocal.kr",
            "'soon' is not a date",
        ),
        (
            {
                "overrides": {
                    "tariff.us.reciprocal.kr": {
                        "2026-01-01": {"value": float("nan"), "reference": REF}
                    }
                }
            },
            "scenario.overrides.tariff.us.reciprocal.kr",
            "not a finite number",
        ),
        (
            {"overrides": {"tariff.us.reciprocal.kr": {"2026-01-01": {"value": 0.2}}}},
            "scenario.overrides.tariff.us.reciprocal.kr",
            "has no reference",
        ),
        (
            {
                "overrides": {
                    "test.by_chapter": {"2026-01-01": {"value": {"99": 1}, "reference": REF}}
                }
            },
            "scenario",
            "has no hs_chapter 99",
        ),
        (
            {"overrides": {"test.by_chapter": {"2026-01-01": {"value": 0.1, "reference": REF}}}},
            "scenario",
            "must be a mapping",
        ),
    ],
)
def test_bad_overlays_are_invalid_input(tree_root, overlay, field, reason):
    with pytest.raises(InvalidInput) as caught:
        if isinstance(overlay, str):
            http_params(overlay)
        else:
            http_params(None, overlay)
    assert caught.value.field == field and reason in caught.value.message


def test_every_get_route_with_a_scenario_query_refuses_a_path(api_client):
    """Each GET route taking ``?scenario=`` (and nothing else required) refuses a path that
    would resolve to a real, valid scenario file — so a route that skipped the helper shows."""
    spec = api_client.get("/openapi.json").json()
    checked = []
    for path, operations in spec["paths"].items():
        operation = operations.get("get")
        if operation is None or "{" in path:
            continue
        params = operation.get("parameters", [])
        names = {p["name"] for p in params if p["in"] == "query"}
        required = {p["name"] for p in params if p.get("required")}
        if "scenario" not in names or required - {"scenario"}:
            continue
        response = api_client.get(path, params={"scenario": "../scenarios/no_deal"})
        assert response.status_code == 422, (path, response.status_code, response.text[:200])
        assert response.json()["field"] == "scenario", path
        checked.append(path)
    assert "/api/v1/energy/alerts/replay" in checked and "/api/v1/trade/labels" in checked
    print(f"{len(checked)} routes checked: {checked}")
