"""Model workbench (issue 16 item 4): fits against statsmodels/NumPy, CV reproducible from a seed."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import polars as pl
import pytest
import statsmodels.api as sm

from tiro.core.errors import InvalidInput, NotFound
from tiro.manufacturing.quality import datasets, glm, metrics, workbench

SOLDER = workbench.RECIPES["solder_defect_count"]


def _solder_design() -> tuple[np.ndarray, np.ndarray]:
    frame = datasets.load("rpart:solder")
    design = workbench._fit_design(frame, SOLDER)
    return workbench._matrix(frame, design, SOLDER), frame["skips"].to_numpy().astype(float)


def test_poisson_matches_statsmodels_glm():
    x, y = _solder_design()
    ours = glm.poisson(x, y, 0.0)
    ref = sm.GLM(y, x, family=sm.families.Poisson()).fit().params
    assert ours == pytest.approx(ref, abs=1e-7)


def test_logistic_matches_statsmodels_logit():
    frame = datasets.load("ai4i:generated").head(3000)
    x = np.column_stack([np.ones(frame.height),
                         (frame["torque_nm"].to_numpy() - 40) / 10,
                         (frame["tool_wear_min"].to_numpy() - 100) / 60])  # fmt: skip
    y = frame["machine_failure"].to_numpy().astype(float)
    ours = glm.logistic(x, y, 0.0)
    ref = sm.Logit(y, x).fit(disp=0).params
    assert ours == pytest.approx(ref, abs=1e-7)


def test_ridge_without_penalty_is_least_squares():
    rng = np.random.default_rng(3)
    x = np.column_stack([np.ones(50), rng.normal(size=(50, 3))])
    y = x @ [1.0, 2.0, -1.0, 0.5] + rng.normal(scale=0.1, size=50)
    assert glm.ridge(x, y, 0.0) == pytest.approx(np.linalg.lstsq(x, y, rcond=None)[0])


def test_auc_is_the_share_of_correctly_ordered_pairs():
    y = np.array([0, 0, 1, 1, 0, 1])
    s = np.array([0.1, 0.4, 0.35, 0.8, 0.35, 0.9])
    pairs = [(p, n) for p, n in itertools.product(s[y == 1], s[y == 0])]
    by_hand = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p, n in pairs) / len(pairs)
    assert metrics.auc(y, s) == pytest.approx(by_hand)


def test_poisson_deviance_by_hand():
    y, mu = np.array([0.0, 2.0, 5.0]), np.array([1.0, 2.0, 4.0])
    by_hand = 2 * ((0 - (0 - 1)) + (2 * np.log(1) - 0) + (5 * np.log(5 / 4) - 1)) / 3
    assert metrics.poisson_deviance(y, mu) == pytest.approx(by_hand)


def test_folds_are_a_seeded_partition():
    a = workbench.folds_of(103, 5, seed=7)
    assert np.array_equal(a, workbench.folds_of(103, 5, seed=7))
    assert not np.array_equal(a, workbench.folds_of(103, 5, seed=8))
    assert sorted(np.bincount(a)) == [20, 20, 21, 21, 21]


def test_cross_validation_is_reproducible_from_the_seed():
    frame = datasets.load("rpart:solder")
    one = workbench.train(frame, SOLDER)
    two = workbench.train(frame, SOLDER)
    assert one["metrics"] == two["metrics"] and one["coefficients"] == two["coefficients"]
    other = workbench.train(frame, dataclasses.replace(SOLDER, seed=1))
    assert other["metrics"]["poisson_deviance"] != one["metrics"]["poisson_deviance"]
    assert other["coefficients"] == one["coefficients"]  # the final fit uses every row


@pytest.mark.parametrize(
    ("recipe", "metric", "value"),
    [
        ("solder_defect_count", "deviance_explained", 0.7850),
        ("solder_any_defect", "auc", 0.8801),
        ("chem_yield", "r2", 0.5681),
        ("wafer_current", "r2", 0.9982),
        ("ai4i_failure", "auc", 0.9301),
    ],
)
def test_cross_validated_metrics_on_the_real_datasets(recipe, metric, value):
    """The figures reported in docs/manufacturing.md (5 folds, seed 0)."""
    r = workbench.RECIPES[recipe]
    got = workbench.train(datasets.load(r.dataset), r)["metrics"]
    assert got[metric] == pytest.approx(value, abs=5e-4)


def test_the_cv_metrics_are_out_of_fold():
    """A held-out row's prediction does not use it: refitting on all rows fits better."""
    frame = datasets.load("nlme:Wafer")
    r = workbench.RECIPES["wafer_current"]
    cv = workbench.cross_validate(frame, r)
    x = workbench._matrix(frame, workbench._fit_design(frame, r), r)
    y = frame["current"].to_numpy()
    in_sample = np.sqrt(((x @ glm.ridge(x, y, 0.0) - y) ** 2).mean())
    assert cv["rmse"] > in_sample


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"features": ("Opening", "Nozzle")}, "features"),
        ({"target": "defects"}, "target"),
        ({"kind": "forest"}, "kind"),
        ({"folds": 1}, "folds"),
        ({"l2": -1.0}, "l2"),
        ({"poly": (("Panel", 9),)}, "poly"),
    ],
)
def test_bad_recipes_name_the_field(change, field):
    with pytest.raises(InvalidInput) as err:
        workbench.train(datasets.load("rpart:solder"), dataclasses.replace(SOLDER, **change))
    assert err.value.field == field


def test_unknown_dataset_is_not_found():
    with pytest.raises(NotFound) as err:
        datasets.load("rpart:kyphosis")
    assert err.value.field == "dataset"


def test_content_hash_changes_with_one_value():
    frame = datasets.load("rpart:solder")
    edited = frame.with_columns(pl.when(pl.int_range(pl.len()) == 0).then(1).otherwise(
        pl.col("skips")).alias("skips"))  # fmt: skip
    assert datasets.content_hash(frame) == datasets.content_hash(frame.clone())
    assert datasets.content_hash(edited) != datasets.content_hash(frame)
