"""The report's own figures, as typed data: 보고서 기재 수치 (reference facts).

The report 「국민주권 정부 1주년 주요성과 및 향후 계획 — 산업·통상·자원 분야」 (2026-05-27) states
its results in numbers: exports of USD 709.3bn in 2025, FDI of USD 36.05bn, about 300 Mbbl of
crude secured by the special envoys, 102 AI factories growing to 200+. Engines never read
policy numbers from here (those are dated parameters under ``src/tiro/params/``); this
catalogue exists so that dashboards, the performance report and cross-checks can cite what the
report said, where it said it, and how the statement is qualified ("약", "이상", "최대").

Each fact lives in ``src/tiro/data/report_facts.yaml`` under a domain group; its flat key is
``<domain>.<key>`` (``trade.exports.total_2025``). See ``docs/report-facts.md``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from tiro.core.errors import NotFound, TiroError
from tiro.core.parameter_files import known_units
from tiro.core.yaml_strict import DuplicateKeyError, load_yaml

FACTS_FILE = Path(__file__).resolve().parent.parent / "data" / "report_facts.yaml"

DOMAINS = ("energy", "general", "manufacturing", "petrochem", "tariff", "trade")
KINDS = ("fact", "target", "plan", "projection")
QUALIFIERS = ("approx", "at_least", "at_most")

#: Units a fact may use beyond the parameter registry (``params/_units.yaml``): a fact can be
#: a date (an event the report dates), a rank (WTO export ranking) or an hourly amount.
FACT_UNITS = {
    "date": "an ISO date, month, year or interval (value is text)",
    "rank": "a position in an ordering (1 = first)",
    "USD/h": "US dollars per hour worked",
}

MAX_QUOTE_CHARS = 80

Kind = Literal["fact", "target", "plan", "projection"]
Qualifier = Literal["approx", "at_least", "at_most"]

_KEY = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")
_PERIOD = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_REQUIRED = ("value", "unit", "label", "section", "as_of", "kind")
_OPTIONAL = ("quote", "qualifier", "note")


class ReportFactsError(TiroError):
    """The shipped facts file breaks its schema: a packaging bug, not a user's mistake."""

    status, exit_code, title = 500, 6, "Report facts file error"


@dataclass(frozen=True, slots=True)
class Label:
    """Korean first (the officials' term), English beside."""

    ko: str
    en: str


@dataclass(frozen=True, slots=True)
class ReportSource:
    """The report every fact comes from."""

    title: str
    date: dt.date
    file: str


@dataclass(frozen=True, slots=True)
class Fact:
    """One figure as the report states it.

    ``value`` is a number in ``unit`` (a rate of 15% is ``0.15`` in ``/1``), or ISO text when
    ``unit`` is ``date``. ``qualifier`` keeps the report's hedge: 약 → approx,
    이상/+ → at_least, 최대 → at_most. ``kind`` says whether the figure has happened (fact) or
    looks forward (target, plan, projection).
    """

    key: str
    domain: str
    value: int | float | str
    unit: str
    label: Label
    section: str
    as_of: str
    kind: Kind
    quote: str | None = None
    qualifier: Qualifier | None = None
    note: str | None = None

    @property
    def chapter(self) -> int | None:
        """The report's numbered section (1 tariff … 5 manufacturing), None for cover/contents."""
        match = re.match(r"^([1-5])\.", self.section)
        return int(match.group(1)) if match else None

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready mapping (CLI ``--json`` and API responses)."""
        data = asdict(self)
        data["chapter"] = self.chapter
        return data


def is_period(text: str) -> bool:
    """True for an ISO year, month, day, or ``start/end`` interval with start <= end."""
    parts = text.split("/")
    if len(parts) > 2 or not all(_PERIOD.match(part) for part in parts):
        return False
    try:
        bounds = [_period_bounds(part) for part in parts]
    except ValueError:
        return False
    return len(bounds) == 1 or bounds[0][0] <= bounds[1][1]


def _period_bounds(part: str) -> tuple[dt.date, dt.date]:
    """First and last day a year, month or day covers (raises ValueError if impossible)."""
    pieces = [int(p) for p in part.split("-")]
    if len(pieces) == 3:
        day = dt.date(*pieces)
        return day, day
    if len(pieces) == 2:
        first = dt.date(pieces[0], pieces[1], 1)
        nxt = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return first, nxt - dt.timedelta(days=1)
    return dt.date(pieces[0], 1, 1), dt.date(pieces[0], 12, 31)


def _text(raw: Any, field: str) -> str:
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if not isinstance(raw, str) or not raw.strip():
        raise ReportFactsError("must be non-empty text", field=field)
    return raw


def _parse_fact(domain: str, key: str, raw: Any, units: frozenset[str]) -> Fact:
    where = f"facts.{domain}.{key}"
    if not _KEY.match(key):
        raise ReportFactsError("key must be lower-case dotted words", field=where)
    if not isinstance(raw, dict):
        raise ReportFactsError("must be a mapping of fact fields", field=where)
    for name in _REQUIRED:
        if name not in raw:
            raise ReportFactsError("is missing", field=f"{where}.{name}")
    unknown = sorted(set(raw) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        raise ReportFactsError(f"unknown field(s) {unknown}", field=where)
    unit = _text(raw["unit"], f"{where}.unit")
    if unit not in units and unit not in FACT_UNITS:
        raise ReportFactsError(f"unknown unit {unit!r}", field=f"{where}.unit")
    value = raw["value"]
    if unit == "date":
        value = _text(value, f"{where}.value")
        if not is_period(value):
            raise ReportFactsError("must be an ISO date or interval", field=f"{where}.value")
    elif isinstance(value, bool) or not isinstance(value, int | float):
        raise ReportFactsError(f"must be a number in {unit}", field=f"{where}.value")
    label = raw["label"]
    if not isinstance(label, dict) or set(label) != {"ko", "en"}:
        raise ReportFactsError("must have exactly ko and en", field=f"{where}.label")
    as_of = _text(raw["as_of"], f"{where}.as_of")
    if not is_period(as_of):
        raise ReportFactsError("must be an ISO date or interval", field=f"{where}.as_of")
    if raw["kind"] not in KINDS:
        raise ReportFactsError(f"must be one of {list(KINDS)}", field=f"{where}.kind")
    qualifier = raw.get("qualifier")
    if qualifier is not None and qualifier not in QUALIFIERS:
        raise ReportFactsError(f"must be one of {list(QUALIFIERS)}", field=f"{where}.qualifier")
    quote = raw.get("quote")
    if quote is not None and len(_text(quote, f"{where}.quote")) > MAX_QUOTE_CHARS:
        raise ReportFactsError(f"longer than {MAX_QUOTE_CHARS} chars", field=f"{where}.quote")
    note = raw.get("note")
    return Fact(
        key=f"{domain}.{key}",
        domain=domain,
        value=value,
        unit=unit,
        label=Label(
            ko=_text(label["ko"], f"{where}.label.ko"), en=_text(label["en"], f"{where}.label.en")
        ),
        section=_text(raw["section"], f"{where}.section"),
        as_of=as_of,
        kind=raw["kind"],
        quote=quote,
        qualifier=qualifier,
        note=None if note is None else _text(note, f"{where}.note"),
    )


def parse_report_facts(raw: Any, units: frozenset[str] | None = None) -> dict[str, Fact]:
    """Validate a parsed facts document and flatten it to ``{domain.key: Fact}``."""
    units = known_units() if units is None else units
    if not isinstance(raw, dict) or not isinstance(raw.get("facts"), dict):
        raise ReportFactsError("must be a mapping with 'source' and 'facts'", field="facts")
    parse_source(raw.get("source"))
    flat: dict[str, Fact] = {}
    for domain, group in raw["facts"].items():
        if domain not in DOMAINS:
            raise ReportFactsError(
                f"unknown domain; use one of {list(DOMAINS)}", field=f"facts.{domain}"
            )
        if not isinstance(group, dict) or not group:
            raise ReportFactsError("must be a non-empty mapping of facts", field=f"facts.{domain}")
        for key, body in group.items():
            fact_ = _parse_fact(domain, str(key), body, units)
            flat[fact_.key] = fact_
    return dict(sorted(flat.items()))


def parse_source(raw: Any) -> ReportSource:
    """The ``source`` header: which report, of which date, in which file."""
    if not isinstance(raw, dict):
        raise ReportFactsError("must be a mapping with title, date, file", field="source")
    for name in ("title", "date", "file"):
        if name not in raw:
            raise ReportFactsError("is missing", field=f"source.{name}")
    when = raw["date"]
    if not isinstance(when, dt.date):
        raise ReportFactsError("must be a YAML date (YYYY-MM-DD)", field="source.date")
    return ReportSource(
        title=_text(raw["title"], "source.title"), date=when, file=_text(raw["file"], "source.file")
    )


@lru_cache(maxsize=4)
def _load(path: Path) -> tuple[ReportSource, dict[str, Fact]]:
    try:
        raw = load_yaml(path)
    except DuplicateKeyError as exc:
        raise ReportFactsError(str(exc), field=str(path.name)) from exc
    return parse_source(raw.get("source") if isinstance(raw, dict) else None), parse_report_facts(
        raw
    )


def load_report_facts(path: Path = FACTS_FILE) -> dict[str, Fact]:
    """Every fact by flat dotted key, sorted (a fresh dict: callers may not mutate the cache)."""
    return dict(_load(path)[1])


def report_source(path: Path = FACTS_FILE) -> ReportSource:
    """The report the facts come from (title, date 2026-05-27, file under ``seed/``)."""
    return _load(path)[0]


def fact(key: str, path: Path = FACTS_FILE) -> Fact:
    """One fact by key (``trade.fdi.total_2025``); an unknown key raises ``NotFound``."""
    facts = _load(path)[1]
    if key not in facts:
        raise NotFound(f"no report fact {key!r} (see docs/report-facts.md)", field="key")
    return facts[key]


def facts_under(prefix: str, path: Path = FACTS_FILE) -> list[Fact]:
    """Facts whose key starts with ``prefix`` (``energy.envoy.``), in key order."""
    return [f for k, f in _load(path)[1].items() if k.startswith(prefix)]
