"""Runs the KPI worked examples in tests/policy/manufacturing/kpi.yaml.

Each case: name, date, input (one measurement), output, margin; ``overrides`` is a what-if
parameter overlay from the case's date on.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from tiro.core.parameters import get_params
from tiro.manufacturing import kpi

CASES = Path(__file__).resolve().parents[1] / "policy" / "manufacturing"


def _cases(name: str) -> list:
    cases = yaml.safe_load((CASES / name).read_text(encoding="utf-8"))
    return [pytest.param(c, id=c["name"]) for c in cases]


def _params(case: dict, tmp_path: Path):
    params = get_params()
    if not case.get("overrides"):
        return params
    ref = {"title": f"policy case what-if: {case['name']}", "section": "tests/policy/manufacturing"}
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


@pytest.mark.parametrize("case", _cases("kpi.yaml"))
def test_kpi_case(case, tmp_path):
    on = case["date"] if isinstance(case["date"], dt.date) else dt.date.fromisoformat(case["date"])
    got = kpi.one(**case["input"], params=_params(case, tmp_path), on=on)
    for key, want in case["output"].items():
        if isinstance(want, float):
            assert got[key] == pytest.approx(want, abs=case["margin"]), key
        else:
            assert got[key] == want, key
