"""Runs the YAML policy cases in tests/policy/energy/ (stock days, allocation).

Each case: name, date, input, output, margin; `overrides` applies a what-if parameter overlay
dated on the case's date (the baseline value is replaced from that date on).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tiro.core.parameters import get_params
from tiro.energy.allocation.io import parse_request, run_allocation
from tiro.energy.supply.stock_cover import stock_days

CASES = Path(__file__).resolve().parents[1] / "policy" / "energy"


def _cases(name: str) -> list[dict]:
    cases = yaml.safe_load((CASES / name).read_text(encoding="utf-8"))
    return [pytest.param(c, id=c["name"]) for c in cases]


def _params(case: dict, tmp_path: Path):
    params = get_params()
    if not case.get("overrides"):
        return params
    ref = {"title": f"policy case what-if: {case['name']}", "section": "tests/policy/energy"}
    overlay = {
        "description": f"what-if for {case['name']}",
        "overrides": {
            path: {case["date"]: {"value": value, "reference": ref}}
            for path, value in case["overrides"].items()
        },
    }
    file = tmp_path / "whatif.yaml"
    file.write_text(yaml.safe_dump(overlay, allow_unicode=True), encoding="utf-8")
    return params.with_scenario(file)


@pytest.mark.parametrize("case", _cases("stock_days.yaml"))
def test_stock_days_case(case, tmp_path):
    result = stock_days(params=_params(case, tmp_path), on=case["date"], **case["input"])
    for key, want in case["output"].items():
        assert result[key] == pytest.approx(want, abs=case.get("margin", 1e-6)), key


@pytest.mark.parametrize("case", _cases("allocation.yaml"))
def test_allocation_case(case, tmp_path):
    request = parse_request({"date": case["date"], "product": "case", **case["input"]})
    result = run_allocation(request, params=_params(case, tmp_path))
    margin = case.get("margin", 1e-6)
    got = {c["customer_id"]: c["allocated"] for c in result["customers"]}
    for cid, want in case["output"]["allocated"].items():
        assert got[cid] == pytest.approx(want, abs=margin), cid
    unmet = {t["tier"]: t["unmet"] for t in result["tiers"]}
    for tier, want in case["output"]["unmet_by_tier"].items():
        assert unmet[int(tier)] == pytest.approx(want, abs=margin), tier
