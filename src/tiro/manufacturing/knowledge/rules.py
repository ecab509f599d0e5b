"""Tacit knowledge (암묵지) as testable rules: "if these process conditions, then this outcome".

An expert's rule of thumb ("small solder opening and thin solder → many skips") is written as
conditions over a dataset's columns and an outcome, and scored against the data:

- support = share of rows where the conditions hold (how often the rule applies);
- precision (confidence) = share of those rows where the outcome holds (how often it is right);
- lift = precision / base rate of the outcome (how much better than not knowing the rule);
- recall = share of the outcome's rows the rule catches.

A pure function of (table, rule), so the data library can run it inside its sandbox.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.core.validation import finite
from tiro.manufacturing.quality.workbench import OPS, compare

RULE_OPS = (*OPS, "in")


def _clause(frame: pl.DataFrame, clause: Any, where: str) -> pl.Expr:
    if not isinstance(clause, dict) or set(clause) - {"column", "op", "value"}:
        raise InvalidInput("a clause is {column, op, value}", field=where)
    column, op, value = clause.get("column"), clause.get("op"), clause.get("value")
    if column not in frame.columns:
        raise InvalidInput(
            f"unknown column {column!r}; the dataset has: {', '.join(frame.columns)}",
            field=f"{where}.column",
        )
    if op not in RULE_OPS:
        raise InvalidInput(f"op must be one of {', '.join(RULE_OPS)}", field=f"{where}.op")
    numeric = frame[column].dtype.is_numeric()
    values = value if op == "in" else [value]
    if op == "in" and (not isinstance(value, list) or not value or len(value) > 100):
        raise InvalidInput("'in' needs a list of 1-100 values", field=f"{where}.value")
    for v in values:
        if numeric and (isinstance(v, bool) or not isinstance(v, int | float)):
            raise InvalidInput(
                f"{column} is numeric: {v!r} is not a number", field=f"{where}.value"
            )
        if numeric:
            finite(v, f"{where}.value")
        if not numeric and not isinstance(v, str):
            raise InvalidInput(f"{column} holds text: {v!r} is not text", field=f"{where}.value")
        if not numeric and op in ("<", "<=", ">", ">="):
            raise InvalidInput(f"{column} holds text: use ==, != or in", field=f"{where}.op")
    if op == "in":
        return pl.col(column).is_in(values)
    return compare(pl.col(column), op, value)


def check_rule(frame: pl.DataFrame, conditions: Any, outcome: Any) -> tuple[pl.Expr, pl.Expr]:
    """The rule's condition and outcome as expressions; a bad clause names its place."""
    if not isinstance(conditions, list) or not 1 <= len(conditions) <= 20:
        raise InvalidInput("conditions must be a list of 1-20 clauses", field="conditions")
    exprs = [_clause(frame, c, f"conditions[{i}]") for i, c in enumerate(conditions)]
    cond = exprs[0]
    for e in exprs[1:]:
        cond = cond & e
    return cond, _clause(frame, outcome, "outcome")


def score(frame: pl.DataFrame, conditions: Any, outcome: Any) -> dict:
    """Support, precision, lift and recall of the rule on the table (see the module doc)."""
    cond, out = check_rule(frame, conditions, outcome)
    flags = frame.select(c=cond.fill_null(False), o=out.fill_null(False))
    n = flags.height
    matched = int(flags["c"].sum())
    hits = int((flags["c"] & flags["o"]).sum())
    positives = int(flags["o"].sum())
    base = positives / n if n else None
    precision = hits / matched if matched else None
    return {
        "rows": n,
        "matched": matched,
        "hits": hits,
        "outcome_rows": positives,
        "support": matched / n if n else None,
        "precision": precision,
        "base_rate": base,
        "lift": precision / base if precision is not None and base else None,
        "recall": hits / positives if positives else None,
    }
