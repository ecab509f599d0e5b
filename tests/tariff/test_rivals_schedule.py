"""Every line of the shipped schedule quotes for Korea's competitors (issue 11, T-RIVALS): on a
date in each of their regimes, every 8/10-digit line of the revision in force prices for Japan,
Germany, China, Hong Kong, Canada and Mexico — a total, or ``needs`` naming a fact, never an
error — and a declared USMCA good never pays a border duty."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from tiro.tariff.measures.data import load_measure_set
from tiro.tariff.pricing.engine import price
from tiro.tariff.schedule.revisions import revision_for, schedule_table

ORIGINS = ["JP", "DE", "CN", "HK", "CA", "MX"]
# one date inside each change of the competitor records: opioid duty 10%; border duties without
# the USMCA exception; with it; country rates (84% China); China 125%; Geneva 10%; Canada 35% and
# EU autos; JP/EU all-in; Japan autos; opioid duty cut; Section 122
RIVAL_DATES = [
    dt.date(2025, 2, 4),
    dt.date(2025, 3, 5),
    dt.date(2025, 3, 7),
    dt.date(2025, 4, 9),
    dt.date(2025, 4, 10),
    dt.date(2025, 5, 14),
    dt.date(2025, 8, 1),
    dt.date(2025, 8, 7),
    dt.date(2025, 9, 16),
    dt.date(2025, 11, 10),
    dt.date(2026, 2, 24),
]
BORDER = ("9903.01.01", "9903.01.05", "9903.01.10", "9903.01.13", "9903.01.15")


def _lines(codes: list[str], date: dt.date, usmca: bool | None) -> pl.DataFrame:
    n = len(codes)
    return pl.DataFrame(
        {
            "hts": codes * len(ORIGINS),
            "origin": [o for o in ORIGINS for _ in range(n)],
            "entry_date": [date] * (n * len(ORIGINS)),
            "customs_value": [10000.0] * (n * len(ORIGINS)),
            "usmca": [usmca] * (n * len(ORIGINS)),
        },
        schema_overrides={"usmca": pl.Boolean},
    )


@pytest.mark.parametrize("date", RIVAL_DATES, ids=str)
def test_every_line_quotes_for_every_competitor(date: dt.date) -> None:
    codes = schedule_table(revision_for(date).id)["htsno"].to_list()
    p = price(_lines(codes, date, None), load_measure_set(None))
    assert p.errors.height == 0, p.errors.head(3)
    assert p.lines.height == len(codes) * len(ORIGINS)
    unexplained = p.lines.filter(
        pl.col("total_duty").is_null() & (pl.col("needs").fill_null("") == "")
    )
    assert unexplained.height == 0, unexplained.head(3)
    # with USMCA declared no Canadian or Mexican line pays a border duty
    declared = price(_lines(codes, date, True), load_measure_set(None)).lines
    usmca_lines = declared.filter(pl.col("origin").cast(pl.Utf8).is_in(["CA", "MX"]))
    charged = (
        usmca_lines["headings"]
        .cast(pl.Utf8)
        .fill_null("")
        .str.contains("|".join(BORDER).replace(".", r"\."))
    )
    assert date < dt.date(2025, 3, 7) or not charged.any(), usmca_lines.filter(charged).head(3)
