"""Model workbench: a recipe plus a Polars table → cross-validated metrics and a fitted model.

Pure functions of (table, recipe): the secure data library (the other manufacturing issue)
runs this same code inside its sandbox, so nothing here touches a database, a file or the
network. A recipe names the model kind, the target and the features; the folds come from
the recipe's seed, so the same recipe on the same bytes gives the same metrics everywhere.

Kinds: ``classification`` (logistic; quality or failure prediction), ``poisson`` and
``negbin`` (defect counts), ``linear`` (ridge; yields, currents), ``weibull`` (life data with
right censoring). Preprocessing is learnt inside each training fold (category levels, medians
for missing values, the range a held-out value is clipped to, means and sds for scaling),
never from the held-out rows: a held-out batch with a value far outside what the model saw
(the chemical process data has a few) is predicted at the edge of the training range.
"""

from __future__ import annotations

import hashlib
import inspect
import sys
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from tiro import __version__
from tiro.core.errors import InvalidInput
from tiro.manufacturing.quality import datasets, glm, metrics, weibull

KINDS = ("classification", "poisson", "negbin", "linear", "weibull")
OPS = (">", ">=", "<", "<=", "==", "!=")


@dataclass(frozen=True)
class Recipe:
    """What to train: kind, dataset, target (with a threshold for classification), features."""

    kind: str
    dataset: str
    target: str
    features: tuple[str, ...] = ()
    categorical: tuple[str, ...] = ()
    poly: tuple[tuple[str, int], ...] = ()
    positive_if: tuple[str, float] | None = None
    l2: float = 1.0
    folds: int = 5
    seed: int = 0
    event: str | None = None  # weibull: the 1/0 failure column

    def as_dict(self) -> dict:
        return {
            "kind": self.kind, "dataset": self.dataset, "target": self.target,
            "features": list(self.features), "categorical": list(self.categorical),
            "poly": {c: d for c, d in self.poly},
            "positive_if": None if self.positive_if is None else list(self.positive_if),
            "l2": self.l2, "folds": self.folds, "seed": self.seed, "event": self.event,
        }  # fmt: skip


SOLDER = ("Opening", "Solder", "Mask", "PadType", "Panel")
AI4I = ("type", "air_temperature_k", "process_temperature_k", "rotational_speed_rpm",
        "torque_nm", "tool_wear_min", "power_w", "temperature_difference_k", "strain_min_nm")  # fmt: skip
RECIPES: dict[str, Recipe] = {
    "solder_defect_count": Recipe("poisson", "rpart:solder", "skips", SOLDER, ("Panel",), l2=0.0),
    "solder_defect_negbin": Recipe("negbin", "rpart:solder", "skips", SOLDER, ("Panel",), l2=0.0),
    "solder_any_defect": Recipe(
        "classification", "rpart:solder", "skips", SOLDER, ("Panel",), positive_if=(">", 0.0)
    ),
    "chem_yield": Recipe("linear", "modeldata:chem_proc_yield", "yield", ("*",), l2=10.0),
    "wafer_current": Recipe(
        "linear",
        "nlme:Wafer",
        "current",
        ("voltage", "Wafer", "Site"),
        ("Wafer", "Site"),
        poly=(("voltage", 3),),
        l2=0.0,
    ),
    "ai4i_failure": Recipe(
        "classification",
        "ai4i:generated",
        "machine_failure",
        AI4I,
        poly=(("power_w", 2), ("temperature_difference_k", 2)),
        positive_if=(">", 0.0),
    ),
    "automotive_life": Recipe("weibull", "reliability:automotive", "time", event="failed"),
}
"""Registered recipes, by name: the real datasets the issue names, each with a model kind."""


def code_version() -> str:
    """tiro's version and a hash of the workbench's own source: what the registry records."""
    source = "".join(
        inspect.getsource(sys.modules[m]) for m in (__name__, glm.__name__, metrics.__name__)
    )
    return f"{__version__}+{hashlib.sha256(source.encode()).hexdigest()[:12]}"


def check_recipe(recipe: Recipe, frame: pl.DataFrame) -> Recipe:
    """Refuse a recipe the table cannot satisfy, naming the field; expand ``*`` features."""
    if recipe.kind not in KINDS:
        raise InvalidInput(f"unknown kind {recipe.kind!r}; known: {', '.join(KINDS)}", field="kind")
    if not 2 <= recipe.folds <= 20:
        raise InvalidInput("folds must be 2-20", field="folds")
    if not (0 <= recipe.l2 <= 1e6) or not np.isfinite(recipe.l2):
        raise InvalidInput("l2 must be a number in 0..1e6", field="l2")
    features = recipe.features
    if features == ("*",):
        features = tuple(c for c in frame.columns if c != recipe.target)
    datasets.check_columns(frame, [recipe.target], "target")
    datasets.check_columns(frame, list(features), "features")
    datasets.check_columns(frame, list(recipe.categorical), "categorical")
    datasets.check_columns(frame, [c for c, _ in recipe.poly], "poly")
    if any(not 1 <= d <= 5 for _, d in recipe.poly):
        raise InvalidInput("a polynomial degree must be 1-5", field="poly")
    if recipe.kind == "weibull":
        datasets.check_columns(frame, [recipe.event or ""], "event")
    elif not features:
        raise InvalidInput("a model needs at least one feature", field="features")
    if recipe.positive_if is not None and recipe.positive_if[0] not in OPS:
        raise InvalidInput(f"operator must be one of {', '.join(OPS)}", field="positive_if")
    if recipe.kind == "classification" and recipe.positive_if is None:
        raise InvalidInput("a classification needs positive_if [op, value]", field="positive_if")
    return Recipe(**{**recipe.__dict__, "features": features})


def compare(values: pl.Expr, op: str, value: object) -> pl.Expr:
    """``values <op> value`` as a Polars expression (shared with the rule engine)."""
    return {
        ">": values > value, ">=": values >= value, "<": values < value,
        "<=": values <= value, "==": values == value, "!=": values != value,
    }[op]  # fmt: skip


@dataclass
class _Design:
    """What preprocessing learnt on a training fold, to apply to any rows."""

    columns: list[str] = field(default_factory=list)
    levels: dict[str, list] = field(default_factory=dict)
    centre: dict[str, float] = field(default_factory=dict)
    scale: dict[str, float] = field(default_factory=dict)
    fill: dict[str, float] = field(default_factory=dict)
    bounds: dict[str, tuple[float, float]] = field(default_factory=dict)


def _numeric(frame: pl.DataFrame, recipe: Recipe) -> dict[str, pl.Series]:
    out = {}
    degree = dict(recipe.poly)
    for name in recipe.features:
        if name in recipe.categorical or frame[name].dtype == pl.Utf8:
            continue
        base = frame[name].cast(pl.Float64)
        for d in range(1, degree.get(name, 1) + 1):
            out[name if d == 1 else f"{name}^{d}"] = base**d
    return out


def _fit_design(train: pl.DataFrame, recipe: Recipe) -> _Design:
    design = _Design()
    for name in recipe.features:
        if name in recipe.categorical or train[name].dtype == pl.Utf8:
            levels = sorted(train[name].drop_nulls().unique().to_list(), key=str)
            design.levels[name] = levels
            design.columns += [f"{name}={v}" for v in levels[1:]]
    for name, series in _numeric(train, recipe).items():
        fill = series.median()
        filled = series.fill_null(fill if fill is not None else 0.0)
        design.fill[name] = float(fill if fill is not None else 0.0)
        design.bounds[name] = (float(filled.min()), float(filled.max()))
        design.centre[name] = float(filled.mean())
        sd = float(filled.std() or 0.0)
        design.scale[name] = sd if sd > 0 else 1.0
        design.columns.append(name)
    return design


def _matrix(frame: pl.DataFrame, design: _Design, recipe: Recipe) -> np.ndarray:
    cols = [np.ones(frame.height)]
    for name, levels in design.levels.items():
        values = frame[name]
        cols += [(values == v).fill_null(False).to_numpy().astype(float) for v in levels[1:]]
    for name, series in _numeric(frame, recipe).items():
        x = np.clip(series.fill_null(design.fill[name]).to_numpy(), *design.bounds[name])
        cols.append((x - design.centre[name]) / design.scale[name])
    return np.column_stack(cols)


def _target(frame: pl.DataFrame, recipe: Recipe) -> np.ndarray:
    y = frame[recipe.target].cast(pl.Float64)
    if y.null_count():
        raise InvalidInput(f"the target {recipe.target!r} has missing values", field="target")
    if recipe.kind == "classification":
        op, value = recipe.positive_if
        return frame.select(compare(pl.col(recipe.target), op, value))[:, 0].cast(int).to_numpy()
    if recipe.kind in ("poisson", "negbin") and (y < 0).any():
        raise InvalidInput("a count target must be ≥ 0", field="target")
    return y.to_numpy()


def _fit(x: np.ndarray, y: np.ndarray, recipe: Recipe) -> tuple[np.ndarray, str, float | None]:
    """Coefficients, link and (negbin) the dispersion α."""
    if recipe.kind == "classification":
        return glm.logistic(x, y, recipe.l2), "logit", None
    if recipe.kind == "poisson":
        return glm.poisson(x, y, recipe.l2), "log", None
    if recipe.kind == "negbin":
        import statsmodels.api as sm

        res = sm.NegativeBinomial(y, x).fit(disp=0, maxiter=200, method="bfgs")
        return np.asarray(res.params[:-1]), "log", float(res.params[-1])
    return glm.ridge(x, y, recipe.l2), "identity", None


def folds_of(n: int, k: int, seed: int) -> np.ndarray:
    """Fold number of each row: a seeded permutation cut into ``k`` near-equal parts."""
    order = np.random.default_rng(seed).permutation(n)
    fold = np.empty(n, dtype=int)
    fold[order] = np.arange(n) % k
    return fold


def _score(kind: str, y: np.ndarray, pred: np.ndarray, null: np.ndarray) -> dict:
    if kind == "classification":
        return metrics.classification(y, pred)
    if kind in ("poisson", "negbin"):
        return metrics.count(y, pred, null)
    return metrics.regression(y, pred, null)


def cross_validate(frame: pl.DataFrame, recipe: Recipe) -> dict:
    """k-fold out-of-fold metrics (pooled over the folds) and the per-fold spread."""
    y = _target(frame, recipe)
    fold = folds_of(frame.height, recipe.folds, recipe.seed)
    pred, null = np.empty(frame.height), np.empty(frame.height)
    per_fold = []
    for k in range(recipe.folds):
        test = fold == k
        train_rows = frame.filter(pl.Series(~test))
        design = _fit_design(train_rows, recipe)
        beta, link, _ = _fit(_matrix(train_rows, design, recipe), y[~test], recipe)
        pred[test] = glm.predict(_matrix(frame.filter(pl.Series(test)), design, recipe), beta, link)
        null[test] = y[~test].mean()
        per_fold.append(_score(recipe.kind, y[test], pred[test], null[test]))
    pooled = _score(recipe.kind, y, pred, null)
    spread = {
        f"{key}_fold_sd": float(np.std([f[key] for f in per_fold], ddof=1))
        for key in pooled
        if all(isinstance(f[key], float) for f in per_fold)
    }
    return {**pooled, **spread, "folds": recipe.folds, "seed": recipe.seed, "rows": frame.height}


def train(frame: pl.DataFrame, recipe: Recipe, dataset_hash: str | None = None) -> dict:
    """Cross-validate, then fit on every row: metrics, coefficients and provenance.

    ``dataset_hash`` is the content hash of ``frame`` (computed when not given); the model
    registry compares it with the dataset's hash at registration.
    """
    recipe = check_recipe(recipe, frame)
    digest = dataset_hash or datasets.content_hash(frame)
    if recipe.kind == "weibull":
        failed = frame[recipe.event].cast(pl.Int64).to_numpy() == 1
        t = frame[recipe.target].cast(pl.Float64).to_numpy()
        fit = weibull.fit(t[failed], t[~failed]).as_dict()
        n = t.size
        aic = 2 * 2 - 2 * fit["log_likelihood"]
        return {"recipe": recipe.as_dict(), "dataset_hash": digest, "code_version": code_version(),
                "metrics": {**fit, "aic": aic, "rows": n}, "coefficients": {
                    "alpha": fit["alpha"], "beta": fit["beta"]}}  # fmt: skip
    cv = cross_validate(frame, recipe)
    design = _fit_design(frame, recipe)
    beta, link, alpha = _fit(_matrix(frame, design, recipe), _target(frame, recipe), recipe)
    coefficients = dict(zip(["(intercept)", *design.columns], beta.tolist(), strict=True))
    if alpha is not None:
        coefficients["(negbin alpha)"] = alpha
    return {"recipe": recipe.as_dict(), "dataset_hash": digest, "code_version": code_version(),
            "metrics": cv, "coefficients": coefficients, "link": link}  # fmt: skip
