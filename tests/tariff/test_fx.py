"""KRW per USD on an entry date (tiro.tariff.broker.fx): the last H.10 rate published on or before
the date, at most tariff.fx.max_gap_days old; the caller's own rate; the shipped table."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from tiro.core.errors import InvalidInput
from tiro.core.parameters import get_params
from tiro.tariff.broker.fx import fx_table, rate_on, rates_on


def _rate(day: str) -> tuple[float, dt.date | None]:
    r = rate_on(dt.date.fromisoformat(day), get_params())
    return r.krw_per_usd, r.rate_date


def test_a_weekend_takes_fridays_rate() -> None:
    # H.10: Fri 2025-11-14 1453.20, Mon 2025-11-17 1459.71; nothing on Sat 15 / Sun 16
    assert _rate("2025-11-15") == (1453.20, dt.date(2025, 11, 14))
    assert _rate("2025-11-16") == (1453.20, dt.date(2025, 11, 14))
    assert _rate("2025-11-17") == (1459.71, dt.date(2025, 11, 17))


def test_a_us_holiday_takes_the_previous_business_day() -> None:
    # Veterans Day 2025-11-11: no H.10 rate; 2025-11-10 was 1456.34
    assert _rate("2025-11-11") == (1456.34, dt.date(2025, 11, 10))
    # New Year's Day 2025 takes 2024-12-31 (1477.86), kept in the table for that reason
    assert _rate("2025-01-01") == (1477.86, dt.date(2024, 12, 31))


def test_a_date_past_the_table_is_refused_naming_the_field() -> None:
    # last rate 2026-06-05; 7 days later is still priced, 8 days later is refused
    assert _rate("2026-06-12") == (1555.96, dt.date(2026, 6, 5))
    with pytest.raises(InvalidInput) as err:
        _rate("2026-06-13")
    assert err.value.field == "entry_date"
    assert "ends 2026-06-05" in err.value.message
    with pytest.raises(InvalidInput) as err:
        _rate("2024-12-30")
    assert err.value.field == "entry_date"


def test_the_callers_own_rate_is_used_as_given_and_checked() -> None:
    r = rate_on(dt.date(2026, 12, 1), get_params(), own_rate=1400.0)
    assert (r.krw_per_usd, r.rate_date, r.source) == (1400.0, None, "given by the caller")
    for bad in (0.0, -1.0, float("nan"), float("inf"), 1e9):
        with pytest.raises(InvalidInput) as err:
            rate_on(dt.date(2025, 11, 20), get_params(), own_rate=bad)
        assert err.value.field == "krw_rate"


def test_the_shipped_table() -> None:
    table = fx_table()
    assert table.height == 359
    assert (table["date"][0], table["date"][-1]) == (dt.date(2024, 12, 31), dt.date(2026, 6, 5))
    assert table.filter(pl.col("date").dt.weekday() > 5).height == 0  # no weekend rows
    # an independent FRED DEXKOUS excerpt gives 1388.97 for 2025-09-11
    assert table.filter(pl.col("date") == dt.date(2025, 9, 11))["krw_per_usd"][0] == 1388.97


def test_vectorised_lookup_agrees_with_the_scalar_rule() -> None:
    days = pl.date_range(dt.date(2025, 1, 1), dt.date(2026, 6, 20), eager=True)
    out = rates_on(days, get_params())
    assert out.height == days.len()
    for day, row in zip(days.to_list()[::17], out.rows(named=True)[::17], strict=True):
        if row["krw_per_usd"] is None:
            assert day > dt.date(2026, 6, 12)
        else:
            assert (row["krw_per_usd"], row["rate_date"]) == _rate(day.isoformat())
            assert 0 <= (day - row["rate_date"]).days <= 7
