"""Korea's competitors quote from their own records (issue 11, T-RIVALS): which records are
loaded for Japan, the EU, China/Hong Kong, Canada and Mexico, what each origin still lists as not
modelled, and the declared USMCA fact that Canadian and Mexican lines are asked for."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import polars as pl
import pytest
from tests.tariff.rivals import RIVAL_FILES

from tiro.core.yaml_strict import load_yaml
from tiro.tariff.batch.stream import run_batch
from tiro.tariff.measures.coverage import not_modelled
from tiro.tariff.measures.data import DATA_DIR, read_baseline
from tiro.tariff.pricing.quote import quote
from tiro.tariff.schedule.revisions import revisions, schedule_table

EU27 = [
    "AT",
    "BE",
    "BG",
    "HR",
    "CY",
    "CZ",
    "DK",
    "EE",
    "FI",
    "FR",
    "DE",
    "GR",
    "HU",
    "IE",
    "IT",
    "LV",
    "LT",
    "LU",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SK",
    "SI",
    "ES",
    "SE",
]


def _rivals() -> list:
    return [m for m in read_baseline().measures if m.source in RIVAL_FILES]


def test_competitor_records_and_their_legal_bases() -> None:
    records = _rivals()
    # counted by hand from the four files: Japan 10 (24% one day; 9903.02.72/.73; aircraft;
    # vehicles 2, parts 2, parts by use 2), the EU 11 (the same plus natural resources), China 5
    # (opioid duty 3, country rate 2), Canada 8 and Mexico 5; Section 301 China 13 (lists 1, 2, 3,
    # 4A and nine review headings); wood of the UK, Japan, the EU (3), JP/EU pharmaceuticals (2), UAS (2), polysilicon (1);
    # forced labour: 8 country headings, 2 USMCA exemptions, 5 note 52 exceptions (all note 52)
    assert Counter(m.source for m in records) == {
        "ieepa_jp.yaml": 10,
        "ieepa_eu.yaml": 11,
        "ieepa_cn.yaml": 5,
        "ieepa_ca_mx.yaml": 13,
        "s301_china.yaml": 13,
        "s232_deals_jp_eu.yaml": 8,
        "s301_forced_labor_rivals.yaml": 15,
    }
    # EO 14257 x2 + EO 14326 x2 (EU) + EO 14195/14259/14266 + EO 14325 + EO 14194/14232 (MX) x4 =
    # 12 executive orders; the Japan and EU notices (9 + 8), CBP's China notice and its four
    # Canada records' notices (6) = 24 FR notices, + the nine 2024-review records (89 FR 76581);
    # CSMS 66749380; note 2(v)(iv)/(v) twice + note 20 for lists 1-4A (4); Procl. 10976 x3,
    # Procl. 11020 x2, Procl. 11055 x2, Procl. 11052
    assert Counter(m.citation["kind"] for m in records) == {
        "proclamation": 8,
        "executive_order": 12,
        "federal_register": 33,
        "csms": 1,
        "hts_note": 21,
    }


def test_every_eu_record_covers_exactly_the_27_member_states() -> None:
    eu = [m for m in _rivals() if m.source == "ieepa_eu.yaml"]
    assert eu and all(sorted(m.origin_include) == sorted(EU27) for m in eu)


def test_every_scope_prefix_of_a_competitor_record_is_a_real_code() -> None:
    """A typo in a copied code list would silently match nothing."""
    codes = {
        c.replace(".", "") for r in revisions() for c in schedule_table(r.id)["htsno"].to_list()
    }
    # the polysilicon record (verified: false) names wafer suffixes created after the last shipped
    # revision, as the Korean record in s232_polysilicon.yaml does
    for m in (r for r in _rivals() if r.verified):
        for prefix in (*m.hts_include, *m.hts_exclude):
            if prefix and not prefix.startswith("98"):  # chapter 98 is not in the schedule files
                assert any(c.startswith(prefix) for c in codes), (m.id, prefix)


def test_coverage_names_only_real_origins() -> None:
    with (DATA_DIR / "iso3166_alpha2.csv").open(encoding="utf-8") as f:
        iso = {row[0] for row in csv.reader(f)}
    spec = load_yaml(DATA_DIR / "coverage.yaml")["not_modelled"]
    named = set(spec["by_origin"])
    for entry in spec["every_other_origin"]:
        for item in entry.get("except", []):
            named.update(item if isinstance(item, list) else [item])
    assert named <= iso, named - iso


@pytest.mark.parametrize(
    ("origin", "missing"),
    [
        ("KR", []),
        ("JP", ["jp_deal_other", "s232_trq_2018"]),
        *[
            (
                o,
                [
                    "eu_deal_other",
                    "eu_deal_use_exemptions",
                    "s232_trq_2018",
                    "s301_forced_labor_eu_list",
                ],
            )
            for o in EU27
        ],
        ("CN", ["s301_china_other"]),
        ("HK", []),  # fentanyl, country rate, forced labour: all loaded
        ("MO", []),  # China's country rate; not among the 60 forced-labour economies
        ("CA", ["usmca_column1", "s232_autos_usmca", "ieepa_border_ca_transshipment"]),
        ("MX", ["usmca_column1", "s232_autos_usmca"]),
        # an origin without records of its own keeps the generic list
        (
            "IN",
            [
                "ieepa_russian_oil_in",
                "ieepa_reciprocal_country",
                "country_deals",
                "s301_forced_labor_country",
            ],
        ),
        ("GB", ["ieepa_reciprocal_country", "country_deals", "s301_forced_labor_country"]),
    ],
)
def test_what_each_origin_still_lists_as_not_modelled(origin: str, missing: list[str]) -> None:
    assert [e["program"] for e in not_modelled(origin)] == missing


def test_no_korean_heading_reaches_a_competitor() -> None:
    for origin, hts in [("JP", "8703.23.01"), ("DE", "8807.30.00"), ("CA", "8708.30.50")]:
        q = quote(
            hts=hts,
            origin=origin,
            entry_date="2025-12-01",
            customs_value=10000,
            facts={"usmca": False} if origin == "CA" else None,
        )
        assert not [ln for ln in q["lines"] if ln["program"].startswith("kr_")], q["lines"]


def test_a_canadian_line_is_asked_whether_it_enters_under_usmca() -> None:
    q = quote(hts="6109.10.00", origin="CA", entry_date="2025-06-02", customs_value=10000)
    assert (q["total_duty"], q["needs"]) == (None, ["usmca"])
    # 16.5% column 1 = 1,650; + 25% (9903.01.10) = 4,150 when not USMCA; 1,650 when USMCA
    assert quote(
        hts="6109.10.00",
        origin="CA",
        entry_date="2025-06-02",
        customs_value=10000,
        facts={"usmca": False},
    )["total_duty"] == pytest.approx(4150)
    assert quote(
        hts="6109.10.00",
        origin="CA",
        entry_date="2025-06-02",
        customs_value=10000,
        facts={"usmca": True},
    )["total_duty"] == pytest.approx(1650)
    # before the exception existed (2025-03-04 .. 03-06) nobody asks
    early = quote(hts="6109.10.00", origin="CA", entry_date="2025-03-05", customs_value=10000)
    assert (early["total_duty"], early["needs"]) == (pytest.approx(4150), [])


def test_a_batch_reads_the_usmca_column(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        "hts,origin,entry_date,customs_value,usmca\n"
        "6109.10.00,MX,2025-06-02,1000,false\n"
        "6109.10.00,MX,2025-06-02,1000,true\n"
        "6109.10.00,MX,2025-06-02,1000,\n"
    )
    summary = run_batch(source, tmp_path / "out.parquet")
    out = pl.read_parquet(tmp_path / "out.parquet")
    # 165 + 250 (9903.01.01 25%); 165 (9903.01.04); blank -> withheld, needs usmca
    assert out["total_duty"].to_list() == [pytest.approx(415), pytest.approx(165), None]
    assert out["needs"].to_list()[2] == "usmca"
    assert summary.priced == 3
