"""Runner for tests/policy/invest/*.yaml (STYLE §7): worked examples with their arithmetic."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest
import yaml

from tiro.core.parameter_files import DatedValue
from tiro.core.parameters import ParameterTree, get_params
from tiro.invest.schedule import solve
from tiro.invest.terms import annual_cap, split_on
from tiro.invest.waterfall import reasonableness

CASES = Path(__file__).resolve().parents[1] / "policy" / "invest"


def _cases(name: str) -> list[dict]:
    return yaml.safe_load((CASES / name).read_text(encoding="utf-8"))


def _day(case: dict) -> dt.date:
    d = case["date"]
    return d if isinstance(d, dt.date) else dt.date.fromisoformat(d)


def _tree(case: dict) -> ParameterTree:
    """Baseline, or the baseline with each override in force from the MOU's signing on."""
    base = get_params()
    if not case.get("overrides"):
        return base
    leaves = {path: base.leaf(path) for path in base.paths()}
    for path, value in case["overrides"].items():
        first = leaves[path].values[0].effective_from
        new = DatedValue(first, value, {"title": case["name"], "section": "policy case"})
        leaves[path] = replace(leaves[path], values=(new,))
    return ParameterTree(leaves, "case")


def _close(got, want, margin):
    if want is None or isinstance(want, bool):
        assert got == want
    else:
        assert got == pytest.approx(want, abs=margin)


@pytest.mark.parametrize("case", _cases("reasonableness.yaml"), ids=lambda c: c["name"])
def test_reasonableness_cases(case: dict) -> None:
    params, inp = _tree(case), case["input"]
    got = reasonableness(inp["principal"], inp["cash_flows"], rate=inp["discount_rate"],
                         split=split_on(params, _day(case)))  # fmt: skip
    for key, want in case["output"].items():
        _close(got[key], want, case["margin"])


@pytest.mark.parametrize("case", _cases("schedule.yaml"), ids=lambda c: c["name"])
def test_schedule_cases(case: dict) -> None:
    params = _tree(case)
    frame = pl.DataFrame(case["input"]["lines"], orient="row",
                         schema=["project", "priority", "requested_year", "amount_usd"])  # fmt: skip
    plan = solve(frame, lambda year: annual_cap(params, year))
    _close(plan.by_year, case["output"]["by_year"], case["margin"])
