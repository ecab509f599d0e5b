"""Rate cells that name another line ("The rate applicable to ...") on real schedule lines."""

from __future__ import annotations

import polars as pl
import pytest

from tiro.tariff.pricing.quote import quote
from tiro.tariff.schedule.cross_ref import cross_reference
from tiro.tariff.schedule.revisions import schedule_table


def _general(hts: str) -> str:
    table = schedule_table("2026_rev_10")
    return table.filter(pl.col("hts") == hts)["general_rate_text"].item()


@pytest.mark.parametrize(
    ("hts", "target"),
    [
        ("2106905200", "2009"),  # the natural juice in heading 2009
        ("9110110000", "9108"),  # the complete, assembled movement
        ("61032200", "each_garment"),  # each garment in the ensemble if separately entered
        ("9620001500", "article"),  # the article of which it is an accessory
        ("9005904000", "article"),  # the article of which it is a part or accessory
        ("8205906000", "highest_rated_article"),  # that article in the set ... highest rate
        ("9608500000", "each_article"),  # each article in the absence of this subheading
    ],
)
def test_real_cross_references_name_their_target(hts: str, target: str) -> None:
    reference = cross_reference(_general(hts))
    assert reference is not None and reference.target == target
    assert reference.needs == f"referenced_hts:{target}"


def test_a_heading_reference_lists_the_lines_it_can_mean() -> None:
    reference = cross_reference(_general("2106905200"))
    lines = reference.candidates(schedule_table("2026_rev_10"))
    assert lines.height > 20 and lines["hts"].str.starts_with("2009").all()
    # orange juice, frozen concentrate: a line the reference can resolve to, with its own rate
    assert "2009110000" in set(lines["hts"]) or "20091100" in set(lines["hts"])


def test_a_rate_is_not_a_cross_reference() -> None:
    assert cross_reference("2.9%") is None
    assert cross_reference("See 9903.88.03.") is None


def test_a_quote_names_the_line_to_declare_not_rate_text() -> None:
    q = quote(
        hts="2106.90.52.00", origin="KR", entry_date="2026-12-01", customs_value=1000, korus=False
    )
    assert q["total_duty"] is None
    # exactly the article's line; not "rate_text", nor "quantity" (no quantity computes it)
    assert q["needs"] == ["referenced_hts:2009"]
    # with KORUS the Special column is Free for KR: no reference to resolve
    assert (
        quote(hts="2106.90.52.00", origin="KR", entry_date="2026-12-01", customs_value=1000)[
            "base_rate"
        ]
        == 0.0
    )
