"""Runs the KPI worked examples in tests/policy/manufacturing/kpi.yaml.

Each case: name, date, input (one measurement), output, margin; ``overrides`` is a what-if
parameter overlay from the case's date on.
"""

from __future__ import annotations

import datetime as dt

import pytest
from tests.policy.cases import case_params, load_cases

from tiro.manufacturing.programme import kpi


@pytest.mark.parametrize("case", load_cases("manufacturing", "kpi.yaml"))
def test_kpi_case(case):
    on = case["date"] if isinstance(case["date"], dt.date) else dt.date.fromisoformat(case["date"])
    got = kpi.one(**case["input"], params=case_params(case, "manufacturing"), on=on)
    for key, want in case["output"].items():
        if isinstance(want, float):
            assert got[key] == pytest.approx(want, abs=case["margin"]), key
        else:
            assert got[key] == want, key
