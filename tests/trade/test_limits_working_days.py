"""``working-days`` states the range it really counts (T-BREAK: ``--month 1948-01``).

The message said the range was 1948–2100 (the ``holidays`` library's Korean calendar) while
the refusal came from the working-day weights, whose first value takes effect 1994-05-01.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tiro.core.errors import InvalidInput
from tiro.core.parameters import get_params
from tiro.trade import calendar

RANGE = "(1994-05–2100-12: the working-day weights start on 1994-05-01"


def test_the_range_is_the_later_start_and_the_calendar_end():
    params = get_params()
    assert params.series(calendar.DAY_WEIGHT)[0].effective_from == dt.date(1994, 5, 1)
    assert calendar.HOLIDAY_YEARS[1] == 2100
    assert calendar.working_day_range(params) == (dt.date(1994, 5, 1), dt.date(2100, 12, 31))


@pytest.mark.parametrize("month", ["1948-01", "1947-12", "1994-04", "2101-01"])
def test_a_month_outside_is_refused_stating_the_real_range(cli, month):
    r = cli(["trade", "working-days", "--month", month])
    assert r.exit_code == 2
    assert r.stderr.strip() == (
        f"error: month: '{month}' is outside the months with working days {RANGE}, "
        "the Korean holiday calendar ends in 2100)"
    )


def test_the_range_ends_are_counted(cli):
    # May 1994, counted by hand: 1 May is a Sunday; 22 weekdays, of which Children's Day
    # (Thu 5 May) and Buddha's Birthday (Wed 18 May) are holidays -> 20; 4 Saturdays x 0.5
    # = 2; total 22.
    r = cli(["trade", "working-days", "--month", "1994-05", "--json"])
    assert r.exit_code == 0, r.stderr
    assert '"working_days": 22.0' in r.stdout
    r = cli(["trade", "working-days", "--month", "2100-12", "--json"])
    assert r.exit_code == 0, r.stderr


def test_the_range_field_is_the_option_of_a_range(cli):
    r = cli(["trade", "working-days", "--month", "1994-01", "--to", "1994-12"])
    assert r.exit_code == 2 and r.stderr.startswith("error: month: '1994-01' is outside"), r.stderr


def test_without_parameters_parse_month_keeps_the_calendar_check():
    with pytest.raises(InvalidInput, match="1948–2100"):
        calendar.parse_month("1947-12")
    assert calendar.parse_month("1948-01") == (1948, 1)
