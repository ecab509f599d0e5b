"""What is not modelled depends on the entry date (coverage.yaml valid_from/valid_to) and on the
HTS code (an entry's ``hts`` scope): a programme that ended, had not begun or does not cover the
product does not make a quote incomplete, and the batch's vectorised column says what the quote
says, line by line."""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from tiro.tariff.measures.coverage import not_modelled, not_modelled_column
from tiro.tariff.pricing.quote import quote, timeline
from tiro.tariff.schedule.base_rates import load_hts_subset

ORIGINS = ["KR", "JP", "DE", "FR", "CN", "HK", "CA", "MX", "BR", "IN", "GB", "VN", "TW"]


def programs(origin: str, on: dt.date | None = None, hts: str | None = None) -> list[str]:
    return [e["program"] for e in not_modelled(origin, on, hts)]


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
    # a steel plate (chapter 72) is outside the certified-parts scope of jp_deal_other
    assert [e["program"] for e in before["not_modelled"]] == ["s232_trq_2018"]
    assert after["not_modelled"] == [] and after["total_complete"] is True
    points = {
        p["date"]: p
        for p in timeline(
            hts="7208.51.00", origin="JP", start=dt.date(2025, 1, 1), end=dt.date(2025, 4, 1)
        )
    }
    assert "s232_trq_2018" in points["2025-01-01"]["not_modelled"]
    assert "s232_trq_2018" not in points["2025-03-12"]["not_modelled"]


D = dt.date(2025, 12, 1)


def test_a_japanese_car_is_complete_a_certified_part_candidate_is_not() -> None:
    # 8703.23.01 is a note 33(b) vehicle (ieepa_jp.yaml), left out of the certified-parts scope
    car = quote(hts="8703.23.01", origin="JP", entry_date="2025-12-01", customs_value=10000)
    assert car["not_modelled"] == [] and car["total_complete"] is True
    # 8708.99.81 is not in the note 33(g) lists, so a certified part may enter there (9903.94.54/.55)
    part = quote(hts="8708.99.81", origin="JP", entry_date="2025-12-01", customs_value=10000)
    assert [e["program"] for e in part["not_modelled"]] == ["jp_deal_other"]
    assert part["total_complete"] is False
    # a 33(g) part (8708.99.68) has its own loaded deal headings 9903.94.42/.43
    assert programs("JP", D, "8708.99.68") == []
    # an 8-digit code whose 10-digit line is excluded stays in scope (its suffix is unknown):
    # 8507.60.00 is excluded as a whole (8507.60 in note 33(g)); 4013.10.00 likewise
    assert programs("JP", D, "8507.60.00") == []
    # the same code in every written form
    assert programs("JP", D, "870899 81") == programs("JP", D, "8708998100") == ["jp_deal_other"]


def test_an_eu_pharmaceutical_is_incomplete_an_eu_steel_plate_is_not() -> None:
    after_ieepa = dt.date(2026, 3, 2)
    # 3004.90.92 is in the certified-parts scope (every code but chapters 72, 73, 76 and the
    # listed parts): eu_deal_other counts; the IEEPA use exemptions ended with IEEPA
    assert programs("DE", after_ieepa, "3004.90.92") == ["eu_deal_other"]
    assert programs("DE", after_ieepa, "7208.51.00") == []
    # while IEEPA was charged, the unscoped use exemptions (lists not read) count for every code
    assert programs("FR", D, "7208.51.00") == ["eu_deal_use_exemptions"]
    assert programs("FR", D, "3004.90.92") == ["eu_deal_other", "eu_deal_use_exemptions"]
    assert programs("FR", D, "8703.23.01") == ["eu_deal_use_exemptions"]
    q = quote(hts="7208.51.00", origin="DE", entry_date="2026-03-02", customs_value=1000)
    assert q["not_modelled"] == [] and q["total_complete"] is True


def test_without_a_code_every_scope_counts_and_china_stays_unscoped() -> None:
    assert programs("JP", D) == ["jp_deal_other"]
    assert programs("CN", D, "7208.51.00") == ["s301_china_other"]
    got = not_modelled_column(
        pl.Series(["JP", "JP", "JP"]), pl.Series([D] * 3), pl.Series(["8703.23.01", None, "x"])
    )
    assert got.to_list() == ["", "jp_deal_other", "jp_deal_other"]


def test_timeline_uses_the_code() -> None:
    points = timeline(
        hts="8703.23.01", origin="JP", start=dt.date(2025, 11, 1), end=dt.date(2025, 12, 31)
    )
    assert all("jp_deal_other" not in p["not_modelled"] for p in points)


CODES = load_hts_subset()["htsno"].to_list()
HAND = ["8703.23.01", "8708.99.81", "8708.99.68", "8507.60.00", "8507.60.00.10", "7208.51.00"]


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from([*ORIGINS, None]),
            st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2026, 12, 5)),
            st.one_of(st.sampled_from(CODES), st.sampled_from([*HAND, None])),
        ),
        min_size=1,
        max_size=40,
    ),
    as_enum=st.booleans(),
)
def test_batch_column_equals_the_quote_rule_line_by_line(
    rows: list[tuple[str | None, dt.date, str | None]], as_enum: bool
) -> None:
    origin = pl.Series([o for o, _, _ in rows], dtype=pl.Utf8)
    if as_enum:
        origin = origin.cast(pl.Enum(sorted(set(ORIGINS))))
    dates = pl.Series([d for _, d, _ in rows], dtype=pl.Date)
    codes = pl.Series([h for _, _, h in rows], dtype=pl.Utf8)
    got = not_modelled_column(origin, dates, codes).cast(pl.Utf8).to_list()
    want = [None if o is None else ";".join(programs(o, d, h)) for o, d, h in rows]
    assert got == want
    # without codes the column is the unscoped rule
    unscoped = not_modelled_column(origin, dates).cast(pl.Utf8).to_list()
    assert unscoped == [None if o is None else ";".join(programs(o, d)) for o, d, _ in rows]


def test_chunks_of_one_batch_share_the_column_enum() -> None:
    # a batch sinks its chunks into one file: the not_modelled Enum must not depend on which
    # codes a chunk happened to hold (a car-only chunk and a parts-only chunk)
    origin = pl.Series(["JP", "DE"]).cast(pl.Enum(sorted(ORIGINS)))
    dates = pl.Series([D, D])
    cars = not_modelled_column(origin, dates, pl.Series(["8703.23.01", "8703.23.01"]))
    parts = not_modelled_column(origin, dates, pl.Series(["8708.99.81", "7208.51.00"]))
    assert cars.dtype == parts.dtype
    assert cars.to_list() == ["", "eu_deal_use_exemptions"]
    assert parts.to_list() == ["jp_deal_other", "eu_deal_use_exemptions"]


def test_the_2018_quota_gap_covers_steel_and_aluminium_only() -> None:
    """The EU/JP/UK quotas of the 2018 regime were on steel and aluminium (the 2018 records'
    lists): a Japanese car on 2025-01-02 is complete, a Japanese steel plate or aluminium plate
    is not; and the EU's IEEPA use exemptions do not count before IEEPA's first day."""
    on = dt.date(2025, 1, 2)
    assert "s232_trq_2018" not in [e["program"] for e in not_modelled("JP", on, "8703.23.01")]
    assert "s232_trq_2018" in [e["program"] for e in not_modelled("JP", on, "7208.51.00")]
    assert "s232_trq_2018" in [e["program"] for e in not_modelled("DE", on, "7606.12.30")]
    assert [e["program"] for e in not_modelled("DE", on, "8703.23.01")] == []
    assert "eu_deal_use_exemptions" in programs("DE", dt.date(2025, 4, 5))
