"""The parameter tree: values in force, repeals, breakdowns, vectorised lookup, scenarios."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.core.param_trees import make_tree

from tiro.core.errors import InvalidInput, NotFound, ParameterDateError, ParameterNotFound
from tiro.core.parameters import get_params, load_tree


@pytest.fixture
def tree(tmp_path):
    return load_tree(make_tree(tmp_path / "params"))


def test_value_in_force_and_repeal(tree):
    assert tree.at("tariff.us.reciprocal.kr", dt.date(2025, 8, 7)) == 0.15
    assert tree.at("tariff.us.reciprocal.kr", "2025-11-13") == 0.15
    assert tree.at("tariff.us.reciprocal.kr", "2025-11-14") is None  # repealed, not zero


def test_date_before_first_value_is_an_error_not_zero(tree):
    with pytest.raises(ParameterDateError, match="first value takes effect on 2025-08-07"):
        tree.at("tariff.us.reciprocal.kr", "2025-08-06")


def test_unknown_path(tree):
    with pytest.raises(ParameterNotFound):
        tree.at("tariff.us.reciprocal.jp", "2025-09-01")


def test_explain_carries_reference(tree):
    e = tree.explain("tariff.us.reciprocal.kr", "2025-09-01").as_dict()
    assert e["value"] == 0.15
    assert e["effective_from"] == "2025-08-07"
    assert e["unit"] == "/1"
    assert e["reference"]["href"] == "https://www.federalregister.gov/d/2025-14896"


def test_breakdown_at_returns_mapping_and_later_value_replaces_whole_mapping(tree):
    assert tree.at("test.by_chapter", "2025-03-01") == {"84": 0.10, "85": 0.20, "87": 0.25}
    assert tree.at("test.by_chapter", "2025-07-01") == {"84": 0.30, "87": 0.15}


def test_vectorised_lookup_by_key_and_date(tree):
    dates = pl.Series([dt.date(2025, 2, 1), dt.date(2025, 7, 1), dt.date(2025, 7, 1)])
    keys = pl.Series(["85", "84", "85"])
    # 85 in Feb: 0.20; 84 in July: 0.30; 85 in July: dropped from the mapping -> null
    assert tree.lookup("test.by_chapter", dates, keys).to_list() == [0.20, 0.30, None]


def test_vectorised_lookup_rejects_unknown_key_and_early_date(tree):
    with pytest.raises(InvalidInput, match="'99'"):
        tree.lookup("test.by_chapter", pl.Series([dt.date(2025, 7, 1)]), pl.Series(["99"]))
    with pytest.raises(ParameterDateError):
        tree.lookup("tariff.us.reciprocal.kr", pl.Series([dt.date(2024, 1, 1)]))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2027, 12, 31)),
            st.sampled_from(["84", "85", "87"]),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_lookup_equals_point_lookups(tmp_path_factory, rows):
    tree = load_tree(make_tree(tmp_path_factory.mktemp("p") / "params"))
    dates = pl.Series([d for d, _ in rows])
    keys = pl.Series([k for _, k in rows])
    expected = [tree.at("test.by_chapter", d).get(k) for d, k in rows]
    assert tree.lookup("test.by_chapter", dates, keys).to_list() == expected


def test_scenario_replaces_values_from_its_date_on(tree, tmp_path):
    no_deal = tree.with_scenario("no_deal")
    assert no_deal.scenario == "no_deal"
    assert no_deal.at("tariff.us.reciprocal.kr", "2025-12-01") == 0.25  # repeal dropped
    assert tree.at("tariff.us.reciprocal.kr", "2025-12-01") is None  # baseline untouched
    assert no_deal.explain("tariff.us.reciprocal.kr", "2025-12-01").scenario == "no_deal"


def test_user_scenario_file_and_unknown_scenario(tree, tmp_path):
    user_file = tmp_path / "mine.yaml"
    user_file.write_text(
        "description: mine\noverrides:\n  tariff.us.reciprocal.kr:\n"
        "    2026-01-01: {value: 0.1, reference: {title: t, section: '1'}}\n",
        encoding="utf-8",
    )
    mine = tree.with_scenario(user_file)
    assert mine.at("tariff.us.reciprocal.kr", "2025-12-31") is None
    assert mine.at("tariff.us.reciprocal.kr", "2026-01-01") == 0.1
    with pytest.raises(NotFound, match="unknown scenario"):
        tree.with_scenario("does_not_exist")


def test_trace_records_values_used(tree):
    traced = tree.traced()
    traced.at("tariff.us.reciprocal.kr", "2025-09-01")
    traced.at("test.by_chapter", "2025-09-01")
    assert [e.path for e in traced.used] == ["tariff.us.reciprocal.kr", "test.by_chapter"]


def test_shipped_tree_loads():
    params = get_params()
    for path in params.paths():
        assert params.leaf(path).values, path


def test_scenario_can_override_a_breakdown_but_only_with_declared_keys(tree, tmp_path):

    good = tmp_path / "good.yaml"
    good.write_text(
        "description: d\noverrides:\n  test.by_chapter:\n"
        "    2025-09-01: {value: {'84': 0.5}, reference: {title: t, section: '1'}}\n",
        encoding="utf-8",
    )
    overlaid = tree.with_scenario(good)
    assert overlaid.at("test.by_chapter", "2025-09-01") == {"84": 0.5}
    assert overlaid.at("test.by_chapter", "2025-08-31") == {"84": 0.30, "87": 0.15}
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "description: d\noverrides:\n  test.by_chapter:\n"
        "    2025-09-01: {value: {'99': 0.5}, reference: {title: t, section: '1'}}\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput, match="has no hs_chapter 99"):
        tree.with_scenario(bad)
