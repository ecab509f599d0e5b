"""Recipes: validation names the field; execution equals independent Polars computations."""

from __future__ import annotations

import polars as pl
import pytest

from tiro.core.errors import InvalidInput
from tiro.manufacturing.library.recipes import (
    AggregateRecipe,
    ModelRecipe,
    UserCodeRecipe,
    model_type,
    recipe_json,
    validate_recipe,
)
from tiro.manufacturing.library.sandbox.execute import execute
from tiro.manufacturing.quality import datasets

SOLDER = ["Opening", "Solder", "Mask", "PadType", "Panel", "skips"]


@pytest.mark.parametrize(
    ("spec", "field"),
    [
        ("aggregate", "recipe"),
        ({"kind": "sql"}, "kind"),
        ({}, "kind"),
        ({"kind": "aggregate", "extra": 1}, "extra"),
        ({"kind": "aggregate", "metrics": [{"column": "skips", "fn": "var"}]}, "metrics[0].fn"),
        ({"kind": "aggregate", "group_by": ["a", "b", "c", "d", "e", "f"]}, "group_by"),
        ({"kind": "aggregate", "filters": [{"column": "skips", "op": "~", "value": 1}]},
         "filters[0].op"),
        ({"kind": "aggregate", "filters": [{"column": "skips", "op": ">", "value": float("nan")}]},
         "filters[0].value"),
        ({"kind": "aggregate", "group_by": ["Colour"]}, "group_by[0]"),
        ({"kind": "aggregate", "metrics": [{"column": "x", "fn": "sum"}]}, "metrics[0].column"),
        ({"kind": "train"}, "preset"),
        ({"kind": "train", "preset": "nope"}, "preset"),
        ({"kind": "train", "preset": "solder_defect_count", "folds": 1}, "folds"),
        ({"kind": "evaluate", "model": {"kind": "linear", "target": "skips"}}, "model.features"),
        ({"kind": "train", "model": {"kind": "classification", "target": "skips",
                                     "features": ["Mask"]}}, "model"),
        ({"kind": "train", "model": {"kind": "linear", "target": "yield", "features": ["Mask"]}},
         "model.target"),
        ({"kind": "rule_score", "conditions": [], "outcome": {"column": "skips", "op": ">",
                                                           "value": 1}}, "conditions"),
        ({"kind": "rule_score", "conditions": [{"column": "Mask", "op": "==", "value": "A3"}],
          "outcome": {"column": "defects", "op": ">", "value": 1}}, "outcome.column"),
        ({"kind": "user_code", "source": ""}, "source"),
        ({"kind": "user_code", "source": "def analyse(frame:\n  pass"}, "source"),
        ({"kind": "user_code", "source": "def analyse(a, b):\n    return {}"}, "source"),
        ({"kind": "user_code", "source": "def analyse_it(frame):\n    return {}"}, "source"),
        ({"kind": "user_code", "source": "x" * 50_001}, "source"),
    ],
)  # fmt: skip
def test_bad_recipes_name_the_field(spec, field):
    with pytest.raises(InvalidInput) as err:
        validate_recipe(spec, columns=SOLDER)
    assert err.value.field == field


def test_user_code_is_parsed_not_run(tmp_path):
    marker = tmp_path / "ran"
    source = f"open({str(marker)!r}, 'w').close()\n\ndef analyse(frame):\n    return {{}}\n"
    recipe = validate_recipe({"kind": "user_code", "source": source})
    assert isinstance(recipe, UserCodeRecipe)
    assert not marker.exists()


def test_model_type_and_json_round_trip():
    agg = validate_recipe({"kind": "aggregate", "group_by": ["Mask"]}, columns=SOLDER)
    trained = validate_recipe({"kind": "train", "preset": "solder_defect_negbin", "seed": 4})
    explicit = validate_recipe(
        {"kind": "evaluate", "model": {"kind": "poisson", "target": "skips",
                                       "features": ["Mask", "Opening"]}}, columns=SOLDER
    )  # fmt: skip
    user = validate_recipe({"kind": "user_code", "source": "def analyse(f):\n    return {}"})
    rule = validate_recipe({"kind": "rule_score",
                            "conditions": [{"column": "Mask", "op": "in", "value": ["A3", "A6"]}],
                            "outcome": {"column": "skips", "op": ">=", "value": 5}})  # fmt: skip
    assert [model_type(r) for r in (agg, trained, explicit, user, rule)] == [
        None, "negbin", "poisson", "user_code", None]  # fmt: skip
    assert isinstance(trained, ModelRecipe) and trained.workbench_recipe().seed == 4
    for recipe in (agg, trained, explicit, user, rule):
        assert validate_recipe(recipe_json(recipe)) == recipe


def test_aggregate_equals_hand_computation():
    frame = datasets.load("rpart:solder")
    recipe = validate_recipe(
        {"kind": "aggregate", "group_by": ["Opening", "Solder"],
         "filters": [{"column": "Panel", "op": "in", "value": [1, 2]},
                     {"column": "Mask", "op": "!=", "value": "A6"}],
         "metrics": [{"column": "skips", "fn": f} for f in
                     ("count", "sum", "mean", "median", "min", "max", "std")]},
        columns=SOLDER,
    )  # fmt: skip
    assert isinstance(recipe, AggregateRecipe)
    out = execute(recipe, frame)
    rows = [r for r in frame.to_dicts() if r["Panel"] in (1, 2) and r["Mask"] != "A6"]
    got = {(r["Opening"], r["Solder"]): r for r in out.to_dicts()}
    assert list(got) == sorted(got)  # sorted by the group keys
    assert len(got) == 6
    for (opening, solder), row in got.items():
        values = sorted(
            r["skips"] for r in rows if (r["Opening"], r["Solder"]) == (opening, solder)
        )
        n = len(values)
        mean = sum(values) / n
        assert row["n"] == row["skips_count"] == n
        assert row["skips_sum"] == sum(values)
        assert row["skips_mean"] == pytest.approx(mean)
        middle = (values[(n - 1) // 2] + values[n // 2]) / 2
        assert row["skips_median"] == pytest.approx(middle)
        assert (row["skips_min"], row["skips_max"]) == (values[0], values[-1])
        sd = (sum((v - mean) ** 2 for v in values) / (n - 1)) ** 0.5
        assert row["skips_std"] == pytest.approx(sd)


def test_aggregate_without_groups_is_one_row_with_n():
    frame = pl.DataFrame({"x": [1.0, 2.0, 4.0]})
    out = execute(validate_recipe({"kind": "aggregate",
                                   "metrics": [{"column": "x", "fn": "mean"}]}), frame)  # fmt: skip
    assert out.to_dicts() == [{"n": 3, "x_mean": pytest.approx(7 / 3)}]


@pytest.mark.parametrize(
    ("spec", "field"),
    [
        ({"kind": "aggregate", "filters": [{"column": "skips", "op": "==", "value": "many"}]},
         "filters[0].value"),
        ({"kind": "aggregate", "filters": [{"column": "Mask", "op": ">", "value": "A3"}]},
         "filters[0].op"),
        ({"kind": "aggregate", "filters": [{"column": "Mask", "op": "in", "value": "A3"}]},
         "filters[0].value"),
        ({"kind": "aggregate", "metrics": [{"column": "Mask", "fn": "sum"}]}, "metrics[0].fn"),
    ],
)  # fmt: skip
def test_execution_checks_types_against_the_real_table(spec, field):
    with pytest.raises(InvalidInput) as err:
        execute(validate_recipe(spec), datasets.load("rpart:solder"))
    assert err.value.field == field


def test_user_code_runs_with_pl_in_scope_in_process():
    recipe = validate_recipe({"kind": "user_code", "source": (
        "def analyse(frame):\n"
        "    return frame.group_by('Solder').agg(pl.len().alias('n')).sort('Solder')\n")})  # fmt: skip
    out = execute(recipe, datasets.load("rpart:solder"))
    assert out.to_dicts() == [{"Solder": "Thick", "n": 450}, {"Solder": "Thin", "n": 450}]
