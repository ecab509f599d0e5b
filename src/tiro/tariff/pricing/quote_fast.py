"""The fast path of one quote (견적 빠른 경로): the engine's key-level answer, kept per process.

A quote through the engine (``quote.quote_from_priced`` over ``shared_pricer``) runs about a
hundred Polars operations on a one-row frame, ~20 ms of CPU: too slow for an API that should
answer 32 concurrent clients within 50 ms. Almost all of that work depends only on the line's
*pricing key* (``keys.py``: scope class, origin, validity period, declared facts, threshold
states) and on its HTS code in the revision in force; the rest is arithmetic on the customs
value, the quantity and the metal share. So a ``quote_cache.FastQuoter`` per measure set keeps

- per (HTS text, revision): the code's column-1 variants (rates, texts, scope class), from the
  engine's own ``CodeBook``;
- per pricing key: its measure rows in answer order and its money coefficients, from the
  engine's own ``key_table`` -> ``resolve`` -> ``coefficients`` — learnt for the key's whole
  neighbourhood (every validity period x metal-share state, both KORUS claims of a Korean line)
  at once, since resolving ~180 keys costs about what resolving one does;

and this module builds a line's key as ``Pricer.price`` does and prices it with the same formula
as ``money.amounts`` in plain Python floats (the same IEEE operations in the same order). The answer is then formatted by ``quote.quote_answer``, as
the engine path's is. The measure logic is never re-implemented here.

Anything unusual — a code, origin, date or number the engine would refuse, a column-1 specific
rate with a quantity in another unit, a column-1 rate that is unknown while the total is not
withheld — returns None and the caller takes the engine path, which stays the reference
(``tests/tariff/test_quote_fast.py`` proves equal answers on random bodies). A measure set is
served only as the very object it was built from, and ``shared_pricer.clear()`` forgets all.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from typing import Any

from tiro.core.validation import MAX_MAGNITUDE
from tiro.tariff.measures.data import MeasureSet
from tiro.tariff.pricing.keys import DEFAULT_STATE, TRI_FACTS
from tiro.tariff.pricing.quote_cache import SHIFT, FastQuoter, Full, Key, Miss, state_of
from tiro.tariff.pricing.quote_cache import generation as generation
from tiro.tariff.pricing.shared_pricer import on_clear

MAX_SETS = 4
"""Measure sets with a quoter (shipped scenarios in use)."""
MAX_SEEN = 16
"""Measure sets asked for once and remembered by identity (overlays mostly)."""


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
    k: Key, c1: float, value: float, share: float | None, qty: float | None
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


def _price_line(
    quoter: FastQuoter, fields: dict[str, Any], learn: bool
) -> tuple[dict[str, Any], Key, str | None] | None:
    """The engine's output values of one line, its key's entry and the matched rate line,
    or None when the line should take the engine path. Without ``learn``, a code or key
    not in the caches raises ``Miss`` (nothing slow is done)."""
    hts, origin = fields.get("hts"), fields.get("origin")
    if type(hts) is not str or type(origin) is not str or origin not in quoter.iso:
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
    day = quoter.day(entry_date if isinstance(entry_date, str) else str(entry_date))
    if day is None:
        return None
    date, slot, period = day
    variants = quoter.variants(hts, date, slot, learn)
    if variants is None:
        return None
    origin_id = quoter.iso[origin]
    korus_eff = int(origin_id == quoter.korea and korus is not False)
    v = variants[korus_eff]
    c1, key = v.column1, v.bits
    other = variants[1 - korus_eff]  # the line with the other KORUS claim (Korea only)
    twin = origin_id == quoter.korea and math.isnan(v.specific) and math.isnan(other.specific)
    if not math.isnan(v.specific):  # ``Pricer._specific_rates``
        if unit is not None:
            return None  # a unit conversion: the engine's join
        needs = v.qty_needs if qty is None else (quoter.value_needs if value <= 0 else 0)
        c1 = math.nan if needs else v.ad_valorem + v.specific * qty / value
        key |= state_of(c1, quoter.t.column1_thresholds, strict=False) << SHIFT["c1_state"]
        key |= needs << SHIFT["base_needs_id"]
    key |= origin_id << SHIFT["origin_id"] | period << SHIFT["period_idx"]
    for fact in TRI_FACTS:
        given = facts.get(fact)
        state = DEFAULT_STATE.get(fact, 2) if given is None else int(given)
        key |= state << SHIFT[f"{fact}_state"]
    if share is not None:
        key |= state_of(share, quoter.t.metal_thresholds, strict=True) << SHIFT["metal_state"]
    key |= int(qty is not None) << SHIFT["qty_known"]
    k = quoter.key(key, learn, (key ^ v.bits) | other.bits if twin else key)
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
    quoter.answered += 1
    return line, k, v.matched


_lock = threading.Lock()
_quoters: OrderedDict[int, tuple[MeasureSet, FastQuoter]] = OrderedDict()
_seen: OrderedDict[int, MeasureSet] = OrderedDict()  # asked for once, no quoter yet


def fast_line(
    ms: MeasureSet, fields: dict[str, Any], learn: bool = True
) -> tuple[dict[str, Any], Key, str | None, FastQuoter] | None:
    """The fast path's line for ``fields`` under ``ms`` (see ``_price_line``), or None;
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
        found = _price_line(quoter, fields, learn)
    except Miss:
        return None
    except Full:
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
