"""Disruption scenario: a path small enough to check by hand, the shipped example, bad input."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tiro.core.errors import InvalidInput
from tiro.core.parameters import get_params
from tiro.energy.disruption import run_scenario
from tiro.energy.disruption_io import load_scenario, parse_scenario

EXAMPLE = Path(__file__).resolve().parents[2] / "src/tiro/data/energy/scenarios/hormuz_2026.yaml"

SMALL = {
    "name": "hand check",
    "start": "2026-03-01",
    "days": 14,
    "baseline": {
        "demand_bbl_per_day": 100,
        "supply_bbl_per_day": {"middle_east": 60, "other": 40},
        "daily_net_imports_bbl": 100,
        "government_stocks_bbl": 1000,
        "private_stocks_bbl": 100,
    },
    "disruptions": [{"region": "middle_east", "share": 0.5, "from": "2026-03-03", "weeks": 1}],
    "demand_restraint": [{"share": 0.1, "from": "2026-03-08", "weeks": 1}],
    "releases": [{"from": "2026-03-06", "days": 2, "volume_bbl": 40}],
    "swaps": [
        {"refiner": "A", "volume_bbl": 30, "lend_on": "2026-03-04", "repay_on": "2026-03-13"}
    ],
    "thresholds": [
        {"name": "10% of obligation", "ratio_of_obligation": 0.1},
        {"name": "private half day", "days": 0.5, "basis": "private"},
    ],
}


def test_path_by_hand():
    # Daily flow into private stocks = supply - demand + release + swap:
    # 3/1-2: 0 | 3/3: 70-100 = -30 | 3/4: -30+30 (loan) = 0 | 3/5: -30 | 3/6-7: -30+20 = -10
    # 3/8-9: 70-90 = -20 (restraint 10%) | 3/10-12: 100-90 = +10 | 3/13: +10-30 (repay) = -20
    # 3/14: +10
    # Private: 100,100,70,70,40,30,20,0, then 3/9 needs -20 from nothing -> 0, shortage 20,
    # then 10,20,30,10,20.  Government: 1000 x3, 970 (loan), 970, 950, 930 ... 930, 960 (repaid), 960.
    r = run_scenario(parse_scenario(SMALL), params=get_params())
    path = r["path"]
    assert path["private_bbl"].to_list() == pytest.approx(
        [100, 100, 70, 70, 40, 30, 20, 0, 0, 10, 20, 30, 10, 20]
    )
    assert path["government_bbl"].to_list() == pytest.approx(
        [1000, 1000, 1000, 970, 970, 950, 930, 930, 930, 930, 930, 930, 960, 960]
    )
    assert path["shortage_bbl"].to_list() == pytest.approx([0] * 8 + [20] + [0] * 5)
    # stock days = (G + P) x (1 - 0.1) / 100: opening 1,100 x 0.009 = 9.9; low 930 x 0.009 = 8.37
    assert path["stock_days"][0] == pytest.approx(9.9)
    s = r["summary"]
    assert s["min_stock_days"] == pytest.approx(8.37)
    assert s["min_stock_days_on"] == date(2026, 3, 8)
    assert s["shortage_bbl"] == pytest.approx(20)
    assert s["released_bbl"] == pytest.approx(40)
    assert s["supply_lost_bbl"] == pytest.approx(7 * 30)
    obligation, tenth, private = r["thresholds"]
    # 90-day obligation: already below on day one (9.9 days)
    assert obligation["already_below"] and obligation["crossed_on"] == date(2026, 3, 1)
    # 0.1 x 90 = 9 days: 3/5 total 1,010 -> 9.09; 3/6 total 980 -> 8.82 < 9
    assert tenth["days"] == pytest.approx(9.0)
    assert tenth["crossed_on"] == date(2026, 3, 6) and tenth["recovered_on"] is None
    # private 0.5 day = 55.6 bbl: 3/5 private 40 -> 0.36 days
    assert private["crossed_on"] == date(2026, 3, 5)
    assert private["days_below"] == 10
    # supply shortfall 30 / 100 = 30% for the 7 disruption days: meets the alert engine's crude
    # criteria 경계 (>= 10%) and 심각 (>= 30%), parameter energy.alert.crude.disrupted_share
    alerts = {a["level"]: a for a in r["alerts"]}
    assert alerts["경계"]["first_day"] == date(2026, 3, 3) and alerts["경계"]["days"] == 7
    assert alerts["심각"]["last_day"] == date(2026, 3, 9) and alerts["심각"]["days"] == 7
    assert path["disrupted_share"][2] == pytest.approx(0.3)


def test_iea_share_comes_from_the_parameter():
    sc = {**SMALL, "baseline": {**SMALL["baseline"], "government_stocks_bbl": 30_000_000}}
    sc["releases"] = [{"from": "2026-03-11", "days": 4, "volume_bbl": "iea_share"}]
    r = run_scenario(parse_scenario(sc), params=get_params())
    assert r["summary"]["released_bbl"] == pytest.approx(22_460_000)


def test_shipped_example_runs_and_is_labelled_sample():
    r = run_scenario(load_scenario(EXAMPLE), params=get_params())
    assert r["summary"]["data_label"] == "sample"
    assert r["path"].height == 120
    # opening: (76.48 + 73.83) Mbbl x 0.9 / 743,000 bbl/d = 135.279e6 / 743,000 = 182.07 days
    assert r["summary"]["opening_stock_days"] == pytest.approx(182.07, abs=0.01)
    assert r["summary"]["released_bbl"] == pytest.approx(22_460_000)
    names = [t["name"] for t in r["thresholds"]]
    assert names[0].startswith("비축의무")


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"baseline": {**SMALL["baseline"], "private_stocks_bbl": -1}},
         "baseline.private_stocks_bbl"),
        ({"disruptions": [{"region": "mars", "share": 0.5, "from": "2026-03-03", "weeks": 1}]},
         "disruptions"),
        ({"disruptions": [{"region": "other", "share": 1.5, "from": "2026-03-03", "weeks": 1}]},
         "disruptions.0.share"),
        ({"releases": [{"from": "2026-03-03", "days": 2, "volume_bbl": -5}]}, "releases"),
        ({"swaps": [{"refiner": "A", "volume_bbl": 5, "lend_on": "2026-03-05",
                     "repay_on": "2026-03-04"}]}, "swaps.0"),
    ],
)  # fmt: skip
def test_bad_input_names_the_field(patch, field):
    with pytest.raises(InvalidInput) as err:
        parse_scenario({**SMALL, **patch})
    assert err.value.field.startswith(field)


def test_release_beyond_government_stocks_is_refused():
    sc = {**SMALL, "releases": [{"from": "2026-03-03", "days": 2, "volume_bbl": 5000}]}
    with pytest.raises(InvalidInput) as err:
        run_scenario(parse_scenario(sc), params=get_params())
    assert err.value.field == "releases"


def test_cli_scenario_run(cli, tmp_path):
    res = cli(["energy", "scenario", "run", str(EXAMPLE), "--json"])
    assert res.exit_code == 0, res.stderr
    data = json.loads(res.stdout)
    assert len(data["path"]) == 120
    assert {"summary", "thresholds", "path"} <= set(data)
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nstart: 2026-03-01\ndays: -3\nbaseline: {}\n")
    res = cli(["energy", "scenario", "run", str(bad)])
    assert res.exit_code != 0 and "days" in res.stderr
