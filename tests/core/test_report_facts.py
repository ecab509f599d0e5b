"""Report facts: schema of the shipped file, spot values checked against the report's text,
the report's own arithmetic, and clear errors for a malformed file or an unknown key."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tiro.core.errors import NotFound
from tiro.core.report_facts import (
    DOMAINS,
    FACT_UNITS,
    FACTS_FILE,
    KINDS,
    MAX_QUOTE_CHARS,
    QUALIFIERS,
    ReportFactsError,
    fact,
    facts_under,
    is_period,
    load_report_facts,
    parse_report_facts,
    report_source,
)
from tiro.core.yaml_strict import load_yaml

FACTS = load_report_facts()


def _seed_text() -> str | None:
    """The report itself, when the shared seed directory is on this machine."""
    repo = Path(__file__).resolve().parents[2]
    candidates = [os.environ.get("TIRO_SEED_DIR"), str(repo.parent / "shared" / "seed")]
    for folder in filter(None, candidates):
        path = Path(folder) / Path(report_source().file).name
        if path.exists():
            return " ".join(path.read_text(encoding="utf-8").split())
    return None


# --- schema ---------------------------------------------------------------------------------


def test_file_covers_every_domain_and_many_figures():
    assert {f.domain for f in FACTS.values()} == set(DOMAINS)
    assert len(FACTS) >= 150


def test_source_header_names_the_report():
    source = report_source()
    assert source.date == dt.date(2026, 5, 27)
    assert source.file == "seed/000_9c5c90d3a923f89a.txt"
    assert "1주년" in source.title


@pytest.mark.parametrize("key", sorted(FACTS))
def test_every_fact_has_section_unit_label_kind(key):
    f = FACTS[key]
    assert f.section.strip() and f.unit.strip() and f.label.ko.strip() and f.label.en.strip()
    assert f.kind in KINDS
    assert f.qualifier in (None, *QUALIFIERS)
    assert is_period(f.as_of)
    assert f.quote is None or len(f.quote) <= MAX_QUOTE_CHARS
    if f.unit == "date":  # an event's value is its own date
        assert f.value == f.as_of
    else:
        assert isinstance(f.value, int | float) and not isinstance(f.value, bool)


def test_keys_are_sorted_within_each_group_in_the_yaml():
    raw = load_yaml(FACTS_FILE)
    assert list(raw["facts"]) == sorted(raw["facts"])
    for domain, group in raw["facts"].items():
        assert list(group) == sorted(group), domain


def test_every_quote_is_an_excerpt_of_the_report():
    text = _seed_text()
    if text is None:
        pytest.skip("report text not on this machine (set TIRO_SEED_DIR)")
    missing = [k for k, f in FACTS.items() if f.quote and " ".join(f.quote.split()) not in text]
    assert missing == []


# --- spot values, verified by reading the report ------------------------------------------
# (key, value, unit, qualifier, kind, fragment of the quote). 억 = 1e8, 조 = 1e12, 만 = 1e4.
SPOT = [
    # 7,093억불 = 7093e8 USD = 709.3e9 -> 709.3 currency-USD-bn
    ("trade.exports.total_2025", 709.3, "currency-USD-bn", None, "fact", "7,093억불(+3.8%)"),
    # 774억불 = 77.4e9
    ("trade.balance.surplus_2025", 77.4, "currency-USD-bn", None, "fact", "774억불 흑자"),
    # 360.5억불 = 36.05e9
    ("trade.fdi.total_2025", 36.05, "currency-USD-bn", None, "fact", "360.5억불"),
    # 3,065억불 = 306.5e9, +40.9% -> 0.409
    ("trade.exports.total_2026_01_04", 306.5, "currency-USD-bn", None, "fact", "3,065억불"),
    ("trade.exports.growth_2026_01_04", 0.409, "/1", None, "fact", "(+40.9%)"),
    # 200억불 = 20e9, "상한" -> at_most
    (
        "tariff.investment_mou.annual_payment_cap",
        20,
        "currency-USD-bn",
        "at_most",
        "fact",
        "200억불",
    ),
    ("tariff.reciprocal.agreed_rate", 0.15, "/1", None, "fact", "25% 상호관세 발표 → 15%"),
    ("tariff.pharma.patented_other_country_rate", 1.0, "/1", None, "fact", "미합의국 100%"),
    # 2,400만 배럴 = 24e6 bbl = 24 Mbbl; 2억 7,300만 = 273e6 = 273 Mbbl
    ("energy.envoy.crude_round1_uae", 24, "Mbbl", None, "fact", "UAE 2,400만 배럴"),
    ("energy.envoy.crude_round2", 273, "Mbbl", None, "fact", "2억 7,300만 배럴"),
    ("energy.envoy.crude_total", 300, "Mbbl", "approx", "fact", "약 3억 배럴"),
    # 210만톤 = 2.1e6 t = 2.1 Mt
    ("energy.envoy.naphtha", 2.1, "Mt", None, "fact", "나프타 210만톤"),
    # 6,744억원 = 674.4e9 KRW = 674.4 currency-KRW-bn
    ("energy.naphtha.import_price_subsidy", 674.4, "currency-KRW-bn", None, "fact", "6,744억원"),
    ("energy.price_cap.cpi_effect_april", -1.2, "pp", "approx", "fact", "4월 △1.2%p"),
    ("energy.inspection.violations", 137, "count", None, "fact", "총 137건 적발"),
    # 2.1조원 이상 = 2.1e12 KRW, at least
    (
        "petrochem.project1.support_package",
        2.1,
        "currency-KRW-trn",
        "at_least",
        "fact",
        "2.1조원 이상",
    ),
    # 110만톤 = 1.1e6 t = 1.1 Mt
    ("petrochem.project1.capacity_rationalised", 1.1, "Mt", None, "fact", "110만톤"),
    ("petrochem.china.pp_self_sufficiency_2024", 1.28, "/1", None, "fact", "('24) 128%"),
    ("manufacturing.ai_factory.cumulative_2025", 102, "count", None, "fact", "'25년 102개"),
    ("manufacturing.ai_factory.cumulative_2026", 200, "count", "at_least", "target", "200개+"),
    ("manufacturing.alliance.members", 1500, "count", "approx", "fact", "1,500여개"),
    # 6천억원 = 600e9 KRW
    ("manufacturing.rnd.autonomous_ship", 600, "currency-KRW-bn", None, "plan", "6천억원"),
    # 3,417만명 = 34,170,000 persons (2030 projection)
    (
        "manufacturing.background.working_age_population_2030",
        34_170_000,
        "count",
        None,
        "projection",
        "'30년 3,417",
    ),
]


@pytest.mark.parametrize(("key", "value", "unit", "qualifier", "kind", "fragment"), SPOT)
def test_spot_values_match_the_report(key, value, unit, qualifier, kind, fragment):
    f = fact(key)
    assert f.value == pytest.approx(value, rel=1e-12)
    assert (f.unit, f.qualifier, f.kind) == (unit, qualifier, kind)
    assert fragment in f.quote


def test_event_dates_read_from_the_report():
    assert fact("tariff.events.supreme_court_ruling").value == "2026-02-20"
    assert fact("energy.alert.crude_caution").value == "2026-03-18"  # "³¹⁸주의" = 3.18
    assert fact("energy.events.price_cap_started").value == "2026-03-13"  # "(3.13~)"
    assert fact("tariff.events.us_investment_act_in_force").kind == "plan"


# --- the report's own arithmetic --------------------------------------------------------------


def test_envoy_rounds_add_up_to_about_300_mbbl():
    # 24 + 273 = 297 Mbbl; |297 - 300| / 300 = 1% -- the report rounds to "약 3억 배럴"
    rounds = fact("energy.envoy.crude_round1_uae").value + fact("energy.envoy.crude_round2").value
    assert rounds == 297
    assert abs(rounds - fact("energy.envoy.crude_total").value) / 300 <= 0.01


def test_greenfield_share_matches_the_published_share():
    # 28.59 / 36.05 = 0.79307 -> 79.3%, the greenfield share MOTIE published (spec/trade.md)
    share = fact("trade.fdi.greenfield_2025").value / fact("trade.fdi.total_2025").value
    assert round(share, 3) == 0.793


@pytest.mark.parametrize(
    ("level_key", "growth_key", "previous_year"),
    [
        # 709.3 / 683.61 - 1 = 0.03758 -> +3.8% (2024 exports 683.61 confirmed; fnnews, spec/trade.md)
        ("trade.exports.total_2025", "trade.exports.growth_2025", 683.61),
        # 36.05 / 34.57 - 1 = 0.04281 -> +4.3% (2024 FDI 34.57, spec/trade.md)
        ("trade.fdi.total_2025", "trade.fdi.growth_2025", 34.57),
        # 28.59 / 26.70 - 1 = 0.07079 -> +7.1% (2024 greenfield 26.70, spec/trade.md)
        ("trade.fdi.greenfield_2025", "trade.fdi.greenfield_growth_2025", 26.70),
    ],
)
def test_growth_rates_agree_with_published_previous_year(level_key, growth_key, previous_year):
    implied = fact(level_key).value / previous_year - 1
    assert round(implied, 3) == fact(growth_key).value


def test_major_items_and_remaining_projects_are_consistent():
    assert (
        fact("trade.items.major_items_before").value + 5
        == fact("trade.items.major_items_after").value
    )
    # 5 projects - project 1 (approved) - project 2 (final plan in) = 3 remaining
    assert fact("petrochem.restructuring.projects").value - 2 == 3
    assert fact("petrochem.restructuring.remaining_projects").value == 3


def test_tariff_deal_milestones_are_in_order():
    keys = [
        "reciprocal_announced",
        "negotiations_launched",
        "framework_agreement",
        "final_agreement",
        "mou_signed",
        "us_investment_act_enacted",
        "us_investment_act_in_force",
    ]
    dates = [fact(f"tariff.events.{k}").value for k in keys]
    assert dates == sorted(dates)


def test_crude_alert_escalates_in_order():
    levels = [fact(f"energy.alert.crude_{k}").value for k in ("attention", "caution", "alert")]
    assert levels == sorted(levels) and len(set(levels)) == 3


# --- lookups and errors -------------------------------------------------------------------


def test_unknown_key_raises_not_found_naming_the_field():
    with pytest.raises(NotFound) as err:
        fact("trade.exports.total_2099")
    assert err.value.field == "key"


@given(st.text(max_size=40))
def test_only_known_keys_resolve(key):
    if key in FACTS:
        assert fact(key) is FACTS[key]
    else:
        with pytest.raises(NotFound):
            fact(key)


def test_loaded_dict_is_a_copy_and_prefix_lookup_works():
    facts = load_report_facts()
    facts.pop("trade.fdi.total_2025")
    assert fact("trade.fdi.total_2025").value == 36.05
    envoy = [f.key for f in facts_under("energy.envoy.")]
    assert envoy == sorted(envoy) and len(envoy) == 4
    assert fact("trade.fdi.total_2025").as_dict()["chapter"] == 4


@given(st.dates(min_value=dt.date(1900, 1, 1)), st.dates(min_value=dt.date(1900, 1, 1)))
def test_periods_accept_iso_forms_and_ordered_intervals(a, b):
    assert is_period(a.isoformat()) and is_period(f"{a:%Y-%m}") and is_period(str(a.year))
    assert is_period(f"{a.isoformat()}/{b.isoformat()}") == (a <= b)


@pytest.mark.parametrize("text", ["2026-13", "2026-02-30", "26.5", "2026/2025", "a/b/c", ""])
def test_impossible_periods_are_refused(text):
    assert not is_period(text)


def _doc(**overrides):
    body = {
        "value": 1.0,
        "unit": "/1",
        "label": {"ko": "가", "en": "a"},
        "section": "1. x",
        "as_of": "2026",
        "kind": "fact",
    }
    body.update(overrides)
    body = {k: v for k, v in body.items() if v is not None}
    source = {"title": "t", "date": dt.date(2026, 5, 27), "file": "f"}
    return {"source": source, "facts": {"trade": {"x.y": body}}}


@pytest.mark.parametrize(
    ("overrides", "field", "reason"),
    [
        ({"unit": None}, "facts.trade.x.y.unit", "missing"),
        ({"unit": "furlong"}, "facts.trade.x.y.unit", "unknown unit"),
        ({"value": "lots"}, "facts.trade.x.y.value", "number"),
        ({"value": True}, "facts.trade.x.y.value", "number"),
        ({"unit": "date", "value": "2026-02-30"}, "facts.trade.x.y.value", "ISO"),
        ({"kind": "wish"}, "facts.trade.x.y.kind", "one of"),
        ({"qualifier": "roughly"}, "facts.trade.x.y.qualifier", "one of"),
        ({"label": {"ko": "가"}}, "facts.trade.x.y.label", "ko and en"),
        ({"as_of": "soon"}, "facts.trade.x.y.as_of", "ISO"),
        ({"quote": "가" * 81}, "facts.trade.x.y.quote", "longer"),
        ({"colour": "red"}, "facts.trade.x.y", "unknown field"),
    ],
)
def test_malformed_fact_names_field_and_reason(overrides, field, reason):
    with pytest.raises(ReportFactsError) as err:
        parse_report_facts(_doc(**overrides), units=frozenset({"/1"}))
    assert err.value.field == field
    assert reason in err.value.message


def test_unknown_domain_and_missing_source_are_refused():
    doc = _doc()
    doc["facts"]["weather"] = doc["facts"].pop("trade")
    with pytest.raises(ReportFactsError) as err:
        parse_report_facts(doc, units=frozenset({"/1"}))
    assert err.value.field == "facts.weather"
    doc = _doc()
    del doc["source"]["date"]
    with pytest.raises(ReportFactsError) as err:
        parse_report_facts(doc, units=frozenset({"/1"}))
    assert err.value.field == "source.date"


def test_fact_only_units_are_documented():
    assert set(FACT_UNITS) == {"date", "rank", "USD/h"}
    used = {f.unit for f in FACTS.values()}
    assert {"date", "rank", "USD/h"} <= used
