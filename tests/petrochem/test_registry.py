"""Capacity registry: totals by date against hand sums of the shipped table (issue 15 item 1)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tiro.core.errors import InvalidInput
from tiro.petrochem import registry


@pytest.fixture(scope="module")
def tables():
    units = registry.load_units()
    return units, registry.load_events(units)


def _totals(tables, day: str) -> dict:
    units, events = tables
    return registry.capacity_totals(units, events, dt.date.fromisoformat(day))


def test_before_the_agreement_all_fifteen_but_shaheen(tables):
    got = _totals(tables, "2025-01-01")
    yeosu = 1200 + 800 + 1230 + 900 + 915 + 470 + 900  # LG 1, LG 2, Lotte, YNCC 1-3, GS MFC
    daesan = 1300 + 1100 + 850 + 1530  # LG, Lotte, HD Hyundai, Hanwha TotalEnergies
    ulsan = 660 + 900 + 180  # SK, KPIC, S-Oil existing (Shaheen planned)
    assert got["by_complex"] == {"yeosu": yeosu, "daesan": daesan, "ulsan": ulsan}
    assert got["total_kt"] == 12935 == yeosu + daesan + ulsan  # spec: ~12.9-13.0 Mt


def test_idle_counts_suspended_does_not_planned_counts_from_start(tables):
    # 2026-03-01: YNCC No.3 idle (counted), Lotte Daesan suspended under project 1 (not).
    assert _totals(tables, "2026-03-01")["total_kt"] == 12935 - 1100
    assert _totals(tables, "2026-12-31")["by_company"]["S-Oil"] == 180
    got = _totals(tables, "2027-01-01")  # Shaheen starts
    assert got["by_company"]["S-Oil"] == 180 + 1800
    assert got["total_kt"] == 12935 - 1100 + 1800
    # the 3-year suspension ends 2029-02-01: the base with Shaheen, 14.7 Mt
    assert _totals(tables, "2029-02-01")["total_kt"] == 14735


def test_dated_capacity_history(tables):
    got = _totals(tables, "2018-06-01")
    # LG Daesan 1,070 before its 2019 expansion, Hanwha 1,400 before 2021; no 2021 units yet
    assert got["by_complex"] == {
        "yeosu": 1200 + 1230 + 900 + 915 + 470,
        "daesan": 1070 + 1100 + 1400,
        "ulsan": 660 + 900,
    }


def test_sources_disagree_lists_ranges(tables):
    units, _ = tables
    assert set(registry.sources_disagree(units)["unit"]) == {
        "lg_yeosu_1", "lg_yeosu_2", "lotte_yeosu", "lg_daesan", "lotte_daesan", "hanwha_daesan"
    }  # fmt: skip


def test_every_row_cites_a_url(tables):
    units, events = tables
    assert units["source_url"].str.starts_with("http").all()
    assert events["source_url"].str.starts_with("http").all()


def test_negative_capacity_file_is_refused(tmp_path):
    text = (registry.DATA_DIR / "units.csv").read_text(encoding="utf-8")
    bad = tmp_path / "units.csv"
    bad.write_text(text.replace(",yncc,", ",yncc,").replace("yeosu,470,", "yeosu,-470,"))
    with pytest.raises(InvalidInput, match="capacity_kt must be a positive number"):
        registry.load_units(bad)


def test_event_of_unknown_unit_is_refused(tmp_path):
    units = registry.load_units()
    bad = tmp_path / "events.csv"
    bad.write_text(
        "unit,date,status,until,capacity_kt,precision,source_url,note\n"
        "nope,2020-01-01,operating,,,day,https://x,\n"
    )
    with pytest.raises(InvalidInput, match="line 2: unknown unit"):
        registry.load_events(units, bad)


def test_cli_capacity_json_contract(cli):
    result = cli(["petrochem", "capacity", "--date", "2025-01-01", "--json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"date", "total_kt", "by_complex", "by_company"}
    assert data["total_kt"] == 12935 and data["by_company"]["LG Chem"] == 1200 + 800 + 1300


def test_cli_bad_input_is_one_line(cli, tmp_path):
    result = cli(["petrochem", "capacity", "--by", "region"])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "--by" in result.stderr
    result = cli(["petrochem", "capacity", "--units", str(tmp_path / "none.csv")])
    assert result.exit_code == 2 and "units" in result.stderr
