"""Engine details the shipped data cannot reach: a column-1 rate >= 15% outside the 232
programmes, a user scenario overlay from a file, and the timeline."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from tiro.tariff.pricing.quote import quote, timeline


@pytest.fixture
def high_rate_line() -> str:
    """A real line at 20% General: 6402.99.90.95 (footwear, valued over $12/pair, HTS 2025
    Basic to 2026 Rev. 10); priced without KORUS so the General rate is the column-1 rate."""
    return "6402.99.90.95"


def test_column1_at_least_15_adds_nothing_after_the_deal(high_rate_line: str) -> None:
    # 20% x 10,000 = 2,000; 9903.02.79 = 0 (column 1 >= 15%)
    q = quote(
        hts=high_rate_line, origin="KR", entry_date="2025-12-01", customs_value=10000, korus=False
    )
    assert [line["heading"] for line in q["lines"]] == ["9903.02.79"]
    assert (q["base_rate"], q["total_duty"]) == (0.2, 2000.0)


def test_flat_rate_stacks_before_the_deal(high_rate_line: str) -> None:
    # 2,000 + 15% x 10,000 = 3,500 (9903.02.56 is not all-in)
    q = quote(
        hts=high_rate_line, origin="KR", entry_date="2025-09-01", customs_value=10000, korus=False
    )
    assert q["total_duty"] == 3500.0


def test_user_overlay_file(tmp_path: Path) -> None:
    overlay = tmp_path / "my_case.yaml"
    overlay.write_text(
        "description: cosmetics at 20% from 2025-12-01 (what-if)\n"
        "tariff_measures:\n"
        "  end: {ieepa-kr-all-in-below-15-2025-11-14: 2025-12-01}\n"
        "  add:\n"
        "    - id: what-if\n"
        "      heading: '9903.02.80'\n"
        "      program: ieepa_reciprocal_kr\n"
        "      valid_from: 2025-12-01\n"
        "      valid_to: 2026-02-24\n"
        "      hts: {include: ['*']}\n"
        "      origin: {include: [KR]}\n"
        "      rate: {kind: top_up_to, value: 0.20}\n"
        "      basis: full_value\n"
        "      conditions: {column1_below: 0.20}\n"
        "      citation: {title: what-if, source: test}\n",
        encoding="utf-8",
    )
    q = quote(
        hts="3304.10.00.00",
        origin="KR",
        entry_date="2025-12-01",
        customs_value=1000,
        scenario=str(overlay),
    )
    assert q["total_duty"] == 200.0  # 20% all-in on 1,000
    before = quote(
        hts="3304.10.00.00",
        origin="KR",
        entry_date="2025-11-30",
        customs_value=1000,
        scenario=str(overlay),
    )
    assert before["total_duty"] == 150.0


def test_timeline_steps_through_the_transitions() -> None:
    points = {p["date"]: p["total_rate"] for p in timeline(hts="3304.10.00.00")}
    assert points["2025-03-12"] == 0.0
    assert points["2025-04-05"] == 0.10
    assert points["2025-08-07"] == 0.15
    assert points["2026-02-24"] == 0.10
    assert points["2026-07-24"] == 0.125  # Section 301 forced labour, 12.5% all-in


def test_arrow_batches_price_like_a_frame() -> None:
    import pyarrow as pa

    from tiro.tariff.batch.stream import price_arrow_batches, price_frame

    frame = pl.DataFrame(
        {
            "hts": ["8703.23.01", "3304.10.00.00", "7210.49.00"],
            "origin": ["KR", "KR", "KR"],
            "entry_date": ["2025-12-01", "2026-03-02", "2025-06-04"],
            "customs_value": [30000.0, 2000.0, 1000.0],
        }
    )
    batches = frame.to_arrow().to_batches(max_chunksize=2)
    out = pl.from_arrow(pa.Table.from_batches(list(price_arrow_batches(batches))))
    expected, _ = price_frame(frame)
    # 15% of 30,000; Section 122 10% of 2,000; steel 50% of 1,000
    assert out["total_duty"].to_list() == pytest.approx([4500.0, 200.0, 500.0])
    assert out["total_duty"].to_list() == pytest.approx(expected["total_duty"].to_list())


def test_measure_set_follows_the_core_parameter_scenario() -> None:
    from tiro.core.parameters import get_params
    from tiro.tariff.measures.data import measure_set_for

    assert measure_set_for(get_params()).scenario == "actual"
    no_deal = measure_set_for(get_params("no_deal"))
    assert "no-deal-kr-reciprocal-25" in no_deal.by_id()
    assert "kr-autos-below-15-2025-11-01" not in no_deal.by_id()


def test_section_301_adds_nothing_at_or_above_12_5_percent(footwear_export: Path) -> None:
    """9903.05.70: a Korean good whose column-1 rate is already >= 12.5% pays no Section 301.

    No shipped code outside Section 232 and note 52(b) has a column-1 rate that high, so the
    made-up 20% line of the ``footwear_export`` fixture stands in."""
    from tiro.tariff.schedule.usitc_json import import_usitc_json

    table = import_usitc_json(footwear_export)
    common = dict(hts="6402.99.90.00", origin="KR", entry_date="2026-08-01", customs_value=10000)
    high = quote(korus=False, hts_table=table, **common)  # General 20% >= 12.5%
    assert (high["total_duty"], [ln["heading"] for ln in high["lines"]]) == (2000.0, ["9903.05.70"])
    low = quote(hts_table=table, **common)  # KORUS Free < 12.5%: topped up to 12.5%
    assert (low["total_duty"], [ln["heading"] for ln in low["lines"]]) == (1250.0, ["9903.05.71"])


def test_all_in_measures_of_two_programmes_need_a_rule(tmp_path: Path) -> None:
    """Two top-ups of different programmes on one line would each claim 'the total is X%': the
    engine refuses to guess which and asks for an interaction rule."""
    from tiro.core.errors import ParameterFileError

    overlay = tmp_path / "clash.yaml"
    overlay.write_text(
        "description: test-only clash\n"
        "overrides: {}\n"
        "tariff_measures:\n"
        "  add:\n"
        "    - id: clash-20\n"
        "      heading: '9903.05.xx'\n"
        "      program: s301\n"
        "      label: {ko: 시험, en: test}\n"
        "      valid_from: 2030-01-01\n"
        "      hts: {include: ['*']}\n"
        "      origin: {include: [KR]}\n"
        "      rate: {kind: top_up_to, value: 0.20}\n"
        "      basis: full_value\n"
        "      verified: false\n"
        "      citation: {title: test, source: test}\n",
        encoding="utf-8",
    )
    with pytest.raises(ParameterFileError, match="two programmes"):
        quote(
            hts="3304.10.00.00",
            origin="KR",
            entry_date="2030-06-01",
            customs_value=1000,
            scenario=str(overlay),
        )
