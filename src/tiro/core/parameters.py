"""Policy as code: the dated, sourced parameter tree (OpenFisca-style).

Engines never hold a policy number; they ask the tree for the value in force on a date,
and can say which values (path, value, effective date, reference) produced a result.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import polars as pl

from tiro.core.errors import (
    InvalidInput,
    ParameterDateError,
    ParameterFileError,
    ParameterNotFound,
)
from tiro.core.parameter_files import (
    PARAMS_ROOT,
    DatedValue,
    Parameter,
    leaf_files,
    range_problem,
    read_leaf,
)
from tiro.core.scenarios import BASELINE_NAMES, Scenario, load_scenario, scenario_from_mapping


@dataclass(frozen=True)
class Explanation:
    """Which parameter value was used: the unit of the ``explain`` output."""

    path: str
    value: Any
    unit: str
    effective_from: dt.date
    reference: dict[str, str]
    derived: bool = False
    scenario: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "path": self.path,
            "value": self.value,
            "unit": self.unit,
            "effective_from": self.effective_from.isoformat(),
            "reference": dict(self.reference),
            "derived": self.derived,
            "scenario": self.scenario,
        }


def _as_date(on: dt.date | str) -> dt.date:
    if isinstance(on, dt.datetime):
        return on.date()
    if isinstance(on, dt.date):
        return on
    try:
        return dt.date.fromisoformat(str(on))
    except ValueError:
        raise InvalidInput(f"{on!r} is not a date (YYYY-MM-DD)", field="date") from None


class ParameterTree:
    """The loaded tree, optionally with a scenario overlay and a trace of values used."""

    def __init__(
        self,
        leaves: dict[str, Parameter],
        scenario: str | None = None,
        root: Path = PARAMS_ROOT,
    ) -> None:
        self._leaves = leaves
        self.scenario = scenario
        self.root = root
        self._trace: list[Explanation] | None = None

    # ----- structure -------------------------------------------------------------------
    def paths(self, prefix: str = "") -> list[str]:
        """Sorted leaf paths under a dotted prefix."""
        return sorted(p for p in self._leaves if p.startswith(prefix))

    def leaf(self, path: str) -> Parameter:
        """The leaf at ``path``; an unknown path names the nearest known prefix."""
        try:
            return self._leaves[path]
        except KeyError:
            near = [p for p in self._leaves if p.startswith(path.rsplit(".", 1)[0])]
            hint = f" (did you mean {near[0]}?)" if near else ""
            raise ParameterNotFound(f"no parameter {path!r}{hint}", field="path") from None

    def series(self, path: str) -> list[DatedValue]:
        """Every dated value of a leaf, oldest first."""
        return list(self.leaf(path).values)

    # ----- point lookups ---------------------------------------------------------------
    def value_in_force(self, path: str, on: dt.date | str) -> DatedValue:
        """The DatedValue in force on a date; before the first value is an error."""
        day = _as_date(on)
        leaf = self.leaf(path)
        current = None
        for dated in leaf.values:
            if dated.effective_from <= day:
                current = dated
            else:
                break
        if current is None:
            first = leaf.values[0].effective_from if leaf.values else None
            raise ParameterDateError(
                f"{path} has no value on {day}: its first value takes effect on {first}",
                field="date",
            )
        return current

    def explain(self, path: str, on: dt.date | str) -> Explanation:
        """The value in force with its provenance."""
        dated = self.value_in_force(path, on)
        leaf = self.leaf(path)
        explanation = Explanation(
            path,
            dated.value,
            leaf.unit,
            dated.effective_from,
            dated.reference,
            dated.derived or leaf.derived,
            self.scenario,
        )
        if self._trace is not None and explanation not in self._trace:
            self._trace.append(explanation)
        return explanation

    def at(self, path: str, on: dt.date | str) -> Any:
        """Value on a date: a number, a mapping for a breakdown, or None when repealed."""
        return self.explain(path, on).value

    # ----- vectorised lookup -----------------------------------------------------------
    def lookup(self, path: str, dates: pl.Series, keys: pl.Series | None = None) -> pl.Series:
        """Value in force at each date (and for each key of a breakdown), as one column.

        An as-of join, not a Python loop: one call prices a million rows.
        """
        leaf = self.leaf(path)
        days = dates.cast(pl.Date)
        first = leaf.values[0].effective_from
        too_early = days.drop_nulls() < first
        if too_early.any():
            earliest = days.drop_nulls().min()
            raise ParameterDateError(
                f"{path} has no value on {earliest}: its first value takes effect on {first}",
                field="date",
            )
        table = self._value_table(leaf, keys is not None)
        left = pl.DataFrame({"_row": pl.int_range(len(days), eager=True), "_date": days})
        by = None
        if keys is not None:
            left = left.with_columns(_key=keys.cast(pl.Utf8))
            unknown = set(left["_key"].drop_nulls().unique()) - set(leaf.breakdown_keys)
            if unknown:
                raise InvalidInput(
                    f"{path} has no {leaf.breakdown_key} {sorted(unknown)[0]!r}",
                    field=leaf.breakdown_key or "key",
                )
            by = "_key"
        joined = left.sort("_date").join_asof(
            table.sort("_date"),
            on="_date",
            by=by,
            strategy="backward",
            check_sortedness=False,
        )
        return joined.sort("_row")["_value"].alias(path.rsplit(".", 1)[-1])

    def _value_table(self, leaf: Parameter, by_key: bool) -> pl.DataFrame:
        if by_key:
            if not leaf.breakdown_keys:
                raise InvalidInput(f"{leaf.path} has no breakdown to look up by", field="keys")
            rows = [
                (v.effective_from, k, None if v.value is None else v.value.get(k))
                for v in leaf.values
                for k in leaf.breakdown_keys
            ]
            return pl.DataFrame(
                rows, schema={"_date": pl.Date, "_key": pl.Utf8, "_value": pl.Float64}, orient="row"
            )
        rows = [(v.effective_from, v.value) for v in leaf.values]
        return pl.DataFrame(rows, schema={"_date": pl.Date, "_value": pl.Float64}, orient="row")

    # ----- scenarios and tracing -------------------------------------------------------
    def with_scenario(self, name_or_path: str | Path | None) -> ParameterTree:
        """A new tree with the overlay applied (the baseline names return this tree)."""
        if name_or_path is None or str(name_or_path) in BASELINE_NAMES:
            return self
        return self._overlaid(load_scenario(name_or_path, self.root))

    def with_overlay(self, overlay: Any, name: str = "request") -> ParameterTree:
        """A new tree with an overlay given as data (a request body), validated and bounded
        like a scenario file — how an HTTP caller states a what-if without naming a file."""
        if overlay is None:
            return self
        return self._overlaid(scenario_from_mapping(overlay, name))

    def _overlaid(self, scenario: Scenario) -> ParameterTree:
        leaves = dict(self._leaves)
        for path, overrides in scenario.overrides.items():
            base = self.leaf(path)
            _check_override_shape(scenario.name, base, overrides)
            _check_override_range(scenario.name, base, overrides)
            start = overrides[0].effective_from
            kept = tuple(v for v in base.values if v.effective_from < start)
            leaves[path] = replace(base, values=kept + tuple(overrides))
        return ParameterTree(leaves, scenario.name, self.root)

    def traced(self) -> ParameterTree:
        """A view that records every value looked up with ``explain``/``at`` in ``.used``."""
        view = ParameterTree(self._leaves, self.scenario, self.root)
        view._trace = []
        return view

    @property
    def used(self) -> list[Explanation]:
        """Values looked up through a traced view, in first-use order."""
        return list(self._trace or [])


def _check_override_shape(name: str, leaf: Parameter, overrides: tuple[DatedValue, ...]) -> None:
    """An override must fit the leaf: mappings only for a breakdown, keys from its set."""
    for dated in overrides:
        value = dated.value
        if value is None:
            continue
        if leaf.breakdown_keys and not isinstance(value, dict):
            raise InvalidInput(
                f"scenario {name}: {leaf.path} is broken down by {leaf.breakdown_key}; "
                f"the override of {dated.effective_from} must be a mapping",
                field="scenario",
            )
        if isinstance(value, dict):
            outside = sorted(set(map(str, value)) - set(leaf.breakdown_keys))
            if outside:
                raise InvalidInput(
                    f"scenario {name}: {leaf.path} has no {leaf.breakdown_key or 'breakdown'} "
                    f"{', '.join(outside)}",
                    field="scenario",
                )


def _check_override_range(name: str, leaf: Parameter, overrides: tuple[DatedValue, ...]) -> None:
    """An override must stay inside the range its leaf declares (a share above 1 is a typo,
    and downstream it would break ledger CHECK constraints instead of being refused here)."""
    for dated in overrides:
        outside = range_problem(dated.value, leaf.range)
        if outside:
            raise InvalidInput(
                f"scenario {name}: {leaf.path} value of {dated.effective_from}: {outside}",
                field="scenario",
            )


def leaf_row(leaf: Parameter) -> dict[str, Any]:
    """A leaf's listing entry (CLI ``params list``, ``GET /api/v1/params``)."""
    bounds = None if leaf.range is None else {"min": leaf.range[0], "max": leaf.range[1]}
    return {"path": leaf.path, "unit": leaf.unit, "description": leaf.description, "range": bounds}


def load_tree(root: Path = PARAMS_ROOT) -> ParameterTree:
    """Load and validate every leaf; a broken file stops the load with its problems."""
    leaves: dict[str, Parameter] = {}
    problems: list[str] = []
    for file in leaf_files(root):
        param, file_problems = read_leaf(file, root)
        problems.extend(f"{file}: {p}" for p in file_problems)
        if param is not None:
            leaves[param.path] = param
    if problems:
        raise ParameterFileError("; ".join(problems))
    return ParameterTree(leaves, None, root)


@lru_cache(maxsize=16)
def _cached(root: str, scenario: str | None) -> ParameterTree:
    return load_tree(Path(root)).with_scenario(scenario)


def get_params(scenario: str | Path | None = None, root: Path | None = None) -> ParameterTree:
    """The process-wide tree (cached per root and scenario); root defaults to settings."""
    from tiro.core.settings import get_settings

    root = root or get_settings().params_root or PARAMS_ROOT
    return _cached(str(Path(root).resolve()), None if scenario is None else str(scenario))
