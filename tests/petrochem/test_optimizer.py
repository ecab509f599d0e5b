"""The optimiser: a small case solved by hand, infeasibility explained, and a property."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiro.core.errors import InvalidInput
from tiro.core.parameters import get_params
from tiro.petrochem import optimizer, planning, project_data, registry

RULES = optimizer.Settings(
    min_complex_cut_share=0.1, min_company_keep_share=0.3, derivative_cover_share=1.0
)
POOL = pl.DataFrame(
    {
        "unit": ["A", "B", "C", "D"],
        "company": ["X", "X", "Y", "Y"],
        "complex": ["c1", "c1", "c2", "c2"],
        "capacity_kt": [100.0, 200.0, 150.0, 300.0],
        "cost_suspend_musd": [10.0, 30.0, 12.0, 50.0],
        "cost_close_musd": [8.0, 25.0, 20.0, 40.0],
    }
)


def _cut(result: dict) -> dict[str, str]:
    return {u["unit"]: u["action"] for u in result["units"] if u["action"] != "keep"}


def test_small_case_by_hand():
    # Each complex cuts >= 10% of its base (c1 >= 30, c2 >= 45): one unit in each.
    # X keeps >= 90 of 300 (cuts <= 210: A or B alone); Y keeps >= 135 of 450 (C or D alone).
    # Pairs: A+C 250 kt, cost 8 (A close) + 12 (C suspend) = 20; B+C 350, 25+12 = 37;
    # A+D 400, 8+40 = 48; B+D 500, 25+40 = 65.
    r = optimizer.optimize(POOL, 250, {}, {}, RULES)
    assert (r["status"], r["cut_kt"], r["cost"]) == ("optimal", 250, 20)
    assert _cut(r) == {"A": "close", "C": "suspend"}
    assert r["by_complex"] == {"c1": 100, "c2": 150}
    r = optimizer.optimize(POOL, 260, {}, {}, RULES)  # A+C no longer enough: B+C
    assert (r["cut_kt"], r["cost"], _cut(r)) == (350, 37, {"B": "close", "C": "suspend"})


def test_fixed_decision_and_derivative_tie():
    r = optimizer.optimize(POOL, 250, {}, {"D": "suspend"}, RULES)  # A close 8 + D suspend 50
    assert (r["cost"], _cut(r)) == (58, {"A": "close", "D": "suspend"})
    # X's PE plants in c1 need 250 kt: X may cut at most 50 kt there - A (100) and B are tied,
    # so c1 cannot contribute and the target is infeasible until the tie is relaxed.
    r = optimizer.optimize(POOL, 250, {("X", "c1"): 250.0}, {}, RULES)
    assert r["status"] == "infeasible" and "derivative" in r["binding_rules"]


def test_infeasible_target_is_explained():
    r = optimizer.optimize(POOL, 600, {}, {}, RULES)  # at most B+D = 500 under the keep rule
    assert r["status"] == "infeasible" and r["max_feasible_cut_kt"] == 500
    assert r["binding_rules"] == ["company"]
    assert "largest feasible cut is 500 kt" in r["explanation"]


def test_target_above_total_is_refused():
    with pytest.raises(InvalidInput, match=r"outside 0\.\.750"):
        optimizer.optimize(POOL, 751, {}, {}, RULES)


@pytest.fixture(scope="module")
def shipped():
    units = registry.load_units()
    events = registry.load_events(units)
    on = dt.date(2026, 12, 5)
    actions = project_data.actions_on(project_data.load_projects(units), on)
    params = get_params()
    pool = planning.cost_pool(units, events, params, on)
    return units, events, actions, params, on, pool


def test_shipped_targets_hold_every_rule(shipped):
    units, events, actions, params, on, pool = shipped
    needs, rules = planning.derivative_needs(params, on), planning.settings(params, on)
    for target in (2700, 3700):
        r = planning.run(
            units=units, events=events, actions=actions, params=params, on=on, target_kt=target
        )
        assert r["status"] == "optimal" and r["cut_kt"] >= target
        assert {"unit": "lotte_daesan", "action": "suspend"} in r["fixed"]
        chosen = pool.join(pl.DataFrame(r["units"]).select("unit", "action"), on="unit", how="left")
        assert optimizer.violations(chosen, needs, {"lotte_daesan": "suspend"}, rules, target) == []
        assert set(r["by_complex"]) == {"yeosu", "daesan", "ulsan"}  # every complex contributes


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(target=st.floats(min_value=0, max_value=3950))
def test_property_answer_reaches_target_within_rules(shipped, target):
    _, _, _, params, on, pool = shipped
    needs, rules = planning.derivative_needs(params, on), planning.settings(params, on)
    fixed = {"lotte_daesan": "suspend"}
    r = optimizer.optimize(pool, target, needs, fixed, rules)
    assert r["status"] == "optimal"  # 3,950 kt is the largest feasible cut (see explanation test)
    chosen = pool.join(pl.DataFrame(r["units"]).select("unit", "action"), on="unit", how="left")
    assert r["cut_kt"] >= target
    assert optimizer.violations(chosen, needs, fixed, rules, target) == []


def test_shipped_infeasible_above_the_rules(shipped):
    _, _, _, params, on, pool = shipped
    needs, rules = planning.derivative_needs(params, on), planning.settings(params, on)
    r = optimizer.optimize(pool, 4000, needs, {"lotte_daesan": "suspend"}, rules)
    assert r["status"] == "infeasible" and r["max_feasible_cut_kt"] == 3950


def test_cli_optimize_json_contract(cli):
    result = cli(["petrochem", "optimize", "--target-kt", "2700", "--date", "2026-12-05", "--json"])
    assert result.exit_code == 0, result.stderr
    import json

    d = json.loads(result.stdout)
    assert {"status", "target_kt", "cut_kt", "units", "cost", "by_complex"} <= set(d)
    assert set(d["units"][0]) >= {"unit", "complex", "action", "capacity_kt"}
    assert d["status"] == "optimal" and d["cut_kt"] >= 2700
    result = cli(["petrochem", "optimize", "--target-kt", "20000", "--json"])
    assert result.exit_code == 2 and "target_kt" in result.stderr and result.stdout == ""
    result = cli(["petrochem", "optimize", "--target-kt", "5000", "--json", "--date", "2026-12-05"])
    d = json.loads(result.stdout)
    assert d["status"] == "infeasible" and d["max_feasible_cut_kt"] == 3950
