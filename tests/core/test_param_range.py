"""A leaf may declare ``range: {min, max}``; lint, the loader and scenario overlays hold it.

Issue 9 item 5: a share of 1.5 in an overlay used to reach engines (and the SWAP ledger's
CHECK constraints) instead of being refused with the leaf named.
"""

from __future__ import annotations

import json

import pytest
from tests.core.param_trees import make_tree, write

from tiro.core.errors import InvalidInput, ParameterFileError
from tiro.core.parameter_files import PARAMS_ROOT, lint_tree, parse_range, range_problem
from tiro.core.parameters import get_params, load_tree

SHARE = """
description: A share
unit: /1
range: {min: 0, max: 1}
values:
  2025-01-01:
    value: 0.5
    reference: {title: t, section: "1"}
"""

SPLIT = """
description: A share by kind
unit: /1
range: {min: 0, max: 1}
breakdown: {key: kind, keys: [a, b]}
values:
  2025-01-01:
    value: {a: 0.2, b: 0.9}
    reference: {title: t, section: "1"}
"""


def overlay(path: str, value: str, date: str = "2025-06-01") -> str:
    return (
        f"description: what-if\noverrides:\n  {path}:\n"
        f"    {date}: {{value: {value}, reference: {{title: t, section: '1'}}}}\n"
    )


@pytest.fixture
def root(tmp_path):
    root = make_tree(tmp_path / "p")
    write(root, "test/share.yaml", SHARE)
    write(root, "test/split.yaml", SPLIT)
    return root


def test_range_is_read_and_a_clean_tree_lints_clean(root):
    assert lint_tree(root) == []
    tree = load_tree(root)
    assert tree.leaf("test.share").range == (0, 1)
    assert tree.leaf("tariff.us.reciprocal.kr").range is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (SHARE.replace("value: 0.5", "value: 1.5"), "1.5 is outside the leaf's range [0, 1]"),
        (SHARE.replace("value: 0.5", "value: -0.1"), "-0.1 is outside the leaf's range [0, 1]"),
        (SPLIT.replace("b: 0.9", "b: 2"), "b: 2 is outside the leaf's range [0, 1]"),
        (SHARE.replace("{min: 0, max: 1}", "{min: 1, max: 0}"), "range min 1 is above max 0"),
        (SHARE.replace("{min: 0, max: 1}", "{low: 0}"), "range must be a mapping"),
        (SHARE.replace("{min: 0, max: 1}", "{min: .nan}"), "range min nan is not a finite"),
        (SHARE.replace("value: 0.5", "value: .inf"), "not a finite number"),
        (SHARE.replace("value: 0.5", "value: abc"), "'abc' is not a number"),
    ],
)
def test_lint_and_loader_refuse_values_outside_the_range(root, text, expected):
    bad = write(root, "test/bad.yaml", text)
    findings = lint_tree(root)
    assert any(str(bad) in f and expected in f for f in findings), findings
    with pytest.raises(ParameterFileError, match=expected.replace("[", r"\[")):
        load_tree(root)


@pytest.mark.parametrize(
    ("path", "value", "shown"),
    [
        ("test.share", "1.5", "1.5 is outside"),
        ("test.share", "-1", "-1 is outside"),
        ("test.split", "{a: 0.1, b: 1.01}", "b: 1.01 is outside"),
    ],
)
def test_overlay_outside_the_range_is_refused_with_the_field(root, tmp_path, path, value, shown):
    mine = tmp_path / "mine.yaml"
    mine.write_text(overlay(path, value), encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        load_tree(root).with_scenario(mine)
    assert caught.value.field == "scenario"
    assert f"{path} value of 2025-06-01: {shown}" in caught.value.message


def test_overlay_inside_the_range_and_repeal_pass(root, tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text(overlay("test.share", "1.0"), encoding="utf-8")
    tree = load_tree(root).with_scenario(mine)
    assert tree.at("test.share", "2025-05-31") == 0.5 and tree.at("test.share", "2025-06-01") == 1.0
    mine.write_text(overlay("test.share", "null"), encoding="utf-8")
    assert load_tree(root).with_scenario(mine).at("test.share", "2025-06-01") is None


def test_shipped_scenario_outside_a_range_is_a_lint_finding(root):
    bad = write(root, "scenarios/too_much.yaml", overlay("test.share", "3"))
    findings = lint_tree(root)
    assert any(str(bad) in f and "3 is outside the leaf's range" in f for f in findings), findings


def test_range_helpers_unbounded_sides():
    assert parse_range({"min": 0}) == ((0, None), [])
    assert range_problem(10**9, (0, None)) is None
    assert range_problem(-1, (0, None)) == "-1 is outside the leaf's range [0, inf]"
    assert range_problem(None, (0, 1)) is None


def test_shipped_shares_declare_their_range():
    params = get_params(root=PARAMS_ROOT)
    for path in (
        "energy.swap.floor_share",
        "energy.swap.premium_rate",
        "energy.stock_cover.unavailability_deduction",
        "energy.stock_cover.naphtha_yield",
        "trade.fdi.cash_grant.max_rate",
    ):
        assert params.leaf(path).range == (0, 1), path


def test_cli_lint_names_the_leaf_and_the_range(cli, root):
    write(root, "test/too_big.yaml", SHARE.replace("value: 0.5", "value: 1.5"))
    bad = cli(["params", "lint", "--root", str(root), "--json"])
    assert bad.exit_code == ParameterFileError.exit_code
    report = json.loads(bad.stdout)
    assert report["ok"] is False
    assert report["problems"] == [
        f"{root / 'test/too_big.yaml'}: value of 2025-01-01: 1.5 is outside the leaf's range [0, 1]"
    ]
    assert len(bad.stderr.strip().splitlines()) == 1 and "too_big.yaml" in bad.stderr


def test_listings_show_the_range(cli, api_client, tree_root):
    write(tree_root, "test/share.yaml", SHARE)
    from tiro.core.parameters import _cached

    _cached.cache_clear()
    rows = {r["path"]: r for r in json.loads(cli(["params", "list", "--json"]).stdout)}
    assert rows["test.share"]["range"] == {"min": 0, "max": 1}
    assert rows["tariff.us.reciprocal.kr"]["range"] is None
    api = {r["path"]: r for r in api_client.get("/api/v1/params").json()}
    assert api["test.share"]["range"] == {"min": 0, "max": 1}
