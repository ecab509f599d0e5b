"""The working-days contract on the CLI and the API."""

from __future__ import annotations

import json


def test_cli_working_days_contract(cli) -> None:
    result = cli(["trade", "working-days", "--month", "2025-10", "--json"])
    assert result.exit_code == 0, result.stderr
    # 2025-10: Chuseok + 한글날 + substitute holiday -> 20 (see test_calendar).
    assert json.loads(result.stdout) == {"month": "2025-10", "working_days": 20.0}


def test_cli_working_days_bad_month_is_one_stderr_line(cli) -> None:
    result = cli(["trade", "working-days", "--month", "2025-13", "--json"])
    assert result.exit_code != 0
    assert result.stderr.strip() == "error: month: '2025-13' is not a month (YYYY-MM)"
    assert result.stdout == ""


def test_api_working_days_and_range(api_client) -> None:
    one = api_client.get("/api/v1/trade/working-days", params={"month": "2026-02"})
    assert one.status_code == 200
    assert one.json() == {"month": "2026-02", "working_days": 19.0}
    rng = api_client.get("/api/v1/trade/working-days", params={"month": "2026-01", "to": "2026-02"})
    rows = rng.json()["months"]
    assert [(r["month"], r["working_days"], r["seol_days"]) for r in rows] == [
        ("2026-01", 23.5, 0),
        ("2026-02", 19.0, 3),
    ]
    bad = api_client.get("/api/v1/trade/working-days", params={"month": "2026/02"})
    assert bad.status_code == 422 and bad.json()["field"] == "month"
