"""Target tracking: gross cuts beside the net change once Shaheen starts (issue 15 item 2)."""

from __future__ import annotations

import json


def _target(cli, day: str) -> dict:
    result = cli(["petrochem", "target", "--date", day, "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_on_the_report_date(cli):
    d = _target(cli, "2026-05-27")
    assert d["target_kt"] == {"low": 2700, "high": 3700}
    assert d["base_kt"] == 12935 + 1800  # base includes Shaheen
    assert d["target_share_of_base"] == {
        "low": round(2700 / 14735, 4),
        "high": round(3700 / 14735, 4),
    }
    assert d["gross"]["approved_cut_kt"] == 1100  # project 1, Lotte Daesan
    assert d["gross"]["proposed_cut_kt"] == 470 + 1200  # YNCC No.3, LG Yeosu No.1 (press)
    assert d["net"]["net_change_kt"] == -1100


def test_net_turns_positive_when_shaheen_starts(cli):
    d = _target(cli, "2027-06-01")
    assert d["net"]["planned_additions_started_kt"] == 1800
    assert d["net"]["net_change_kt"] == 1800 - 1100  # gross cut 1.1 Mt, national capacity +0.7 Mt
    assert d["net"]["approved_cut_net_of_additions_kt"] == 1100 - 1800


def test_before_any_project(cli):
    d = _target(cli, "2025-09-01")
    assert d["gross"]["approved_cut_kt"] == 0 and d["gross"]["proposed_cut_kt"] == 0
