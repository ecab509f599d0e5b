"""Compute-request recipes: what an analyst may ask the library to run on an asset.

A recipe is data, validated here in the parent process before anything runs:

- ``aggregate`` — filters, ``group_by`` columns and metrics (count, sum, mean, median, min,
  max, std); always emits ``n`` (rows per group) so the release check can apply k;
- ``train`` / ``evaluate`` — the model workbench (:mod:`tiro.manufacturing.quality.workbench`):
  train = cross-validated metrics plus coefficients, evaluate = cross-validated metrics only;
  either a registered workbench recipe (``preset``) or an explicit model;
- ``rule_score`` — a tacit-knowledge rule scored by :func:`tiro.manufacturing.knowledge.rules.score`;
- ``user_code`` — Python source defining ``def analyse(frame) -> polars.DataFrame | dict``.
  The parent only checks its size and that it parses (``ast.parse``); it is compiled and run
  only inside the sandbox child, never in the parent.

``validate_recipe`` turns a mapping (a request body, a CLI file) into one of these models and
raises InvalidInput naming the field; with ``columns`` (the asset's schema, which the mock
twin shares) it also refuses unknown column names before anything is queued.

The workbench (and with it scipy.stats, 1.4 s to import) is imported only for model
recipes, so an aggregate's sandbox child starts in a fraction of the time.

Contract (the issue-17 layout note) kept; additions only: ``validate_recipe(spec, *, columns=None)``
and ``recipe_json(recipe)``.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field, ValidationError

from tiro.core.errors import InvalidInput
from tiro.core.validation import FiniteFloat, InputModel

if TYPE_CHECKING:
    from tiro.manufacturing.quality import workbench

METRIC_FNS = ("count", "sum", "mean", "median", "min", "max", "std")
MAX_SOURCE_CHARS = 50_000
Name = Annotated[str, Field(min_length=1, max_length=100)]
Scalar = FiniteFloat | int | bool | Annotated[str, Field(max_length=200)]


class Metric(InputModel):
    """One output column: ``fn`` of ``column`` per group, named ``<column>_<fn>``."""

    column: Name
    fn: Literal["count", "sum", "mean", "median", "min", "max", "std"]


class Clause(InputModel):
    """``column op value`` (``in``: a list of 1-100 values); filters and rule conditions."""

    column: Name
    op: Literal[">", ">=", "<", "<=", "==", "!=", "in"]
    value: Scalar | Annotated[list[Scalar], Field(min_length=1, max_length=100)]


class AggregateRecipe(InputModel):
    """Group, filter and summarise; the output always carries ``n`` per group."""

    kind: Literal["aggregate"]
    group_by: Annotated[list[Name], Field(max_length=5)] = Field(default_factory=list)
    metrics: Annotated[list[Metric], Field(max_length=20)] = Field(default_factory=list)
    filters: Annotated[list[Clause], Field(max_length=20)] = Field(default_factory=list)


class ModelSpec(InputModel):
    """An explicit workbench model (see :class:`tiro.manufacturing.quality.workbench.Recipe`)."""

    kind: Literal["classification", "poisson", "negbin", "linear", "weibull"]
    target: Name
    features: Annotated[list[Name], Field(max_length=100)] = Field(default_factory=list)
    categorical: Annotated[list[Name], Field(max_length=100)] = Field(default_factory=list)
    poly: dict[Name, Annotated[int, Field(ge=1, le=5)]] = Field(default_factory=dict)
    positive_if: tuple[Literal[">", ">=", "<", "<=", "==", "!="], FiniteFloat] | None = None
    l2: Annotated[FiniteFloat, Field(ge=0, le=1e6)] = 1.0
    event: Name | None = None


class ModelRecipe(InputModel):
    """Train (metrics + coefficients) or evaluate (metrics only) a workbench model."""

    kind: Literal["train", "evaluate"]
    preset: Name | None = None
    model: ModelSpec | None = None
    folds: Annotated[int, Field(ge=2, le=20)] = 5
    seed: Annotated[int, Field(ge=0, le=2**31 - 1)] = 0

    def workbench_recipe(self) -> workbench.Recipe:
        """The workbench's own Recipe (``dataset`` is a label: the data is the asset)."""
        from tiro.manufacturing.quality import workbench  # scipy.stats: 1.4 s, only for models

        if self.preset is not None:
            base = workbench.RECIPES[self.preset]
            return workbench.Recipe(
                **{**base.__dict__, "dataset": "library:asset", "folds": self.folds,
                   "seed": self.seed}
            )  # fmt: skip
        m = self.model
        assert m is not None  # validate_recipe guarantees preset xor model
        return workbench.Recipe(
            kind=m.kind, dataset="library:asset", target=m.target, features=tuple(m.features),
            categorical=tuple(m.categorical), poly=tuple(m.poly.items()),
            positive_if=m.positive_if, l2=m.l2, folds=self.folds, seed=self.seed, event=m.event,
        )  # fmt: skip


class RuleScoreRecipe(InputModel):
    """Score a tacit-knowledge rule: conditions (all must hold) → outcome."""

    kind: Literal["rule_score"]
    conditions: Annotated[list[Clause], Field(min_length=1, max_length=20)]
    outcome: Clause


class UserCodeRecipe(InputModel):
    """Python source defining ``analyse(frame)``; run only inside the sandbox child."""

    kind: Literal["user_code"]
    source: Annotated[str, Field(min_length=1, max_length=MAX_SOURCE_CHARS)]


Recipe = AggregateRecipe | ModelRecipe | RuleScoreRecipe | UserCodeRecipe
KINDS = ("aggregate", "train", "evaluate", "rule_score", "user_code")
_MODELS: dict[str, type[InputModel]] = {
    "aggregate": AggregateRecipe, "train": ModelRecipe, "evaluate": ModelRecipe,
    "rule_score": RuleScoreRecipe, "user_code": UserCodeRecipe,
}  # fmt: skip


def validate_recipe(spec: Any, *, columns: Sequence[str] | None = None) -> Recipe:
    """A checked recipe from a mapping; InvalidInput names the field at fault.

    ``columns``: the asset's column names; when given, every column the recipe names must be
    one of them (the same check runs again on the real table inside the sandbox).
    """
    if not isinstance(spec, dict):
        raise InvalidInput("a recipe must be a mapping with a 'kind'", field="recipe")
    kind = spec.get("kind")
    if kind not in _MODELS:
        raise InvalidInput(f"unknown recipe kind {kind!r}; known: {', '.join(KINDS)}", field="kind")
    try:
        recipe = _MODELS[kind].model_validate(spec)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise InvalidInput(err["msg"], field=_where(err["loc"])) from None
    if isinstance(recipe, ModelRecipe):
        _check_model(recipe)
    if isinstance(recipe, UserCodeRecipe):
        _check_source(recipe.source)
    if columns is not None:
        _check_columns(recipe, list(columns))
    return recipe  # type: ignore[return-value]


def _where(loc: tuple) -> str:
    """A pydantic error location as ``metrics[0].fn`` (union member tags dropped)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.isidentifier() and part not in ("float", "int", "bool", "str", "list"):
            out += f".{part}" if out else part
        else:
            break
    return out or "recipe"


def _check_model(recipe: ModelRecipe) -> None:
    from tiro.manufacturing.quality import workbench

    if (recipe.preset is None) == (recipe.model is None):
        raise InvalidInput("give either preset (a workbench recipe) or model", field="preset")
    if recipe.preset is not None and recipe.preset not in workbench.RECIPES:
        known = ", ".join(workbench.RECIPES)
        raise InvalidInput(f"unknown preset {recipe.preset!r}; known: {known}", field="preset")
    m = recipe.model
    if m is not None:
        if m.kind == "classification" and m.positive_if is None:
            raise InvalidInput("a classification needs positive_if [op, value]", field="model")
        if m.kind == "weibull" and m.event is None:
            raise InvalidInput("a weibull model needs event (the 1/0 column)", field="model")
        if m.kind != "weibull" and not m.features:
            raise InvalidInput("a model needs at least one feature", field="model.features")


def _check_source(source: str) -> None:
    """Parse (never compile or run) the source; it must define ``analyse(frame)``."""
    try:
        tree = ast.parse(source, mode="exec")
    except SyntaxError as exc:
        raise InvalidInput(
            f"syntax error on line {exc.lineno}: {exc.msg}", field="source"
        ) from None
    except ValueError:  # NUL bytes
        raise InvalidInput("the source holds a NUL byte", field="source") from None
    found = [
        node for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name == "analyse"
    ]  # fmt: skip
    if not found:
        raise InvalidInput("the source must define a top-level def analyse(frame)", field="source")
    args = found[-1].args
    if len(args.posonlyargs) + len(args.args) != 1 or args.vararg or args.kwonlyargs:
        raise InvalidInput("analyse must take exactly one argument (the frame)", field="source")


def _check_columns(recipe: Recipe, columns: list[str]) -> None:
    named: list[tuple[str, str]] = []
    if isinstance(recipe, AggregateRecipe):
        named += [(c, f"group_by[{i}]") for i, c in enumerate(recipe.group_by)]
        named += [(m.column, f"metrics[{i}].column") for i, m in enumerate(recipe.metrics)]
        named += [(f.column, f"filters[{i}].column") for i, f in enumerate(recipe.filters)]
    elif isinstance(recipe, RuleScoreRecipe):
        named += [(c.column, f"conditions[{i}].column") for i, c in enumerate(recipe.conditions)]
        named.append((recipe.outcome.column, "outcome.column"))
    elif isinstance(recipe, ModelRecipe) and recipe.model is not None:
        m = recipe.model
        named.append((m.target, "model.target"))
        named += [(c, "model.features") for c in m.features if c != "*"]
        named += [(c, "model.categorical") for c in m.categorical]
        named += [(c, "model.poly") for c in m.poly]
        if m.event:
            named.append((m.event, "model.event"))
    elif isinstance(recipe, ModelRecipe):
        wb = recipe.workbench_recipe()
        named += [(c, "preset") for c in (wb.target, *wb.features, *wb.categorical) if c != "*"]
    for column, where in named:
        if column not in columns:
            raise InvalidInput(
                f"unknown column {column!r}; the asset has: {', '.join(columns)}", field=where
            )


def model_type(recipe: Recipe) -> str | None:
    """The model kind a recipe fits (checked against the policy's allowed model types).

    ``user_code`` for submitted code (it may fit anything); None for aggregates and rule
    scores, which fit no model.
    """
    if isinstance(recipe, ModelRecipe):
        return recipe.workbench_recipe().kind
    if isinstance(recipe, UserCodeRecipe):
        return "user_code"
    return None


def recipe_json(recipe: Recipe) -> dict:
    """The recipe as plain JSON (stored with the request, sent to the sandbox child)."""
    return recipe.model_dump(mode="json")
