"""The measure set as Polars tables, built once per scenario, so the engine only joins.

``measures`` has one row per record, ``scope`` one row per (record, HTS prefix), ``rules`` one row
per (interaction, winner, loser). Validity ends are made concrete (``date.max`` when open) so a
date filter is two comparisons. Condition thresholds are collected so the engine can turn a
line's metal share and column-1 rate into a few booleans and price on distinct keys.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import polars as pl

from tiro.tariff.measures.data import BOOL_FACTS, MeasureSet

OPEN_END = dt.date(9999, 12, 31)


@dataclass(frozen=True)
class MeasureTables:
    """Tables and thresholds derived from one MeasureSet."""

    measures: pl.DataFrame
    scope: pl.DataFrame
    rules: pl.DataFrame
    boundaries: tuple[dt.date, ...]
    metal_thresholds: tuple[float, ...]
    column1_thresholds: tuple[float, ...]
    first_date: dt.date


def _measure_rows(ms: MeasureSet) -> pl.DataFrame:
    rows = []
    for mid, m in enumerate(ms.measures):
        row = {
            "mid": mid,
            "measure_id": m.id,
            "heading": m.heading,
            "program": m.program,
            "label_ko": m.label_ko,
            "label_en": m.label_en,
            "valid_from": m.valid_from,
            "valid_to": m.valid_to or OPEN_END,
            "origin_all": "*" in m.origin_include,
            "origin_inc": list(m.origin_include),
            "origin_exc": list(m.origin_exclude),
            "rate_kind": m.rate_kind,
            "rate_value": m.rate_value,
            "specific_amount": m.specific_amount,
            "specific_per": m.specific_per,
            "basis": m.basis,
            "citation": m.citation.get("title", ""),
            "citation_href": m.citation.get("href") or m.citation.get("source", ""),
            "verified": m.verified,
        }
        for fact in BOOL_FACTS:
            row[f"cond_{fact}"] = m.conditions.get(fact)
        for key in (
            "metal_share_above",
            "metal_share_at_most",
            "column1_below",
            "column1_at_least",
        ):
            value = m.conditions.get(key)
            row[f"cond_{key}"] = None if value is None else float(value)
        rows.append(row)
    schema = {
        "mid": pl.Int32,
        "measure_id": pl.Utf8,
        "heading": pl.Utf8,
        "program": pl.Utf8,
        "label_ko": pl.Utf8,
        "label_en": pl.Utf8,
        "valid_from": pl.Date,
        "valid_to": pl.Date,
        "origin_all": pl.Boolean,
        "origin_inc": pl.List(pl.Utf8),
        "origin_exc": pl.List(pl.Utf8),
        "rate_kind": pl.Utf8,
        "rate_value": pl.Float64,
        "specific_amount": pl.Float64,
        "specific_per": pl.Utf8,
        "basis": pl.Utf8,
        "citation": pl.Utf8,
        "citation_href": pl.Utf8,
        "verified": pl.Boolean,
        **{f"cond_{f}": pl.Boolean for f in BOOL_FACTS},
        **{
            f"cond_{k}": pl.Float64
            for k in (
                "metal_share_above",
                "metal_share_at_most",
                "column1_below",
                "column1_at_least",
            )
        },
    }
    return pl.DataFrame(rows, schema=schema)


def _scope_rows(ms: MeasureSet) -> pl.DataFrame:
    rows = [
        {"mid": mid, "prefix": p, "plen": len(p), "exclude": excl}
        for mid, m in enumerate(ms.measures)
        for excl, prefixes in ((False, m.hts_include), (True, m.hts_exclude))
        for p in prefixes
    ]
    schema = {"mid": pl.Int32, "prefix": pl.Utf8, "plen": pl.Int32, "exclude": pl.Boolean}
    return pl.DataFrame(rows, schema=schema)


def _rule_rows(ms: MeasureSet) -> pl.DataFrame:
    rows = [
        {
            "rule_id": r.id,
            "kind": r.kind,
            "winner": w,
            "loser": lo,
            "rule_from": r.valid_from,
            "rule_to": r.valid_to or OPEN_END,
            "declare": r.declare,
            "rule_citation": r.citation.get("title", ""),
        }
        for r in ms.interactions
        for w in r.winners
        for lo in r.losers
    ]
    schema = {
        "rule_id": pl.Utf8,
        "kind": pl.Utf8,
        "winner": pl.Utf8,
        "loser": pl.Utf8,
        "rule_from": pl.Date,
        "rule_to": pl.Date,
        "declare": pl.Utf8,
        "rule_citation": pl.Utf8,
    }
    return pl.DataFrame(rows, schema=schema)


def build_tables(ms: MeasureSet) -> MeasureTables:
    """Derive the engine's tables from a validated MeasureSet."""
    dates = {m.valid_from for m in ms.measures} | {m.valid_to for m in ms.measures if m.valid_to}
    dates |= {r.valid_from for r in ms.interactions}
    dates |= {r.valid_to for r in ms.interactions if r.valid_to}
    conds = [m.conditions for m in ms.measures]
    metal = sorted(
        {float(c[k]) for c in conds for k in ("metal_share_above", "metal_share_at_most") if k in c}
    )
    col1 = sorted(
        {float(c[k]) for c in conds for k in ("column1_below", "column1_at_least") if k in c}
    )
    return MeasureTables(
        measures=_measure_rows(ms),
        scope=_scope_rows(ms),
        rules=_rule_rows(ms),
        boundaries=tuple(sorted(dates)),
        metal_thresholds=tuple(metal),
        column1_thresholds=tuple(col1),
        first_date=min(m.valid_from for m in ms.measures),
    )


@lru_cache(maxsize=16)
def tables_for(ms: MeasureSet) -> MeasureTables:
    """Cached tables per MeasureSet (MeasureSet is frozen and hashable by identity of content)."""
    return build_tables(ms)
