"""Release checks: may a sandbox answer leave the library? (output statistical disclosure control)

Run by the service on every answer of a real-data run before anything is stored or shown;
each reason names the rule it breaks, and any reason withholds the whole answer:

- ``model_type`` — the recipe fits a model kind (or is user code) the policy does not allow;
- ``output`` — the answer is not a table or a mapping, a table has a nested column (list,
  struct: whole rows fit in one cell, out of reach of the row checks — found by the leakage
  tests), or a user-code mapping holds more than flat scalars;
- ``output_size`` — the answer's bytes exceed the cap (the sandbox enforces it too);
- ``max_rows`` — a table has more rows than the policy allows;
- ``min_group_size`` — a table must carry ``n`` (source rows per row of the answer) and every
  ``n`` must be at least k; a mapping is a statistic over the whole asset, so the asset must
  have at least k rows; a rule score must match 0 or at least k rows; a trained model's
  categorical levels must each hold at least k rows (a coefficient of a level describes
  exactly its rows);
- ``raw_row_copy`` — a row of the answer (a mapping counts as one row) equals a source row
  on every column they share, and that combination of values occurs in fewer than k source
  rows. (Equality alone cannot be the test: a group-by answer shares its key columns with
  the source, and every key equals some source row's key. What makes a row a disclosure is
  that its values single out fewer than k records — the same k-anonymity threshold as the
  group rule. ``frame.head()`` is caught: each solder row is unique on its six columns.)
  For user code the same is checked without names (:mod:`.copies`): renamed columns, a row
  joined into one string, a row spread over a mapping's values;
- ``query_set`` — an aggregate's filters must leave out no source row or at least k of them
  (Denning's query-set-size restriction): "every batch but the one whose yield is 43.06"
  passes k by itself, and its difference from the unfiltered total is that one batch's row
  (found by the leakage tests). Two filters whose left-out sets differ by fewer than k rows
  (a tracker) still get through: closing that needs an audit of every query released
  under the contract, or noise.

Small groups withhold the whole result, not just their rows: a suppressed cell can be
recovered by differencing against the total or a coarser query, and the analyst learns
which groups are small either way. Not covered (owner approval of the code is the control,
as in PySyft): differencing across several released queries beyond the query-set rule
(trackers; user code that differences inside one run), and values transformed or encoded
into other numbers before they are returned.

Contract kept; additions: the keywords ``recipe`` (needed for ``model_type`` and the
recipe-specific group checks) and ``max_output_bytes``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from tiro.manufacturing.library.copies import copied_records
from tiro.manufacturing.library.recipes import ModelRecipe, Recipe, RuleScoreRecipe, model_type
from tiro.manufacturing.library.sandbox.execute import filter_expr
from tiro.manufacturing.library.terms import PolicyTerms

MAX_TEXT = 100
MAX_KEYS = 1000


@dataclass(frozen=True)
class ReleaseVerdict:
    """Released, or withheld with every reason found (each starts with its rule's name)."""

    released: bool
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"released": self.released, "reasons": list(self.reasons)}


def _size(output: Any) -> int:
    if isinstance(output, pl.DataFrame):
        return int(output.estimated_size())
    return len(json.dumps(output, default=str).encode())


def _flat(output: dict) -> bool:
    if len(output) > MAX_KEYS:
        return False
    for key, value in output.items():
        if not isinstance(key, str) or len(key) > MAX_TEXT:
            return False
        if isinstance(value, str) and len(value) > MAX_TEXT:
            return False
        if value is not None and not isinstance(value, bool | int | float | str):
            return False
    return True


def _copies(rows: pl.DataFrame, source: pl.DataFrame, k: int) -> int:
    """How many answer rows equal a source row on the shared columns, where that combination
    of values occurs in fewer than k source rows."""
    shared = [c for c in rows.columns if c in source.columns]
    if not shared or rows.is_empty():
        return 0
    counts = source.group_by(shared).agg(pl.len().alias("__count__"))
    probe = rows.select(
        pl.col(c).cast(source.schema[c], strict=False) if rows.schema[c] != source.schema[c]
        else pl.col(c)
        for c in shared
    )  # fmt: skip
    joined = probe.join(counts, on=shared, how="inner", nulls_equal=True)
    return int((joined["__count__"] < k).sum())


def _flat_dtype(dtype: pl.DataType) -> bool:
    text = dtype in (pl.Utf8, pl.Categorical) or isinstance(dtype, pl.Categorical | pl.Enum)
    return dtype.is_numeric() or dtype.is_temporal() or text or dtype in (pl.Boolean, pl.Null)


def _table(output: pl.DataFrame, source: pl.DataFrame, policy: PolicyTerms) -> list[str]:
    reasons = []
    k = policy.min_group_size
    nested = [c for c, t in output.schema.items() if not _flat_dtype(t)]
    if nested:
        reasons.append(
            f"output: a table may hold only flat columns (numbers, text, true/false, dates); "
            f"{', '.join(nested[:5])} {'is' if len(nested) == 1 else 'are'} nested"
        )
    if output.height > policy.max_rows:
        reasons.append(
            f"max_rows: the table has {output.height} rows; the policy allows {policy.max_rows}"
        )
    if "n" not in output.columns or not output["n"].dtype.is_integer():
        reasons.append(
            "min_group_size: the table has no whole-number n column (source rows per row), "
            "so its groups cannot be checked"
        )
    else:
        small = int((output["n"].fill_null(0) < k).sum())
        if small:
            reasons.append(
                f"min_group_size: {small} of {output.height} rows stand for fewer than "
                f"k={k} source rows; the whole result is withheld"
            )
    copies = _copies(output, source, k)
    if copies:
        reasons.append(
            f"raw_row_copy: {copies} rows equal a source row on the shared columns "
            f"({', '.join(c for c in output.columns if c in source.columns)}) and single out "
            f"fewer than k={k} records"
        )
    return reasons


def _levels(recipe: ModelRecipe, source: pl.DataFrame, k: int) -> list[str]:
    wb = recipe.workbench_recipe()
    features = (
        [c for c in source.columns if c != wb.target] if wb.features == ("*",) else wb.features
    )
    out = []
    for name in features:
        if name not in source.columns:
            continue
        if name in wb.categorical or source[name].dtype == pl.Utf8:
            counts = source[name].value_counts()
            small = int((counts["count"] < k).sum())
            if small:
                out.append(
                    f"min_group_size: {small} levels of the categorical feature {name!r} "
                    f"have fewer than k={k} rows"
                )
    return out


def _mapping(
    output: dict, source: pl.DataFrame, policy: PolicyTerms, recipe: Recipe | None
) -> list[str]:
    k = policy.min_group_size
    reasons = []
    trusted = isinstance(recipe, ModelRecipe | RuleScoreRecipe) or (
        recipe is not None and recipe.kind == "aggregate"
    )
    if not trusted and not _flat(output):
        reasons.append(
            "output: a user-code mapping must hold only scalars (numbers, true/false, null, "
            f"text up to {MAX_TEXT} characters) under at most {MAX_KEYS} text keys"
        )
    if source.height < k:
        reasons.append(
            f"min_group_size: a whole-asset result needs at least k={k} source rows; "
            f"the asset has {source.height}"
        )
    if isinstance(recipe, RuleScoreRecipe):
        matched = output.get("matched")
        if isinstance(matched, int) and 0 < matched < k:
            reasons.append(f"min_group_size: the rule matches fewer than k={k} rows")
    if isinstance(recipe, ModelRecipe) and recipe.kind == "train":
        reasons += _levels(recipe, source, k)
    if not trusted and _flat(output):
        row = {key: v for key, v in output.items() if key in source.columns}
        if row:
            try:
                frame = pl.DataFrame([row])
            except (pl.exceptions.PolarsError, TypeError, ValueError):
                frame = pl.DataFrame()
            if _copies(frame, source, k):
                reasons.append(
                    "raw_row_copy: the mapping equals a source row on the shared columns "
                    f"and singles out fewer than k={k} records"
                )
    return reasons


def _query_set(recipe: Recipe, source: pl.DataFrame, k: int) -> list[str]:
    kept = pl.lit(True)
    for i, f in enumerate(recipe.filters):
        kept = kept & filter_expr(source, f, f"filters[{i}]").fill_null(False)
    left_out = int(source.select((~kept).sum()).item())
    if 0 < left_out < k:
        return [
            f"query_set: the filters leave out {left_out} source rows, fewer than k={k}; "
            "the answer differenced against the unfiltered one would describe them"
        ]
    return []


def check_release(
    output: Any,
    source: pl.DataFrame,
    policy: PolicyTerms,
    *,
    recipe: Recipe | None = None,
    max_output_bytes: int | None = None,
) -> ReleaseVerdict:
    """Check an answer against the policy (see the module doc for every rule).

    ``recipe``: the recipe that produced it (for ``model_type`` and the recipe-specific
    group checks; without it a mapping is judged as user code). ``max_output_bytes``: the
    size cap, when the caller wants it checked here as well as in the sandbox.
    """
    reasons: list[str] = []
    if recipe is not None:
        kind = model_type(recipe)
        if kind is not None and kind not in policy.allowed_model_types:
            allowed = ", ".join(policy.allowed_model_types) or "none"
            reasons.append(
                f"model_type: {kind!r} is not allowed by the policy (allowed: {allowed})"
            )
    if isinstance(output, pl.DataFrame):
        reasons += _table(output, source, policy)
    elif isinstance(output, dict):
        reasons += _mapping(output, source, policy, recipe)
    else:
        reasons.append(
            f"output: a result must be a table or a mapping, not {type(output).__name__}"
        )
        return ReleaseVerdict(False, reasons)
    if recipe is not None and recipe.kind == "aggregate" and recipe.filters:
        reasons += _query_set(recipe, source, policy.min_group_size)
    untrusted = recipe is None or recipe.kind == "user_code"
    if untrusted and not any(r.startswith("raw_row_copy") for r in reasons):
        copied = copied_records(output, source, policy.min_group_size)
        if copied:
            reasons.append(
                f"raw_row_copy: {copied} records match a source row under other names or "
                f"joined into text, and single out fewer than k={policy.min_group_size} records"
            )
    if max_output_bytes is not None and _size(output) > max_output_bytes:
        reasons.append(f"output_size: the result exceeds {max_output_bytes} bytes")
    return ReleaseVerdict(not reasons, reasons)
