"""The fast path of one quote (견적 빠른 경로): the engine's key-level answer, kept per process.

A quote through the engine (``quote.quote_from_priced`` over ``shared_pricer``) runs about a
hundred Polars operations on a one-row frame, ~20 ms of CPU: too slow for an API that should
answer 32 concurrent clients within 50 ms. Almost all of that work depends only on the line's
*pricing key* (``keys.py``: scope class, origin, validity period, declared facts, threshold
states) and on its HTS code in the revision in force; the rest is arithmetic on the customs
value, the quantity and the metal share. So this module keeps, per measure set:

- per (HTS text, revision): the code's column-1 variants (rates, texts, scope class), from the
  engine's own ``CodeBook``;
- per pricing key: its measure rows in answer order and its money coefficients, from the
  engine's own ``key_table`` -> ``resolve`` -> ``coefficients`` — learnt for the key's whole
  neighbourhood (every validity period x metal-share state) at once, since resolving 150 keys
  costs about what resolving one does;

and prices a line with the same formula as ``money.amounts`` in plain Python floats (the same
IEEE operations in the same order). The answer is then formatted by ``quote.quote_answer``, as
the engine path's is. The measure logic is never re-implemented here.

Anything unusual — a code, origin, date or number the engine would refuse, a column-1 specific
rate with a quantity in another unit, a column-1 rate that is unknown while the total is not
withheld — returns None and the caller takes the engine path, which stays the reference
(``tests/tariff/test_quote_fast.py`` proves equal answers on random bodies). A measure set is
served only as the very object it was built from, and ``shared_pricer.clear()`` forgets all.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import polars as pl

from tiro.core.validation import MAX_MAGNITUDE
from tiro.tariff.measures.data import MeasureSet
from tiro.tariff.pricing.engine import Pricer
from tiro.tariff.pricing.keys import DEFAULT_STATE, FIELDS, TRI_FACTS, key_table
from tiro.tariff.pricing.money import BASES, coefficients, line_coefficients
from tiro.tariff.pricing.resolve import resolve
from tiro.tariff.pricing.shared_pricer import on_clear
from tiro.tariff.schedule.describe import describe_code
from tiro.tariff.schedule.revisions import revisions

MAX_SETS = 4
MAX_KEYS = 50_000
"""Keys kept per measure set (a few KB each, rows shared); past it the cache starts afresh."""
MAX_CODES = 20_000
"""(HTS text, revision) pairs kept per measure set; past it the quoter starts afresh (its code
book, which keeps every text it was asked, too)."""
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CODE = re.compile(r"\d{8}|\d{10}")
_SHIFT: dict[str, int] = {}
_left = 64
for _name, _bits in FIELDS:
    _left -= _bits
    _SHIFT[_name] = _left
_WIDTH = dict(FIELDS)


def _state(value: float, thresholds: tuple[float, ...], *, strict: bool) -> int:
    """``keys.threshold_state`` of one value: 0 unknown (NaN), else 1 + thresholds passed."""
    if value != value:
        return 0
    return 1 + sum((value > v) if strict else (value >= v) for v in thresholds)


def _field(key: int, name: str) -> int:
    return (key >> _SHIFT[name]) % (1 << _WIDTH[name])


def _with(key: int, name: str, value: int) -> int:
    mask = ((1 << _WIDTH[name]) - 1) << _SHIFT[name]
    return (key & ~mask) | (value << _SHIFT[name])


@dataclass(frozen=True)
class _Variant:
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
class _Key:
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
        self.codes: dict[tuple[str, int], tuple[_Variant, _Variant] | None] = {}
        self.keys: dict[int, _Key] = {}
        self.described: dict[tuple[str, str | None, int], tuple[str | None, str]] = {}
        self._rows: dict[tuple[Any, ...], dict[str, Any]] = {}
        self.learnt = 0  # keys resolved (tests read it)
        self.answered = 0  # lines answered by the fast path (tests read it)

    # -- per-request lookups (lock-free reads of immutable entries) --------------------------

    def _day(self, text: str) -> tuple[dt.date, int, int] | None:
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

    def _variants(
        self, hts: str, date: dt.date, slot: int, learn: bool
    ) -> tuple[_Variant, _Variant] | None:
        found = self.codes.get((hts, slot), False)
        if found is not False:
            return found
        if not _CODE.fullmatch(re.sub(r"[.\s]", "", hts)):
            return None  # malformed: the engine words the error
        if not learn:
            raise _Miss
        with self.lock:
            book = self.pricer.book
            row = int(
                book.rows(pl.Series([hts], dtype=pl.Utf8), pl.Series([date], dtype=pl.Date))[0]
            )
            entry = None
            if int(book.code_error[row]) == 0:
                class_bits = int(book.class_id[row]) << _SHIFT["class_id"]
                entry = tuple(
                    self._variant(book, 2 * row + korus, class_bits, korus) for korus in (0, 1)
                )
            if len(self.codes) > MAX_CODES:
                raise _Full
            self.codes[(hts, slot)] = entry
            _learnt()
        return entry

    def _variant(self, book: Any, var: int, class_bits: int, korus: int) -> _Variant:
        column1 = float(book.column1[var])
        static = int(book.static_needs[var])
        row = book.variants.row(var, named=True)
        bits = (
            class_bits
            | korus << _SHIFT["korus_eff"]
            | _state(column1, self.t.column1_thresholds, strict=False) << _SHIFT["c1_state"]
            | static << _SHIFT["base_needs_id"]
        )
        return _Variant(
            bits,
            column1,
            float(book.ad_valorem[var]),
            float(book.specific[var]),
            int(book.qty_needs[var]),
            row["column1_rate_text"],
            row["column1_source"],
            row["hts_matched"],
        )

    def _key(self, key: int, learn: bool, twin: int) -> _Key:
        found = self.keys.get(key)
        if found is not None:
            return found
        if not learn:
            raise _Miss
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
            self.keys[key_id] = _Key(
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

    def line(
        self, fields: dict[str, Any], learn: bool = True
    ) -> tuple[dict[str, Any], _Key, str | None] | None:
        """The engine's output values of one line, its key's entry and the matched rate line,
        or None when the line should take the engine path. Without ``learn``, a code or key
        not in the caches raises ``_Miss`` (nothing slow is done)."""
        hts, origin = fields.get("hts"), fields.get("origin")
        if type(hts) is not str or type(origin) is not str or origin not in self.iso:
            return None
        if set(fields) - _FIELDS:
            return None
        facts = fields.get("facts") or {}
        if any(f not in TRI_FACTS or type(v) is not bool for f, v in facts.items()):
            return None
        value = _number(fields.get("customs_value"))
        share = _number(fields.get("metal_share"), upper=1.0)
        qty = _number(fields.get("quantity"))
        korus, unit = fields.get("korus"), fields.get("unit")
        if value is None or (fields.get("metal_share") is not None and share is None):
            return None
        if (fields.get("quantity") is not None and qty is None) or korus not in (None, True, False):
            return None
        entry_date = fields.get("entry_date")
        day = self._day(entry_date if isinstance(entry_date, str) else str(entry_date))
        if day is None:
            return None
        date, slot, period = day
        variants = self._variants(hts, date, slot, learn)
        if variants is None:
            return None
        origin_id = self.iso[origin]
        korus_eff = int(origin_id == self.korea and korus is not False)
        v = variants[korus_eff]
        c1, key = v.column1, v.bits
        other = variants[1 - korus_eff]  # the line with the other KORUS claim (Korea only)
        twin = origin_id == self.korea and math.isnan(v.specific) and math.isnan(other.specific)
        if not math.isnan(v.specific):  # ``Pricer._specific_rates``
            if unit is not None:
                return None  # a unit conversion: the engine's join
            needs = v.qty_needs if qty is None else (self.value_needs if value <= 0 else 0)
            c1 = math.nan if needs else v.ad_valorem + v.specific * qty / value
            key |= _state(c1, self.t.column1_thresholds, strict=False) << _SHIFT["c1_state"]
            key |= needs << _SHIFT["base_needs_id"]
        key |= origin_id << _SHIFT["origin_id"] | period << _SHIFT["period_idx"]
        for fact in TRI_FACTS:
            given = facts.get(fact)
            state = DEFAULT_STATE.get(fact, 2) if given is None else int(given)
            key |= state << _SHIFT[f"{fact}_state"]
        if share is not None:
            key |= _state(share, self.t.metal_thresholds, strict=True) << _SHIFT["metal_state"]
        key |= int(qty is not None) << _SHIFT["qty_known"]
        k = self._key(key, learn, (key ^ v.bits) | other.bits if twin else key)
        money = _amounts(k, c1, value, share, qty)
        if money is None:
            return None
        base_duty, additional, total, total_rate = money
        line = {
            "hts": hts,
            "origin": origin,
            "entry_date": date,
            "customs_value": value,
            "quantity": qty,
            "metal_share": share,
            "base_rate": _null(c1),
            "column1_rate_text": v.rate_text,
            "column1_source": v.source,
            "base_duty": _null(base_duty),
            "additional_duty": _null(additional),
            "total_duty": _null(total),
            "total_rate": _null(total_rate),
            "needs": k.needs,
            "key_id": key,
        }
        self.answered += 1
        return line, k, v.matched

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


class _Full(Exception):
    """The quoter's code book reached ``MAX_CODES``: start afresh."""


class _Miss(Exception):
    """Not in the caches, and not to be learnt now."""


_FIELDS = {
    "hts",
    "origin",
    "entry_date",
    "customs_value",
    "quantity",
    "unit",
    "korus",
    "metal_share",
    "facts",
}


def _number(value: Any, upper: float = MAX_MAGNITUDE) -> float | None:
    """A float the engine would accept as it is (finite, 0..upper), else None."""
    if type(value) not in (float, int) or not math.isfinite(value):
        return None
    return float(value) if 0 <= value <= upper else None


def _null(value: float) -> float | None:
    return None if value != value else value


def _amounts(
    k: _Key, c1: float, value: float, share: float | None, qty: float | None
) -> tuple[float, float, float, float] | None:
    """``money.amounts`` for one line, the same operations in the same order. The engine skips
    a term whose coefficient is zero for every key it knows; here a zero term is added, which
    changes nothing — except a lift ``max(top - c1, 0)`` with an unknown column-1 rate on a
    total that is not withheld (NaN here, maybe 0 there): such a line returns None."""
    if c1 != c1 and k.base == k.base:
        return None
    lift = [max(top - c1, 0.0) for top in k.top]  # full, metal, non-metal (``BASES``)
    rate = k.base
    rate += lift[0]
    rate += lift[2]
    if share is not None:
        tilt = k.metal_tilt
        tilt += lift[1]
        tilt -= lift[2]
        rate += share * tilt
    additional = rate * value
    if qty is not None:
        additional += k.spec * qty
    additional += max(k.mip * (0.0 if qty is None else qty) - value, 0.0)
    base = c1 * value
    total = base + additional
    total_rate = total / value if value > 0 else math.nan
    return base, additional, total, total_rate


MAX_SEEN = 16
_generation = 0


def _learnt() -> None:
    global _generation
    _generation += 1


def generation() -> int:
    """A number that changes whenever a quoter learns a code or keys (the API freezes the
    garbage collector's view of the heap after it: ``tiro.api.routers.tariff``)."""
    return _generation


_lock = threading.Lock()
_quoters: OrderedDict[int, tuple[MeasureSet, FastQuoter]] = OrderedDict()
_seen: OrderedDict[int, MeasureSet] = OrderedDict()  # asked for once, no quoter yet


def fast_line(
    ms: MeasureSet, fields: dict[str, Any], learn: bool = True
) -> tuple[dict[str, Any], _Key, str | None, FastQuoter] | None:
    """The fast path's line for ``fields`` under ``ms`` (see ``FastQuoter.line``), or None;
    without ``learn`` also None when anything would have to be computed first.

    A measure set gets a quoter the second time it is asked for: a shipped scenario is the same
    object on every request, while an overlay sent in a request body is a new object each time
    and would only pay for a quoter it never reuses. Sightings are kept apart from quoters, so
    a stream of overlays never pushes a shipped scenario's quoter out. Both hold ``ms`` itself:
    its id cannot be reused by another object while it is remembered."""
    with _lock:
        entry = _quoters.get(id(ms))
        if entry is not None and entry[0] is ms:
            quoter = entry[1]
        elif not learn:
            return None
        elif _seen.get(id(ms)) is not ms:
            _seen[id(ms)] = ms
            _seen.move_to_end(id(ms))
            while len(_seen) > MAX_SEEN:
                _seen.popitem(last=False)
            return None
        else:
            del _seen[id(ms)]
            quoter = FastQuoter(ms)
            _quoters[id(ms)] = (ms, quoter)
            while len(_quoters) > MAX_SETS:
                _quoters.popitem(last=False)
        _quoters.move_to_end(id(ms))
    try:
        found = quoter.line(fields, learn)
    except _Miss:
        return None
    except _Full:
        with _lock:
            if _quoters.get(id(ms), (None, None))[1] is quoter:
                _quoters[id(ms)] = (ms, FastQuoter(ms))
        return None
    return None if found is None else (*found, quoter)


def clear() -> None:
    """Forget every quoter (``shared_pricer.clear()`` calls it)."""
    with _lock:
        _quoters.clear()
        _seen.clear()


on_clear(clear)
