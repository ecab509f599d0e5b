"""Run a validated recipe on a table: the code the sandbox child executes.

Pure functions of (recipe, frame); the child calls :func:`execute` after its audit hook is
installed. Registered recipes are vectorised Polars (aggregate) or the workbench and rule
engines; user code is compiled here — in the child only, never in the parent.
"""

from __future__ import annotations

import builtins
from typing import Any

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.manufacturing.library.recipes import (
    AggregateRecipe,
    Clause,
    ModelRecipe,
    Recipe,
    RuleScoreRecipe,
    UserCodeRecipe,
)

_AGG = {
    "count": lambda c: pl.col(c).count(), "sum": lambda c: pl.col(c).sum(),
    "mean": lambda c: pl.col(c).mean(), "median": lambda c: pl.col(c).median(),
    "min": lambda c: pl.col(c).min(), "max": lambda c: pl.col(c).max(),
    "std": lambda c: pl.col(c).std(),
}  # fmt: skip
_NUMERIC_ONLY = ("sum", "mean", "median", "std")


_KINDS = {"number": (int, float), "text": (str,), "true/false": (bool,)}


def filter_expr(frame: pl.DataFrame, clause: Clause, where: str) -> pl.Expr:
    """A filter as an expression; each value must be of the column's kind.

    (The rule engine has the same check, but importing it pulls in scipy through the
    workbench — over a second of start-up for every aggregate.)
    """
    if clause.column not in frame.columns:
        raise InvalidInput(f"unknown column {clause.column!r}", field=f"{where}.column")
    dtype = frame[clause.column].dtype
    kind = "true/false" if dtype == pl.Boolean else "number" if dtype.is_numeric() else "text"
    values = clause.value if isinstance(clause.value, list) else [clause.value]
    if clause.op == "in" and not isinstance(clause.value, list):
        raise InvalidInput("'in' needs a list of values", field=f"{where}.value")
    if clause.op != "in" and isinstance(clause.value, list):
        raise InvalidInput(f"{clause.op!r} needs one value, not a list", field=f"{where}.value")
    for v in values:
        if isinstance(v, bool) != (kind == "true/false") or not isinstance(v, _KINDS[kind]):
            raise InvalidInput(
                f"{clause.column} holds {kind}: {v!r} is not", field=f"{where}.value"
            )
    if kind == "text" and clause.op in ("<", "<=", ">", ">="):
        raise InvalidInput(f"{clause.column} holds text: use ==, != or in", field=f"{where}.op")
    col = pl.col(clause.column)
    if clause.op == "in":
        return col.is_in(values)
    v = values[0]
    return {">": col > v, ">=": col >= v, "<": col < v, "<=": col <= v,
            "==": col == v, "!=": col != v}[clause.op]  # fmt: skip


def aggregate(frame: pl.DataFrame, recipe: AggregateRecipe) -> pl.DataFrame:
    """Filter, group and summarise; ``n`` = rows in each group, groups sorted by key."""
    for i, f in enumerate(recipe.filters):
        frame = frame.filter(filter_expr(frame, f, f"filters[{i}]").fill_null(False))
    exprs = [pl.len().alias("n")]
    for i, m in enumerate(recipe.metrics):
        if m.column not in frame.columns:
            raise InvalidInput(f"unknown column {m.column!r}", field=f"metrics[{i}].column")
        if m.fn in _NUMERIC_ONLY and not frame[m.column].dtype.is_numeric():
            raise InvalidInput(f"{m.column} is not numeric", field=f"metrics[{i}].fn")
        exprs.append(_AGG[m.fn](m.column).alias(f"{m.column}_{m.fn}"))
    for i, c in enumerate(recipe.group_by):
        if c not in frame.columns:
            raise InvalidInput(f"unknown column {c!r}", field=f"group_by[{i}]")
    if not recipe.group_by:
        return frame.select(exprs)
    return frame.group_by(recipe.group_by).agg(exprs).sort(recipe.group_by, nulls_last=True)


def model(frame: pl.DataFrame, recipe: ModelRecipe) -> dict:
    """Workbench train (metrics + coefficients) or evaluate (cross-validated metrics only)."""
    from tiro.manufacturing.quality import workbench

    wb = recipe.workbench_recipe()
    if recipe.kind == "train":
        return workbench.train(frame, wb)
    checked = workbench.check_recipe(wb, frame)
    if checked.kind == "weibull":  # no folds for life data: the fit's own statistics
        return workbench.train(frame, checked)["metrics"]
    return workbench.cross_validate(frame, checked)


def rule_score(frame: pl.DataFrame, recipe: RuleScoreRecipe) -> dict:
    """Support, precision, lift and recall of the rule (:func:`tiro.manufacturing.knowledge.rules.score`)."""
    from tiro.manufacturing.knowledge import rules

    conditions = [c.model_dump() for c in recipe.conditions]
    return rules.score(frame, conditions, recipe.outcome.model_dump())


def user_code(frame: pl.DataFrame, recipe: UserCodeRecipe) -> Any:
    """Compile and call ``analyse(frame)`` with ``pl`` in scope; its return value, unchecked."""
    namespace: dict[str, Any] = {"__builtins__": builtins, "__name__": "analysis", "pl": pl}
    exec(compile(recipe.source, "<analysis>", "exec"), namespace)
    return namespace["analyse"](frame)


def execute(recipe: Recipe, frame: pl.DataFrame) -> Any:
    """Dispatch on the recipe's kind."""
    if isinstance(recipe, AggregateRecipe):
        return aggregate(frame, recipe)
    if isinstance(recipe, ModelRecipe):
        return model(frame, recipe)
    if isinstance(recipe, RuleScoreRecipe):
        return rule_score(frame, recipe)
    return user_code(frame, recipe)
