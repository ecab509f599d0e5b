"""Stockpile records: the joint line stays separate, figures as published, bad input refused."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tiro.core.errors import InvalidInput
from tiro.energy.stockpile.records import joint_stockpiling, position


def test_position_uses_the_last_published_figures():
    pos = position(dt.date(2026, 3, 18), daily_net_imports_kbbl=2_800)
    lines = {line["line"]: line for line in pos["lines"]}
    assert lines["government storage capacity"]["mbbl"] == 146.0  # chosun 2023-09-26
    assert "days" not in lines["government storage capacity"]
    # latest stock 100 Mbbl (segye 2025-12-22) / 2,800 kbbl/d = 35.714 days; private 95 Mbbl
    # (2025-10) / 2,800 = 33.929 days; joint 23.13 Mbbl / 2,800 = 8.2607 days
    assert lines["government stock"]["days"] == pytest.approx(35.71)
    assert (lines["government stock"]["as_of"], lines["private stock"]["days"]) == (
        "2025-12-22",
        pytest.approx(33.93),
    )
    joint = lines["international joint stockpile (priority right, separate)"]
    assert (joint["mbbl"], joint["days"], joint["as_of"]) == (23.13, 8.26, "2025-06-23")
    # before the 2009 total: the 2004 total of 13.3 Mbbl (Statoil 11.3 + UNIPEC 2.0)
    old = position(dt.date(2005, 1, 1))["lines"]
    assert [line["mbbl"] for line in old] == [13.3]


def test_contracts_add_up_to_the_2004_total():
    rows = [r for r in joint_stockpiling() if r["as_of"] <= "2004-06-01"]
    contracts = sum(r["volume_mbbl"] for r in rows if r["kind"] == "contract")
    total = next(r["volume_mbbl"] for r in rows if r["kind"] == "total")
    assert contracts == pytest.approx(total)


def test_refusals():
    with pytest.raises(InvalidInput) as exc:
        position(dt.date(1990, 1, 1))
    assert exc.value.field == "date"
    with pytest.raises(InvalidInput) as exc:
        position(dt.date(2026, 1, 1), daily_net_imports_kbbl=0)
    assert exc.value.field == "daily_net_imports_kbbl"


def test_cli_and_api(cli, api_client):
    out = cli(["energy", "stockpile", "position", "--date", "2026-03-18", "--json"])
    assert out.exit_code == 0, out.stderr
    assert json.loads(out.stdout)["lines"][-1]["mbbl"] == 23.13
    r = api_client.get("/api/v1/energy/stockpile/joint")
    assert r.status_code == 200 and r.json()["priority_rights_exercised"][0]["date"] == "2026-03-18"
    r = api_client.get(
        "/api/v1/energy/stockpile/position", params={"daily_net_imports_kbbl": "nan"}
    )
    assert r.status_code == 422
