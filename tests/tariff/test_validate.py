"""The measure validator refuses overlapping records, dangling programmes and precedence cycles."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from tiro.core.errors import ParameterFileError
from tiro.tariff.measures.data import (
    Interaction,
    apply_overlay,
    compile_no_stack,
    load_measure_set,
    read_baseline,
)
from tiro.tariff.measures.validate import check_measure_set, find_cycle, validate_measure_set


def test_shipped_measures_and_scenarios_are_valid() -> None:
    for name in (None, "no_deal", "threat_2026_01"):
        assert validate_measure_set(load_measure_set(name)) == []


def test_second_live_record_of_a_heading_is_an_overlap() -> None:
    base = read_baseline()
    clash = replace(
        base.by_id()["ieepa-kr-2025-08-07"],
        id="clash",
        valid_from=dt.date(2025, 10, 1),
        valid_to=None,
    )
    broken = replace(base, measures=(*base.measures, clash))
    problems = validate_measure_set(broken)
    assert any("9903.02.56" in p and "overlap" in p for p in problems)
    with pytest.raises(ParameterFileError):
        check_measure_set(broken)


def test_same_heading_on_disjoint_origins_is_not_an_overlap() -> None:
    # threat_2026_01 splits 9903.76.01 into KR and everyone-but-KR records from one date
    assert validate_measure_set(load_measure_set("threat_2026_01")) == []


def test_excluded_part_of_a_scope_is_not_an_overlap() -> None:
    """A record that cuts a narrower code out of its prefix leaves that code to another record of
    the same heading; an exclude narrower than the other record's code still overlaps."""
    base = read_baseline()
    broad = replace(
        base.by_id()["ieepa-kr-2025-08-07"],
        id="broad",
        hts_include=("870829",),
        hts_exclude=("8708292120",),
        valid_from=dt.date(2030, 1, 1),
        valid_to=None,
    )
    narrow = replace(broad, id="narrow", hts_include=("8708292120",), hts_exclude=())
    assert validate_measure_set(replace(base, measures=(*base.measures, broad, narrow))) == []
    partial = replace(broad, hts_exclude=("870829212099",))
    problems = validate_measure_set(replace(base, measures=(*base.measures, partial, narrow)))
    assert any("overlap" in p for p in problems)


def test_dangling_programme_is_rejected() -> None:
    base = read_baseline()
    rule = Interaction(
        "x",
        "displace",
        ("no_such_programme",),
        ("s122",),
        dt.date(2025, 1, 1),
        None,
        {"title": "t"},
    )
    problems = validate_measure_set(replace(base, interactions=(*base.interactions, rule)))
    assert any("dangling programme 'no_such_programme'" in p for p in problems)


def test_cycle_is_rejected() -> None:
    base = read_baseline()
    # the shipped rules say kr_autos displaces s232_autos; the reverse closes a cycle
    back = Interaction(
        "back",
        "displace",
        ("s232_autos",),
        ("kr_autos",),
        dt.date(2025, 12, 1),
        None,
        {"title": "t"},
    )
    problems = validate_measure_set(replace(base, interactions=(*base.interactions, back)))
    assert any(p.startswith("precedence cycle on 2025-12-01") for p in problems)


def test_find_cycle_on_a_small_graph() -> None:
    d = dt.date(2025, 1, 1)
    a_b = Interaction("1", "displace", ("a",), ("b",), d, None, {})
    b_c = Interaction("2", "displace", ("b",), ("c",), d, None, {})
    c_a = Interaction("3", "displace", ("c",), ("a",), d, None, {})
    assert find_cycle([a_b, b_c]) is None
    assert find_cycle([a_b, b_c, c_a]) == ["a", "b", "c", "a"]


def test_no_stack_group_compiles_to_ordered_pairs() -> None:
    rules = compile_no_stack(
        {
            "id": "g",
            "order": ["a", "b", "c"],
            "valid_from": "2025-01-01",
            "citation": {"title": "t"},
        },
        "test",
    )
    assert [(r.winners, r.losers) for r in rules] == [(("a",), ("b", "c")), (("b",), ("c",))]


def test_overlay_cannot_remove_an_unknown_record() -> None:
    with pytest.raises(ParameterFileError, match="unknown measure 'nope'"):
        apply_overlay(read_baseline(), {"remove": ["nope"]}, "test")


def test_records_are_never_edited_in_place() -> None:
    # every change of rate in the shipped data is a new record with a later valid_from
    by_heading: dict[str, list] = {}
    for m in read_baseline().measures:
        by_heading.setdefault(m.heading, []).append(m)
    steel = sorted(by_heading["9903.81.87"], key=lambda m: m.valid_from)
    assert [(m.valid_from, m.rate_value) for m in steel] == [
        (dt.date(2025, 3, 12), 0.25),
        (dt.date(2025, 6, 4), 0.50),
    ]
    assert steel[0].valid_to == steel[1].valid_from
