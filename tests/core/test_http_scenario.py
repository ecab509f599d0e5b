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
