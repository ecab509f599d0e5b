"""Every request body has a size limit, counted as it streams (tiro.api.body_limit).

T-BREAK found no limit on JSON bodies: FastAPI reads a body whole before the route runs, so
one absurd POST could take the server's memory for every domain. These tests send bodies
past the limit — declared and streamed (chunked, no Content-Length) — to a real server and
watch its memory.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path

import httpx
import pytest
from tests.servers import serve

from tiro.api import body_limit
from tiro.core.parameters import get_params
from tiro.trade import io_files

MiB = 1024 * 1024
REASONABLENESS = "/api/v1/invest/reasonableness"
SMALL = b'{"principal": 100, "cash_flows": [110], "discount_rate": 0.1}'


def _rss() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def _problem(r: httpx.Response, status: int = 413) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["status"] == status and body["type"] == "urn:tiro:error:PayloadTooLarge"
    assert body["field"] == "body" and body["title"] == "Payload too large"
    return body


def test_the_limits_are_the_dated_parameter():
    limits = get_params().at(body_limit.PARAMETER, dt.date(2026, 12, 5))
    assert limits["default"] == 4 * MiB
    # The trade uploads keep their own cap: the app's limit for them is the same number.
    assert limits["trade_upload"] == io_files.MAX_UPLOAD_BYTES
    assert body_limit.limits_on(dt.date(2026, 12, 5)) == limits
    assert set(body_limit.ROUTE_CLASSES.values()) <= set(limits)


def test_each_route_takes_its_own_class():
    limits = {"default": 10, "energy_allocate": 20, "trade_upload": 30,
              "library_upload": 40, "tariff_batch": 50}  # fmt: skip
    mw = body_limit.BodyLimit(lambda *a: None, limits=limits)
    assert mw.limit_for("POST", REASONABLENESS) == 10
    assert mw.limit_for("POST", "/api/v1/tariff/batch") == 50
    assert mw.limit_for("POST", "/api/v1/tariff/batch/") == 50
    assert mw.limit_for("GET", "/api/v1/tariff/batch") == 10  # only the upload method is larger
    assert mw.limit_for("POST", "/api/v1/trade/import") == 30
    assert mw.limit_for("POST", "/api/v1/manufacturing/library/assets/upload") == 40
    assert mw.limit_for("POST", "/api/v1/energy/allocate") == 20


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> str:
    from tiro.api.app import create_app

    # The routes used here touch no table: the database is never created.
    url = f"sqlite:///{tmp_path_factory.mktemp('body') / 'tiro.db'}"
    with serve(create_app(url)) as base:
        yield base


def test_a_small_body_still_works(server):
    r = httpx.post(server + REASONABLENESS, content=SMALL,
                   headers={"content-type": "application/json"})  # fmt: skip
    assert r.status_code == 200, r.text
    # Korea takes half of the 110 before recovery (MOU split): 55 / 1.1 - 100 = -50.
    assert r.json()["npv"] == pytest.approx(-50.0, abs=1e-6)


def test_a_declared_body_past_the_limit_is_refused_unread(server):
    r = httpx.post(server + REASONABLENESS, content=b" " * (4 * MiB + 1),
                   headers={"content-type": "application/json"})  # fmt: skip
    body = _problem(r)
    assert body["detail"] == f"the body is {4 * MiB + 1:,} bytes; at most {4 * MiB:,}"


def test_a_body_just_under_the_limit_reaches_the_route(server):
    padded = SMALL[:-1] + b" " * (4 * MiB - len(SMALL)) + b"}"
    assert len(padded) == 4 * MiB
    r = httpx.post(server + REASONABLENESS, content=padded,
                   headers={"content-type": "application/json"})  # fmt: skip
    assert r.status_code == 200, r.text


def test_a_100_mib_streamed_body_is_413_and_costs_no_more_than_the_limit(server):
    chunk = b" " * (256 * 1024)
    sent = {"bytes": 0}

    def body():
        yield b'{"principal": 100, "cash_flows": ['
        for _ in range(400):  # 100 MiB of JSON whitespace, chunked: no Content-Length
            sent["bytes"] += len(chunk)
            yield chunk
        yield b"110]}"

    peak = {"rss": _rss()}
    before = peak["rss"]
    done = threading.Event()

    def watch():
        while not done.is_set():
            peak["rss"] = max(peak["rss"], _rss())
            time.sleep(0.005)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        try:
            r = httpx.post(server + REASONABLENESS, content=body(), timeout=60,
                           headers={"content-type": "application/json"})  # fmt: skip
        except (httpx.WriteError, httpx.RemoteProtocolError, httpx.ReadError):
            pytest.fail("the server closed the connection without an answer")
    finally:
        done.set()
        watcher.join()
    body_json = _problem(r)
    assert body_json["detail"] == f"the body passes {4 * MiB:,} bytes"
    assert r.request.headers.get("transfer-encoding") == "chunked"
    # The server (in this process) held at most the 4 MiB limit of it, not 100 MiB.
    grew = peak["rss"] - before
    assert grew < 12 * MiB, f"RSS grew {grew / MiB:.1f} MiB for a refused 100 MiB body"


def test_a_streamed_upload_route_keeps_its_larger_limit(server):
    # ~6 MiB to a trade upload passes the app's default (4 MiB) and reaches the route.
    # 250,000 distinct six-digit codes over HS chapters 01..25 (10,000 codes each)
    lines = (f"2025,KOR,CHN,{1 + p // 10_000:02d}{p % 10_000:04d},X,1\n" for p in range(250_000))
    rows = b"period,reporter,partner,product,flow,value\n" + "".join(lines).encode()
    assert len(rows) > 4 * MiB

    def body():
        for i in range(0, len(rows), 65536):
            yield rows[i : i + 65536]

    r = httpx.post(server + "/api/v1/trade/concentration", params={"period": "2025",
                   "reporter": "KOR"}, content=body(), headers={"content-type": "text/csv"},
                   timeout=60)  # fmt: skip
    assert r.status_code == 200, r.text
    assert r.json()["hhi"] == pytest.approx(1 / 250_000)  # 250,000 equal products


def test_every_larger_limit_names_a_real_route(tmp_path):
    # A renamed upload route would silently fall back to the 4 MiB default: keep them in step.
    from tiro.api.app import create_app

    app = create_app(f"sqlite:///{tmp_path / 'tiro.db'}")
    paths = app.openapi()["paths"]  # included routers are nested: read the published paths
    routes = {(m.upper(), path) for path, ops in paths.items() for m in ops}
    missing = set(body_limit.ROUTE_CLASSES) - routes
    assert not missing, missing
