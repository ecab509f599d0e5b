"""Reading and checking parameter YAML files (the OpenFisca-style leaf format).

The loader and ``tiro params lint`` share these checks so a tree that loads is a tree that
lints clean: a reference for every dated value, a known unit, no duplicate keys, dates in
ascending order, breakdown keys inside their declared set, finite numbers, and every value
inside the leaf's declared ``range`` (``range: {min: 0, max: 1}`` for a share) when it has one.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from tiro.core.yaml_strict import DuplicateKeyError, load_yaml

PARAMS_ROOT = Path(__file__).resolve().parent.parent / "params"
LEAF_KEYS = {
    "description",
    "unit",
    "values",
    "label",
    "breakdown",
    "derived",
    "documentation",
    "range",
}
RANGE_KEYS = {"min", "max"}
VALUE_KEYS = {"value", "reference", "note", "derived"}


@dataclass(frozen=True)
class DatedValue:
    """One value and the date it takes effect; ``value`` None means repealed."""

    effective_from: dt.date
    value: Any
    reference: dict[str, str]
    derived: bool = False


@dataclass(frozen=True)
class Parameter:
    """A leaf of the parameter tree."""

    path: str
    description: str
    unit: str
    values: tuple[DatedValue, ...]
    label: dict[str, str] = field(default_factory=dict)
    breakdown_key: str | None = None
    breakdown_keys: tuple[str, ...] = ()
    derived: bool = False
    source_file: str = ""
    #: Inclusive bounds every value must respect (``None`` on a side: unbounded there).
    range: tuple[float | None, float | None] | None = None


@lru_cache
def known_units(root: Path = PARAMS_ROOT) -> frozenset[str]:
    """Units declared in ``_units.yaml`` (the tree's own unit registry)."""
    units_file = root / "_units.yaml"
    if not units_file.exists():
        units_file = PARAMS_ROOT / "_units.yaml"
    return frozenset(str(u) for u in load_yaml(units_file)["units"])


def leaf_files(root: Path) -> list[Path]:
    """Parameter leaves: every YAML under root except scenarios/ and files starting with _."""
    files = []
    for path in sorted(root.rglob("*.yaml")):
        rel = path.relative_to(root)
        if rel.parts[0] == "scenarios" or any(p.startswith("_") for p in rel.parts):
            continue
        files.append(path)
    return files


def path_of(file: Path, root: Path) -> str:
    """The dotted name of a leaf is its path under the root."""
    return ".".join(file.relative_to(root).with_suffix("").parts)


def check_reference(ref: Any) -> str | None:
    """A reference needs a title and either an href or a report section."""
    if not isinstance(ref, dict):
        return "has no reference (needs {title, href} or {title, section})"
    if not ref.get("title"):
        return "reference lacks a title"
    if not (ref.get("href") or ref.get("section")):
        return "reference needs an href or a report section"
    return None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def parse_range(raw: Any) -> tuple[tuple[float | None, float | None] | None, list[str]]:
    """A leaf's ``range: {min, max}`` (either side optional), checked: finite, min <= max."""
    if raw is None:
        return None, []
    if not isinstance(raw, dict) or not raw or set(raw) - RANGE_KEYS:
        return None, ["range must be a mapping with 'min' and/or 'max'"]
    bounds: list[float | None] = []
    problems: list[str] = []
    for side in ("min", "max"):
        bound = raw.get(side)
        if bound is not None and (not _is_number(bound) or not math.isfinite(bound)):
            problems.append(f"range {side} {bound!r} is not a finite number")
            bound = None
        bounds.append(bound)
    low, high = bounds
    if low is not None and high is not None and low > high:
        problems.append(f"range min {low} is above max {high}")
    return (None if problems else (low, high)), problems


def range_problem(value: Any, bounds: tuple[float | None, float | None] | None) -> str | None:
    """Why ``value`` (a number, a breakdown mapping, or None = repealed) breaks ``bounds``."""
    if value is None or bounds is None:
        return None
    low, high = bounds
    items = value.items() if isinstance(value, dict) else [(None, value)]
    for key, number in items:
        where = "" if key is None else f"{key}: "
        if number is None:
            continue
        if not _is_number(number):
            return f"{where}{number!r} is not a number, but the leaf declares a range"
        if (low is not None and number < low) or (high is not None and number > high):
            shown = f"[{'-inf' if low is None else low}, {'inf' if high is None else high}]"
            return f"{where}{number} is outside the leaf's range {shown}"
    return None


def _non_finite(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_non_finite(v) for v in value.values())
    return isinstance(value, float) and not math.isfinite(value)


def _check_value(value: Any, keys: tuple[str, ...] | None, has_breakdown: bool) -> str | None:
    """``keys`` None: the declared set is not known here (a scenario file); the tree checks it."""
    if value is None:
        return None
    if _non_finite(value):
        return "value is not a finite number (NaN or infinity)"
    if has_breakdown:
        if not isinstance(value, dict):
            return "a breakdown value must be a mapping of key -> value"
        if keys is None:
            return None
        outside = sorted(str(k) for k in value if str(k) not in keys)
        if outside:
            return f"breakdown keys outside the declared set: {', '.join(outside)}"
        return None
    if isinstance(value, dict):
        return "value is a mapping but the leaf declares no breakdown"
    return None


def parse_values(
    raw: Any, keys: tuple[str, ...] | None, has_breakdown: bool
) -> tuple[list, list[str]]:
    """Turn the ``values`` mapping into DatedValues, collecting every problem found."""
    problems: list[str] = []
    if not isinstance(raw, dict) or not raw:
        return [], ["values must be a non-empty mapping of date -> {value, reference}"]
    out: list[DatedValue] = []
    previous: dt.date | None = None
    for key, entry in raw.items():
        if isinstance(key, dt.datetime) or not isinstance(key, dt.date):
            problems.append(f"value key {key!r} is not a date (YYYY-MM-DD)")
            continue
        if previous is not None and key <= previous:
            problems.append(f"dates out of order or overlapping: {key} after {previous}")
        previous = key
        where = f"value of {key}"
        if not isinstance(entry, dict) or "value" not in entry:
            problems.append(f"{where} must be a mapping with 'value' and 'reference'")
            continue
        extra = set(entry) - VALUE_KEYS
        if extra:
            problems.append(f"{where} has unknown keys: {', '.join(sorted(extra))}")
        ref_problem = check_reference(entry.get("reference"))
        if ref_problem:
            problems.append(f"{where} {ref_problem}")
        value_problem = _check_value(entry["value"], keys, has_breakdown)
        if value_problem:
            problems.append(f"{where}: {value_problem}")
        value = entry["value"]
        if has_breakdown and isinstance(value, dict):
            value = {str(k): v for k, v in value.items()}
        ref = {str(k): str(v) for k, v in (entry.get("reference") or {}).items()}
        out.append(DatedValue(key, value, ref, bool(entry.get("derived", False))))
    return out, problems


def read_leaf(file: Path, root: Path) -> tuple[Parameter | None, list[str]]:
    """Read one leaf file; returns the parameter (when readable) and its problems."""
    try:
        raw = load_yaml(file)
    except DuplicateKeyError as exc:
        return None, [str(exc)]
    except Exception as exc:
        return None, [f"not valid YAML: {exc}"]
    if not isinstance(raw, dict):
        return None, ["a parameter file must be a mapping"]
    problems = [f"unknown key {k!r}" for k in sorted(set(raw) - LEAF_KEYS, key=str)]
    if not raw.get("description"):
        problems.append("missing description")
    unit = raw.get("unit")
    if unit is None:
        problems.append("missing unit")
    elif str(unit) not in known_units(root):
        problems.append(f"unknown unit {unit!r} (declare it in params/_units.yaml)")
    breakdown = raw.get("breakdown")
    keys: tuple[str, ...] = ()
    key_name = None
    if breakdown is not None:
        if not isinstance(breakdown, dict) or not breakdown.get("keys"):
            problems.append("breakdown needs 'key' and a non-empty 'keys' list")
        else:
            key_name = str(breakdown.get("key", "key"))
            keys = tuple(str(k) for k in breakdown["keys"])
            if len(set(keys)) != len(keys):
                problems.append("breakdown keys are declared twice")
    values, value_problems = parse_values(raw.get("values"), keys, breakdown is not None)
    problems.extend(value_problems)
    bounds, range_problems = parse_range(raw.get("range"))
    problems.extend(range_problems)
    for dated in values:
        outside = range_problem(dated.value, bounds)
        if outside:
            problems.append(f"value of {dated.effective_from}: {outside}")
    param = Parameter(
        path=path_of(file, root),
        description=str(raw.get("description", "")),
        unit=str(unit),
        values=tuple(values),
        label={str(k): str(v) for k, v in (raw.get("label") or {}).items()},
        breakdown_key=key_name,
        breakdown_keys=keys,
        derived=bool(raw.get("derived", False)),
        source_file=str(file),
        range=bounds,
    )
    return param, problems


def lint_tree(root: Path = PARAMS_ROOT) -> list[str]:
    """Every problem in the tree, as ``file: problem`` lines (empty when clean)."""
    from tiro.core.scenarios import lint_scenarios

    findings: list[str] = []
    for file in leaf_files(root):
        _, problems = read_leaf(file, root)
        findings.extend(f"{file}: {p}" for p in problems)
    findings.extend(lint_scenarios(root))
    return findings
