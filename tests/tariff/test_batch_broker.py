"""Batch broker columns (issue 11 item 4, ``batch/broker_columns.py``): the MPF per entry or per
line, the HMF by transport mode and AD/CVD deposits, with numbers computed by hand from the
dated parameters (2025-10-01 on: MPF 0.3464%, minimum $33.58, maximum $651.50 — CBP Dec. 25-10;
HMF 0.125% on ocean cargo — 19 CFR 24.24) and the shipped order rates."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiro.core.errors import InvalidInput
from tiro.tariff.batch.stream import run_batch

HEADER = "hts,origin,entry_date,customs_value,korus,mode,entry_id,producer\n"
LINES = [
    # E1: 300,000 x 0.3464% = 1,039.20 > max 651.50; shares by value 1/3 and 2/3
    "7208.51.0030,KR,2025-11-03,100000,false,ocean,E1,",
    "7208.51.0030,KR,2025-11-03,200000,false,air,E1,",
    # E2: 3,000 x 0.3464% = 10.39 < min 33.58; shares 11.19 and 22.39
    "8471.30.0100,JP,2025-11-03,1000,,truck,E2,",
    "8471.30.0100,JP,2025-11-03,2000,,,E2,",
    # E3: the KORUS-claimed line pays nothing; the other 20,000 x 0.3464% = 69.28
    "8471.30.0100,KR,2025-11-03,50000,,ocean,E3,",
    "8471.30.0100,KR,2025-11-03,20000,false,ocean,E3,",
    # no entry id: an entry of its own, 2,000 x 0.3464% = 6.93 -> the minimum 33.58
    "8471.30.0100,JP,2025-11-03,2000,,rail,,",
    # AD/CVD cold-rolled steel (A-580-881), POSCO's rate 2.7% from 2024-02-23: 5,400.00
    "7209.16.0040,KR,2025-11-20,200000,false,ocean,E4,(주)포스코",
    # the same order without a producer: the deposit is unknown and asks for it
    "7209.16.0040,KR,2025-11-20,200000,false,ocean,E5,",
]
COLUMNS = ["line_id", "entry_id", "mpf", "hmf", "adcvd_deposit", "adcvd_needs"]


def _run(tmp: Path, rows: list[str], columns: list[str], **kw: object) -> pl.DataFrame:
    source = tmp / "in.csv"
    source.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    out = tmp / "out.parquet"
    run_batch(source, out, columns=columns, **kw)  # type: ignore[arg-type]
    assert not list(tmp.glob("*.tmp.parquet")), "the interim file of the 2nd pass is removed"
    return pl.read_parquet(out)


@pytest.mark.parametrize("chunk_rows", [1_000_000, 1])
@pytest.mark.parametrize("read_typed", [True, False])
def test_mpf_per_entry_hmf_by_mode_and_adcvd_deposits(
    tmp_path: Path, chunk_rows: int, read_typed: bool
) -> None:
    """Entries split over many chunks (chunk_rows=1) share one fee, as in one chunk."""
    got = _run(tmp_path, LINES, COLUMNS, chunk_rows=chunk_rows, read_typed=read_typed)
    assert got.columns == COLUMNS
    assert got["mpf"].to_list() == [217.17, 434.33, 11.19, 22.39, 0.0, 69.28, 33.58, 651.5, 651.5]
    # ocean 0.125%: 125.00; air/truck/rail 0; a blank mode is unknown (null)
    assert got["hmf"].to_list() == [125.0, 0.0, 0.0, None, 62.5, 25.0, 0.0, 250.0, 250.0]
    assert got["adcvd_deposit"].to_list()[-2:] == [5400.0, None]
    assert got["adcvd_needs"].to_list()[-2:] == ["", "producer"]
    assert got["adcvd_deposit"].to_list()[:-2] == [0.0] * 7


def test_without_entry_ids_the_floor_applies_per_line(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        "hts,origin,entry_date,customs_value\n"
        "8471.30.0100,JP,2025-11-03,1000\n"
        "8471.30.0100,JP,2025-11-03,2000\n"
    )
    run_batch(source, tmp_path / "out.parquet", columns=["mpf"])
    # 1,000 and 2,000 each under the minimum: 33.58 each (as one entry they would share 33.58)
    assert pl.read_parquet(tmp_path / "out.parquet")["mpf"].to_list() == [33.58, 33.58]


def test_default_columns_do_not_grow(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(HEADER + LINES[0] + "\n", encoding="utf-8")
    run_batch(source, tmp_path / "out.parquet")
    names = pl.read_parquet(tmp_path / "out.parquet").columns
    assert not {"mpf", "hmf", "adcvd_deposit"} & set(names)
    assert {"mode", "entry_id", "producer"} <= set(names)  # input columns are written back


def test_a_bad_mode_is_an_error_row_naming_mode(tmp_path: Path) -> None:
    rows = [LINES[0], LINES[0].replace("ocean", "boat")]
    got = _run(tmp_path, rows, ["line_id", "mpf", "hmf"])
    assert got["line_id"].to_list() == [0]
    errors = pl.read_csv(tmp_path / "out.errors.csv")
    assert errors.select("line", "error_field").rows() == [(3, "mode")]
    assert errors["error"][0] == (
        "unknown transport mode boat; known: ocean, air, truck, rail, mail"
    )


def test_hmf_without_a_mode_column_and_unknown_columns_are_refused(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("hts,origin,entry_date,customs_value\n8471.30.0100,JP,2025-11-03,10\n")
    with pytest.raises(InvalidInput, match="hmf needs a mode column") as caught:
        run_batch(source, tmp_path / "out.parquet", columns=["hmf"])
    assert caught.value.field == "columns"
    with pytest.raises(InvalidInput, match="unknown output column mpff") as caught:
        run_batch(source, tmp_path / "out.parquet", columns=["mpff"])
    assert caught.value.field == "columns"


def test_cli_refuses_in_one_line(cli, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("hts,origin,entry_date,customs_value\n8471.30.0100,JP,2025-11-03,10\n")
    r = cli(["tariff", "batch", str(source), "--out", str(tmp_path / "o.parquet"),
             "--columns", "line_id,hmf"])  # fmt: skip
    assert r.exit_code == 2
    assert r.stderr.strip().splitlines() == [
        "error: columns: hmf needs a mode column in the input (ocean, air, truck, rail or mail)"
    ]


def test_the_api_batch_takes_the_same_columns(api_client) -> None:
    files = {"file": ("lines.csv", (HEADER + "\n".join(LINES[:4]) + "\n").encode(), "text/csv")}
    r = api_client.post("/api/v1/tariff/batch?columns=line_id,mpf,hmf", files=files)
    assert r.status_code == 200
    got = pl.read_parquet(io.BytesIO(r.content))
    assert got.rows() == [(0, 217.17, 125.0), (1, 434.33, 0.0), (2, 11.19, 0.0), (3, 22.39, None)]
    bad = api_client.post("/api/v1/tariff/batch?columns=line_id,mpff", files=files)
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert bad.json()["field"] == "columns"


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["E1", "E2", "E3", ""]),
            st.sampled_from(["KR", "JP"]),
            st.sampled_from(["true", "false"]),
            st.integers(0, 400_000),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_an_entrys_lines_share_its_one_fee(tmp_path: Path, lines: list[tuple]) -> None:
    """Per entry: the shares add up to clip(0.3464% x non-KORUS value, 33.58, 651.50) within a
    cent per line; KORUS-claimed lines pay 0; a line without an entry id is its own entry."""
    rows = [f"8471.30.0100,{o},2025-11-03,{v},{k},ocean,{e}," for e, o, k, v in lines]
    got = _run(tmp_path, rows, ["entry_id", "origin", "korus", "customs_value", "mpf"])
    exempt = (pl.col("origin") == "KR") & pl.col("korus")
    assert got.filter(exempt)["mpf"].to_list() == [0.0] * got.filter(exempt).height
    own = pl.coalesce("entry_id", pl.int_range(pl.len()).cast(pl.Utf8) + "#")
    per_entry = (
        got.with_columns(own.alias("_e"))
        .group_by("_e")
        .agg(
            pl.col("mpf").sum(),
            pl.col("customs_value").filter(~exempt).sum().alias("base"),
            (~exempt).sum().alias("payers"),
            pl.len().alias("n"),
        )
    )
    for _, mpf, base, payers, n in per_entry.iter_rows():
        fee = 0.0 if payers == 0 else min(max(base * 0.003464, 33.58), 651.50)
        assert mpf == pytest.approx(fee, abs=0.005 * n + 1e-9)
