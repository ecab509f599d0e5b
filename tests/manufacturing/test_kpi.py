"""KPI engine (issue 16 item 2): the CLI contract, refusals, programme aggregates."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest

from tiro.core.errors import InvalidInput
from tiro.core.parameters import get_params
from tiro.manufacturing.programme import kpi

ON = dt.date(2026, 6, 1)


def test_cli_contract_work_time(cli):
    out = cli(["manufacturing", "kpi", "--kpi", "work_time", "--before", "8.0", "--after", "7.0",
               "--json"])  # fmt: skip
    assert out.exit_code == 0, out.stderr
    got = json.loads(out.stdout)
    assert got == {"kpi": "work_time", "effect": -0.125, "direction": "lower_is_better",
                   "meets_target": False}  # fmt: skip


def test_cli_explain_names_the_target_parameter(cli):
    out = cli(["manufacturing", "kpi", "--kpi", "defect_rate", "--before", "0.04", "--after",
               "0.02", "--date", "2026-03-01", "--explain", "--json"])  # fmt: skip
    got = json.loads(out.stdout)
    assert got["meets_target"] is True and got["target"] == -0.5
    assert got["parameter"]["path"] == "manufacturing.kpi.target"
    assert got["parameter"]["effective_from"] == "2025-01-01"


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--kpi", "speediness", "--before", "1", "--after", "2"], "kpi"),
        (["--kpi", "work_time", "--before", "-8", "--after", "7"], "before"),
        (["--kpi", "work_time", "--before", "0", "--after", "7"], "before"),
        (["--kpi", "work_time", "--before", "8", "--after", "-1"], "after"),
        (["--kpi", "work_time", "--before", "8", "--after", "0"], "after"),
        (["--kpi", "defect_rate", "--before", "1.5", "--after", "0.2"], "before"),
        (["--kpi", "work_time", "--before", "nan", "--after", "7"], "--before"),
        (["--kpi", "work_time", "--before", "8", "--after", "7", "--date", "2024-12-31"], "date"),
    ],
)
def test_bad_input_is_one_line_naming_the_field(cli, args, field):
    out = cli(["manufacturing", "kpi", *args, "--json"])
    assert out.exit_code != 0
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {field}:"), out.stderr


def test_effects_are_vectorised_and_keep_other_columns():
    table = pl.DataFrame(
        {
            "project": ["a", "b", "c"],
            "kpi": ["cycle_time", "defect_rate", "unit_cost"],
            "before": [8.0, 0.04, 100.0],
            "after": [6.0, 0.03, 75.0],
        }
    )
    out = kpi.effects(table, get_params(), ON)
    assert out["project"].to_list() == ["a", "b", "c"]
    assert out["effect"].to_list() == pytest.approx([-0.25, -0.25, -0.25])
    # cycle time 8 -> 6 is +33.3% productivity (meets +30%); defects -25% misses -50%;
    # cost -25% meets -20%.
    assert out["group_effect"].to_list() == pytest.approx([1 / 3, -0.25, -0.25])
    assert out["meets_target"].to_list() == [True, False, True]


def test_aggregate_median_and_value_weighted():
    table = pl.DataFrame(
        {
            "kpi": ["defect_rate"] * 3,
            "before": [0.10, 0.10, 0.10],
            "after": [0.05, 0.08, 0.02],
            "weight": [1.0, 1.0, 2.0],
        }
    )
    agg = kpi.aggregate(kpi.effects(table, get_params(), ON)).row(0, named=True)
    # effects -0.5, -0.2, -0.8: median -0.5; weighted (-0.5 - 0.2 - 1.6) / 4 = -0.575
    assert agg["n"] == 3
    assert agg["median_effect"] == pytest.approx(-0.5)
    assert agg["weighted_effect"] == pytest.approx(-0.575)
    assert agg["share_meeting_target"] == pytest.approx(2 / 3)
    assert agg["progress"] == pytest.approx(1.0)


def test_a_table_with_an_unknown_kind_is_refused_naming_kpi():
    table = pl.DataFrame({"kpi": ["work_time", "vibes"], "before": [1.0, 1.0], "after": [1.0, 1.0]})
    with pytest.raises(InvalidInput) as err:
        kpi.effects(table, get_params(), ON)
    assert err.value.field == "kpi" and "vibes" in err.value.message
