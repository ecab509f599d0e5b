"""What is not modelled depends on the entry date (coverage.yaml valid_from/valid_to): a programme
that ended or had not begun does not make a quote incomplete, and the batch's vectorised column
says what the quote says, line by line."""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from tiro.tariff.measures.coverage import not_modelled, not_modelled_column
from tiro.tariff.pricing.quote import quote, timeline

ORIGINS = ["KR", "JP", "DE", "FR", "CN", "HK", "CA", "MX", "BR", "IN", "GB", "VN", "TW"]


def programs(origin: str, on: dt.date | None = None) -> list[str]:
    return [e["program"] for e in not_modelled(origin, on)]


def test_the_2018_quota_counts_only_before_2025_03_12() -> None:
    assert "s232_trq_2018" in programs("JP", dt.date(2025, 3, 11))
    assert "s232_trq_2018" not in programs("JP", dt.date(2025, 3, 12))
    assert "s232_trq_2018" in programs("DE", dt.date(2025, 1, 1))


def test_ieepa_gaps_end_with_ieepa_and_forced_labour_gaps_start_on_its_first_day() -> None:
    assert "ieepa_brazil" not in programs("BR", dt.date(2025, 8, 5))
    assert "ieepa_brazil" in programs("BR", dt.date(2025, 8, 6))
    assert "ieepa_brazil" in programs("BR", dt.date(2026, 2, 23))
    assert "ieepa_brazil" not in programs("BR", dt.date(2026, 2, 24))
    assert "s301_forced_labor_country" not in programs("VN", dt.date(2026, 7, 23))
    assert "s301_forced_labor_country" in programs("VN", dt.date(2026, 7, 24))


def test_without_a_date_every_entry_counts() -> None:
    assert {"s232_trq_2018", "s301_forced_labor_eu_list"} <= set(programs("DE"))
    assert programs("KR") == []


def test_quote_and_timeline_use_the_entry_date() -> None:
    before = quote(hts="7208.51.00", origin="JP", entry_date="2025-03-11", customs_value=1000)
    after = quote(hts="7208.51.00", origin="JP", entry_date="2025-03-12", customs_value=1000)
    assert [e["program"] for e in before["not_modelled"]] == ["jp_deal_other", "s232_trq_2018"]
    assert [e["program"] for e in after["not_modelled"]] == ["jp_deal_other"]
    points = {
        p["date"]: p
        for p in timeline(
            hts="7208.51.00", origin="JP", start=dt.date(2025, 1, 1), end=dt.date(2025, 4, 1)
        )
    }
    assert "s232_trq_2018" in points["2025-01-01"]["not_modelled"]
    assert "s232_trq_2018" not in points["2025-03-12"]["not_modelled"]


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from([*ORIGINS, None]),
            st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2026, 12, 5)),
        ),
        min_size=1,
        max_size=40,
    ),
    as_enum=st.booleans(),
)
def test_batch_column_equals_the_quote_rule_line_by_line(
    rows: list[tuple[str | None, dt.date]], as_enum: bool
) -> None:
    origin = pl.Series([o for o, _ in rows], dtype=pl.Utf8)
    if as_enum:
        origin = origin.cast(pl.Enum(sorted(set(ORIGINS))))
    dates = pl.Series([d for _, d in rows], dtype=pl.Date)
    got = not_modelled_column(origin, dates).cast(pl.Utf8).to_list()
    want = [None if o is None else ";".join(programs(o, d)) for o, d in rows]
    assert got == want
