"""Bad files are refused in one line naming the field (issue 9 item 21); NaN/inf lines are error
rows with the reason, numbered as file lines (items 1 and 25)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest

from tiro.core.errors import InvalidInput
from tiro.tariff.batch.stream import run_batch
from tiro.tariff.deal.compare import compare_basket, load_basket
from tiro.tariff.measures.browser import watch_impact
from tiro.tariff.schedule.usitc_json import read_hts_table

HEADER = "hts,origin,entry_date,customs_value\n"
GOOD = "3304.10.00.00,KR,2025-12-01,1000\n"


def _write(path: Path, data: bytes | str) -> Path:
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("empty.csv", b"", "is empty"),
        ("header_only.csv", HEADER, "no rows"),
        ("ragged.csv", HEADER + GOOD + "3304.10.00.00,KR,2025-12-01,1000,5,6\n", "ragged"),
        ("latin1.csv", HEADER + "3304.10.00.00,K\xff,2025-12-01,1000\n", "UTF-8"),
        ("corrupt.parquet", b"PAR1 not a parquet file", "Parquet"),
        ("empty.parquet", b"", "is empty"),
    ],
)
def test_batch_refuses_unreadable_files(tmp_path: Path, name: str, content, words: str) -> None:
    data = content if isinstance(content, bytes) else content.encode("latin-1")
    source = _write(tmp_path / name, data)
    with pytest.raises(InvalidInput) as err:
        run_batch(source, tmp_path / "out.parquet")
    assert err.value.field == "input" and words in err.value.message
    assert str(tmp_path) not in err.value.message


def test_bad_utf8_after_the_first_chunk_is_refused_and_leaves_no_output(tmp_path: Path) -> None:
    source = _write(
        tmp_path / "late.csv", (HEADER + GOOD * 3).encode() + b"33,K\xff,2025-12-01,1\n"
    )
    out = tmp_path / "out.parquet"
    with pytest.raises(InvalidInput) as err:
        run_batch(source, out, chunk_rows=1)
    assert (err.value.field, "UTF-8" in err.value.message) == ("input", True)
    assert not out.exists()


def test_batch_out_into_a_missing_folder_is_refused(tmp_path: Path) -> None:
    source = _write(tmp_path / "ok.csv", HEADER + GOOD)
    with pytest.raises(InvalidInput) as err:
        run_batch(source, tmp_path / "missing" / "out.parquet")
    assert err.value.field == "out"


def test_non_finite_values_are_error_rows_numbered_as_file_lines(tmp_path: Path) -> None:
    rows = [
        "3304.10.00.00,KR,2025-12-01,nan,,",
        "3304.10.00.00,KR,2025-12-01,inf,,",
        "3304.10.00.00,KR,2025-12-01,1e400,,",
        "3304.10.00.00,KR,2025-12-01,1000,,",
        "3304.10.00.00,KR,2025-12-01,1000,abc,",
        "3304.10.00.00,KR,2025-12-01,1000,NaN,",
        "3304.10.00.00,KR,2025-12-01,1000,,nan",
        "3304.10.00.00,KR,2025-12-01,-inf,,",
    ]
    text = "hts,origin,entry_date,customs_value,quantity,metal_share\n" + "\n".join(rows) + "\n"
    out = tmp_path / "out.parquet"
    summary = run_batch(_write(tmp_path / "in.csv", text), out)
    # only the 1,000 line is priced: 3304.10.00.00 KORUS Free + 15% all-in = 150
    assert (summary.rows, summary.priced, summary.errors, summary.total_duty) == (8, 1, 7, 150.0)
    errors = pl.read_csv(tmp_path / "out.errors.csv")
    assert errors["line"].to_list() == [2, 3, 4, 6, 7, 8, 9]  # header = line 1
    assert errors["error_field"].to_list() == [
        "customs_value",
        "customs_value",
        "customs_value",
        "quantity",
        "quantity",
        "metal_share",
        "customs_value",
    ]
    assert errors["error"][0] == "not a finite number of plausible size: nan"
    assert errors["error"][3] == "not a number: abc"


def test_parquet_error_rows_count_rows_from_one(tmp_path: Path) -> None:
    frame = pl.DataFrame(
        {
            "hts": ["3304.10.00.00"] * 2,
            "origin": ["KR"] * 2,
            "entry_date": ["2025-12-01"] * 2,
            "customs_value": [1000.0, float("nan")],
        }
    )
    frame.write_parquet(tmp_path / "in.parquet")
    run_batch(tmp_path / "in.parquet", tmp_path / "out.parquet")
    errors = pl.read_csv(tmp_path / "out.errors.csv")
    assert errors.select("line", "error_field").rows() == [(2, "customs_value")]


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("rates.json", b"[{", "not valid JSON"),
        ("rates.json", b"\xff\xfe[]", "UTF-8"),
        ("rates.json", b'{"a": 1}', "JSON array"),
        ("rates.json", b'[{"htsno": "8703.23.01", "indent": "x"}]', "indent"),
        ("rates.csv", b"hts,htsno\n1,2\n", "lacks columns"),
        ("rates.csv", b"", "is empty"),
        ("rates.parquet", b"PAR1xx", "Parquet"),
    ],
)
def test_bad_rate_tables_are_refused(tmp_path: Path, name: str, content: bytes, words: str) -> None:
    with pytest.raises(InvalidInput) as err:
        read_hts_table(_write(tmp_path / name, content))
    assert err.value.field == "hts_table" and words in err.value.message


def test_rate_table_with_text_in_the_indent_column_is_refused(tmp_path: Path) -> None:
    cols = [
        "hts",
        "htsno",
        "chapter",
        "indent",
        "description",
        "general_rate_text",
        "special_rate_text",
        "other_rate_text",
        "units",
        "footnotes",
    ]
    row = ["87032301", "8703.23.01", "87", "deep", "Cars", "2.5%", "Free (KR)", "10%", "No.", ""]
    source = _write(tmp_path / "rates.csv", ",".join(cols) + "\n" + ",".join(row) + "\n")
    with pytest.raises(InvalidInput) as err:
        read_hts_table(source)
    assert err.value.field == "hts_table"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("measures: [1, 2\n", "cannot be read"),
        ("measures:\n  - id: x\n    id: y\n", "duplicate key"),
        ("measures: 5\n", "non-empty 'measures' list"),
        ("- a\n", "non-empty 'measures' list"),
        ("measures: [5]\n", "measure record"),
        ("measures:\n  - id: x\n", "missing heading"),
    ],
)
def test_bad_watch_files_are_refused(tmp_path: Path, content: str, words: str) -> None:
    with pytest.raises(InvalidInput) as err:
        watch_impact(_write(tmp_path / "watch.yaml", content))
    assert err.value.field == "watch" and words in err.value.message


def test_watch_file_with_nan_rate_is_refused(tmp_path: Path) -> None:
    record = {
        "id": "w",
        "heading": "9903.88.99",
        "program": "s301_china",
        "valid_from": "2026-01-01",
        "hts": {"include": ["8703"]},
        "origin": {"include": ["KR"]},
        "rate": {"kind": "ad_valorem", "value": float("nan")},
        "basis": "full_value",
        "citation": {"title": "t", "source": "s"},
    }
    text = "measures:\n  - " + json.dumps(record).replace("NaN", ".nan") + "\n"
    with pytest.raises(InvalidInput) as err:
        watch_impact(_write(tmp_path / "watch.yaml", text))
    assert err.value.field.startswith("watch")


def test_compare_refuses_a_repeated_scenario() -> None:
    with pytest.raises(InvalidInput) as err:
        compare_basket(load_basket(None), scenarios=("actual", "actual"), on=None)  # type: ignore[arg-type]
    assert err.value.field == "scenarios" and "actual" in err.value.message


def test_compare_refuses_a_ragged_basket(tmp_path: Path) -> None:
    source = _write(tmp_path / "b.csv", "hts,value_usd\n8703.23.01,1,2\n")
    with pytest.raises(InvalidInput) as err:
        load_basket(source)
    assert err.value.field == "basket" and "ragged" in err.value.message


def test_basket_errors_name_the_file_line(tmp_path: Path) -> None:
    """Line 2 has no HTS line (unpriced residual), line 3 a bad value: the error says line 3."""
    source = _write(tmp_path / "b.csv", "hts,value_usd\n,100\n8703.23.01,nan\n")
    with pytest.raises(InvalidInput) as err:
        compare_basket(load_basket(source), scenarios=("actual",), on=dt.date(2025, 12, 1))
    assert err.value.field == "customs_value"
    assert err.value.message.startswith("basket line 3: not a finite number")


def test_cli_import_hts_into_a_missing_folder_is_one_line(cli, footwear_export: Path) -> None:
    r = cli(["tariff", "import-hts", str(footwear_export), "--out", "/nonexistent/dir/r.csv"])
    assert r.exit_code == 2
    assert r.stderr.strip().splitlines() == [
        "error: out: the folder /nonexistent/dir does not exist"
    ]


def test_cli_compare_actual_twice_is_one_line(cli) -> None:
    r = cli(["tariff", "compare", "--scenarios", "actual,actual", "--json"])
    assert r.exit_code == 2 and "Traceback" not in r.stderr
    assert r.stderr.strip() == "error: scenarios: each scenario once: actual repeated"


def test_cli_scenario_file_with_nan_rate_is_one_line(cli, tmp_path: Path) -> None:
    """A user's own scenario file (the CLI may read one) with ``.nan`` as a rate: refused, not
    priced to NaN."""
    scenario = _write(
        tmp_path / "mine.yaml",
        "description: what-if\noverrides: {}\ntariff_measures:\n  add:\n"
        "    - {id: x, heading: '9903.88.99', program: s301, valid_from: 2025-01-01,\n"
        "       hts: {include: ['3304']}, origin: {include: [KR]},\n"
        "       rate: {kind: ad_valorem, value: .nan}, basis: full_value,\n"
        "       citation: {title: t, source: s}}\n",
    )
    args = ["tariff", "quote", "--hts", "3304.10.00.00", "--date", "2025-12-01"]
    r = cli([*args, "--value", "1000", "--scenario", str(scenario), "--json"])
    assert r.exit_code == 2
    assert (
        r.stderr.strip() == "error: scenario mine: measure x: rate.value: must be a number, not NaN"
    )


@pytest.mark.parametrize("cell", [[1.0, 2.0], {"usd": 1.0}])
def test_parquet_with_a_nested_value_column_is_refused(tmp_path: Path, cell) -> None:
    frame = pl.DataFrame(
        {"hts": ["3304.10.00.00"], "origin": ["KR"], "entry_date": ["2025-12-01"]}
    ).with_columns(pl.Series("customs_value", [cell]))
    frame.write_parquet(tmp_path / "in.parquet")
    with pytest.raises(InvalidInput) as err:
        run_batch(tmp_path / "in.parquet", tmp_path / "out.parquet")
    assert err.value.field == "customs_value" and "cannot hold customs value" in err.value.message
