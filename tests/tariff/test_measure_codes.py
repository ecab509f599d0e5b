"""Every 10-digit code a measure names exists in the schedule and means what the measure means.

Issue 9 item 19: the EV-battery suffix was 8507.60.00.20 in the data, but the HTS prints
8507.60.00.10 "Of a kind used as the primary source of electrical power for electrically powered
vehicles ..." and .20 "Other". The check reads the schedule's own text
(``data/tariff/hts_statistical.csv``, copied from the USITC JSON export).
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest
import yaml

from tiro.tariff.measures.data import DATA_DIR, Measure, hts_digits, read_baseline
from tiro.tariff.schedule.revisions import revisions, schedule_table

STAT = pl.read_csv(DATA_DIR / "hts_statistical.csv", infer_schema=False)
DESCRIPTION = dict(zip(STAT["hts"], STAT["description"], strict=True))
PROVENANCE = yaml.safe_load(Path(DATA_DIR / "hts_statistical.provenance.yaml").read_text())
LATER = {hts_digits(c) for c in PROVENANCE["not_in_this_revision"]["codes"]}
SUBSET = set(pl.read_csv(DATA_DIR / "hts_subset.csv", infer_schema=False)["hts"])
VEHICLE_WORDS = re.compile(r"vehicle|automobile|motor car|truck|bus\b", re.IGNORECASE)
AUTO_PART_PROGRAMS = ("s232_auto_parts", "kr_auto_parts")


def _ten_digit(measures: tuple[Measure, ...]) -> dict[str, set[str]]:
    codes: dict[str, set[str]] = {}
    for m in measures:
        for code in (*m.hts_include, *m.hts_exclude):
            if len(code) == 10:
                codes.setdefault(code, set()).add(m.id)
    return codes


MEASURES = read_baseline().measures
TEN = _ten_digit(MEASURES)
SHIPPED = {
    hts_digits(code) for r in revisions() for code in schedule_table(r.id)["htsno"].to_list()
}
"""Every 8/10-digit line of the shipped full-schedule revisions (issue 11 item 1)."""


def test_every_ten_digit_code_exists_in_the_schedule() -> None:
    """A code is in the USITC export copy, listed as created by a later revision, or a line of a
    shipped full-schedule revision (the lists of U.S. notes 38(i), 43(c) and the polysilicon
    scope name suffixes the curated export copy lacks)."""
    unknown = sorted(c for c in TEN if c not in DESCRIPTION and c not in LATER and c not in SHIPPED)
    assert unknown == []
    assert len(TEN) >= 234 and len(LATER) == 19  # 234 named codes when this test was written
    # the later-revision list holds only codes measures actually name and the export lacks
    assert set(TEN) >= LATER and not LATER & set(DESCRIPTION)


def test_codes_outside_the_shipped_rate_subset_have_their_rate_line_in_the_export() -> None:
    """hts_subset.csv carries the rate lines of Korea's main exports only (179 of the named
    codes were outside it when this test was written; a quote of those needs ``--hts-table``).
    Each such code's 8-digit rate line exists in the USITC export copy, unless the code itself
    is one created by a later revision."""
    outside = {c for c in TEN if c not in SUBSET and c[:8] not in SUBSET}
    assert len(outside) >= 179
    unproven = [c for c in outside if c[:8] not in DESCRIPTION and c not in DESCRIPTION]
    assert sorted(set(unproven) - LATER - SHIPPED) == []
    assert "85076000" in SUBSET and "8507600010" not in outside


def _siblings(code: str) -> list[str]:
    return [c for c in DESCRIPTION if len(c) == 10 and c[:8] == code[:8] and c != code]


def test_auto_part_suffixes_name_the_vehicle_use() -> None:
    """Where a rate line splits by vehicle use, an auto-parts record by classification names
    the vehicle suffix, never its 'Other' sibling; records by declared use exclude only such
    vehicle suffixes (they are parts by classification)."""
    wrong = []
    for m in MEASURES:
        if m.program not in AUTO_PART_PROGRAMS:
            continue
        by_use = m.conditions.get("vehicle_part") is True
        named = m.hts_exclude if by_use else m.hts_include
        for code in (c for c in named if c in DESCRIPTION and len(c) == 10):
            vehicle_sibling = any(VEHICLE_WORDS.search(DESCRIPTION[s]) for s in _siblings(code))
            if vehicle_sibling and not VEHICLE_WORDS.search(DESCRIPTION[code]):
                wrong.append((m.id, code, DESCRIPTION[code]))
    assert wrong == []


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("8507600010", "Of a kind used as the primary source of electrical power for electrically"),
        ("8507600020", "Other"),
    ],
)
def test_lithium_ion_suffixes_as_the_schedule_prints_them(code: str, words: str) -> None:
    assert DESCRIPTION[code].startswith(words)


def test_ev_battery_is_a_part_by_classification_and_not_by_use() -> None:
    by_id = {m.id: m for m in MEASURES}
    assert "8507600010" in by_id["auto-parts-2025-05-03"].hts_include
    assert "8507600020" not in by_id["auto-parts-2025-05-03"].hts_include
    assert by_id["auto-parts-by-use-2025-05-03"].hts_exclude == ("8507600010",)
