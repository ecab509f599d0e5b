"""The code lists issue 11 item 2 loaded in place of heading-level selections, checked against
what the notes print and what the shipped schedule holds (counts were read off the HTSUS 2026
Rev. 6 chapter 99 text when the lists were parsed)."""

from __future__ import annotations

import datetime as dt

from tiro.tariff.measures.data import hts_digits, read_baseline
from tiro.tariff.schedule.revisions import schedule_table

BY_ID = read_baseline().by_id()
ANNEX_II = [m for m in BY_ID.values() if m.program == "ieepa_annex_ii"]


def _annex_ii_on(day: dt.date) -> set[str]:
    return {
        code
        for m in ANNEX_II
        if m.valid_from <= day < (m.valid_to or dt.date.max)
        for code in m.hts_include
    }


def test_annex_ii_is_six_dated_code_lists() -> None:
    assert len(ANNEX_II) == 6
    assert {m.heading for m in ANNEX_II} == {"9903.01.32"}
    assert all(len(c) >= 8 for m in ANNEX_II for c in m.hts_include)  # no heading-level prefix
    assert sorted(len(m.hts_include) for m in ANNEX_II) == [8, 39, 76, 158, 237, 838]
    # copper wire: listed until HTSUS 2025 Rev. 17 (2025-08-01) dropped it for Section 232 copper
    assert "74081130" in _annex_ii_on(dt.date(2025, 7, 31))
    assert "74081130" not in _annex_ii_on(dt.date(2025, 8, 1))
    # green coffee: added with the agricultural expansion of 2025-11-13 (Rev. 29)
    assert "09011100" not in _annex_ii_on(dt.date(2025, 11, 12))
    assert "09011100" in _annex_ii_on(dt.date(2025, 11, 13))
    # softwood lumber left Annex II when the Section 232 wood duty began (2025-10-14)
    assert "44071100" in _annex_ii_on(dt.date(2025, 10, 13))
    assert "44071100" not in _annex_ii_on(dt.date(2025, 10, 14))
    # Rev. 6 prints 8505.11.00.70, not the 8-digit line
    assert "8505110070" in _annex_ii_on(dt.date(2026, 1, 1))
    assert "85051100" not in _annex_ii_on(dt.date(2026, 1, 1))
    # none in force after IEEPA ended (2026-02-24)
    assert _annex_ii_on(dt.date(2026, 2, 24)) == set()


def test_the_memorandum_headings_are_their_8_digit_lines() -> None:
    """8471, 8473.30, 8486, 8524 and 8542 (memorandum of 2025-04-11) are listed as the 8-digit
    lines the shipped 2025-2026 revisions hold under them."""
    listed = BY_ID["ieepa-annex-ii-2025-04-05"].hts_include
    for prefix in ("8471", "847330", "8486", "8524", "8542"):
        under = {
            hts_digits(c)[:8]
            for r in ("2025_basic", "2025_rev_17", "2026_basic", "2026_rev_2")
            for c in schedule_table(r)["htsno"].to_list()
            if hts_digits(c).startswith(prefix) and len(hts_digits(c)) >= 8
        }
        assert under and under <= set(listed), prefix


def test_section_122_annex_is_note_2aa_ii() -> None:
    annex = BY_ID["s122-annex-2026-02-24"].hts_include
    assert len(annex) == 1098 and len(set(annex)) == 1098
    assert "09011100" in annex and "85423100" in annex
    assert "84137020" not in annex  # pumps pay the surcharge


def test_lumber_is_note_37b() -> None:
    assert BY_ID["wood-lumber-2025-10-14"].hts_include == (
        "44031100",
        "44032101",
        "44032201",
        "44032301",
        "44032401",
        "44032501",
        "44032601",
        "44039901",
        "44061100",
        "44069100",
        "44071100",
        "44071200",
        "44071300",
        "44071400",
        "44071900",
    )


def test_semiconductors_are_the_lines_of_note_39b() -> None:
    lines = set(BY_ID["semis-2026-01-15"].hts_include)
    expected = {
        hts_digits(c)[:8]
        for r in ("2026_basic", "2026_rev_2", "2026_rev_3", "2026_rev_10")
        for c in schedule_table(r)["htsno"].to_list()
        if hts_digits(c)[:6] in ("847150", "847180", "847330")
    }
    assert lines == expected and len(lines) == 8


def test_certified_parts_exclude_what_notes_33_and_38_exclude() -> None:
    note_38i = set(BY_ID["mhdv-parts-2025-11-01"].hts_include)
    assert len(note_38i) == 182
    note_33g = set(BY_ID["auto-parts-2025-05-03"].hts_include) | set(
        BY_ID["auto-parts-by-use-2025-05-03"].hts_include
    )
    for rid in (
        "mhdv-parts-certified-2025-11-01",
        "auto-parts-certified-2025-11-01",
        "kr-other-parts-below-15-2025-11-01",
        "kr-other-parts-at-least-15-2025-11-01",
    ):
        m = BY_ID[rid]
        assert m.hts_include == ("",)
        assert {"72", "73", "76"} | note_38i | note_33g <= set(m.hts_exclude), rid
