"""The caches of the quote fast path for one measure set (견적 캐시): code rows and pricing keys.

Per (HTS text, revision): the code's column-1 variants, from the engine's own ``CodeBook``. Per
pricing key: its measure rows in answer order and its money coefficients, from the engine's own
``key_table`` -> ``resolve`` -> ``coefficients``, learnt for the key's whole neighbourhood at once
(every validity period x metal-share state, and a Korean line's other KORUS claim): resolving
~180 keys costs about what one does. Lookups are lock-free reads of immutable entries; learning
holds the quoter's lock. ``quote_fast`` prices a line from these.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from dataclasses import dataclass
from typing import Any

import polars as pl

from tiro.tariff.measures.data import MeasureSet
from tiro.tariff.pricing.engine import Pricer
from tiro.tariff.pricing.keys import FIELDS, key_table
from tiro.tariff.pricing.money import BASES, coefficients, line_coefficients
from tiro.tariff.pricing.resolve import resolve
from tiro.tariff.schedule.describe import describe_code
from tiro.tariff.schedule.revisions import revisions

MAX_KEYS = 50_000
"""Keys kept per measure set (a few KB each, rows shared); past it the cache starts afresh."""
MAX_CODES = 20_000
"""(HTS text, revision) pairs kept per measure set; past it the quoter starts afresh (its code
book, which keeps every text it was asked, too)."""
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CODE = re.compile(r"\d{8}|\d{10}")
SHIFT: dict[str, int] = {}
"""Bit position of each pricing-key field (``keys.FIELDS``)."""
_left = 64
for _name, _bits in FIELDS:
    _left -= _bits
    SHIFT[_name] = _left
_WIDTH = dict(FIELDS)


def state_of(value: float, thresholds: tuple[float, ...], *, strict: bool) -> int:
    """``keys.threshold_state`` of one value: 0 unknown (NaN), else 1 + thresholds passed."""
    if value != value:
        return 0
    return 1 + sum((value > v) if strict else (value >= v) for v in thresholds)


def _with(key: int, name: str, value: int) -> int:
    mask = ((1 << _WIDTH[name]) - 1) << SHIFT[name]
    return (key & ~mask) | (value << SHIFT[name])


@dataclass(frozen=True)
class Variant:
    """One column-1 variant (code row x KORUS in effect), as the engine's ``CodeBook`` has it."""

    bits: int  # class_id | korus_eff | c1_state | base_needs_id (``keys.variant_parts``)
    column1: float
    ad_valorem: float
    specific: float  # NaN: no specific part
    qty_needs: int
    rate_text: str | None
    source: str | None
    matched: str | None


@dataclass(frozen=True)
class Key:
    """What a pricing key decides: its measure rows (answer order) and money coefficients."""

    rows: tuple[dict[str, Any], ...]
    base: float  # NaN when the key withholds the total
    metal_tilt: float
    top: tuple[float, float, float]  # per ``BASES``
    spec: float
    mip: float
    needs: str


class FastQuoter:
    """The caches of one measure set (module docstring) and the scalar pricing of a line."""

    def __init__(self, ms: MeasureSet) -> None:
        self.ms = ms
        self.pricer = Pricer(ms)
        self.t = self.pricer.t
        self.bounds = self.t.boundaries
        self.starts = [r.effective_from for r in revisions()]
        self.iso = {c: i for i, c in enumerate(self.pricer.origin_codes.to_list())}
        self.korea = self.iso["KR"]
        self.value_needs = int(self.pricer.registry.needs_id(pl.Series(["customs_value"]))[0])
        self.lock = threading.Lock()
        self.days: dict[str, tuple[dt.date, int, int] | None] = {}
        self.codes: dict[tuple[str, int], tuple[Variant, Variant] | None] = {}
        self.keys: dict[int, Key] = {}
        self.described: dict[tuple[str, str | None, int], tuple[str | None, str]] = {}
        self._rows: dict[tuple[Any, ...], dict[str, Any]] = {}
        self.learnt = 0  # keys resolved (tests read it)
        self.answered = 0  # lines answered by the fast path (tests read it)

    # -- per-request lookups (lock-free reads of immutable entries) --------------------------

    def day(self, text: str) -> tuple[dt.date, int, int] | None:
        """(date, revision slot as ``CodeBook`` numbers it, validity-period index), or None
        when the engine would refuse the text (not YYYY-MM-DD, before the first measure)."""
        found = self.days.get(text, False)
        if found is not False:
            return found
        day = None
        if _DATE.fullmatch(text):
            try:
                date = dt.date.fromisoformat(text)
            except ValueError:
                date = None
            if date is not None and date >= self.t.first_date:
                slot = sum(date >= s for s in self.starts)  # ``CodeBook``: 0 before the first
                period = max(0, sum(date >= b for b in self.bounds) - 1)
                day = (date, slot, period)
        if len(self.days) > MAX_CODES:
            self.days = {}
        self.days[text] = day
        return day

    def variants(
        self, hts: str, date: dt.date, slot: int, learn: bool
    ) -> tuple[Variant, Variant] | None:
        found = self.codes.get((hts, slot), False)
        if found is not False:
            return found
        if not _CODE.fullmatch(re.sub(r"[.\s]", "", hts)):
            return None  # malformed: the engine words the error
        if not learn:
            raise Miss
        with self.lock:
            book = self.pricer.book
            row = int(
                book.rows(pl.Series([hts], dtype=pl.Utf8), pl.Series([date], dtype=pl.Date))[0]
            )
            entry = None
            if int(book.code_error[row]) == 0:
                class_bits = int(book.class_id[row]) << SHIFT["class_id"]
                entry = tuple(
                    self._variant(book, 2 * row + korus, class_bits, korus) for korus in (0, 1)
                )
            if len(self.codes) > MAX_CODES:
                raise Full
            self.codes[(hts, slot)] = entry
            _learnt()
        return entry

    def _variant(self, book: Any, var: int, class_bits: int, korus: int) -> Variant:
        column1 = float(book.column1[var])
        static = int(book.static_needs[var])
        row = book.variants.row(var, named=True)
        bits = (
            class_bits
            | korus << SHIFT["korus_eff"]
            | state_of(column1, self.t.column1_thresholds, strict=False) << SHIFT["c1_state"]
            | static << SHIFT["base_needs_id"]
        )
        return Variant(
            bits,
            column1,
            float(book.ad_valorem[var]),
            float(book.specific[var]),
            int(book.qty_needs[var]),
            row["column1_rate_text"],
            row["column1_source"],
            row["hts_matched"],
        )

    def key(self, key: int, learn: bool, twin: int) -> Key:
        found = self.keys.get(key)
        if found is not None:
            return found
        if not learn:
            raise Miss
        with self.lock:
            if key not in self.keys:
                self._learn(key, twin)
            return self.keys[key]

    def _learn(self, key: int, twin: int) -> None:
        """Resolve ``key`` and its neighbours (every period x metal-share state, for the line
        as given and for its ``twin``: a Korean line with the other KORUS claim) with the
        engine's functions, in one vectorised pass."""
        near = {
            _with(_with(seed, "period_idx", p), "metal_state", m)
            for seed in (key, twin)
            for p in range(len(self.bounds))
            for m in range(len(self.t.metal_thresholds) + 2)
        }
        fresh = sorted(k for k in near | {key} if k not in self.keys)
        if len(self.keys) + len(fresh) > MAX_KEYS:
            self.keys, self._rows = {}, {}
        keys = key_table(pl.Series(fresh, dtype=pl.UInt64), self.t, self.pricer.origin_codes)
        registry = self.pricer.registry
        resolved = resolve(keys, self.t, registry.class_mids)
        table = coefficients(keys, resolved, registry.needs_texts())
        coeff = line_coefficients(table)
        from tiro.tariff.pricing.quote import ROW_ORDER

        kept = [c for c in resolved.columns if c == "key_id" or c not in keys.columns]
        rows_by_key: dict[int, list[dict[str, Any]]] = {}
        for row in resolved.select(kept).sort("key_id", *ROW_ORDER).iter_rows(named=True):
            key_id = row.pop("key_id")
            rows_by_key.setdefault(key_id, []).append(self._shared(row))
        tops = [coeff[f"top_{b}"] for b in BASES]
        for i, key_id in enumerate(table["key_id"].to_list()):
            self.keys[key_id] = Key(
                rows=tuple(rows_by_key.get(key_id, ())),
                base=float(coeff["base"][i]),
                metal_tilt=float(coeff["metal_tilt"][i]),
                top=(float(tops[0][i]), float(tops[1][i]), float(tops[2][i])),
                spec=float(coeff["spec_per_unit"][i]),
                mip=float(coeff["mip_per_unit"][i]),
                needs=str(table["needs"][i]),
            )
        self.learnt += len(fresh)
        _learnt()

    def _shared(self, row: dict[str, Any]) -> dict[str, Any]:
        """One dict per distinct row content (many keys share a measure's row)."""
        sig = tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in row.items())
        return self._rows.setdefault(sig, row)

    # -- one line ----------------------------------------------------------------------------

    def describe(self, hts: str, matched: str | None, date: dt.date) -> tuple[str | None, str]:
        """``describe_code`` of the line, kept per (text, rate line, revision)."""
        slot = sum(date >= s for s in self.starts)
        found = self.described.get((hts, matched, slot))
        if found is None:
            found = describe_code(hts, matched, None, date)
            if len(self.described) > MAX_CODES:
                self.described = {}
            self.described[(hts, matched, slot)] = found
        return found


class Full(Exception):
    """The quoter's code book reached ``MAX_CODES``: start afresh."""


class Miss(Exception):
    """Not in the caches, and not to be learnt now."""


_generation = 0


def _learnt() -> None:
    global _generation
    _generation += 1


def generation() -> int:
    """A number that changes whenever a quoter learns a code or keys (the API freezes the
    garbage collector's view of the heap after it: ``tiro.api.routers.tariff``)."""
    return _generation
