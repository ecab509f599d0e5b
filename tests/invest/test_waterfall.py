"""Commercial reasonableness: worked examples computed by hand (issue 12 item 4)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from tiro.core.errors import InvalidInput
from tiro.core.parameters import get_params
from tiro.invest.terms import Split, split_on
from tiro.invest.waterfall import reasonableness, split_cash_flows

MOU = Split(before=0.5, after=0.1)
ON = dt.date(2026, 12, 1)


def test_the_shipped_split_is_fifty_fifty_then_ninety_ten():
    assert split_on(get_params(), ON) == MOU


def test_crossing_year_splits_only_the_part_needed_to_reach_the_principal():
    # P = 100: Korea is repaid when the cumulative flow reaches 100 / 0.5 = 200.
    # years 1-3: 60 each, 50:50 -> Korea 30, US 30 (cumulative flow 180, Korea 90)
    # year 4: 60 = 20 needed (50:50 -> 10 each) + 40 after (90:10 -> Korea 4, US 36)
    #         Korea 14, US 46; Korea's cumulative 104 >= 100 in year 4
    got = reasonableness(100, [60, 60, 60, 60], rate=0.05, split=MOU)
    assert got["korea_cash_flows"] == [30, 30, 30, 14]
    assert got["us_cash_flows"] == [30, 30, 30, 46]
    assert got["principal_recovered_year"] == 4
    # NPV = -100 + 30/1.05 + 30/1.05^2 + 30/1.05^3 + 14/1.05^4
    #     = -100 + 28.571429 + 27.210884 + 25.915128 + 11.517835 = -6.784724
    assert got["npv"] == pytest.approx(-6.784724, abs=1e-6)
    # recovered but NPV < 0 at 5%: not commercially reasonable, with the numbers
    assert got["commercially_reasonable"] is False
    # IRR: Korea's NPV at the IRR is zero (checked with an independent sum)
    r = got["irr"]
    assert 0 < r < 0.05
    assert sum(k / (1 + r) ** t for t, k in enumerate([30, 30, 30, 14], 1)) == pytest.approx(100)


def test_one_year_crossing_has_a_closed_form_irr():
    # 220 in year 1: 200 at 50:50 (Korea 100) + 20 at 90:10 (Korea 2) -> Korea 102, US 118
    # IRR: 102 / (1 + r) = 100 -> r = 0.02 exactly; NPV at 0 = 2 -> reasonable
    got = reasonableness(100, [220], rate=0.0, split=MOU)
    assert got["korea_cash_flows"] == [102]
    assert got["us_cash_flows"] == [118]
    assert got["principal_recovered_year"] == 1
    assert got["irr"] == pytest.approx(0.02, abs=1e-12)
    assert got["npv"] == pytest.approx(2.0)
    assert got["commercially_reasonable"] is True


def test_exact_crossing_at_the_end_of_a_year():
    # 100, 100: cumulative 200 = threshold at the end of year 2 -> Korea 50, 50; recovered in 2
    # year 3 (100) is all after recovery: Korea 10, US 90. IRR > 0 since Korea gets 110 for 100.
    got = reasonableness(100, [100, 100, 100], rate=0.0, split=MOU)
    assert got["korea_cash_flows"] == [50, 50, 10]
    assert got["us_cash_flows"] == [50, 50, 90]
    assert got["principal_recovered_year"] == 2
    assert got["npv"] == pytest.approx(10.0)
    assert got["commercially_reasonable"] is True


def test_a_project_that_never_recovers_has_null_irr_and_is_flagged():
    # 3 x 10 = 30 < 200: Korea gets 5 a year, 15 in all, never its 100 back
    # NPV at 5% = -100 + 5 (1/1.05 + 1/1.05^2 + 1/1.05^3) = -100 + 5 x 2.723248 = -86.383760
    got = reasonableness(100, [10, 10, 10], rate=0.05, split=MOU)
    assert got["korea_cash_flows"] == [5, 5, 5]
    assert got["principal_recovered_year"] is None
    assert got["irr"] is None
    assert got["npv"] == pytest.approx(-86.383760, abs=1e-6)
    assert got["commercially_reasonable"] is False


def test_the_engine_is_vectorised_over_projects():
    # two projects in one call give the same rows as one at a time
    flows = np.array([[60.0, 60, 60, 60], [10, 10, 10, 0]])
    got = split_cash_flows(np.array([100.0, 100.0]), flows, MOU)
    assert got.korea.tolist() == [[30, 30, 30, 14], [5, 5, 5, 0]]
    assert got.recovered_year.tolist() == [4, 0]


def test_a_scenario_overlay_changes_the_split(tmp_path):
    overlay = tmp_path / "split.yaml"
    overlay.write_text(
        "description: 60:40 until recovery\noverrides:\n"
        "  invest.mou.korea_share_before_recovery:\n"
        "    2026-01-01: {value: 0.6, reference: {title: what-if, section: '1 ②'}}\n",
        encoding="utf-8",
    )
    split = split_on(get_params().with_scenario(overlay), ON)
    # threshold 100 / 0.6 = 166.67: years 1-2 at 60% (36, 36), year 3: 46.67 at 60% = 28
    # + 13.33 at 10% = 1.33 -> 29.33; recovered in year 3 (36 + 36 + 28 = 100)
    got = reasonableness(100, [60, 60, 60], rate=0.0, split=split)
    assert got["korea_cash_flows"] == pytest.approx([36, 36, 29.333333333])
    assert got["principal_recovered_year"] == 3


@pytest.mark.parametrize(
    ("principal", "flows", "rate", "field"),
    [
        (0, [1.0], 0.05, "principal"),
        (-5, [1.0], 0.05, "principal"),
        (100, [], 0.05, "cash_flows"),
        (100, [1.0], -1.0, "discount_rate"),
    ],
)
def test_bad_input_names_the_field(principal, flows, rate, field):
    with pytest.raises(InvalidInput) as err:
        reasonableness(principal, flows, rate=rate, split=MOU)
    assert err.value.field == field
