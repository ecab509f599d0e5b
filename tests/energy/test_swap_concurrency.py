"""Concurrent releases at one site through the HTTP API, on SQLite and PostgreSQL.

A real uvicorn server runs on the test database; twelve threads release twelve confirmed
loans of 100,000 bbl at the same moment against a site with 1,000,000 bbl and a 400,000 bbl
floor. Exactly 600,000 / 100,000 = 6 can go through; the other 6 must be refused (409) and
the site must end at its floor to the barrel. The figures are printed for the closing note.
"""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from collections import Counter

import httpx
import pytest
import uvicorn

from tiro.core.audit import verify_chain
from tiro.core.db import get_engine, session_scope
from tiro.energy.swap import queries as swap_queries

from .swap_factories import small_ledger

LOANS = 12
VOLUME = 100_000
STOCK, FLOOR = 1_000_000, 400_000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(configured: str):
    """A live uvicorn server on this test's database (either backend)."""
    from tiro.api.app import create_app

    with session_scope(get_engine(configured)) as s:
        small_ledger(s, stock=STOCK, floor=FLOOR)
    port = _free_port()
    srv = uvicorn.Server(
        uvicorn.Config(create_app(configured), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


def _confirmed_loans(base: str, headers: dict[str, str]) -> list[int]:
    ids = []
    with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
        for i in range(LOANS):
            body = {"refiner": "r1" if i % 2 else "r2", "site": "test", "grade": "Oman",
                    "vessel": f"MT {i}", "origin": "US", "cargo_grade": "WTI",
                    "cargo_bbl": 2 * VOLUME, "loading_date": "2026-03-20",
                    "eta": "2026-04-20", "requested_bbl": VOLUME}  # fmt: skip
            r = client.post(
                "/api/v1/energy/swap/loans", json=body, headers={"Idempotency-Key": f"req-{i}"}
            )
            assert r.status_code == 201, r.text
            loan_id = r.json()["id"]
            r = client.post(f"/api/v1/energy/swap/loans/{loan_id}/confirm",
                            json={"bl_number": f"BL-{i}", "confirmed_bbl": 2 * VOLUME},
                            headers={"Idempotency-Key": f"bl-{i}"})  # fmt: skip
            assert r.status_code == 200, r.text
            ids.append(loan_id)
    return ids


def _fire(base: str, headers: dict[str, str], calls: list[tuple[int, str]]) -> list[httpx.Response]:
    barrier = threading.Barrier(len(calls))
    results: list[httpx.Response | None] = [None] * len(calls)

    def worker(i: int, loan_id: int, key: str) -> None:
        with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
            barrier.wait()
            results[i] = client.post(f"/api/v1/energy/swap/loans/{loan_id}/release",
                                     json={"on": "2026-03-21"}, headers={"Idempotency-Key": key})  # fmt: skip

    threads = [
        threading.Thread(target=worker, args=(i, lid, k)) for i, (lid, k) in enumerate(calls)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [r for r in results if r is not None]


@pytest.mark.postgres
def test_concurrent_releases_cannot_overdraw(
    server, auth_headers, configured, db_backend, capsys
) -> None:
    headers = auth_headers("operator")
    ids = _confirmed_loans(server, headers)
    responses = _fire(server, headers, [(loan_id, f"rel-{loan_id}") for loan_id in ids])
    codes = Counter(r.status_code for r in responses)
    assert len(responses) == LOANS
    # (1,000,000 − 400,000) / 100,000 = 6 releases fit above the floor; 12 − 6 = 6 refused
    assert codes == {200: 6, 409: 6}, codes
    assert all("above its floor" in r.json()["detail"] for r in responses if r.status_code == 409)

    # the same keys again, all at once: each returns its first result, nothing moves twice
    winners = [r.json()["id"] for r in responses if r.status_code == 200]
    repeats = _fire(server, headers, [(loan_id, f"rel-{loan_id}") for loan_id in winners])
    assert all(r.status_code == 200 and r.json()["replayed"] for r in repeats)

    with session_scope(get_engine(configured)) as s:
        status = swap_queries.status(session=s, as_of=dt.date(2026, 3, 21))
        chain = verify_chain(s)
    balance = status["balances"][0]
    released_by_loans = sum(loan["released_bbl"] for loan in status["loans"])
    assert balance["stock_bbl"] == FLOOR == STOCK - 6 * VOLUME
    assert balance["released_bbl"] == balance["outstanding_bbl"] == released_by_loans == 600_000
    assert status["ledger_balanced"] and chain.ok
    with capsys.disabled():
        print(
            f"\n[swap concurrency, {db_backend}] requests={len(responses)} "
            f"released={codes[200]} conflicts_refused={codes[409]} "
            f"replayed_repeats={len(repeats)} final_stock_bbl={balance['stock_bbl']:,} "
            f"floor_bbl={balance['floor_bbl']:,} released_bbl={balance['released_bbl']:,} "
            f"outstanding_bbl={balance['outstanding_bbl']:,} audit_chain_ok={chain.ok}"
        )


@pytest.mark.postgres
def test_concurrent_first_use_of_one_key_creates_one_loan(server, auth_headers, configured) -> None:
    headers = auth_headers("operator")
    body = {"refiner": "r1", "site": "test", "grade": "Oman", "vessel": "MT Twin", "origin": "US",
            "cargo_grade": "WTI", "cargo_bbl": VOLUME, "loading_date": "2026-03-20",
            "eta": "2026-04-20", "requested_bbl": VOLUME}  # fmt: skip
    barrier = threading.Barrier(6)
    results: list[httpx.Response] = []

    def worker() -> None:
        with httpx.Client(base_url=server, headers=headers, timeout=60) as client:
            barrier.wait()
            r = client.post(
                "/api/v1/energy/swap/loans", json=body, headers={"Idempotency-Key": "twin"}
            )
            results.append(r)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r.status_code for r in results] == [201] * 6
    assert len({r.json()["id"] for r in results}) == 1
    assert sorted(r.json()["replayed"] for r in results) == [False] + [True] * 5
    with session_scope(get_engine(configured)) as s:
        assert len(swap_queries.status(session=s, as_of=dt.date(2026, 3, 21))["loans"]) == 1
