"""The quote fast path (``tiro.tariff.pricing.quote_fast``/``quote_cache``, issue 11 item 5) answers exactly as
the engine path: the same JSON text for random bodies over the whole shipped schedule, never
an answer of another scenario or overlay, nothing kept after ``shared_pricer.clear()``.

The engine path (``quote(..., fast=False)``) is the reference throughout.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiro.core.errors import TiroError
from tiro.tariff.measures.data import load_measure_set
from tiro.tariff.pricing import quote_cache, quote_fast, shared_pricer
from tiro.tariff.pricing.keys import TRI_FACTS
from tiro.tariff.pricing.quote import quote
from tiro.tariff.schedule.revisions import revisions, schedule_table
from tiro.tariff.schemas import TariffOverlay, overlay_measure_set

ORIGINS = ["KR", "KR", "KR", "JP", "CN", "DE", "VN", "CA", "MX", "IN", "BR", "GB"]
HOT = ["8703.23.01", "7326.90.86", "7606.12.30", "8708.99.81", "3004.90.92", "2709.00.20"]
MODES = [None, "ocean", "air", "truck", "rail", "mail"]


@lru_cache(maxsize=1)
def _schedule_codes() -> list[str]:
    """Every line of the first and the last shipped revision, dotted as printed and as digits."""
    out: set[str] = set()
    for revision in (revisions()[0], revisions()[-1]):
        table = schedule_table(revision.id)
        out.update(table["htsno"].to_list())
        out.update(table["hts"].to_list()[::7])
    return sorted(c for c in out if c)


def _answer(fast: bool, body: dict[str, Any]) -> tuple[str, str]:
    """('ok', JSON text) or ('error', field and message): what either path gives."""
    try:
        return "ok", json.dumps(quote(**body, fast=fast), sort_keys=False)
    except TiroError as exc:
        return "error", exc.one_line()


def _same(body: dict[str, Any]) -> None:
    assert _answer(True, body) == _answer(False, body), body


def _fast_answered() -> int:
    return sum(q.answered for _, q in quote_fast._quoters.values())


codes = st.one_of(
    st.sampled_from(HOT),
    st.builds(lambda: None).flatmap(lambda _: st.sampled_from(_schedule_codes())),
    st.sampled_from(["8703.23.99.99", "abc", "1234567", " 8703.23.01", "9999.99.99"]),
)
broker = st.fixed_dictionaries(
    {},
    optional={
        "mode": st.sampled_from(MODES),
        "producer": st.sampled_from(["POSCO", "Hyundai Steel", "someone else"]),
        "landed": st.booleans(),
        "krw": st.booleans(),
        "krw_rate": st.floats(500, 2000),
        "compare_korus": st.booleans(),
    },
)
bodies = st.fixed_dictionaries(
    {
        "hts": codes,
        "origin": st.sampled_from(ORIGINS),
        "entry_date": st.dates(dt.date(2025, 1, 1), dt.date.today()).map(dt.date.isoformat),
        "customs_value": st.one_of(st.floats(0, 1e9), st.integers(0, 10**7), st.just(0.0)),
    },
    optional={
        "quantity": st.one_of(st.none(), st.floats(0, 1e6)),
        "unit": st.sampled_from([None, "kg", "t", "liter", "No."]),
        "korus": st.sampled_from([True, False, None]),
        "metal_share": st.one_of(st.none(), st.floats(0, 1)),
        "facts": st.dictionaries(st.sampled_from(TRI_FACTS), st.booleans(), max_size=3),
        "broker": broker,
    },
)


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(bodies)
def test_fast_answers_equal_engine_answers_over_the_schedule(body: dict[str, Any]) -> None:
    _same(body)


money = st.fixed_dictionaries(
    {
        "entry_date": st.dates(dt.date(2025, 1, 1), dt.date.today()).map(dt.date.isoformat),
        "customs_value": st.floats(0, 1e8),
        "metal_share": st.one_of(st.none(), st.floats(0, 1)),
        "quantity": st.one_of(st.none(), st.floats(0, 1e5)),
        "korus": st.sampled_from([True, False, None]),
    }
)


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.sampled_from(HOT),
    st.sampled_from(["KR", "JP", "CN"]),
    st.dictionaries(st.sampled_from(TRI_FACTS), st.booleans(), max_size=2),
    st.lists(money, min_size=2, max_size=6),
)
def test_cache_hits_equal_engine_answers(
    hts: str, origin: str, facts: dict[str, bool], variations: list[dict[str, Any]]
) -> None:
    """One code and origin with many dates, values and shares: after the first, most lines are
    answered from the caches (the hot path a server sees) and still equal the engine's."""
    before = _fast_answered()
    for v in variations:
        _same({"hts": hts, "origin": origin, "facts": facts, **v})
    assert _fast_answered() > before


def test_worked_examples_take_the_fast_path() -> None:
    """Hand-checked answers (tests/tariff/test_quote_answer.py has more): a Korean car on
    2025-12-01, KORUS claimed: 15% all-in (9903.94.44 tops 0% up to 15%) = 4,500 on 30,000."""
    body = {"hts": "8703.23.01", "origin": "KR", "entry_date": "2025-12-01"}
    quote(**body, customs_value=1.0)
    before = _fast_answered()
    q = quote(**body, customs_value=30000.0)
    assert _fast_answered() == before + 1
    assert (q["base_duty"], q["total_duty"], q["total_rate"]) == (0.0, 4500.0, 0.15)
    assert json.dumps(q) == json.dumps(quote(**body, customs_value=30000.0, fast=False))


def test_a_scenario_never_gets_another_scenarios_answer() -> None:
    body = {"hts": "8703.23.01", "origin": "KR", "entry_date": "2025-12-01"}
    body["customs_value"] = 30000.0
    answers = {}
    for scenario in ("actual", "no_deal", "actual", "no_deal", "no_deal"):
        fast = quote(**body, scenario=scenario)
        assert json.dumps(fast) == json.dumps(quote(**body, scenario=scenario, fast=False))
        answers.setdefault(scenario, fast)
        assert fast == answers[scenario]
    assert answers["actual"]["total_duty"] != answers["no_deal"]["total_duty"]
    quoters = [q for _, q in quote_fast._quoters.values()]
    assert {q.ms.scenario for q in quoters} >= {"actual", "no_deal"}


def test_an_overlay_is_priced_as_its_own_measure_set() -> None:
    """The same overlay object twice (the second from the fast path) and a new object with the
    same content: each equals the engine under that overlay, never the baseline's answer."""
    body = {"hts": "8703.23.01", "origin": "KR", "entry_date": "2025-12-01"}
    body["customs_value"] = 30000.0
    base = quote(**body)
    heading = base["lines"][0]["heading"]
    ids = [m.id for m in load_measure_set(None).measures if m.heading == heading]
    overlay = TariffOverlay(remove=ids)
    ms = overlay_measure_set(overlay)
    first, second = quote(**body, scenario=ms), quote(**body, scenario=ms)
    assert first == second == quote(**body, scenario=ms, fast=False)
    assert first["total_duty"] != base["total_duty"]
    assert any(q.ms is ms for _, q in quote_fast._quoters.values())
    other = overlay_measure_set(overlay)
    assert quote(**body, scenario=other) == first
    assert quote(**body) == base


def test_clear_forgets_every_cache() -> None:
    body = {"hts": "7326.90.86", "origin": "KR", "entry_date": "2026-03-01"}
    quote(**body, customs_value=1.0, metal_share=0.5)
    quote(**body, customs_value=2.0, metal_share=0.5)
    ms = load_measure_set(None)
    quoter = quote_fast._quoters[id(ms)][1]
    assert quoter is not None and quoter.keys
    shared_pricer.clear()
    assert not quote_fast._quoters and not quote_fast._seen and not shared_pricer._pricers
    again = quote(**body, customs_value=2.0, metal_share=0.5)
    assert again == quote(**body, customs_value=2.0, metal_share=0.5, fast=False)
    quote(**body, customs_value=3.0, metal_share=0.5)
    fresh = quote_fast._quoters[id(ms)][1]
    assert fresh is not quoter


def test_the_key_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past MAX_KEYS the key cache starts afresh; answers do not change."""
    shared_pricer.clear()
    monkeypatch.setattr(quote_cache, "MAX_KEYS", 10)
    for i, origin in enumerate(["KR", "JP", "CN", "DE", "KR"]):
        _same(
            {"hts": "8708.99.81", "origin": origin, "entry_date": "2026-01-05"}
            | {"customs_value": 100.0 + i}
        )
    quoter = next(q for _, q in quote_fast._quoters.values())
    per_learn = 2 * len(quoter.bounds) * (len(quoter.t.metal_thresholds) + 2)
    assert len(quoter.keys) <= per_learn


def test_concurrent_fast_quotes_equal_engine_ones() -> None:
    shared_pricer.clear()
    work = [
        {"hts": c, "origin": o, "entry_date": d, "customs_value": 1000.0 + i, "metal_share": 0.4}
        for i, (c, o, d) in enumerate(
            (c, o, d)
            for c in HOT
            for o in ("KR", "JP")
            for d in ("2025-06-01", "2026-02-01", "2026-10-01")
        )
    ]
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(lambda b: json.dumps(quote(**b)), work * 2))
    assert together == [json.dumps(quote(**b, fast=False)) for b in work * 2]


def test_the_api_answers_as_the_engine(api_client) -> None:
    """The async route: the first answers come from the thread pool (learning), the rest from
    the caches on the event loop; an overlay body always from the thread pool."""
    body = {"hts": "7606.12.30", "origin": "KR", "entry_date": "2026-02-20", "metal_share": 0.7}
    for value in (10.0, 2500.5, 99999.0, 0.0):
        r = api_client.post("/api/v1/tariff/quote", json={**body, "customs_value": value})
        assert r.status_code == 200, r.text
        engine = quote(**body, customs_value=value, fast=False)
        assert r.json() == json.loads(json.dumps(engine))
    overlay = {"remove": [], "end": {}, "add": [], "description": "nothing changed"}
    r = api_client.post(
        "/api/v1/tariff/quote", json={**body, "customs_value": 5.0, "scenario": overlay}
    )
    assert r.status_code == 200, r.text
    assert r.json()["total_duty"] == quote(**body, customs_value=5.0, fast=False)["total_duty"]
    bad = api_client.post("/api/v1/tariff/quote", json={**body, "customs_value": 1.0, "hts": "12"})
    assert bad.status_code == 422 and bad.json()["field"] == "hts"


def test_overlays_do_not_push_out_a_shipped_scenarios_quoter() -> None:
    """Each overlay in a request body is a new object: seen once, never given a quoter, and the
    baseline's quoter (with everything it learnt) stays."""
    body = {"hts": "8703.23.01", "origin": "KR", "entry_date": "2025-12-01", "customs_value": 9.0}
    quote(**body)
    quote(**body)
    baseline = quote_fast._quoters[id(load_measure_set(None))][1]
    for i in range(quote_fast.MAX_SETS + 3):
        ms = overlay_measure_set(TariffOverlay(description=f"what-if {i}"))
        assert quote(**body, scenario=ms) == quote(**body, scenario=ms, fast=False)
    assert quote_fast._quoters[id(load_measure_set(None))][1] is baseline


EDGE_CODES = ["2709.00.20", "8703.23.01", "7208.10.15", "2204.21.50", "0101.21.00.10"]
EDGE_CODES += ["8541.43.00.10"]


def test_edges_equal_engine_answers() -> None:
    """Dates after the data and far ahead, values of 0, 1e-9 and the largest accepted, zero and
    blank quantities with and without a unit (crude oil and wine have specific column-1 rates;
    solar modules a minimum import price), metal shares 0, 1 and the 15% threshold itself: a
    seeded 400 of this grid's 5,184 (a larger grid — 2027-06-01 and the unit t as well,
    10,368 bodies — was run once in full: no difference)."""
    grid = list(
        itertools.product(
            EDGE_CODES,
            ["KR", "CN", "MX"],
            ["2025-01-01", "2026-12-04", "2031-01-01"],
            [0.0, 1e-9, 123456.78, 1e15],
            [None, 0.0, 12.5],
            [None, "kg"],
            [None, 0.0, 1.0, 0.15],
        )
    )
    for hts, origin, date, value, qty, unit, share in random.Random(0).sample(grid, 400):
        _same(
            {
                "hts": hts,
                "origin": origin,
                "entry_date": date,
                "customs_value": value,
                "quantity": qty,
                "unit": unit,
                "metal_share": share,
            }
        )
