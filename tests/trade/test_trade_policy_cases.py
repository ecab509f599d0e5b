"""Runner for the share/growth cases in ``tests/policy/trade/`` (``indicator: share|yoy``;
the calendar cases in the same folder have their own runner)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tiro.core.parameters import get_params
from tiro.trade import growth, shares
from tiro.trade.service import latest_flows

CASES = [
    case
    for file in sorted((Path(__file__).parents[1] / "policy" / "trade").glob("*.yaml"))
    for case in yaml.safe_load(file.read_text(encoding="utf-8")) or []
    if isinstance(case, dict) and case.get("indicator") in ("share", "yoy")
]


@pytest.fixture(scope="module")
def flows():
    return latest_flows(basis="MOTIE", vintage="provisional")


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_policy_case(case, flows):
    period = str(case["date"])
    if case["indicator"] == "share":
        out = shares.shares(flows, period=period, by=case["by"], params=get_params())
        got = out["groups"][case["key"]]
    else:
        got = growth.yoy(growth.series(flows, basis="MOTIE"), period)["growth"]
    assert got == pytest.approx(case["output"], abs=case["margin"])
