"""Issue 9 items 2 and 18: 제헌절 pinned to the law that restored it; months the calendar cannot
count are refused in one line."""

from __future__ import annotations

import datetime as dt

import pytest

from tiro.core.errors import InvalidInput
from tiro.core.parameters import get_params
from tiro.trade import calendar


def _without_constitution_day(original):
    def rows(year: int):
        return tuple(r for r in original(year) if r[1] != "Constitution Day")

    return rows


def test_july_2026_counts_constitution_day_even_with_an_older_holidays_release(monkeypatch):
    params = get_params()
    monkeypatch.setattr(
        calendar, "_holiday_rows", _without_constitution_day(calendar._holiday_rows)
    )
    # July 2026: 31 days from a Wednesday: 4 Saturdays (2.0), 4 Sundays, 23 weekdays, less
    # Fri 17 July (제헌절) = 22 + 2 = 24. Without the pinned parameter the count is 25.
    assert calendar.month_working_days("2026-07", params=params) == 24.0
    # July 2025: 17 July was a Thursday and not a holiday (2008–2025): 23 + 2 = 25
    assert calendar.month_working_days("2025-07", params=params) == 25.0
    day = calendar.day_table(dt.date(2026, 7, 17), dt.date(2026, 7, 17), params=params)
    assert day["weight"].to_list() == [0.0] and day["overridden"].to_list() == [True]


def test_constitution_day_value_cites_the_public_holidays_act_amendment():
    leaf = get_params().leaf("trade.calendar.annual_non_working")
    value = next(v for v in leaf.values if v.effective_from == dt.date(2026, 5, 11))
    assert value.value["07-17"] == 0
    assert "lsiSeq=283311" in value.reference["href"]
    assert "공휴일에 관한 법률" in value.reference["title"]


@pytest.mark.parametrize("month", ["0000-01", "9999-12", "1947-12", "2101-01"])
def test_months_outside_the_holiday_calendar_are_refused(month):
    with pytest.raises(InvalidInput) as err:
        calendar.month_working_days(month, params=get_params())
    assert err.value.field == "month"


@pytest.mark.parametrize("month", ["9999-12", "0000-01"])
def test_cli_working_days_out_of_range_is_one_line(cli, month):
    result = cli(["trade", "working-days", "--month", month])
    assert result.exit_code == InvalidInput.exit_code
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: month:"), result.stderr


def test_range_errors_name_the_option_a_user_gave(cli, api_client):
    result = cli(["trade", "working-days", "--month", "2026-07", "--to", "2026-06"])
    assert result.exit_code == 2 and result.stderr.startswith("error: to:"), result.stderr
    got = api_client.get("/api/v1/trade/working-days", params={"month": "2026-01", "to": "1947-12"})
    assert got.status_code == 422 and got.json()["field"] == "to"
