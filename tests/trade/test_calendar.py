"""Korean working days (조업일수): hand-counted months, every published KCS count, invariants."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tiro.core.errors import InvalidInput
from tiro.core.parameter_files import DatedValue
from tiro.core.parameters import ParameterTree, get_params
from tiro.trade.calendar import (
    day_table,
    month_bounds,
    month_working_days,
    monthly_calendar,
    window_working_days,
    working_days,
)
from tiro.trade.nowcast import load_flashes, load_monthly_exports

PARAMS = get_params()


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        # 2026-02: 1 Feb is a Sunday -> 20 weekdays, 4 Saturdays (7,14,21,28) = 2.0;
        # Seol 16 (Mon), 17 (Tue), 18 (Wed) -> 20 - 3 + 2 = 19 (MOTIE: 22 -> 19).
        ("2026-02", 19.0),
        # 2025-10: 1 Oct Wed -> 23 weekdays, 4 Saturdays = 2.0; weekday holidays: 3 (개천절 Fri),
        # 6-7 (Chuseok Mon-Tue), 8 (substitute for Chuseok Sun 5th), 9 (한글날 Thu) = 5
        # -> 23 - 5 + 2 = 20 (MOTIE Oct 2025: 59.57 / 2.98 daily = 20 days).
        ("2025-10", 20.0),
        # 2025-01: 23 weekdays - 1 Jan - 27 (임시공휴일) - 28,29,30 (Seol) = 18, + 4 Sat x 0.5 = 20.
        ("2025-01", 20.0),
        # 2024-02: 21 weekdays - 9 (Fri, Seol eve) - 12 (substitute) = 19; Saturdays 3, 17, 24
        # count 0.5 but 10 Feb is Seol itself -> 0: 19 + 1.5 = 20.5 (MOTIE: 20.5 -> 22).
        ("2024-02", 20.5),
        # 2026-01: 22 weekdays - 1 Jan = 21, five Saturdays = 2.5 -> 23.5 (MOTIE: 20 -> 23.5).
        ("2026-01", 23.5),
        # 2025-09: no holiday, 22 weekdays + 4 Saturdays x 0.5 = 24 (MOTIE: 20 -> 24).
        ("2025-09", 24.0),
    ],
)
def test_month_working_days_by_hand(month: str, expected: float) -> None:
    assert month_working_days(month, params=PARAMS) == expected


def test_every_published_flash_window_count_is_reproduced() -> None:
    flashes = load_flashes().filter(pl.col("working_days_published").is_not_null())
    assert flashes.height >= 10
    for row in flashes.iter_rows(named=True):
        got = window_working_days(row["month"], row["window_end_day"], params=PARAMS)
        assert got == row["working_days_published"], row


def test_every_published_month_count_is_reproduced() -> None:
    monthly = load_monthly_exports().filter(pl.col("working_days_published").is_not_null())
    assert monthly.height >= 6
    for row in monthly.iter_rows(named=True):
        assert month_working_days(row["month"], params=PARAMS) == row["working_days_published"]


def test_workers_day_counts_zero_before_it_became_a_public_holiday() -> None:
    # KCS May 1-20: 14.5 days in 2023 and 12.5 in 2024 only add up with 1 May at 0.
    assert window_working_days("2023-05", 20, params=PARAMS) == 14.5
    assert window_working_days("2024-05", 20, params=PARAMS) == 12.5
    one = day_table(dt.date(2025, 5, 1), dt.date(2025, 5, 1), params=PARAMS)
    assert one["weight"].to_list() == [0.0]
    assert one["overridden"].to_list() == [True]


def test_seol_and_chuseok_days_are_flagged_by_month() -> None:
    cal = monthly_calendar("2025-01", "2025-10", params=PARAMS)
    by_month = {r["month"]: r for r in cal.iter_rows(named=True)}
    assert by_month["2025-01"]["seol_days"] == 3  # 28, 29, 30 Jan
    assert by_month["2025-10"]["chuseok_days"] == 4  # 5, 6, 7 Oct + substitute 8 Oct
    assert by_month["2025-09"]["seol_days"] + by_month["2025-09"]["chuseok_days"] == 0


def test_changed_saturday_weight_parameter_changes_the_count() -> None:
    # Built by hand rather than through a scenario file: core's scenario loader rejects
    # breakdown overrides today (reported to the lead).
    leaf = PARAMS.leaf("trade.calendar.day_weight")
    five_day = DatedValue(
        dt.date(2026, 1, 1),
        {"weekday": 1, "saturday": 0, "sunday": 0, "public_holiday": 0},
        {"title": "test", "section": "test"},
    )
    leaves = {path: PARAMS.leaf(path) for path in PARAMS.paths()}
    leaves[leaf.path] = replace(leaf, values=(*leaf.values, five_day))
    what_if = ParameterTree(leaves, "five_day_week")
    # 2026-01: 21 weekdays after 1 Jan; the 5 Saturdays now add nothing.
    assert month_working_days("2026-01", params=what_if) == 21.0
    assert month_working_days("2025-12", params=what_if) == 24.0  # before the change


@pytest.mark.parametrize("bad", ["2026-13", "2026/02", "26-02", "", "2026-2"])
def test_bad_month_is_rejected_with_the_field(bad: str) -> None:
    with pytest.raises(InvalidInput) as err:
        month_working_days(bad, params=PARAMS)
    assert err.value.field == "month"


def test_window_past_month_end_is_rejected() -> None:
    with pytest.raises(InvalidInput) as err:
        window_working_days("2026-02", 30, params=PARAMS)
    assert err.value.field == "last_day"


months = st.tuples(st.integers(2015, 2030), st.integers(1, 12))


@settings(max_examples=25, deadline=None)
@given(months, st.integers(1, 27))
def test_windows_add_up_to_the_month(ym: tuple[int, int], split: int) -> None:
    first, last = month_bounds(*ym)
    head = working_days(first, first + dt.timedelta(days=split - 1), params=PARAMS)
    tail = working_days(first + dt.timedelta(days=split), last, params=PARAMS)
    whole = working_days(first, last, params=PARAMS)
    assert head + tail == whole
    # Never more than every day a weekday, never below zero; always a multiple of 0.5.
    assert 0 <= whole <= (last - first).days + 1
    assert (whole * 2) == int(whole * 2)
