"""Runs the YAML policy cases in tests/policy/petrochem/ (cracker economics).

Each case: name, date, input (one cracker), output, margin; ``overrides`` is a what-if
parameter overlay from the case's date on.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
import yaml

from tiro.core.parameters import get_params
from tiro.petrochem.economics import unit_costs

CASES = Path(__file__).resolve().parents[1] / "policy" / "petrochem"


def _cases(name: str) -> list:
    cases = yaml.safe_load((CASES / name).read_text(encoding="utf-8"))
    return [pytest.param(c, id=c["name"]) for c in cases]


def _params(case: dict, tmp_path: Path):
    params = get_params()
    if not case.get("overrides"):
        return params
    ref = {"title": f"policy case what-if: {case['name']}", "section": "tests/policy/petrochem"}
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


@pytest.mark.parametrize("case", _cases("economics.yaml"))
def test_economics_case(case, tmp_path):
    unit = pl.DataFrame([{"unit": "u", **case["input"]}])
    on = case["date"] if isinstance(case["date"], dt.date) else dt.date.fromisoformat(case["date"])
    row = unit_costs(unit, _params(case, tmp_path), on).row(0, named=True)
    for key, want in case["output"].items():
        assert row[key] == pytest.approx(want, abs=case.get("margin", 1e-6)), key
