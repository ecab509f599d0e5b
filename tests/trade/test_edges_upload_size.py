"""Trade uploads have a size cap: a body past it is a 413 before it is read into memory.

Found by T-BREAK sending absurd sizes: the upload routes read any body whole, and parsing
costs ~33 bytes of memory per byte sent (a 52 MB CSV of 1.92 M rows took the process to
1.7 GB RSS in 5.8 s), so one large POST could exhaust the server's memory for every domain.
The CLI reads files of any size from a path; HTTP uploads stop at ``MAX_UPLOAD_BYTES``.
"""

from __future__ import annotations

import pytest

from tiro.trade import io_files

CSV = "period,reporter,partner,product,flow,value\n2025,KOR,CHN,8542,X,100\n"
ROUTES = [
    ("/api/v1/trade/concentration", {"period": "2025", "reporter": "KOR"}),
    ("/api/v1/trade/complexity", {"period": "2025"}),
    ("/api/v1/trade/shares", {"period": "2025"}),
]


@pytest.fixture
def small_cap(monkeypatch):
    monkeypatch.setattr(io_files, "MAX_UPLOAD_BYTES", 1_000)


def test_the_cap_is_stated_and_generous_for_a_plain_table():
    assert io_files.MAX_UPLOAD_BYTES == 64 * 1024 * 1024


@pytest.mark.parametrize(("path", "params"), ROUTES)
def test_a_declared_body_over_the_cap_is_413(api_client, small_cap, path, params):
    body = CSV + "2025,KOR,USA,8542,X,1\n" * 60  # 1,375 bytes
    r = api_client.post(path, params=params, content=body, headers={"content-type": "text/csv"})
    assert r.status_code == 413, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["field"] == "body" and "1,000" in r.json()["detail"]


def test_a_streamed_body_over_the_cap_is_413(api_client, small_cap):
    def chunks():
        yield CSV.encode()
        for _ in range(60):
            yield b"2025,KOR,USA,8542,X,1\n"

    r = api_client.post("/api/v1/trade/concentration", params=ROUTES[0][1], content=chunks(),
                        headers={"content-type": "text/csv"})  # fmt: skip
    assert r.status_code == 413, r.text


def test_import_is_capped_too_and_a_body_under_the_cap_still_answers(
    api_client, auth_headers, small_cap
):
    headers = {**auth_headers("operator"), "content-type": "text/plain"}
    r = api_client.post("/api/v1/trade/import", content=CSV * 30, headers=headers)
    assert r.status_code == 413, r.text
    r = api_client.post("/api/v1/trade/concentration", params=ROUTES[0][1], content=CSV,
                        headers={"content-type": "text/csv"})  # fmt: skip
    assert r.status_code == 200 and r.json()["hhi"] == 1.0, r.text  # one product: HHI 1
