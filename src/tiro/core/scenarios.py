"""Scenario overlays: parameter diffs against the baseline (STYLE.md §6).

A scenario file replaces a leaf's values from a date on: every baseline value dated on or
after the override's first date is dropped and the override's values take their place, so
"no deal" keeps the history before the deal and diverges from the day it would have.
Extra top-level keys (a domain's own overlay data, e.g. ``tariff_measures``) are left to that
domain.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tiro.core.errors import InvalidInput, NotFound, ParameterFileError
from tiro.core.parameter_files import (
    PARAMS_ROOT,
    DatedValue,
    check_reference,
    parse_values,
    range_problem,
    read_leaf,
)
from tiro.core.yaml_strict import DuplicateKeyError, load_yaml

BASELINE_NAMES = {"", "actual", "baseline"}

#: What a scenario's *name* may look like where only shipped names are allowed (over HTTP):
#: empty (the baseline) or a letter or digit, then letters, digits, ``_`` or ``-`` — no
#: separator, dot or suffix.
SCENARIO_NAME_PATTERN = r"^(?:[A-Za-z0-9][A-Za-z0-9_-]{0,63})?$"
_NAME = re.compile(SCENARIO_NAME_PATTERN)


@dataclass(frozen=True)
class Scenario:
    """A named set of overrides, each a list of DatedValues for one leaf path."""

    name: str
    description: str
    overrides: dict[str, tuple[DatedValue, ...]]
    source_file: str
    extra: dict[str, Any] = field(default_factory=dict)


def scenario_dir(root: Path = PARAMS_ROOT) -> Path:
    """Where named scenarios live."""
    return root / "scenarios"


def available_scenarios(root: Path = PARAMS_ROOT) -> list[str]:
    """Names of the shipped scenarios."""
    return sorted(p.stem for p in scenario_dir(root).glob("*.yaml"))


def resolve_scenario_file(name_or_path: str | Path, root: Path = PARAMS_ROOT) -> Path:
    """A path to an existing file, or the name of a shipped scenario."""
    candidate = Path(name_or_path)
    if candidate.suffix in {".yaml", ".yml"} and candidate.exists():
        return candidate
    named = scenario_dir(root) / f"{name_or_path}.yaml"
    if named.exists():
        return named
    known = ", ".join(available_scenarios(root)) or "none"
    raise NotFound(f"unknown scenario {str(name_or_path)!r} (known: {known})", field="scenario")


def shipped_scenario_name(name: str | None, root: Path = PARAMS_ROOT) -> str | None:
    """A scenario given by a remote caller: a shipped name (or the baseline), never a path.

    The CLI may read a user's own scenario file; a server must not read files a caller
    names (issue 9 item 20), so anything path-like — a ``/`` or ``\\``, ``..``, a ``.yaml``
    suffix, any character outside :data:`SCENARIO_NAME_PATTERN` — is refused as invalid input
    (422) and an unknown name as not found (404), both on the field ``scenario``.
    """
    if name is None or name in BASELINE_NAMES:
        return name
    if not isinstance(name, str) or not _NAME.match(name):
        shown = repr(name) if len(str(name)) <= 80 else repr(str(name)[:80] + "…")
        raise InvalidInput(
            f"{shown} is not a scenario name: give a shipped scenario's name "
            "(letters, digits, '_' or '-'; no path, no .yaml suffix)",
            field="scenario",
        )
    if name not in available_scenarios(root):
        known = ", ".join(available_scenarios(root)) or "none"
        raise NotFound(f"unknown scenario {name!r} (known: {known})", field="scenario")
    return name


#: Bounds of an overlay sent in a request body (a what-if, not a second parameter tree).
MAX_OVERLAY_LEAVES = 50
MAX_OVERLAY_VALUES = 20


def scenario_from_mapping(raw: Any, name: str = "request") -> Scenario:
    """An overlay sent by a remote caller instead of a file: the scenario-file shape
    ``{description, overrides: {path: {YYYY-MM-DD: {value, reference}}}}``, validated like a
    file (references, dates in order, finite numbers) and bounded in size. Every defect is
    InvalidInput on a field under ``scenario``.
    """
    if not isinstance(raw, dict):
        raise InvalidInput("must be an object {description, overrides}", field="scenario")
    unknown = sorted(map(str, set(raw) - {"description", "overrides"}))
    if unknown:
        raise InvalidInput(f"unknown keys: {', '.join(unknown)}", field="scenario")
    overrides = raw.get("overrides")
    if not isinstance(overrides, dict) or not overrides:
        raise InvalidInput("must map parameter paths to dated values", field="scenario.overrides")
    if len(overrides) > MAX_OVERLAY_LEAVES:
        raise InvalidInput(
            f"{len(overrides)} leaves; at most {MAX_OVERLAY_LEAVES}", field="scenario.overrides"
        )
    parsed: dict[str, tuple[DatedValue, ...]] = {}
    for path, values in overrides.items():
        where = f"scenario.overrides.{path}"
        if not isinstance(values, dict) or len(values) > MAX_OVERLAY_VALUES:
            raise InvalidInput(
                f"must map at most {MAX_OVERLAY_VALUES} dates to {{value, reference}}",
                field=where,
            )
        dated = {_day(key, where): entry for key, entry in values.items()}
        rows, problems = parse_values(dated, None, has_breakdown=_has_mapping(dated))
        if problems:
            raise InvalidInput(problems[0], field=where)
        parsed[str(path)] = tuple(rows)
    return Scenario(name, str(raw.get("description") or ""), parsed, "", {})


def _day(key: Any, field: str) -> dt.date:
    if isinstance(key, dt.date) and not isinstance(key, dt.datetime):
        return key
    try:
        return dt.date.fromisoformat(str(key))
    except ValueError:
        raise InvalidInput(f"{str(key)[:40]!r} is not a date (YYYY-MM-DD)", field=field) from None


def _read(file: Path) -> tuple[dict, list[str]]:
    try:
        raw = load_yaml(file)
    except DuplicateKeyError as exc:
        return {}, [str(exc)]
    except Exception as exc:
        return {}, [f"not valid YAML: {exc}"]
    if not isinstance(raw, dict):
        return {}, ["a scenario file must be a mapping"]
    problems = [] if raw.get("description") else ["missing description"]
    overrides = raw.get("overrides") or {}
    if not isinstance(overrides, dict):
        problems.append("overrides must map parameter paths to dated values")
    return raw, problems


def load_scenario(name_or_path: str | Path, root: Path = PARAMS_ROOT) -> Scenario:
    """Read and validate one scenario file; a bad file raises ParameterFileError."""
    file = resolve_scenario_file(name_or_path, root)
    raw, problems = _read(file)
    overrides: dict[str, tuple[DatedValue, ...]] = {}
    for path, values in _overrides(raw).items():
        parsed, value_problems = parse_values(values, None, has_breakdown=_has_mapping(values))
        problems.extend(f"{path}: {p}" for p in value_problems)
        overrides[str(path)] = tuple(parsed)
    if problems:
        raise ParameterFileError(f"{file}: {'; '.join(problems)}", field="scenario")
    extra = {k: v for k, v in raw.items() if k not in {"description", "overrides"}}
    return Scenario(file.stem, str(raw.get("description", "")), overrides, str(file), extra)


def _overrides(raw: dict) -> dict:
    """The overrides mapping, or nothing when it is malformed (``_read`` reported that)."""
    overrides = raw.get("overrides") or {}
    return overrides if isinstance(overrides, dict) else {}


def _has_mapping(values: Any) -> bool:
    if not isinstance(values, dict):
        return False
    return any(isinstance(e, dict) and isinstance(e.get("value"), dict) for e in values.values())


def lint_scenarios(root: Path = PARAMS_ROOT) -> list[str]:
    """Problems in the shipped scenario files (unknown paths are checked by the tree)."""
    findings: list[str] = []
    for file in sorted(scenario_dir(root).glob("*.yaml")):
        raw, problems = _read(file)
        for path, values in _overrides(raw).items():
            parsed, value_problems = parse_values(values, None, has_breakdown=_has_mapping(values))
            problems.extend(f"{path}: {p}" for p in value_problems)
            leaf_file = (root / Path(*str(path).split("."))).with_suffix(".yaml")
            if not leaf_file.exists():
                problems.append(f"{path}: overrides a parameter that does not exist")
                continue
            leaf, _ = read_leaf(leaf_file, root)
            for dated in parsed:
                outside = range_problem(dated.value, leaf.range if leaf else None)
                if outside:
                    problems.append(f"{path}: value of {dated.effective_from}: {outside}")
        findings.extend(f"{file}: {p}" for p in problems)
    return findings


__all__ = [
    "BASELINE_NAMES",
    "SCENARIO_NAME_PATTERN",
    "Scenario",
    "available_scenarios",
    "check_reference",
    "load_scenario",
    "scenario_from_mapping",
    "shipped_scenario_name",
]
