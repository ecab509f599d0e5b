"""Runner for tests/policy/trade/{working_days,fdi_cash_grant}.yaml (STYLE §7)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest
import yaml

from tiro.core.parameter_files import DatedValue
from tiro.core.parameters import ParameterTree, get_params
from tiro.trade.calendar import month_working_days, window_working_days
from tiro.trade.fdi_incentives import cash_grant

CASES = Path(__file__).resolve().parents[1] / "policy" / "trade"


def _cases(name: str) -> list[dict]:
    return yaml.safe_load((CASES / name).read_text())


def _tree(case: dict) -> ParameterTree:
    """Baseline, or the baseline with each override in force from the case's date."""
    base = get_params()
    if not case.get("overrides"):
        return base
    leaves = {path: base.leaf(path) for path in base.paths()}
    for path, value in case["overrides"].items():
        leaf = leaves[path]
        when = (
            case["date"]
            if isinstance(case["date"], dt.date)
            else dt.date.fromisoformat(case["date"])
        )
        kept = tuple(v for v in leaf.values if v.effective_from < when)
        new = DatedValue(when, value, {"title": case["name"], "section": "policy case"})
        leaves[path] = replace(leaf, values=(*kept, new))
    return ParameterTree(leaves, "case")


@pytest.mark.parametrize("case", _cases("working_days.yaml"), ids=lambda c: c["name"])
def test_working_day_cases(case: dict) -> None:
    params, inp = _tree(case), case["input"]
    if "last_day" in inp:
        got = window_working_days(inp["month"], inp["last_day"], params=params)
    else:
        got = month_working_days(inp["month"], params=params)
    assert got == pytest.approx(case["output"]["working_days"], abs=case["margin"])


@pytest.mark.parametrize("case", _cases("fdi_cash_grant.yaml"), ids=lambda c: c["name"])
def test_cash_grant_cases(case: dict) -> None:
    on = case["date"] if isinstance(case["date"], dt.date) else dt.date.fromisoformat(case["date"])
    row = cash_grant(pl.DataFrame([case["input"]]), on=on, params=_tree(case)).row(0, named=True)
    for key, expected in case["output"].items():
        assert row[key] == pytest.approx(expected, abs=case["margin"]), key
