"""Dated Chapter 99 measure records and interaction rules, read from YAML (policy as code).

A *measure* (TARIC's word; 관세 조치) is one dated record: HTS scope x origin scope x programme
x validity [from, to) x rate x basis x conditions x citation. Records are never edited: a change
in the law is a new record with a later ``valid_from``, so any past entry date reprices exactly.
Scenario overlays (``src/tiro/params/scenarios/<name>.yaml``, key ``tariff_measures``) remove,
end or add records, the same way core's ``overrides`` replace parameter values from a date on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from tiro.core.errors import ParameterFileError
from tiro.core.scenarios import BASELINE_NAMES, load_scenario
from tiro.core.validation import finite
from tiro.core.yaml_strict import load_yaml

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "tariff"
RATE_KINDS = ("ad_valorem", "specific", "compound", "top_up_to", "free", "minimum_import_price")
"""``minimum_import_price``: a floor per unit (``amount`` USD per ``per``); the duty is what the
entered value falls short of floor x quantity, ``max(0, floor x quantity - value)`` (Procl. 11052
cl. (2)(c)), never negative, zero at or above the floor, linear below it."""
BASES = ("full_value", "metal_content", "non_metal_value")
BOOL_FACTS = (
    "korus",
    "civil_aircraft",
    "advanced_chip",
    "pharma_patented",
    "listed_company",
    "vehicle_part",
    "civil_aircraft_use",
    "pharma_use",
    "auto_parts_certified",
    "mhdv_parts_certified",
    "uas_use",
    "uas_thermal_imaging",
    "uas_allied_components",
    "mip_documented",
    "usmca",
)
"""Declared yes/no facts a measure's conditions may name (``korus`` is a line column of its own).
``usmca``: a good of Canada or Mexico entered free of duty under the USMCA (general note 11), which
the 2025 IEEPA border duties exempt from 2025-03-07 (9903.01.04/.14); blank is asked for."""
NUMERIC_CONDITIONS = (
    "metal_share_above",
    "metal_share_at_most",
    "column1_below",
    "column1_at_least",
)


@dataclass(frozen=True)
class Measure:
    """One dated Chapter 99 record; ``hts_include`` holds digit prefixes ('' = every code)."""

    id: str
    heading: str | None
    program: str
    label_ko: str
    label_en: str
    valid_from: dt.date
    valid_to: dt.date | None
    hts_include: tuple[str, ...]
    hts_exclude: tuple[str, ...]
    origin_include: tuple[str, ...]
    origin_exclude: tuple[str, ...]
    rate_kind: str
    rate_value: float | None
    specific_amount: float | None
    specific_per: str | None
    basis: str
    conditions: dict[str, Any]
    citation: dict[str, str]
    verified: bool = True
    source: str = ""
    see_also: tuple[dict[str, str], ...] = ()


@dataclass(frozen=True)
class Interaction:
    """A precedence rule between programmes: ``displace`` drops losers, ``split`` narrows them."""

    id: str
    kind: str
    winners: tuple[str, ...]
    losers: tuple[str, ...]
    valid_from: dt.date
    valid_to: dt.date | None
    citation: dict[str, str]
    declare: str | None = None
    group: str | None = None
    see_also: tuple[dict[str, str], ...] = ()
    source: str = ""


@dataclass(frozen=True, eq=False)
class MeasureSet:
    """Everything the engine needs for one scenario: programmes, records and interactions."""

    scenario: str
    programs: dict[str, dict[str, str]]
    measures: tuple[Measure, ...]
    interactions: tuple[Interaction, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)

    def by_id(self) -> dict[str, Measure]:
        """Records keyed by id."""
        return {m.id: m for m in self.measures}


def hts_digits(code: str) -> str:
    """'8703.23.01' -> '87032301'; '*' -> '' (the prefix of every code)."""
    text = str(code).strip()
    return "" if text == "*" else text.replace(".", "").replace(" ", "")


def _date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ParameterFileError(f"{where}: {value!r} is not a date", field="valid_from") from exc


def parse_see_also(value: Any, where: str) -> tuple[dict[str, str], ...]:
    """Secondary sources (a newspaper, a law-firm note, another codebase) kept beside the primary
    ``citation``: a list of ``{title, href?}``; the legal basis itself never goes here."""
    if value is None:
        return ()
    if not isinstance(value, list) or not all(
        isinstance(e, dict) and e.get("title") and set(e) <= {"title", "href"} for e in value
    ):
        raise ParameterFileError(
            f"{where}: see_also must be a list of {{title, href}} entries", field="see_also"
        )
    return tuple({k: str(v) for k, v in e.items()} for e in value)


def parse_measure(raw: dict[str, Any], source: str) -> Measure:
    """One YAML record -> Measure; shape errors name the record and the field."""
    rid = raw.get("id") or "?"
    where = f"{source}: measure {rid}"

    def need(key: str) -> Any:
        if raw.get(key) is None and key != "heading":
            raise ParameterFileError(f"{where}: missing {key}", field=key)
        return raw.get(key)

    if "heading" not in raw:
        raise ParameterFileError(f"{where}: missing heading (null if not pinned)", field="heading")
    rate = need("rate")
    if not isinstance(rate, dict):
        raise ParameterFileError(f"{where}: rate must be a mapping", field="rate")
    for part in ("value", "amount"):  # a user's overlay or watch file may say .nan or .inf
        if rate.get(part) is not None:
            finite(rate[part], f"{where}: rate.{part}")
    kind = rate.get("kind")
    if kind not in RATE_KINDS:
        raise ParameterFileError(f"{where}: rate kind {kind!r} not in {RATE_KINDS}", field="rate")
    if kind in ("ad_valorem", "compound", "top_up_to") and rate.get("value") is None:
        raise ParameterFileError(f"{where}: rate kind {kind} needs a value", field="rate")
    if kind in ("specific", "compound", "minimum_import_price") and (
        rate.get("amount") is None or not rate.get("per")
    ):
        raise ParameterFileError(f"{where}: rate kind {kind} needs amount and per", field="rate")
    basis = need("basis")
    if basis not in BASES:
        raise ParameterFileError(f"{where}: basis {basis!r} not in {BASES}", field="basis")
    if kind == "minimum_import_price" and (basis != "full_value" or rate["amount"] < 0):
        raise ParameterFileError(
            f"{where}: a minimum import price is a non-negative floor on the full value",
            field="rate",
        )
    conditions = dict(raw.get("conditions") or {})
    for key, value in conditions.items():
        if key not in BOOL_FACTS + NUMERIC_CONDITIONS:
            raise ParameterFileError(f"{where}: unknown condition {key!r}", field="conditions")
        numeric = isinstance(value, int | float) and not isinstance(value, bool)
        if (key in BOOL_FACTS and not isinstance(value, bool)) or (
            key in NUMERIC_CONDITIONS and not (numeric and 0 <= value <= 1)
        ):
            kind = "true or false" if key in BOOL_FACTS else "a number in [0, 1]"
            raise ParameterFileError(f"{where}: condition {key} must be {kind}", field="conditions")
    citation = need("citation")
    if not citation.get("title") or not (citation.get("href") or citation.get("source")):
        raise ParameterFileError(
            f"{where}: citation needs title and href or source", field="citation"
        )
    hts = need("hts")
    origin = need("origin")
    label = raw.get("label") or {}
    return Measure(
        id=str(need("id")),
        heading=None if raw["heading"] is None else str(raw["heading"]),
        program=str(need("program")),
        label_ko=str(label.get("ko", "")),
        label_en=str(label.get("en", "")),
        valid_from=_date(need("valid_from"), where),
        valid_to=None if raw.get("valid_to") is None else _date(raw["valid_to"], where),
        hts_include=tuple(hts_digits(c) for c in hts.get("include") or []),
        hts_exclude=tuple(hts_digits(c) for c in hts.get("exclude") or []),
        origin_include=tuple(str(c) for c in origin.get("include") or []),
        origin_exclude=tuple(str(c) for c in origin.get("exclude") or []),
        rate_kind=kind,
        rate_value=None if rate.get("value") is None else float(rate["value"]),
        specific_amount=None if rate.get("amount") is None else float(rate["amount"]),
        specific_per=rate.get("per"),
        basis=basis,
        conditions=conditions,
        citation={k: str(v) for k, v in citation.items()},
        verified=bool(raw.get("verified", True)),
        source=source,
        see_also=parse_see_also(raw.get("see_also"), where),
    )


def parse_interaction(raw: dict[str, Any], source: str) -> Interaction:
    """One interaction rule; kind must be displace or split."""
    where = f"{source}: interaction {raw.get('id', '?')}"
    if raw.get("kind") not in ("displace", "split"):
        raise ParameterFileError(f"{where}: kind must be displace or split", field="kind")
    if not raw.get("winners") or not raw.get("losers") or not raw.get("citation"):
        raise ParameterFileError(
            f"{where}: needs winners, losers and citation", field="interaction"
        )
    return Interaction(
        id=str(raw["id"]),
        kind=str(raw["kind"]),
        winners=tuple(raw["winners"]),
        losers=tuple(raw["losers"]),
        valid_from=_date(raw.get("valid_from"), where),
        valid_to=None if raw.get("valid_to") is None else _date(raw["valid_to"], where),
        citation={k: str(v) for k, v in raw["citation"].items()},
        declare=raw.get("declare"),
        see_also=parse_see_also(raw.get("see_also"), where),
        source=source,
    )


def compile_no_stack(raw: dict[str, Any], source: str) -> list[Interaction]:
    """An ordered no-stack group -> displace pairs (each programme displaces those after it)."""
    order = list(raw.get("order") or [])
    base = {k: raw.get(k) for k in ("valid_from", "valid_to", "citation", "see_also")}
    rules = []
    for i, winner in enumerate(order[:-1]):
        rule = parse_interaction(
            {
                **base,
                "id": f"{raw['id']}:{winner}",
                "kind": "displace",
                "winners": [winner],
                "losers": order[i + 1 :],
            },
            source,
        )
        rules.append(replace(rule, group=str(raw["id"])))
    return rules


def _read_measures(files: list[Path]) -> list[Measure]:
    out: list[Measure] = []
    for file in files:
        raw = load_yaml(file) or {}
        out.extend(parse_measure(r, file.name) for r in raw.get("measures") or [])
    return out


def _read_interactions(raw: dict[str, Any], source: str) -> list[Interaction]:
    rules = [parse_interaction(r, source) for r in raw.get("interactions") or []]
    for group in raw.get("no_stack") or []:
        rules.extend(compile_no_stack(group, source))
    return rules


def apply_overlay(base: MeasureSet, overlay: dict[str, Any], name: str) -> MeasureSet:
    """Apply a scenario's ``tariff_measures`` overlay: remove ids, end ids at a date, add records."""
    records = base.by_id()
    for rid in overlay.get("remove") or []:
        if rid not in records:
            raise ParameterFileError(
                f"scenario {name}: remove names unknown measure {rid!r}", field="scenario"
            )
        del records[rid]
    for rid, end in (overlay.get("end") or {}).items():
        if rid not in records:
            raise ParameterFileError(
                f"scenario {name}: end names unknown measure {rid!r}", field="scenario"
            )
        records[rid] = replace(records[rid], valid_to=_date(end, f"scenario {name}: end {rid}"))
    for raw in overlay.get("add") or []:
        record = parse_measure(raw, f"scenario {name}")
        if record.id in records:
            raise ParameterFileError(
                f"scenario {name}: added id {record.id!r} already exists", field="scenario"
            )
        records[record.id] = record
    rules = {r.id: r for r in base.interactions}
    for rid in overlay.get("remove_interactions") or []:
        rules.pop(rid, None)
    for rule in _read_interactions(overlay, f"scenario {name}"):
        rules[rule.id] = rule
    notes = base.notes + tuple(overlay.get("notes") or [])
    return MeasureSet(name, base.programs, tuple(records.values()), tuple(rules.values()), notes)


def read_baseline(data_dir: Path = DATA_DIR) -> MeasureSet:
    """The shipped records (``data/tariff/measures/*.yaml``) and interaction rules."""
    programs = (load_yaml(data_dir / "programs.yaml") or {})["programs"]
    measures = _read_measures(sorted((data_dir / "measures").glob("*.yaml")))
    rules = _read_interactions(load_yaml(data_dir / "interactions.yaml") or {}, "interactions.yaml")
    return MeasureSet("actual", programs, tuple(measures), tuple(rules))


@lru_cache(maxsize=16)
def _load(scenario: str | None) -> MeasureSet:
    from tiro.tariff.measures.validate import check_measure_set

    base = read_baseline()
    if scenario is None or scenario in BASELINE_NAMES:
        result = base
    else:
        loaded = load_scenario(scenario)
        result = apply_overlay(base, loaded.extra.get("tariff_measures") or {}, loaded.name)
    check_measure_set(result)
    return result


def load_measure_set(scenario: str | Path | MeasureSet | None = None) -> MeasureSet:
    """The validated measure set for a scenario name or overlay file (None/'actual' = baseline);
    a MeasureSet already built (an HTTP request's overlay) is returned as it is."""
    if isinstance(scenario, MeasureSet):
        return scenario
    return _load(None if scenario is None else str(scenario))


def measure_set_for(params: Any) -> MeasureSet:
    """The measure set of a core ParameterTree's scenario (``get_params("no_deal")`` ->
    the ``no_deal`` overlay), so tariff pricing follows the same scenario as every other engine."""
    return load_measure_set(getattr(params, "scenario", None))
