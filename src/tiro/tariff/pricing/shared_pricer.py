"""One ``Pricer`` per measure set shared by the quotes of a process (견적 가격 계산기 공유).

A quote priced with a fresh ``Pricer`` computes its HTS code's table (rates in the revision in
force, scope class) from nothing, about a third of its CPU time. The batch keeps one ``Pricer``
across chunks so each code is worked out once; the quotes of a server process do the same here.
Answers do not change: a ``Pricer`` that has priced other lines prices a line as a fresh one
does (``tests/tariff/test_properties.py``, chunks vs at once; ``tests/tariff/test_shared_pricer.py``).

Its key book is started afresh past ``MAX_KEYS`` keys: learning a key re-derives whole-table
columns (coefficients, the measures table), so a book that only grows made every new key
dearer — measured, 1,000 random quotes: 38 → 108 CPU ms per quote with an unbounded book,
22 ms with 64 keys, 35 ms with a fresh ``Pricer`` each (``bench/results/tariff_quote_latency.md``).

The API runs synchronous routes on a thread pool, and a ``Pricer`` learns as it prices, so
pricing holds a lock (the work is CPU-bound under the GIL: the lock costs no parallelism). A
``Pricer`` is kept for the last few measure sets seen: named scenarios are the same object on
every request; an overlay sent in a request body is a new object each time and just takes the
slot of the oldest.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

import polars as pl

from tiro.tariff.measures.data import MeasureSet
from tiro.tariff.pricing.engine import Priced, Pricer
from tiro.tariff.pricing.key_book import KeyBook

MAX_SETS = 4
MAX_KEYS = 64
_lock = threading.Lock()
_pricers: OrderedDict[int, tuple[MeasureSet, Pricer]] = OrderedDict()
_also_clear: list[Callable[[], None]] = []


def shared_price(
    lines: pl.DataFrame, ms: MeasureSet, hts_table: pl.DataFrame | None = None
) -> Priced:
    """``engine.price`` with the process's ``Pricer`` for ``ms`` (a user's ``hts_table`` is
    priced with a fresh one: it is not the shipped schedule the shared one has learnt)."""
    if hts_table is not None:
        return Pricer(ms, hts_table).price(lines)
    with _lock:
        entry = _pricers.get(id(ms))
        if entry is None or entry[0] is not ms:
            entry = (ms, Pricer(ms))
            _pricers[id(ms)] = entry
        _pricers.move_to_end(id(ms))
        while len(_pricers) > MAX_SETS:
            _pricers.popitem(last=False)
        pricer = entry[1]
        if len(pricer.key_book.keys) > MAX_KEYS:  # its whole-table steps grow with the keys
            pricer.key_book = KeyBook(pricer.t, pricer.registry, pricer.origin_codes)
        return pricer.price(lines)


def on_clear(forget: Callable[[], None]) -> None:
    """Have ``clear`` call ``forget`` too (the quote fast path's caches, ``quote_fast``)."""
    _also_clear.append(forget)


def clear() -> None:
    """Forget every shared ``Pricer`` and every cache registered with ``on_clear`` (tests;
    after the measure data changes on disk)."""
    with _lock:
        _pricers.clear()
    for forget in _also_clear:
        forget()
