"""POST /api/v1/energy/screens/price-display: the observed-price CSV as the request body.

The same checks as ``tiro energy screens price-display --observed FILE`` (one reader), the
file sent as text/csv or as a multipart upload (never a server path); every bad body is a
4xx problem+json naming the field. Expected gaps are computed here from the sample.
"""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest

from tiro.energy.screens.price_display import MAX_OBSERVED_BYTES
from tiro.energy.stations.sample import StationSample

URL = "/api/v1/energy/screens/price-display"
CSV = {"Content-Type": "text/csv"}
HEAD = "station_id,date,product,displayed_price\n"
ON = dt.date(2026, 5, 25)


def _observed(s: StationSample) -> tuple[str, str, str, float]:
    """A CSV in which station a posts 40 won over its report and b posts its report."""
    day = s.prices.filter(pl.col("date") == ON, pl.col("product") == "gasoline").head(2)
    a, b = day.rows(named=True)
    body = (
        f"{HEAD}{a['station_id']},2026-05-25,gasoline,{a['price'] + 40}\n"
        f"{b['station_id']},2026-05-25,gasoline,{b['price']}\n"
    )
    return body, a["station_id"], b["station_id"], a["price"]


def test_text_csv_and_multipart_give_the_cli_answer(
    api_client, cli, tmp_path, station_sample: StationSample
) -> None:
    body, a, _, _ = _observed(station_sample)
    r = api_client.post(URL, content=body.encode(), headers=CSV)
    assert r.status_code == 200, r.text
    data = r.json()
    assert (data["count"], data["observed_rows"], data["data_label"]) == (1, 2, "sample")
    flag = data["flags"][0]
    assert (flag["station_id"], flag["max_gap"], flag["mismatched_days"]) == (a, 40.0, 1)
    assert flag["first_mismatch"] == "2026-05-25"
    up = api_client.post(URL, files={"file": ("observed.csv", body.encode(), "text/csv")})
    assert up.status_code == 200 and up.json() == data
    path = tmp_path / "observed.csv"
    path.write_text(body, encoding="utf-8")
    out = cli(["energy", "screens", "price-display", "--observed", str(path), "--json"])
    assert out.exit_code == 0 and json.loads(out.stdout) == data


def test_a_byte_order_mark_and_crlf_lines_are_read(api_client, station_sample) -> None:
    body, a, _, _ = _observed(station_sample)
    r = api_client.post(URL, content=b"\xef\xbb\xbf" + body.replace("\n", "\r\n").encode(),
                        headers=CSV)  # fmt: skip
    assert r.status_code == 200, r.text
    assert [f["station_id"] for f in r.json()["flags"]] == [a]


def _bad(rows: str) -> bytes:
    return (HEAD + rows).encode()


@pytest.mark.parametrize(
    ("body", "field", "needle"),
    [
        (b"station_id,date,product\nS000001,2026-05-25,gasoline\n", "displayed_price", "lacks"),
        (_bad("NOPE,2026-05-25,gasoline,1800\n"), "station_id", "not in the registry"),
        (_bad("S000001,2026-05-25,gasoline,-1\n"), "displayed_price", "negative"),
        (_bad("S000001,2026-05-25,gasoline,NaN\n"), "displayed_price", "NaN"),
        (_bad("S000001,2026-05-25,gasoline,inf\n"), "displayed_price", "infinity"),
        (_bad("S000001,2026-05-25,gasoline,1e300\n"), "displayed_price", "out of range"),
        (_bad("S000001,2026-05-25,jet,1800\n"), "product", "unknown product"),
        (_bad("S000001,2026-02-30,gasoline,1800\n"), "date", "not a date"),
        (_bad("S000001,2030-05-25,gasoline,1800\n"), "date", "outside the reported days"),
        (_bad("S000001,2026-05-25,gasoline,1800\nS000001,2026-05-25,gasoline,1810\n"),
         "station_id", "line 3"),
        (b"station_id,station_id,date,product,displayed_price\n", "station_id", "twice"),
        (HEAD.encode(), "observed", "no rows"),
        (b"", "observed", "empty"),
        (b" \n\n", "observed", "empty"),
        (_bad("S000001,2026-05-25,gasoline,1800 ") + b"\xe9\n", "observed", "not UTF-8"),
        (_bad("S000001,2026-05-25,gasoline,1,2,3\n"), "observed", "cannot read"),
    ],
)  # fmt: skip
def test_bad_bodies_are_problems_naming_the_field(
    api_client, body: bytes, field: str, needle: str
) -> None:
    r = api_client.post(URL, content=body, headers=CSV)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert problem["field"] == field and needle in problem["detail"], problem


def test_too_large_wrong_type_and_bad_multipart(api_client) -> None:
    big = api_client.post(URL, content=b"x" * (MAX_OBSERVED_BYTES + 1), headers=CSV)
    assert big.status_code == 413 and big.json()["field"] == "body"
    assert big.headers["content-type"] == "application/problem+json"

    def chunks():  # no Content-Length: the cap holds while streaming
        for _ in range(MAX_OBSERVED_BYTES // 1_000_000 + 1):
            yield b"y" * 1_000_000

    streamed = api_client.post(URL, content=chunks(), headers=CSV)
    assert streamed.status_code == 413, streamed.text
    for headers in ({"Content-Type": "application/json"}, {}):
        r = api_client.post(URL, content=HEAD.encode(), headers=headers)
        assert r.status_code == 415 and r.json()["field"] == "body"
    other = api_client.post(URL, files={"upload": ("o.csv", HEAD.encode(), "text/csv")})
    assert other.status_code == 422 and other.json()["field"] == "file"
    broken = api_client.post(URL, content=b"abc", headers={"Content-Type": "multipart/form-data"})
    assert broken.status_code == 400 and broken.json()["field"] == "file"


def test_the_route_never_reads_a_server_path(api_client, tmp_path) -> None:
    # A body naming a file is read as CSV text, not opened: no column, so a 422.
    secret = tmp_path / "observed.csv"
    secret.write_text(HEAD + "S000001,2026-05-25,gasoline,1\n", encoding="utf-8")
    r = api_client.post(URL, content=str(secret).encode(), headers=CSV)
    assert r.status_code == 422 and r.json()["field"] == "station_id"
