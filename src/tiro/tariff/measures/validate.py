"""Validator for the measure database: a bad record set is refused before it prices anything.

It rejects (1) two records of one heading in force at once for an overlapping HTS and origin
scope (a change must be a new dated record, never a second live one), (2) dangling references
(a programme no one declared, an empty scope), (3) cycles in the precedence graph on any
date, because interactions are judged in one pass and a cycle would have no answer, and (4) a
shipped record or interaction rule whose ``citation`` is not its legal basis: the proclamation,
executive order, Federal Register notice, CSMS message or HTS note, by kind and on that
publisher's host (``tiro.tariff.measures.citations``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from itertools import combinations

from tiro.core.errors import ParameterFileError
from tiro.tariff.measures.citations import needs_primary, primary_citation_problems
from tiro.tariff.measures.data import Interaction, Measure, MeasureSet

_ORIGIN = re.compile(r"^(\*|[A-Z]{2})$")
_HEADING = re.compile(r"^9903\.\d\d\.(\d\d|xx)$")
_FAR = dt.date.max


def _periods_overlap(
    a_from: dt.date, a_to: dt.date | None, b_from: dt.date, b_to: dt.date | None
) -> bool:
    return a_from < (b_to or _FAR) and b_from < (a_to or _FAR)


def _scopes_overlap(a: Measure, b: Measure) -> bool:
    """Whether some code is in both HTS scopes: for each pair of nested include prefixes, the
    narrower one must not be cut out by an exclude of the other record (an exclude narrower than
    it leaves the rest of it shared)."""

    def removed(region: str, m: Measure) -> bool:
        return any(region.startswith(e) for e in m.hts_exclude)

    for x in a.hts_include:
        for y in b.hts_include:
            if y.startswith(x) and not removed(y, a) and not removed(y, b):
                return True
            if x.startswith(y) and not removed(x, b) and not removed(x, a):
                return True
    return False


def _origins_overlap(a: Measure, b: Measure) -> bool:
    def covers(m: Measure, code: str) -> bool:
        return (
            "*" in m.origin_include or code in m.origin_include
        ) and code not in m.origin_exclude

    if "*" in a.origin_include and "*" in b.origin_include:
        return True
    named = {c for c in a.origin_include + b.origin_include if c != "*"}
    return any(covers(a, c) and covers(b, c) for c in named)


def record_problems(ms: MeasureSet) -> list[str]:
    """Shape problems of single records: ids, dates, codes, programmes."""
    problems: list[str] = []
    seen: set[str] = set()
    for m in ms.measures:
        if m.id in seen:
            problems.append(f"duplicate measure id {m.id}")
        seen.add(m.id)
        if m.program not in ms.programs:
            problems.append(f"{m.id}: dangling programme {m.program!r}")
        if m.valid_to is not None and m.valid_to <= m.valid_from:
            problems.append(f"{m.id}: valid_to {m.valid_to} is not after valid_from {m.valid_from}")
        if not m.hts_include:
            problems.append(f"{m.id}: empty HTS scope")
        bad = [p for p in m.hts_include + m.hts_exclude if p and not p.isdigit()]
        if bad:
            problems.append(f"{m.id}: HTS prefixes must be digits: {bad}")
        if not m.origin_include or any(
            not _ORIGIN.match(c) for c in m.origin_include + m.origin_exclude
        ):
            problems.append(f"{m.id}: origin scope must be '*' or ISO-3166 alpha-2 codes")
        if m.heading is not None and not _HEADING.match(m.heading):
            problems.append(f"{m.id}: heading {m.heading!r} is not a Chapter 99 heading")
        if m.heading is not None and "xx" in m.heading and m.verified:
            problems.append(f"{m.id}: an unpinned heading must be marked verified: false")
        if needs_primary(m):
            problems.extend(f"{m.id}: {p}" for p in primary_citation_problems(m.citation))
    return problems


def overlap_problems(ms: MeasureSet) -> list[str]:
    """Two live records of one heading whose HTS and origin scopes meet."""
    by_heading: dict[str, list[Measure]] = defaultdict(list)
    for m in ms.measures:
        if m.heading is not None:
            by_heading[m.heading].append(m)
    problems = []
    for heading, records in by_heading.items():
        for a, b in combinations(records, 2):
            if (
                _periods_overlap(a.valid_from, a.valid_to, b.valid_from, b.valid_to)
                and _scopes_overlap(a, b)
                and _origins_overlap(a, b)
            ):
                problems.append(f"{heading}: records {a.id} and {b.id} overlap in time and scope")
    return problems


def interaction_problems(ms: MeasureSet) -> list[str]:
    """Dangling programme names in rules and cycles of the precedence graph on any date."""
    problems = []
    for rule in ms.interactions:
        for name in rule.winners + rule.losers:
            if name not in ms.programs:
                problems.append(f"interaction {rule.id}: dangling programme {name!r}")
        if set(rule.winners) & set(rule.losers):
            problems.append(f"interaction {rule.id}: a programme cannot win over itself")
        if needs_primary(rule):
            problems.extend(
                f"interaction {rule.id}: {p}" for p in primary_citation_problems(rule.citation)
            )
    boundaries = sorted({r.valid_from for r in ms.interactions})
    for on in boundaries:
        cycle = find_cycle(rules_in_force(ms.interactions, on))
        if cycle:
            problems.append(f"precedence cycle on {on}: {' -> '.join(cycle)}")
            break
    return problems


def rules_in_force(rules: tuple[Interaction, ...], on: dt.date) -> list[Interaction]:
    """The interaction rules valid on a date."""
    return [r for r in rules if r.valid_from <= on < (r.valid_to or _FAR)]


def find_cycle(rules: list[Interaction]) -> list[str] | None:
    """A cycle winner -> loser -> ... in the precedence graph, or None (iterative DFS)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for r in rules:
        for w in r.winners:
            graph[w].update(r.losers)
    state: dict[str, int] = {}
    for start in list(graph):
        if state.get(start):
            continue
        stack = [(start, iter(sorted(graph[start])))]
        path = [start]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
                path.pop()
            elif state.get(child) == 1:
                return [*path[path.index(child) :], child]
            elif not state.get(child):
                state[child] = 1
                path.append(child)
                stack.append((child, iter(sorted(graph[child]))))
    return None


def validate_measure_set(ms: MeasureSet) -> list[str]:
    """Every problem found (empty when the set is sound)."""
    return record_problems(ms) + overlap_problems(ms) + interaction_problems(ms)


def check_measure_set(ms: MeasureSet) -> None:
    """Raise ParameterFileError listing the problems, if any."""
    problems = validate_measure_set(ms)
    if problems:
        raise ParameterFileError(
            f"tariff measures ({ms.scenario}): " + "; ".join(problems), field="tariff_measures"
        )
