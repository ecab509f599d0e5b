"""Daily-average YoY, seasonal adjustment and the year-end projection on the shipped figures."""

from __future__ import annotations

import polars as pl
import pytest

from tiro.core.errors import InvalidInput
from tiro.core.parameters import get_params
from tiro.trade.seasonal import monthly_frame, project_year, seasonal_adjust, x13_binary

PARAMS = get_params()


def _row(frame: pl.DataFrame, month: str) -> dict:
    return frame.filter(pl.col("month") == month).row(0, named=True)


def test_daily_average_yoy_matches_motie_statements() -> None:
    frame = monthly_frame(PARAMS)
    # Jan 2025: 49.12/20 = 2.456 per day vs Jan 2024 54.76/24 = 2.2817 -> +7.6%
    # (MOTIE: raw -10.3% but per day +7.7%; 2024-01 is back-solved so 0.1 pp rounding).
    jan25 = _row(frame, "2025-01")
    assert jan25["yoy_raw"] == pytest.approx(-0.103, abs=5e-4)
    assert jan25["yoy_per_day"] == pytest.approx(0.077, abs=2e-3)
    # Jan 2026: 65.85/23.5 = 2.8021 vs 2.456 -> +14.1% (MOTIE: 2.80, +14.0%).
    assert _row(frame, "2026-01")["yoy_per_day"] == pytest.approx(0.1409, abs=1e-3)
    # Feb 2026: 67.448/19 = 3.5499 vs 52.60/22 = 2.3909 -> +48.5% (MOTIE: 3.55 vs 2.38, +49.3%
    # on its revised Feb 2025 base).
    assert _row(frame, "2026-02")["yoy_per_day"] == pytest.approx(0.4848, abs=1e-3)


def test_stl_is_used_without_the_x13_binary() -> None:
    adjusted, method = seasonal_adjust(PARAMS)
    assert method == ("x13" if x13_binary() else "stl")
    assert adjusted["sa_usd_bn"].null_count() == 0
    assert adjusted.height == 26
    # Adjustment keeps the level: 2025's SA months average within 3% of its raw months.
    year = adjusted.filter(pl.col("month").str.starts_with("2025-"))
    assert year["sa_usd_bn"].mean() == pytest.approx(year["exports_usd_bn"].mean(), rel=0.03)
    # SA output removes calendar swings: its m/m changes vary far less than the raw ones.
    raw_mom = adjusted["exports_usd_bn"].pct_change().drop_nulls()
    assert adjusted["sa_mom"].drop_nulls().std() < raw_mom.std() / 2


def test_seasonal_adjustment_rejects_short_series_and_unknown_methods() -> None:
    short = (
        monthly_frame(PARAMS)
        .head(20)
        .select("month", "exports_usd_bn", "growth_reported", "working_days_published")
    )
    with pytest.raises(InvalidInput) as err:
        seasonal_adjust(PARAMS, monthly=short)
    assert err.value.field == "months"
    with pytest.raises(InvalidInput) as err:
        seasonal_adjust(PARAMS, method="tramo")
    assert err.value.field == "method"


@pytest.mark.parametrize("through", ["2025-06", "2025-09", "2025-11"])
def test_projection_backtest_brackets_the_2025_outturn(through: str) -> None:
    actual = float(
        monthly_frame(PARAMS)
        .filter(pl.col("month").str.starts_with("2025-"))["exports_usd_bn"]
        .sum()
    )  # 710.56 = the 12 shipped months (MOTIE annual provisional: 709.7)
    out = project_year(2025, params=PARAMS, through=through)
    assert out["interval"]["low"] < actual < out["interval"]["high"]
    assert abs(out["projection_usd_bn"] / actual - 1) < 0.025


def test_projection_remainder_arithmetic_for_december_2025() -> None:
    out = project_year(2025, params=PARAMS, through="2025-11")
    # Only December remains: Dec 2024 61.4 over 23 days = 2.66957/day, Dec 2025 has 24 days.
    expected = 61.4 / 23 * (1 + out["ytd_growth_per_day"]) * 24
    assert out["remainder_usd_bn"] == pytest.approx(expected)
    assert out["ytd_usd_bn"] == pytest.approx(640.99)  # sum of Jan–Nov 2025 shipped months


def test_2026_projection_starts_from_the_reports_january_april_total() -> None:
    out = project_year(2026, params=PARAMS)
    assert out["through"] == "2026-04"
    assert out["ytd_usd_bn"] == 306.5
    assert out["interval"]["low"] < out["projection_usd_bn"] < out["interval"]["high"]


def test_projection_of_a_closed_year_is_rejected() -> None:
    with pytest.raises(InvalidInput) as err:
        project_year(2025, params=PARAMS)
    assert err.value.field == "year"
