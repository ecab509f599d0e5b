"""KRW per USD on an entry date (tiro.tariff.broker.fx): the last H.10 rate published on or before
the date, at most tariff.fx.max_gap_days old; after the H.10 table, the ECB cross rate, labelled;
the caller's own rate; the shipped tables."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from tiro.core.errors import InvalidInput
from tiro.core.parameters import get_params
from tiro.tariff.broker.fx import CROSS_FILE, SOURCE, fx_table, rate_on, rate_table, rates_on


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


def test_a_date_past_the_tables_is_refused_naming_the_stale_rate() -> None:
    # last rate 2026-07-21 (ECB cross 1,478.40); 7 days later is still priced, 8 days later is
    # refused, and the message names the last rate, its date and that it is stale
    assert _rate("2026-07-28") == (1478.40, dt.date(2026, 7, 21))
    with pytest.raises(InvalidInput) as err:
        _rate("2026-07-29")
    assert err.value.field == "entry_date"
    assert "1,478.40 on 2026-07-21" in err.value.message and "stale" in err.value.message
    with pytest.raises(InvalidInput) as err:
        _rate("2026-12-05")  # today: 137 days after the last rate
    assert "137 days earlier: stale" in err.value.message
    with pytest.raises(InvalidInput) as err:
        _rate("2024-12-30")
    assert err.value.field == "entry_date"


def test_after_the_h10_table_the_ecb_cross_rate_is_used_and_named() -> None:
    params = get_params()
    last_h10 = rate_on(dt.date(2026, 6, 7), params)  # Sunday: Friday's H.10 rate
    assert (last_h10.krw_per_usd, last_h10.rate_date, last_h10.source) == (
        1555.96,
        dt.date(2026, 6, 5),
        SOURCE,
    )
    first = rate_on(dt.date(2026, 6, 8), params)
    # ECB 2026-06-08: KRW 1,763.26 and USD 1.1540 per EUR -> 1,763.26 / 1.1540 = 1,527.95
    assert (first.krw_per_usd, first.rate_date) == (1527.95, dt.date(2026, 6, 8))
    assert first.source.startswith("ECB") and "not H.10" in first.source
    assert "ecb.europa.eu" in (first.href or "")


def test_the_callers_own_rate_is_used_as_given_and_checked() -> None:
    r = rate_on(dt.date(2026, 12, 1), get_params(), own_rate=1400.0)
    assert (r.krw_per_usd, r.rate_date, r.source) == (1400.0, None, "given by the caller")
    for bad in (0.0, -1.0, float("nan"), float("inf"), 1e9):
        with pytest.raises(InvalidInput) as err:
            rate_on(dt.date(2025, 11, 20), get_params(), own_rate=bad)
        assert err.value.field == "krw_rate"


def test_the_shipped_tables() -> None:
    table = fx_table()
    assert table.height == 359
    assert (table["date"][0], table["date"][-1]) == (dt.date(2024, 12, 31), dt.date(2026, 6, 5))
    assert table.filter(pl.col("date").dt.weekday() > 5).height == 0  # no weekend rows
    # an independent FRED DEXKOUS excerpt gives 1388.97 for 2025-09-11
    assert table.filter(pl.col("date") == dt.date(2025, 9, 11))["krw_per_usd"][0] == 1388.97
    cross = fx_table(CROSS_FILE)
    assert cross.height == 32
    assert (cross["date"][0], cross["date"][-1]) == (dt.date(2026, 6, 8), dt.date(2026, 7, 21))
    # ECB 2026-07-21: KRW 1,688.04 and USD 1.1418 per EUR -> 1,478.4025 -> 1,478.40
    assert cross["krw_per_usd"][-1] == round(1688.04 / 1.1418, 2) == 1478.40
    both = rate_table()
    # one source per day: the cross rates start after the last H.10 date, never overlap it
    assert both["date"].is_sorted() and both["date"].n_unique() == both.height == 391
    assert both.filter(pl.col("source") == "ecb_cross")["date"].min() > table["date"][-1]


def test_vectorised_lookup_agrees_with_the_scalar_rule() -> None:
    days = pl.date_range(dt.date(2025, 1, 1), dt.date(2026, 8, 10), eager=True)
    out = rates_on(days, get_params())
    assert out.height == days.len()
    for day, row in zip(days.to_list()[::13], out.rows(named=True)[::13], strict=True):
        if row["krw_per_usd"] is None:
            assert day > dt.date(2026, 7, 28) and row["source"] is None
        else:
            assert (row["krw_per_usd"], row["rate_date"]) == _rate(day.isoformat())
            assert 0 <= (day - row["rate_date"]).days <= 7
            assert row["source"] == ("h10" if day <= dt.date(2026, 6, 7) else "ecb_cross")
