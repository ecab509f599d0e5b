"""Worked examples on the shipped Korean figures, computed by hand in the comments."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from tiro.core.errors import InvalidInput, NotFound
from tiro.core.parameters import get_params
from tiro.trade import growth, shares
from tiro.trade.facts import korea_flows, reported_growth, working_days_published
from tiro.trade.service import latest_flows


@pytest.fixture(scope="module")
def motie():
    return latest_flows(basis="MOTIE")


@pytest.fixture(scope="module")
def provisional():
    return latest_flows(basis="MOTIE", vintage="provisional")


def test_2025_annual_growth(provisional):
    # 709.7 / 683.8 − 1 = 0.03788 → +3.8% as MOTIE printed (both provisional releases)
    xs = growth.series(provisional, basis="MOTIE")
    assert growth.yoy(xs, "2025")["growth"] == pytest.approx(0.037876, abs=1e-6)


def test_report_dependence_and_diversification_shares(provisional):
    params = get_params()
    # 2024: (127.8 + 133.0) / 683.8 = 260.8 / 683.8 = 0.38140 → 38.1%
    # ASEAN+LatAm+CIS 2024 are back-solved: 122.5/1.074 + 31.0/1.069 + 13.7/1.186
    #   = 114.06 + 29.0 + 11.55 = 154.61; / 683.8 = 0.22610 → 22.6%
    # 2025: (130.8 + 122.9) / 709.7 = 0.35747 (report 35.8%: inside the rounding of the
    #   inputs, 253.7 ± 0.1 → 35.733%–35.761%); (122.5 + 31.0 + 13.7) / 709.7 = 0.23559 → 23.6%
    change = shares.share_changes(
        provisional, before="2024", after="2025", by="partner_group_set", params=params
    )
    got = {r["key"]: r for r in change.to_dicts()}
    assert got["us_china"]["share_before"] == pytest.approx(0.381398, abs=1e-6)
    assert got["us_china"]["share_after"] == pytest.approx(0.357475, abs=1e-6)
    assert got["diversification_markets"]["share_before"] == pytest.approx(0.226104, abs=1e-6)
    assert got["diversification_markets"]["share_after"] == pytest.approx(0.235593, abs=1e-6)
    assert round(got["diversification_markets"]["share_after"] * 100, 1) == 23.6


def test_partner_group_other_is_the_rest_of_the_world(provisional):
    # 2025 groups sum to 130.8+122.9+122.5+70.1+31.0+20.4+19.2+13.7 = 530.6; other =
    # 709.7 − 530.6 = 179.1 → 0.25236
    out = shares.shares(provisional, period="2025", by="partner_group", params=get_params())
    assert out["total"] == pytest.approx(709.7e9)
    assert out["groups"]["other"] == pytest.approx(179.1 / 709.7, abs=1e-9)
    assert sum(out["groups"].values()) == pytest.approx(1.0)


def test_daily_average_february_2026(motie):
    # 67.448 / 19 days = 3.550; base Feb 2025 revised 52.3 / 22 = 2.377; 3.5499/2.3773 − 1
    # = +49.3% as MOTIE printed (daily average 3.55 vs 2.38, +49.3%)
    xs = growth.series(motie, basis="MOTIE")
    days = working_days_published().filter(pl.col("window") == "month")
    row = growth.daily_average(xs, days).filter(pl.col("period") == "2026-02").row(0, named=True)
    assert row["per_day"] == pytest.approx(67.448e9 / 19)
    assert row["per_day_growth"] == pytest.approx(0.49326, abs=1e-5)


def test_daily_average_january_2025_turns_a_fall_into_a_rise(provisional):
    # raw −10.3% but per day: 49.12/20 = 2.456 against (49.12/0.897)/24 = 2.2817 → +7.6%
    # (MOTIE: +7.7% from unrounded bases)
    xs = growth.series(provisional, basis="MOTIE")
    base = 49.12 / (1 - 0.103)
    per_day_growth = (49.12 / 20) / (base / 24) - 1
    assert per_day_growth == pytest.approx(0.0764, abs=1e-3)
    assert xs.filter(pl.col("period") == "2025-01")["value"][0] == pytest.approx(49.12e9)


def test_ytd_jan_feb_2026(motie):
    # (65.85 + 67.448) / (49.2 + 52.3) − 1 = 133.298 / 101.5 − 1 = +31.33% (MOTIE +31.3%)
    out = growth.ytd(growth.series(motie, basis="MOTIE"), "2026-02")
    assert out["growth"] == pytest.approx(133.298 / 101.5 - 1)


def test_report_window_cannot_be_reproduced_and_says_why(motie):
    xs = growth.series(motie, basis="MOTIE")
    with pytest.raises(NotFound, match="2024-06"):
        growth.window(xs, "2025-06", "2026-04")


def test_identity_check_flags_2021():
    table = growth.balance_check(korea_flows(), get_params())
    r2021 = table.filter(pl.col("period") == "2021").row(0, named=True)
    # 644.54 − 615.05 = 29.49 against a stated 24.99: off by 4.5bn
    assert r2021["balance"] == pytest.approx(29.49e9)
    assert r2021["difference"] == pytest.approx(-4.5e9)
    assert r2021["consistent"] is False
    r2020 = table.filter(pl.col("period") == "2020").row(0, named=True)
    assert r2020["consistent"] is True  # 512.85 − 467.23 = 45.62 vs 45.6


def test_reported_growth_rates_match_the_figures(provisional):
    # Every annual MOTIE growth rate printed next to a figure whose base is shipped.
    xs = growth.series(provisional, basis="MOTIE")
    for period, printed in [("2021", 0.258), ("2022", 0.061), ("2024", 0.082)]:
        assert growth.yoy(xs, period)["growth"] == pytest.approx(printed, abs=0.0015)
    assert reported_growth().height > 40


def test_mixed_bases_are_refused():
    flows = latest_flows()
    with pytest.raises(InvalidInput) as err:
        shares.shares(flows, period="2025", by="partner_group", params=get_params())
    assert err.value.field == "basis"


def test_latest_vintage_as_of_a_date():
    before = latest_flows(as_of=dt.date(2025, 9, 30), period="2025-02", flow="X")
    after = latest_flows(as_of=dt.date(2026, 11, 25), period="2025-02", flow="X")
    assert before["vintage"].to_list() == ["provisional"]
    assert before["value"][0] == pytest.approx(52.60e9)
    assert after["vintage"].to_list() == ["revised"]
    assert after["value"][0] == pytest.approx(52.3e9)
