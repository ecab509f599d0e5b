"""Quotes priced by the process's shared ``Pricer`` answer exactly as with a fresh one (issue 11
item 5: the cache is for speed only), in any order and from concurrent threads."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiro.tariff.pricing import quote as quote_module
from tiro.tariff.pricing import shared_pricer
from tiro.tariff.pricing.engine import price
from tiro.tariff.pricing.quote import quote

CODES = ["8703.23.01", "7326.90.86", "7606.12.30", "8507.60.00", "8542.32.00", "3304.99.50.00"]
CODES += ["9401.61.40.11", "8802.40.01", "3004.90.92", "8708.99.81", "2709.00.20"]
body = st.fixed_dictionaries(
    {
        "hts": st.sampled_from(CODES),
        "origin": st.sampled_from(["KR", "KR", "JP", "CN"]),
        "entry_date": st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 31)),
        "customs_value": st.floats(0, 1e6, allow_nan=False),
        "korus": st.sampled_from([True, False, None]),
        "metal_share": st.one_of(st.none(), st.floats(0, 1)),
        "quantity": st.one_of(st.none(), st.floats(0, 1e4)),
    }
)


def _fresh(monkeypatch: pytest.MonkeyPatch, b: dict) -> dict:
    """The quote as it was before the shared Pricer: a fresh one per quote."""
    with monkeypatch.context() as m:
        m.setattr(quote_module, "shared_price", price)
        return quote(**b)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(body, min_size=1, max_size=4))
def test_shared_pricer_quotes_equal_fresh_ones(monkeypatch, bodies: list[dict]) -> None:
    for b in bodies:
        assert quote(**b) == _fresh(monkeypatch, b)


def test_concurrent_quotes_equal_sequential_ones(monkeypatch) -> None:
    shared_pricer.clear()
    bodies = [
        {"hts": c, "origin": o, "entry_date": d, "customs_value": 1000.0 + i, "metal_share": 0.4}
        for i, (c, o, d) in enumerate(
            (c, o, d)
            for c in CODES
            for o in ("KR", "JP")
            for d in (dt.date(2025, 6, 1), dt.date(2026, 2, 1), dt.date(2026, 10, 1))
        )
    ]
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(lambda b: quote(**b), bodies))
    assert together == [_fresh(monkeypatch, b) for b in bodies]


def test_an_error_quote_leaves_the_shared_pricer_usable() -> None:
    from tiro.core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        quote(hts="8703.23.99.99", origin="KR", entry_date="2025-12-01", customs_value=1.0)
    answer = quote(hts="8703.23.01", origin="KR", entry_date="2025-12-01", customs_value=30000.0)
    assert answer["total_duty"] is not None


def test_the_shared_key_book_is_bounded(monkeypatch) -> None:
    """Past MAX_KEYS keys a fresh key book takes over; the code book stays (the engine path:
    the fast path, ``quote_fast``, keeps its own caches)."""
    shared_pricer.clear()
    monkeypatch.setattr(shared_pricer, "MAX_KEYS", 0)
    quote(hts="8703.23.01", origin="KR", entry_date="2025-12-01", customs_value=1.0, fast=False)
    pricer = next(iter(shared_pricer._pricers.values()))[1]
    book, keys = pricer.book, pricer.key_book
    again = quote(
        hts="8703.23.01", origin="JP", entry_date="2025-12-01", customs_value=1.0, fast=False
    )
    assert pricer.key_book is not keys and pricer.book is book
    assert len(pricer.key_book.keys) == 1
    assert again == quote(
        hts="8703.23.01", origin="JP", entry_date="2025-12-01", customs_value=1.0, fast=False
    )
