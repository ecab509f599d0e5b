"""`alert evaluate` starts from the level in force, as the dashboard shows it (issue 10 item 7).

It used to report ``current_level: 정상`` whenever ``--current-level`` was left out, while
the page showed crude at 주의: the rules then ignored hysteresis the official would apply.
The seeded timeline (report section 3) decides crude 관심 2026-03-05, 주의 2026-03-18,
경계 2026-04-02 and back to 주의 2026-07-01.
"""

from __future__ import annotations

import json

import pytest

CRUDE = ["energy", "alert", "evaluate", "--resource", "crude", "--price-change", "0.45"]


@pytest.mark.parametrize(
    ("on", "level", "since"),
    [("2026-03-01", None, None), ("2026-03-20", "주의", "2026-03-18"),
     ("2026-05-01", "경계", "2026-04-02"), ("2026-08-01", "주의", "2026-07-01")],
)  # fmt: skip
def test_cli_defaults_to_the_decided_level(cli, on, level, since):
    assert cli(["db", "seed"]).exit_code == 0
    default = json.loads(cli([*CRUDE, "--on", on, "--json"]).stdout)
    if level is None:
        assert default["current_level"] == "정상"
        assert default["current_level_source"] == "no decision recorded"
        return
    assert default["current_level"] == level
    assert default["current_level_source"] == f"decision of {since}"
    # the same as saying the level in force explicitly
    explicit = json.loads(cli([*CRUDE, "--on", on, "--current-level", level, "--json"]).stdout)
    assert explicit["current_level_source"] == "--current-level"
    del default["current_level_source"], explicit["current_level_source"]
    assert default == explicit


def test_cli_human_line_names_the_level_in_force(cli):
    assert cli(["db", "seed"]).exit_code == 0
    out = cli([*CRUDE, "--on", "2026-05-01"]).stdout
    assert "in force: 경계 (decision of 2026-04-02)" in out


def test_cli_without_decisions_starts_from_normal(cli):
    data = json.loads(cli([*CRUDE, "--on", "2026-05-01", "--json"]).stdout)
    assert (data["current_level"], data["current_level_source"]) == ("정상", "no decision recorded")


def test_api_defaults_to_the_decided_level(cli, api_client):
    assert cli(["db", "seed"]).exit_code == 0
    body = {"resource": "crude", "price_change": 0.45, "on": "2026-05-01"}
    default = api_client.post("/api/v1/energy/alerts/evaluate", json=body).json()
    assert default["current_level"] == "경계"
    assert default["current_level_source"] == "decision of 2026-04-02"
    current = api_client.get("/api/v1/energy/alerts/current", params={"on": "2026-05-01"}).json()
    assert {c["resource"]: c["level"] for c in current}["crude"] == "경계"
    given = api_client.post(
        "/api/v1/energy/alerts/evaluate", json=body | {"current_level": "정상"}
    ).json()
    assert (given["current_level"], given["current_level_source"]) == ("정상", "current_level")
