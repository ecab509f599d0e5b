"""The quote answer says what it rests on and what it leaves out (issue 9 items 22, 23, 25)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest

from tiro.core.errors import InvalidInput
from tiro.tariff.batch.stream import run_batch
from tiro.tariff.measures.browser import measures_for_code
from tiro.tariff.measures.data import load_measure_set
from tiro.tariff.measures.tables import tables_for
from tiro.tariff.pricing.quote import quote, timeline

# China's IEEPA duties and Section 301 lists 1-4A and the 2024 review are loaded (ieepa_cn.yaml,
# s301_china.yaml, s301_forced_labor_rivals.yaml); the Section 301 exclusions are not
CN_MISSING = ["s301_china_other"]


# --- item 22: origins other than Korea -------------------------------------------------------


def test_chinese_ev_says_what_of_section_301_is_not_modelled() -> None:
    q = quote(hts="8703.80.00", origin="CN", entry_date="2025-12-01", customs_value=10000)
    # MFN 2.5% = 250 + Section 301 review 100% (9903.91.03) = 10,000 + Section 232 autos 25% =
    # 2,500 + IEEPA synthetic-opioid duty 10% (9903.01.24 from 2025-11-10) = 1,000 -> 13,750; still a
    # floor (a USTR exclusion is not loaded, though none covers EVs)
    assert (q["total_duty"], q["total_rate"]) == (13750.0, 1.375)
    assert q["total_complete"] is False
    assert [e["program"] for e in q["not_modelled"]] == CN_MISSING
    assert "Section 301 China" in q["not_modelled"][0]["label_en"]
    assert "the total is a floor" in q["explain"][-1]


def test_japanese_car_is_complete_not_priced_as_korean() -> None:
    q = quote(hts="8703.23.01", origin="JP", entry_date="2025-12-01", customs_value=10000)
    # Japan's own records are loaded (ieepa_jp.yaml: 9903.94.41 15% all-in); the certified
    # parts (jp_deal_other) do not cover a vehicle, and the 2018 steel quota ended on 2025-03-12
    assert q["total_complete"] is True
    assert q["not_modelled"] == []
    # no Korean heading reaches a Japanese car
    assert not [ln for ln in q["lines"] if ln["program"].startswith("kr_")]


def test_korean_quote_is_complete() -> None:
    q = quote(hts="8703.23.01", origin="KR", entry_date="2025-12-01", customs_value=10000)
    assert (q["total_complete"], q["not_modelled"]) == (True, [])


def test_batch_flags_lines_of_origins_not_modelled(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        "hts,origin,entry_date,customs_value\n"
        "3304.10.00.00,KR,2025-12-01,1000\n"
        "8703.80.00,CN,2025-12-01,1000\n"
    )
    summary = run_batch(source, tmp_path / "out.parquet")
    assert (summary.priced, summary.incomplete) == (2, 1)
    out = pl.read_parquet(tmp_path / "out.parquet")
    assert out["not_modelled"].to_list() == ["", ";".join(CN_MISSING)]


def test_timeline_of_another_origin_is_marked_incomplete() -> None:
    # a part outside note 33(g) may enter as a certified part (9903.94.54/.55, not loaded) on
    # every date: jp_deal_other has no dates and its scope covers 8708.99.81
    points = timeline(hts="8708.99.81", origin="JP")
    assert points and all(p["total_complete"] is False for p in points)
    assert all("jp_deal_other" in p["not_modelled"] for p in points)


# --- item 23: bounded by the data, validated as quote ----------------------------------------


def test_timeline_reaches_the_last_date_in_the_data() -> None:
    """Mobile industrial equipment of Korea goes from 15% all-in to 25% on 2028-01-01
    (mobile-equipment-partners-25-2028-01-01): the old literal end 2026-12-31 hid it."""
    last = max(tables_for(load_measure_set()).boundaries)
    assert last == dt.date(2028, 1, 1)
    points = timeline(hts="8429.51.10", origin="KR", metal_share=0.5)
    assert points[0]["date"] == "2025-01-01"  # the data window opens (s232_metals_2018.yaml)
    assert (points[-1]["date"], points[-1]["total_rate"]) == ("2028-01-01", 0.25)
    assert points[-2]["total_rate"] == 0.15


def test_timeline_refuses_a_start_before_the_data() -> None:
    with pytest.raises(InvalidInput) as err:
        timeline(hts="8703.23.01", start=dt.date(2020, 1, 1))
    assert err.value.field == "start"


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"hts": "9999.99.99"}, "hts", "unknown HTS code"),
        ({"hts": "8703.23.01", "origin": "ZZ"}, "origin", "ISO 3166"),
        ({"hts": "8703.23.01", "origin": "Korea"}, "origin", "ISO 3166"),
        ({"hts": "8703.23.01", "on": dt.date(2024, 1, 1)}, "date", "before the data"),
    ],
)
def test_measures_validates_as_quote_does(kwargs: dict, field: str, words: str) -> None:
    hts = kwargs.pop("hts")
    with pytest.raises(InvalidInput) as err:
        measures_for_code(hts, **kwargs)
    assert err.value.field == field and words in err.value.message


def test_measures_api_refuses_unknown_origin(api_client) -> None:
    r = api_client.get("/api/v1/tariff/measures?hts=8703.23.01&origin=ZZ")
    assert (r.status_code, r.json()["field"]) == (422, "origin")


# --- item 25: the answer's basis --------------------------------------------------------------


def test_quote_shows_the_column1_rate_its_source_and_the_schedule() -> None:
    q = quote(hts="8507.60.00.10", origin="KR", entry_date="2025-12-01", customs_value=10000)
    # KORUS Special "Free (... KR ...)" on 8507.60.00 (General 3.4%)
    assert (q["column1_rate_text"], q["column1_source"]) == ("Free", "Special — KORUS (KR)")
    assert (q["base_rate"], q["base_duty"]) == (0.0, 0.0)
    assert q["hts_description"].endswith(
        "Of a kind used as the primary source of electrical power for electrically powered "
        "vehicles of subheadings 8703.40, 8703.50, 8703.60, 8703.70 or 8703.80"
    )
    assert q["schedule_revision"] == "USITC HTS 2025 Revision 17 (in force from 2025-07-01)"
    no_korus = quote(
        hts="8507.60.00.20", origin="KR", entry_date="2025-12-01", customs_value=10000, korus=False
    )
    # General 3.4% x 10,000 = 340
    assert (no_korus["column1_source"], no_korus["base_duty"]) == ("General (MFN)", 340.0)


def test_quote_with_a_user_rate_table_says_so(footwear_export: Path) -> None:
    from tiro.tariff.schedule.usitc_json import read_hts_table

    q = quote(
        hts="6402.99.90.00",
        origin="KR",
        entry_date="2025-12-01",
        customs_value=1000,
        korus=False,
        hts_table=read_hts_table(footwear_export),
    )
    assert q["hts_description"] == "Test-only footwear line"
    assert q["schedule_revision"] == "the rate table given with hts_table (its own revision)"
    assert (q["column1_rate_text"], q["base_duty"]) == ("20%", 200.0)


def test_declared_exemption_heading_is_a_line_like_annex_ii() -> None:
    """A Korean auto part on 2025-05-03: 9903.94.05 +25%; the reciprocal duty does not apply to
    a Section 232 article (EO 14257 sec. 3(b)), declared as 9903.01.33 at 0%."""
    q = quote(hts="8708.99.68", origin="KR", entry_date="2025-05-03", customs_value=10000)
    assert [(ln["heading"], ln["rate"], ln["duty"], ln["declared"]) for ln in q["lines"]] == [
        ("9903.94.05", 0.25, 2500.0, False),
        ("9903.01.33", 0.0, 0.0, True),
    ]
    assert q["lines"][1]["citation"]["href"] == "https://www.federalregister.gov/d/2025-06063"
    assert q["total_duty"] == 2500.0


def test_human_quote_shows_labels_not_internal_codes(cli) -> None:
    r = cli(["tariff", "quote", "--hts", "8703.23.01", "--date", "2025-12-01", "--value", "10000"])
    assert r.exit_code == 0, r.stderr
    text = " ".join(r.stdout.split())
    for code in ("kr_autos", "full_value", "top_up_to", "special:KR"):
        assert code not in text, code
    assert "전체 가격" in text and "KORUS" in text and "Description" in text
    args = ["tariff", "quote", "--hts", "8703.80.00", "--origin", "CN", "--date", "2025-12-01"]
    as_json = cli([*args, "--value", "10000", "--json"])
    assert json.loads(as_json.stdout)["total_complete"] is False


def test_measures_carry_programme_and_basis_labels() -> None:
    rows = measures_for_code("8703.23.01", on=dt.date(2025, 12, 1))
    autos = next(m for m in rows if m["heading"] == "9903.94.01")
    assert autos["program_label"] == "232조 자동차 Section 232 passenger vehicles and light trucks"
    assert autos["basis_label"] == "전체 가격 full value"
