"""Disruption scenario: a path small enough to check by hand, the shipped example, bad input."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tiro.core.errors import InvalidInput
from tiro.core.parameters import get_params
from tiro.energy.disruption.engine import run_scenario
from tiro.energy.disruption.io import load_scenario, parse_scenario

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
    # IEA basis (crude stocks): (G + P) x (1 - 0.04 naphtha) x (1 - 0.1) / 100 = x 0.00864
    # opening 1,100 x 0.00864 = 9.504; low 930 x 0.00864 = 8.0352
    assert path["stock_days"][0] == pytest.approx(9.504)
    s = r["summary"]
    assert s["min_stock_days"] == pytest.approx(8.0352)
    assert s["min_stock_days_on"] == date(2026, 3, 8)
    assert s["shortage_bbl"] == pytest.approx(20)
    assert s["released_bbl"] == pytest.approx(40)
    assert s["supply_lost_bbl"] == pytest.approx(7 * 30)
    obligation, tenth, private = r["thresholds"]
    # 90-day obligation: already below on day one (9.504 days)
    assert obligation["already_below"] and obligation["crossed_on"] == date(2026, 3, 1)
    # 0.1 x 90 = 9 days = 1,041.67 bbl: 3/3 total 1,070 -> 9.245; 3/4 total 1,040 -> 8.986 < 9;
    # the total never returns above 1,041.67 (at most 980 after 3/5)
    assert tenth["days"] == pytest.approx(9.0)
    assert tenth["crossed_on"] == date(2026, 3, 4) and tenth["recovered_on"] is None
    # private 0.5 day = 57.87 bbl: 3/5 private 40 -> 0.3456 days
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
    # opening, IEA basis: (76.48 + 73.83) Mbbl x 0.96 x 0.9 / 743,000 bbl/d
    # = 129,867,840 / 743,000 = 174.79 days (not 182.07: the naphtha yield is deducted)
    assert r["summary"]["opening_stock_days"] == pytest.approx(174.7885, abs=0.001)
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


def test_scenario_and_stock_days_agree_on_the_issue_example():
    """Issue 9 item 8: 150.31 Mbbl of crude and 101.37 kt/d of daily net imports.

    By the IEA method (Dir. 2009/119/EC Annex III) crude stocks lose the 4% naphtha yield and
    then the 10% unavailability deduction. At 7.33 bbl/t, 101.37 kt/d = 743,042.1 bbl/d:
    150.31e6 x 0.96 x 0.9 / 743,042.1 = 129,867,840 / 743,042.1 = 174.778 days. The old
    scenario skipped the naphtha yield (150.31e6 x 0.9 / 743,042.1 = 182.06 days).
    """
    from tiro.energy.supply.stock_cover import stock_days

    sc = {**SMALL, "disruptions": [], "releases": [], "swaps": [], "demand_restraint": []}
    sc["baseline"] = {
        **SMALL["baseline"],
        "daily_net_imports_bbl": 101.37 * 7330,
        "government_stocks_bbl": 76_480_000,
        "private_stocks_bbl": 73_830_000,
        "demand_bbl_per_day": 100,
        "supply_bbl_per_day": {"middle_east": 100},
    }
    scenario_days = run_scenario(parse_scenario(sc), params=get_params())["summary"][
        "opening_stock_days"
    ]
    # stock-days in kt: crude 150,310 kbbl / 7.33 = 20,506.14 kt; primary net imports chosen so
    # that daily = 101.37 kt/d: 101.37 x 365 / 0.96 = 38,541.72 kt
    direct = stock_days(
        params=get_params(),
        on=date(2026, 3, 1),
        primary_net_imports_kt=101.37 * 365 / 0.96,
        product_net_imports_kt=0,
        crude_stocks_kt=150_310 / 7.33,
        product_stocks_kt=0,
    )
    assert direct["daily_net_imports_kt"] == pytest.approx(101.37)
    assert direct["days"] == pytest.approx(174.778, abs=0.001)
    assert scenario_days == pytest.approx(174.778, abs=0.001)
    assert scenario_days == pytest.approx(direct["days"], rel=1e-9)


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        # 0.05 weeks rounds to 0 days: the per-day release divided by zero
        ({"releases": [{"from": "2026-03-03", "weeks": 0.05, "volume_bbl": 5}]}, "releases.0"),
        ({"releases": [{"from": "2026-03-03", "weeks": 1e19, "volume_bbl": 5}]}, "releases.0"),
        ({"releases": [{"from": "2026-03-03", "days": 2, "volume_bbl": float("nan")}]},
         "releases.0.volume_bbl"),
        ({"disruptions": [{"region": "other", "share": float("nan"), "from": "2026-03-03",
                           "weeks": 1}]}, "disruptions.0.share"),
        ({"baseline": {**SMALL["baseline"], "government_stocks_bbl": float("inf")}},
         "baseline.government_stocks_bbl"),
        ({"baseline": {**SMALL["baseline"], "government_stocks_bbl": 1e19}},
         "baseline.government_stocks_bbl"),
        ({"start": "9999-12-25"}, "scenario"),
        ({"bogus": 1}, "bogus"),
    ],
)  # fmt: skip
def test_non_finite_short_and_unknown_inputs_are_refused(patch, field):
    with pytest.raises(InvalidInput) as err:
        parse_scenario({**SMALL, **patch})
    assert err.value.field.startswith(field), err.value.one_line()


def test_unknown_resource_is_refused():
    with pytest.raises(InvalidInput) as err:
        run_scenario(parse_scenario({**SMALL, "resource": "crud"}), params=get_params())
    assert err.value.field == "resource" and "crud" in err.value.message


def test_duplicate_key_in_a_scenario_file_is_refused(cli, tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "data_label: sample\n", "data_label: sample\ndata_label: public\n", 1
    )
    dup = tmp_path / "dup.yaml"
    dup.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput) as err:
        load_scenario(dup)
    assert err.value.field == "file" and "duplicate key 'data_label'" in err.value.message
    res = cli(["energy", "scenario", "run", str(dup)])
    assert res.exit_code == 2 and len(res.stderr.strip().splitlines()) == 1


def test_api_scenario_body_refuses_nan_unknown_keys_and_short_windows(api_client):
    ok = api_client.post("/api/v1/energy/scenario/run", json=SMALL)
    assert ok.status_code == 200, ok.text
    assert ok.json()["summary"]["opening_stock_days"] == pytest.approx(9.504)
    for body in (
        {**SMALL, "extra": 1},
        {**SMALL, "releases": [{"from": "2026-03-03", "weeks": 0.05, "volume_bbl": 5}]},
        {**SMALL, "resource": "crud"},
    ):
        res = api_client.post("/api/v1/energy/scenario/run", json=body)
        assert res.status_code == 422, res.text
    text = json.dumps(SMALL).replace('"share": 0.5', '"share": NaN')
    res = api_client.post(
        "/api/v1/energy/scenario/run",
        content=text.encode(),
        headers={"content-type": "application/json"},
    )
    assert res.status_code == 422, res.text
