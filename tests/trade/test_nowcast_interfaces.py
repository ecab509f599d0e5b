"""Nowcast, seasonal adjustment and projection through the CLI and the API."""

from __future__ import annotations

import json

import pytest


def test_cli_nowcast_errors_report_both_methods(cli) -> None:
    result = cli(["trade", "nowcast", "--json"])
    assert result.exit_code == 0, result.stderr
    twenty = json.loads(result.stdout)["windows"]["20"]
    assert twenty["calibrated"]["mape"] < twenty["pro_rata"]["mape"]


def test_api_nowcast_for_march_2026_flash(api_client) -> None:
    got = api_client.get(
        "/api/v1/trade/nowcast", params={"month": "2026-03", "flash": 21.5, "day": 10}
    ).json()
    # Mar 2026: 6.5 working days in 1-10, 23 in the month: 21.5 / 6.5 * 23 = 76.08 pro rata.
    assert got["working_days_flash"] == 6.5 and got["working_days_month"] == 23.0
    assert got["pro_rata_usd_bn"] == pytest.approx(76.077, abs=1e-3)
    assert got["nowcast_usd_bn"] > got["pro_rata_usd_bn"]


def test_cli_project_backtest_and_api_seasonal(cli, api_client) -> None:
    result = cli(["trade", "project", "--year", "2025", "--through", "2025-11", "--json"])
    out = json.loads(result.stdout)
    assert out["through"] == "2025-11" and out["ytd_usd_bn"] == pytest.approx(640.99)
    sa = api_client.get("/api/v1/trade/seasonal").json()
    assert sa["method"] in {"stl", "x13"} and len(sa["rows"]) == 26
    bad = api_client.get("/api/v1/trade/projection", params={"year": 2025})
    assert bad.status_code == 422 and bad.json()["field"] == "year"


def test_api_nowcast_month_without_flash_is_refused(api_client) -> None:
    bad = api_client.get("/api/v1/trade/nowcast", params={"month": "2026-03"})
    assert bad.status_code == 422 and bad.json()["field"] == "flash"
