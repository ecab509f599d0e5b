"""Runs the YAML policy cases in tests/policy/energy/ (stock days, allocation).

Each case: name, date, input, output, margin; `overrides` applies a what-if parameter overlay
dated on the case's date (the baseline value is replaced from that date on).
"""

from __future__ import annotations

import pytest
from tests.policy.cases import case_params, load_cases

from tiro.energy.allocation.io import parse_request, run_allocation
from tiro.energy.supply.stock_cover import stock_days


@pytest.mark.parametrize("case", load_cases("energy", "stock_days.yaml"))
def test_stock_days_case(case):
    result = stock_days(params=case_params(case, "energy"), on=case["date"], **case["input"])
    for key, want in case["output"].items():
        assert result[key] == pytest.approx(want, abs=case.get("margin", 1e-6)), key


@pytest.mark.parametrize("case", load_cases("energy", "allocation.yaml"))
def test_allocation_case(case):
    request = parse_request({"date": case["date"], "product": "case", **case["input"]})
    result = run_allocation(request, params=case_params(case, "energy"))
    margin = case.get("margin", 1e-6)
    got = {c["customer_id"]: c["allocated"] for c in result["customers"]}
    for cid, want in case["output"]["allocated"].items():
        assert got[cid] == pytest.approx(want, abs=margin), cid
    unmet = {t["tier"]: t["unmet"] for t in result["tiers"]}
    for tier, want in case["output"]["unmet_by_tier"].items():
        assert unmet[int(tier)] == pytest.approx(want, abs=margin), tier
