"""One rule for every ledger and register: a step is dated on a day that has come."""

from __future__ import annotations

import datetime as dt

import pytest

from tiro.core.errors import InvalidInput
from tiro.core.recorded import not_future


def test_today_passes_tomorrow_is_refused_naming_the_field() -> None:
    today = dt.date(2026, 12, 5)
    not_future(today, today)
    not_future(dt.date(2025, 1, 1), today)
    with pytest.raises(InvalidInput) as err:
        not_future(dt.date(2026, 12, 6), today, field="date")
    assert err.value.field == "date"
    assert "2026-12-06 is in the future, after today (2026-12-05)" in str(err.value)


def test_without_a_today_the_system_date_decides() -> None:
    not_future(dt.date.today())
    with pytest.raises(InvalidInput):
        not_future(dt.date.today() + dt.timedelta(days=1))
