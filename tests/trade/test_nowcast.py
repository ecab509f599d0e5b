"""Month-end nowcast from KCS flashes: the month-end factor and both methods' errors."""

from __future__ import annotations

import math

import pytest

from tiro.core.errors import InvalidInput
from tiro.core.parameters import get_params
from tiro.trade.nowcast import evaluate, flash_history, nowcast

PARAMS = get_params()


def test_month_end_ratio_for_january_2026_by_hand() -> None:
    # Jan 2026: 65.85 over 23.5 days = 2.80213/day; 1-20 flash 36.4 over 14.5 = 2.51034/day;
    # ratio = 2.80213 / 2.51034 = 1.11623.
    hist = flash_history(PARAMS)
    row = hist.filter((hist["month"] == "2026-01") & (hist["window_end_day"] == 20)).row(
        0, named=True
    )
    assert row["ratio"] == pytest.approx(1.11623, abs=1e-5)


def test_twenty_day_calibration_beats_plain_pro_rating() -> None:
    result = evaluate(PARAMS)["windows"]["20"]
    assert result["n"] == 9
    # Every 20-day month ran above its flash pace: pro-rating is biased low.
    assert result["factor"] > 1.05
    assert result["pro_rata"]["bias"] < -0.05
    assert result["calibrated"]["mape"] < result["pro_rata"]["mape"] / 2
    assert abs(result["calibrated"]["bias"]) < 0.01


def test_ten_day_errors_are_reported_with_and_without_the_chuseok_window() -> None:
    result = evaluate(PARAMS)["windows"]["10"]
    # Oct 2025 1-10 held Chuseok (3.5 working days): it alone makes calibration lose.
    assert result["n"] == 5 and result["n_without_lunar_holiday_in_window"] == 4
    assert result["calibrated"]["mape"] > result["pro_rata"]["mape"]
    plain = result["calibrated_without_lunar_holiday"]["mape"]
    assert plain < result["pro_rata_without_lunar_holiday"]["mape"]


def test_nowcast_of_december_2025_is_out_of_sample() -> None:
    # Dec 2025 1-20: 43.0 over 16.5 days; month 24 days -> pro rata 43.0/16.5*24 = 62.545.
    out = nowcast("2025-12", 43.0, 20, params=PARAMS)
    assert out["pro_rata_usd_bn"] == pytest.approx(62.5455, abs=1e-4)
    assert out["calibration_months"] == 8  # December itself left out
    hist = flash_history(PARAMS)
    others = hist.filter((hist["window_end_day"] == 20) & (hist["month"] != "2025-12"))
    factor = math.exp(others["ratio"].log().mean())
    assert out["factor"] == pytest.approx(factor)
    assert out["nowcast_usd_bn"] == pytest.approx(62.5455 * factor, abs=1e-3)
    # Actual 69.57 is inside the 90% interval and much closer than pro-rating.
    assert out["interval"]["low"] < 69.57 < out["interval"]["high"]
    assert abs(out["nowcast_usd_bn"] - 69.57) < abs(out["pro_rata_usd_bn"] - 69.57) / 2


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("2026-03", 21.5, 15), "window_end_day"),
        (("2026-03", -1.0, 10), "flash"),
        (("2026-3", 21.5, 10), "month"),
    ],
)
def test_bad_nowcast_input_names_the_field(args: tuple, field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        nowcast(*args, params=PARAMS)
    assert err.value.field == field
