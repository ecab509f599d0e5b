"""Every Chapter 99 record cites its legal basis; newspapers and other codebases are only see_also."""

from __future__ import annotations

import shutil
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from tests.tariff.rivals import RIVAL_FILES

from tiro.core.errors import ParameterFileError
from tiro.core.yaml_strict import load_yaml
from tiro.tariff.measures.citations import primary_citation_problems
from tiro.tariff.measures.data import (
    DATA_DIR,
    apply_overlay,
    load_measure_set,
    parse_interaction,
    parse_measure,
    parse_see_also,
    read_baseline,
)
from tiro.tariff.measures.validate import check_measure_set, validate_measure_set

NEWSPAPER = "https://www.koreaherald.com/article/10629298"


def test_every_shipped_measure_cites_a_primary_source() -> None:
    every = read_baseline().measures
    assert {m.id: primary_citation_problems(m.citation) for m in every} == {m.id: [] for m in every}
    # the competitor-origin files (ieepa_jp/_eu/_cn/_ca_mx.yaml, s301_china.yaml) are counted in
    # tests/tariff/test_rivals_coverage.py
    korea = [m for m in every if m.source not in RIVAL_FILES]
    assert len(korea) == 98
    # counted by hand from the YAML: 12 distinct proclamations, EO 14257 / 14326, the 2026-07-23
    # memorandum, 90 FR 55964 and the two BIS notices, and U.S. note 52 of HTSUS 2026 Rev. 13;
    # issue 11 item 2 added Procl. 10984 (MHDV parts 2, certified auto parts 1), 90 FR 55964
    # (Korean certified parts 2), Procl. 11055 (UAS 6), Procl. 11052 (polysilicon 10), Procl. 11032
    # (Rev. 10 additions to lists (vi)/(vii) 2) and the
    # HTSUS revisions that changed Annex II (5); the 2018 metals regime up to 2025-03-11 added
    # Procl. 9704, 9705, 9740 and 9980 (6 records, s232_metals_2018.yaml)
    assert Counter(m.citation["kind"] for m in korea) == {
        "proclamation": 66,
        "federal_register": 16,
        "hts_note": 10,
        "executive_order": 4,
        "memorandum": 2,
    }
    assert all("source" not in m.citation for m in korea)


def test_every_shipped_interaction_rule_cites_a_primary_source() -> None:
    rules = read_baseline().interactions
    assert [r.id for r in rules if primary_citation_problems(r.citation)] == []
    assert all("source" not in r.citation for r in rules)


def test_a_newspaper_as_an_interaction_rules_citation_is_refused() -> None:
    base = read_baseline()
    rules = {r.id: r for r in base.interactions}
    bad = replace(
        rules["kr-civil-aircraft-exempt"],
        citation={"title": "90 FR 55964 — Korean civil aircraft exempt", "href": NEWSPAPER},
    )
    broken = replace(base, interactions=tuple(bad if r.id == bad.id else r for r in rules.values()))
    assert validate_measure_set(broken) == [
        "interaction kr-civil-aircraft-exempt: citation.kind None is not a primary source kind "
        "(proclamation, executive_order, memorandum, federal_register, csms, hts_note, statute, "
        "court); secondary sources belong in see_also"
    ]
    # an overlay's rule is an assumption: title and source are enough
    overlay = {
        "interactions": [
            {
                "id": "what-if-rule",
                "kind": "displace",
                "winners": ["s232_autos"],
                "losers": ["s122"],
                "valid_from": "2030-01-01",
                "citation": {"title": "assumption", "source": "analyst"},
            }
        ]
    }
    assert validate_measure_set(apply_overlay(base, overlay, "t")) == []


def test_secondary_sources_moved_to_see_also_not_dropped() -> None:
    ms = read_baseline()
    titles = {e["title"] for m in ms.measures for e in m.see_also}
    # every secondary source the records named as citation.source or citation.href before
    assert {
        "fashioncounsel.com",
        "koreajoongangdaily 2025-08-01",
        "koreaherald.com",
        "nationthailand.com",
        "thompsonhinesmartrade.com Apr 2025",
        "strtrade.com",
        "exhibitionsconferencesalliance.org",
        "butzel.com",
        "internationaltradeinsights.com",
        "thefurnituretimes.com",
        "pwc.com",
        "refundarrow.com 2026-05-08",
        "brendanxmac/hts-hero reciprocal.ts",
        "brendanxmac/hts-hero semiconductors.ts",
        "brendanxmac/hts-hero 232-pharmaceuticals.ts",
        "brendanxmac/hts-hero tariffs/revision-diffs/2026HTSRev13 (verbatim note text)",
    } <= titles
    by_id = ms.by_id()
    assert by_id["kr-civil-aircraft-2025-11-14"].see_also == (
        {"title": "koreaherald.com", "href": NEWSPAPER},
    )
    assert (
        by_id["s122-2026-02-24"].citation["href"] == "https://www.federalregister.gov/d/2026-03824"
    )
    assert {
        "title": "nationthailand.com",
        "href": "https://www.nationthailand.com/business/trade/40062829",
    } in (by_id["s122-2026-02-24"].see_also)


def test_a_newspaper_as_primary_citation_is_refused() -> None:
    base = read_baseline()
    record = base.by_id()["kr-civil-aircraft-2025-11-14"]
    bad = replace(
        record, citation={"kind": "federal_register", "title": "90 FR 55964", "href": NEWSPAPER}
    )
    broken = replace(base, measures=tuple(bad if m.id == bad.id else m for m in base.measures))
    problems = validate_measure_set(broken)
    assert problems == [
        "kr-civil-aircraft-2025-11-14: citation.href "
        f"'{NEWSPAPER}' is not on a primary host for a federal_register "
        "(federalregister.gov, govinfo.gov, ustr.gov); secondary sources belong in see_also"
    ]
    with pytest.raises(ParameterFileError, match=r"kr-civil-aircraft-2025-11-14: citation\.href"):
        check_measure_set(broken)


def test_the_old_secondary_only_citation_is_refused() -> None:
    # the shape 41 shipped records had before: a title and a secondary `source`, no kind, no URL
    base = read_baseline()
    old = {"title": "EO 14257 (2025-04-02) §3, heading 9903.01.25", "source": "fashioncounsel.com"}
    record = replace(base.by_id()["ieepa-baseline-2025-04-05"], citation=old)
    broken = replace(
        base, measures=tuple(record if m.id == record.id else m for m in base.measures)
    )
    assert validate_measure_set(broken) == [
        "ieepa-baseline-2025-04-05: citation.kind None is not a primary source kind (proclamation, "
        "executive_order, memorandum, federal_register, csms, hts_note, statute, court); "
        "secondary sources belong in see_also"
    ]


@pytest.mark.parametrize(
    ("citation", "reason"),
    [
        (
            {"kind": "csms", "title": "t", "href": "https://www.federalregister.gov/d/2025-06063"},
            "primary host for a csms",
        ),
        (
            {"kind": "hts_note", "title": "t", "href": "https://www.govinfo.gov/x"},
            "primary host for a hts_note",
        ),
        (
            {
                "kind": "proclamation",
                "title": "t",
                "href": "http://www.federalregister.gov/d/2025-05930",
            },
            "primary host",
        ),
        (
            {
                "kind": "proclamation",
                "title": "t",
                "href": "https://federalregister.gov.example.com/d/1",
            },
            "primary host",
        ),
        (
            {"kind": "proclamation", "title": "t", "href": "https://notfederalregister.gov/d/1"},
            "primary host",
        ),
        ({"kind": "proclamation", "title": "t"}, "primary host"),
        (
            {"kind": "proclamation", "href": "https://www.federalregister.gov/d/2025-05930"},
            "needs a title",
        ),
        (
            {
                "kind": "csms",
                "title": "t",
                "href": "https://content.govdelivery.com/accounts/USOTHER/bulletins/1",
            },
            "not a CBP bulletin",
        ),
        ({"kind": "newspaper", "title": "t", "href": NEWSPAPER}, "not a primary source kind"),
    ],
)
def test_primary_rule_checks_kind_host_and_scheme(citation: dict[str, str], reason: str) -> None:
    problems = primary_citation_problems(citation)
    assert len(problems) == 1 and reason in problems[0]


@pytest.mark.parametrize(
    "citation",
    [
        {
            "kind": "csms",
            "title": "CSMS #64680374",
            "href": "https://content.govdelivery.com/bulletins/gd/USDHSCBP-3db42c8",
        },
        {
            "kind": "hts_note",
            "title": "note 52",
            "href": "https://hts.usitc.gov/reststop/file?release=2026HTSRev13&filename=Chapter%2099",
        },
        {
            "kind": "memorandum",
            "title": "memo",
            "href": "https://www.whitehouse.gov/presidential-actions/2026/07/x/",
        },
        {"kind": "court", "title": "Slip Op. 26-47", "href": "https://www.cit.uscourts.gov/x.pdf"},
        {
            "kind": "statute",
            "title": "19 U.S.C. 2132",
            "href": "https://uscode.house.gov/view.xhtml?req=2132",
        },
    ],
)
def test_primary_rule_accepts_each_publisher(citation: dict[str, str]) -> None:
    assert primary_citation_problems(citation) == []


def test_a_newspaper_in_the_shipped_yaml_is_refused(tmp_path: Path) -> None:
    """The same rule through the YAML reader: a copy of the data whose s122 anchor cites a paper."""
    data = tmp_path / "tariff"
    shutil.copytree(DATA_DIR, data)
    s122 = data / "measures" / "s122.yaml"
    text = s122.read_text(encoding="utf-8")
    assert text.count('href: "https://www.federalregister.gov/d/2026-03824"') == 1
    s122.write_text(
        text.replace(
            'href: "https://www.federalregister.gov/d/2026-03824"', f'href: "{NEWSPAPER}"'
        ),
        encoding="utf-8",
    )
    problems = validate_measure_set(read_baseline(data))
    assert sorted(p.split(":")[0] for p in problems) == [
        "s122-2026-02-24",
        "s122-annex-2026-02-24",
        "s122-civil-aircraft-2026-02-24",
    ]


def test_scenario_assumptions_need_no_primary_source_unless_they_claim_one() -> None:
    # no_deal and threat_2026_01 add hypothetical records cited to the report and the press
    for name in ("no_deal", "threat_2026_01"):
        assert validate_measure_set(load_measure_set(name)) == []
    raw = {
        "id": "what-if",
        "heading": "9903.01.25",
        "program": "ieepa_reciprocal",
        "valid_from": "2030-01-01",
        "hts": {"include": ["9999"]},
        "origin": {"include": ["KR"]},
        "rate": {"kind": "ad_valorem", "value": 0.1},
        "basis": "full_value",
        "citation": {"title": "assumption", "source": "report section 1"},
    }
    base = read_baseline()
    assert validate_measure_set(apply_overlay(base, {"add": [raw]}, "t")) == []
    claimed = {**raw, "citation": {"kind": "proclamation", "title": "x", "href": NEWSPAPER}}
    problems = validate_measure_set(apply_overlay(base, {"add": [claimed]}, "t"))
    assert len(problems) == 1 and problems[0].startswith("what-if: citation.href")


def test_shipped_watch_candidates_cite_a_primary_source() -> None:
    files = sorted((DATA_DIR / "watch").glob("*.yaml"))
    assert files
    for file in files:
        raw = load_yaml(file)
        for record in raw["measures"]:
            m = parse_measure(record, file.name)
            assert primary_citation_problems(m.citation) == [], m.id
            assert m.see_also
        for rule in raw.get("interactions") or []:
            assert primary_citation_problems(parse_interaction(rule, file.name).citation) == []


@pytest.mark.parametrize(
    "value",
    ["koreaherald.com", [{"href": NEWSPAPER}], [{"title": "x", "url": NEWSPAPER}], [["x"]]],
)
def test_see_also_shape_is_checked(value: object) -> None:
    with pytest.raises(ParameterFileError, match="see_also must be a list") as err:
        parse_see_also(value, "test")
    assert err.value.field == "see_also"
