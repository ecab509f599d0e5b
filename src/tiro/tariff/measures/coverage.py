"""Which origins the measure data models completely (적용 범위), read from ``coverage.yaml``.

tiro loads every Chapter 99 programme that touches Korean goods; for Korea's competitors (Japan,
the EU, China/Hong Kong, Canada, Mexico) their own IEEPA and deal records; for any other origin
only the records that apply to every origin. A quote for an origin other than Korea is therefore
a floor: it lists the programmes that are not modelled for that origin and marks its total
incomplete (issue 9 item 22) — never a confident wrong total.

An entry may carry ``valid_from`` / ``valid_to`` (``[from, to)``, the measures' convention): a
programme that ended (the 2018 steel quotas on 2025-03-12, IEEPA on 2026-02-24) or had not begun
(the forced-labour duty before 2026-07-24) leaves a quote on that date complete. Without a date,
every entry counts: a floor is never claimed complete by omission.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

import numpy as np
import polars as pl

from tiro.core.yaml_strict import load_yaml
from tiro.tariff.measures.data import DATA_DIR


@lru_cache(maxsize=1)
def _coverage() -> dict[str, Any]:
    return load_yaml(DATA_DIR / "coverage.yaml") or {}


def modelled_origins() -> tuple[str, ...]:
    """Origins whose country programmes are all loaded (Korea)."""
    return tuple(_coverage().get("modelled_origins") or ())


def _excepted(entry: dict[str, Any]) -> set[str]:
    """Origins an ``every_other_origin`` entry leaves out because their own records are loaded
    (a YAML alias may nest a list, e.g. the 27 EU member states)."""
    out: set[str] = set()
    for item in entry.get("except") or []:
        out.update(item if isinstance(item, list) else [item])
    return out


def _in_force(entry: dict[str, Any], on: dt.date | None) -> bool:
    if on is None:
        return True
    start, end = entry.get("valid_from"), entry.get("valid_to")
    return (start is None or start <= on) and (end is None or on < end)


def not_modelled(origin: str, on: dt.date | None = None) -> list[dict[str, str]]:
    """Programmes that apply to goods of ``origin`` on the entry date ``on`` (every date when
    None) but are not in the data (empty for Korea)."""
    if origin in modelled_origins():
        return []
    spec = _coverage().get("not_modelled") or {}
    general = [e for e in spec.get("every_other_origin", []) if origin not in _excepted(e)]
    entries = [*(spec.get("by_origin") or {}).get(origin, []), *general]
    return [
        {"program": e["program"], "label_ko": e["label"]["ko"], "label_en": e["label"]["en"]}
        for e in entries
        if _in_force(e, on)
    ]


@lru_cache(maxsize=1)
def _boundaries() -> tuple[dt.date, ...]:
    """Every date on which some entry starts or ends: between two of them the answer is fixed."""
    spec = _coverage().get("not_modelled") or {}
    entries = [*spec.get("every_other_origin", [])]
    for listed in (spec.get("by_origin") or {}).values():
        entries.extend(listed)
    dates = {e[k] for e in entries for k in ("valid_from", "valid_to") if e.get(k) is not None}
    return tuple(sorted(dates))


@lru_cache(maxsize=4)
def _codes_by_category(categories: tuple[str, ...]) -> tuple[np.ndarray, tuple[str, ...]]:
    """For an origin Enum's categories: the index of the not-modelled text in each period
    between two boundaries (columns 0..B) and, last column, whatever the date; and the distinct
    texts ('' first)."""
    days: list[dt.date | None] = [dt.date.min, *_boundaries(), None]
    texts = [
        [";".join(e["program"] for e in not_modelled(c, on)) for on in days] for c in categories
    ]
    values = tuple(sorted({x for row in texts for x in row} | {""}))
    position = {v: i for i, v in enumerate(values)}
    table = np.array([[position[x] for x in row] for row in texts], dtype=np.uint32)
    return table.reshape(len(categories), len(days)), values


def _periods(entry_date: pl.Series | None, n: int) -> np.ndarray:
    """Per line, the column of ``_codes_by_category``: the period its entry date falls in (0
    before the first boundary), or the last column when there are no dates."""
    if entry_date is None:
        return np.full(n, len(_boundaries()) + 1, dtype=np.int64)
    bounds = pl.Series(_boundaries(), dtype=pl.Date)
    days = entry_date.cast(pl.Date).fill_null(dt.date.min)
    return bounds.search_sorted(days, side="right").cast(pl.Int64).to_numpy()


def not_modelled_column(origin: pl.Series, entry_date: pl.Series | None = None) -> pl.Series:
    """Per line, the programmes not modelled for its origin on its entry date (``;``-joined, ''
    when complete; every entry counts when no dates are given).

    Worked out once per (origin category, period between coverage dates) and reaching the lines
    by an integer gather into an Enum column, so a ten-million-line batch pays no string work
    per line."""
    text_in = not isinstance(origin.dtype, pl.Enum)
    if text_in:
        origin = origin.cast(pl.Utf8)
        origin = origin.cast(pl.Enum(sorted(origin.drop_nulls().unique().to_list())))
    table, values = _codes_by_category(tuple(origin.dtype.categories.to_list()))
    physical = origin.to_physical()
    if not table.shape[0] or not len(origin):  # no origin known: every line is null
        codes = pl.Series([None] * len(origin), dtype=pl.UInt32)
    else:
        rows = physical.fill_null(0).to_numpy().astype(np.int64)
        codes = pl.Series(table[rows, _periods(entry_date, len(origin))])
        if physical.null_count():
            codes = codes.set(physical.is_null(), None)
    out = pl.Series("not_modelled", values, dtype=pl.Enum(list(values))).gather(codes)
    return out.cast(pl.Utf8) if text_in else out
