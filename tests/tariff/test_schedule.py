"""The full HTS schedule by revision (issue 11 item 1): every line quotes, the revision in
force on the entry date is the one read, an invalid statistical suffix is an error."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiro.core.errors import InvalidInput
from tiro.core.yaml_strict import load_yaml
from tiro.tariff.measures.data import load_measure_set
from tiro.tariff.pricing.engine import price
from tiro.tariff.pricing.quote import quote, timeline
from tiro.tariff.schedule.derive import derive
from tiro.tariff.schedule.revisions import (
    SCHEDULE_DIR,
    later_revisions,
    revision_for,
    revisions,
    schedule_table,
    unread_revision_for,
)

# One entry date per tariff regime, each inside the shipped revision it falls in:
# the 2018 Section 232 regime (aluminium 10%, Korean steel under quota) before Procl. 10895/10896;
# before the reciprocal tariffs; reciprocal 10%; Korea's flat 15%; the Korea deal (15% all-in);
# HTS 2026 Basic; Rev. 2; Section 122 (after IEEPA ended); HTS 2026 Rev. 10.
REGIME_DATES = [
    dt.date(2025, 1, 2),
    dt.date(2025, 3, 12),
    dt.date(2025, 4, 10),
    dt.date(2025, 9, 1),
    dt.date(2025, 12, 1),
    dt.date(2026, 1, 15),
    dt.date(2026, 2, 1),
    dt.date(2026, 3, 2),
    dt.date(2026, 12, 1),
    dt.date(2026, 12, 5),  # today: the polysilicon minimum import price in force (from 12-04)
]


def _lines(codes: list[str], date: dt.date) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "hts": codes,
            "origin": ["KR"] * len(codes),
            "entry_date": [date] * len(codes),
            "customs_value": [10000.0] * len(codes),
        }
    )


def test_shipped_revisions_and_their_provenance() -> None:
    ids = [r.id for r in revisions()]
    assert ids == [
        "2025_basic",
        "2025_rev_17",
        "2026_basic",
        "2026_rev_2",
        "2026_rev_3",
        "2026_rev_10",
        "2026_rev_11",
    ]
    for r in revisions():
        prov = load_yaml(SCHEDULE_DIR / f"hts_{r.id}.provenance.yaml")
        table = schedule_table(r.id)
        assert table.height == prov["lines"] > 22_000
        assert set(table["hts"].str.len_chars().unique()) == {8, 10}
        assert table["hts"].is_unique().all()
        assert table["chapter"].cast(pl.Int32).max() <= 97
        if "derived_from" in prov:  # Rev. 11: Rev. 10 plus the suffixes a source names
            base = schedule_table(prov["derived_from"])
            added = {e["code"].replace(".", "") for e in prov["added"]}
            assert set(table["hts"]) == set(base["hts"]) | added
            assert all(e["source"] for e in prov["added"])
            continue
        copy = prov["source"]["copy_read"]
        assert copy["commit"] == "9919812fe16ad61d72318dc7b96d387cc6c226da"
        assert copy["path"] == f"data/hts_archives/hts_{r.id}.json.gz"
        assert (SCHEDULE_DIR / r.file).stat().st_size < 1_000_000


def test_revision_in_force_on_each_side_of_a_change() -> None:
    assert revision_for(dt.date(2024, 12, 31)) is None
    assert revision_for(dt.date(2025, 6, 30)).id == "2025_basic"
    assert revision_for(dt.date(2025, 7, 1)).id == "2025_rev_17"
    assert revision_for(dt.date(2026, 1, 29)).id == "2026_basic"
    assert revision_for(dt.date(2026, 1, 30)).id == "2026_rev_2"


def test_a_suffix_split_by_a_revision_prices_only_while_it_exists() -> None:
    """HTS 2026 Rev. 2 (from 2026-01-30) split lithium-ion 'Other' 8507.60.00.20 into .30
    (battery energy storage systems) and .90 (other)."""
    common = dict(origin="KR", customs_value=10000, korus=False, facts={"vehicle_part": False})
    before = quote(hts="8507.60.00.20", entry_date="2026-01-29", **common)
    # General 3.4% x 10,000 = 340; 9903.02.80 tops up to 15% all-in: 11.6% x 10,000 = 1,160
    assert (before["base_duty"], before["total_duty"]) == (340.0, 1500.0)
    assert before["schedule_revision"] == "USITC HTS 2026 Basic Edition (in force from 2026-01-01)"
    with pytest.raises(InvalidInput, match="invalid statistical suffix") as err:
        quote(hts="8507.60.00.20", entry_date="2026-01-30", **common)
    assert err.value.field == "hts"
    with pytest.raises(InvalidInput, match="invalid statistical suffix"):
        quote(hts="8507.60.00.90", entry_date="2026-01-29", **common)
    after = quote(hts="8507.60.00.90", entry_date="2026-01-30", **common)
    assert (after["base_duty"], after["total_duty"]) == (340.0, 1500.0)
    assert after["schedule_revision"] == "USITC HTS 2026 Revision 2 (in force from 2026-01-30)"
    assert after["hts_description"].endswith("Lithium-ion batteries > Other > Other")


def test_an_invalid_suffix_is_an_error_not_its_8_digit_prefix() -> None:
    with pytest.raises(
        InvalidInput, match=r"invalid statistical suffix in HTS code 7326\.90\.86\.99"
    ):
        quote(hts="7326.90.86.99", origin="KR", entry_date="2026-12-01", customs_value=10000)
    # the 8-digit code itself is a line of the schedule: it quotes
    q = quote(hts="7326.90.86", origin="KR", entry_date="2026-12-01", customs_value=10000)
    assert q["column1_rate_text"] == "Free"


def test_later_revisions_tiro_does_not_ship_are_dated_and_named() -> None:
    """Rev. 11 (2026-07-01, the July 1 statistical update) and later are known but their exports
    were not read: Rev. 11 ships derived (Rev. 10 plus the suffixes a source names), later dates
    read it, and the index says which revision really applied."""
    read = [r for r in revisions() if r.id != "2026_rev_11"][-1]
    later = later_revisions()
    dated = [r.effective_from for r in later if r.effective_from is not None]
    assert dated == sorted(dated) and dated[0] > read.effective_from
    assert all(r.source and r.chapters_01_97 for r in later)
    assert unread_revision_for(dt.date(2026, 6, 30)) is None
    assert unread_revision_for(dt.date(2026, 7, 1)).id == "2026_rev_11"
    assert unread_revision_for(dt.date(2026, 12, 5)).id == "2026_rev_18"
    assert revision_for(dt.date(2026, 12, 5)).id == "2026_rev_11"
    assert revision_for(dt.date(2026, 6, 30)) == read


def test_a_suffix_rev_11_established_quotes_from_its_date_and_an_unnamed_one_is_refused() -> None:
    """Procl. 11052 Annex I names 3818.00.00.40 (polysilicon wafers), created by Rev. 11: before
    2026-07-01 it is not a line of the schedule; from then on it is, so the polysilicon measure of
    2026-12-04 reaches it (a minimum import price: documentation and quantity are asked for)."""
    with pytest.raises(InvalidInput, match="invalid statistical suffix"):
        quote(hts="3818.00.00.40", origin="KR", entry_date="2026-06-30", customs_value=800)
    july = quote(hts="3818.00.00.40", origin="KR", entry_date="2026-07-01", customs_value=800)
    assert july["schedule_revision"].startswith(
        "USITC HTS 2026 Revision 11 (derived from Revision 10)"
    )
    assert july["hts_description"].endswith("its own text was not read)")
    assert july["column1_rate_text"] == "Free"
    december = quote(hts="3818.00.00.40", origin="KR", entry_date="2026-12-04", customs_value=800)
    assert december["total_duty"] is None
    assert set(december["needs"]) == {"mip_documented", "quantity:kg"}
    # a suffix no source names stays refused (3818.00.00.60 is in no revision tiro has)
    with pytest.raises(InvalidInput, match="invalid statistical suffix"):
        quote(hts="3818.00.00.60", origin="KR", entry_date="2026-12-04", customs_value=800)


def test_derive_refuses_what_it_cannot_place() -> None:
    base = schedule_table("2026_rev_10")
    with pytest.raises(InvalidInput, match="not 10-digit"):
        derive(base, ["3818.00.00"], "HTS 2026 Revision 11")
    with pytest.raises(InvalidInput, match="already in the base"):
        derive(base, ["3818.00.00.20"], "HTS 2026 Revision 11")
    with pytest.raises(InvalidInput, match="no 8-digit subheading 99999999"):
        derive(base, ["9999.99.99.10"], "HTS 2026 Revision 11")
    table = derive(base, ["3818.00.00.40"], "HTS 2026 Revision 11")
    row = table.filter(pl.col("hts") == "3818000040").row(0, named=True)
    parent = base.filter(pl.col("hts") == "38180000").row(0, named=True)
    assert (row["htsno"], row["indent"], row["rate_hts"]) == ("3818.00.00.40", 1, "38180000")
    assert row["general_rate_text"] == parent["general_rate_text"] == "Free"
    assert table.height == base.height + 1 and table["hts"].is_sorted()


def test_timeline_marks_the_dates_a_code_is_not_in_the_schedule() -> None:
    points = {p["date"]: p for p in timeline(hts="8507.60.00.20")}
    assert "error" not in points["2026-01-01"]
    assert "invalid statistical suffix" in points["2026-01-30"]["error"]
    assert points["2026-01-30"]["total_rate"] is None


@pytest.mark.parametrize("date", REGIME_DATES, ids=str)
def test_every_line_of_the_revision_in_force_quotes_for_korea(date: dt.date) -> None:
    """Batch over every 8/10-digit line: never an error row; a total, or needs naming what
    is missing (a fact such as metal_share, a quantity, or rate_text for a rate the parser
    does not read)."""
    revision = revision_for(date)
    codes = schedule_table(revision.id)["htsno"].to_list()
    p = price(_lines(codes, date), load_measure_set(None))
    assert p.errors.height == 0, p.errors.head(3)
    assert p.lines.height == len(codes)
    unexplained = p.lines.filter(
        pl.col("total_duty").is_null() & (pl.col("needs").fill_null("") == "")
    )
    assert unexplained.height == 0, unexplained.head(3)
    needs = set(";".join(p.lines["needs"].to_list()).split(";")) - {""}
    assert all(n.replace(":", "").replace("_", "").isalnum() for n in needs), needs


_ALL = [(r.id, code) for r in revisions() for code in schedule_table(r.id)["htsno"].to_list()]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(REGIME_DATES), st.integers(0, 10**9), st.sampled_from([True, False]))
def test_any_line_quotes_on_any_regime_date(date: dt.date, pick: int, korus: bool) -> None:
    lines = schedule_table(revision_for(date).id)["htsno"]
    hts = lines[pick % len(lines)]
    q = quote(hts=hts, origin="KR", entry_date=date, customs_value=10000, korus=korus)
    assert q["total_duty"] is not None or q["needs"], q


def test_schedule_is_read_only_when_a_quote_needs_it() -> None:
    code = (
        "import tiro.tariff.pricing.engine, tiro.tariff.pricing.quote, tiro.tariff.schedule.revisions as s;"
        "print(s.schedule_table.cache_info().currsize)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"
