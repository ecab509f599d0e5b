"""Runs the YAML policy cases in tests/policy/petrochem/ (cracker economics).

Each case: name, date, input (one cracker), output, margin; ``overrides`` is a what-if
parameter overlay from the case's date on.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from tests.policy.cases import case_params, load_cases

from tiro.petrochem.economics import unit_costs


@pytest.mark.parametrize("case", load_cases("petrochem", "economics.yaml"))
def test_economics_case(case):
    unit = pl.DataFrame([{"unit": "u", **case["input"]}])
    on = case["date"] if isinstance(case["date"], dt.date) else dt.date.fromisoformat(case["date"])
    row = unit_costs(unit, case_params(case, "petrochem"), on).row(0, named=True)
    for key, want in case["output"].items():
        assert row[key] == pytest.approx(want, abs=case.get("margin", 1e-6)), key
