"""The batch's typed CSV read (issue 11 item 4) answers exactly as the text read and the quote.

Reading the CSV typed (numbers by the reader, codes/dates/yes-no as categoricals parsed once per
distinct text) is only a speed-up: on random files — good cells, and cells the two readers
could treat differently (padded numbers, other date spellings, NaN, words for yes/no, bad codes)
— the priced file, the error file and the explanation table must equal those of the text read,
and a priced line's total must equal the per-line quote.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiro.core.errors import InvalidInput
from tiro.tariff.batch import stream as batch
from tiro.tariff.batch.csv_typed import NotTyped, decode_chunk, scan_typed
from tiro.tariff.batch.stream import OUTPUT_NAMES, run_batch
from tiro.tariff.pricing.quote import quote

CODES = ["8703.23.01", "8708.99.81", "7326.90.86", "8507.60.00", "3304.99.50.00", "7606.12.30"]
CODES += ["8471.50.01", "8542.32.00", "9401.61.40.11", "4407.11.00", "3004.90.92"]
DAY = st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 31))  # from the first measure
GOOD = {
    "hts": st.sampled_from(CODES),
    "origin": st.sampled_from(["KR", "KR", "JP", "CN", "DE"]),
    "entry_date": DAY.map(dt.date.isoformat),
    "customs_value": st.floats(0, 2e6, allow_nan=False).map(lambda v: f"{v:.2f}"),
    "korus": st.sampled_from(["true", "false", ""]),
    "metal_share": st.one_of(st.just(""), st.floats(0, 1).map(lambda v: f"{v:.3f}")),
}
ODD = {  # cells a typed reader could read differently from text
    "hts": st.sampled_from(["87AB", "", "8703.23.01.99", "870323"]),
    "origin": st.sampled_from(["kr", " JP", "K9", ""]),
    "entry_date": st.sampled_from(
        ["2025/03/12", "12-03-2025", "2025-3-12", "", " 2025-06-01", "2025-01-02"]
    ),
    "customs_value": st.sampled_from([" 5", "5 ", "abc", "NaN", "-3", "1e400", "", "+7", "1e3"]),
    "korus": st.sampled_from(["yes", "1", "0", "T", "maybe", " TRUE"]),
    "metal_share": st.sampled_from(["1.5", " 0.3", "x", "-0.1", "inf"]),
}
COLUMNS = tuple(GOOD)
SLOW = settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))


def _cell(name: str, odd: bool) -> st.SearchStrategy[str]:
    return ODD[name] if odd else GOOD[name]


def _row(odd_share: float) -> st.SearchStrategy[dict[str, str]]:
    """A row whose cells are odd with some probability each."""
    return st.fixed_dictionaries(
        {
            name: st.booleans().flatmap(lambda odd, n=name: _cell(n, odd))
            if odd_share
            else GOOD[name]
            for name in COLUMNS
        }
    )


def _csv(path: Path, rows: list[dict[str, str]]) -> Path:
    def quoted(cell: str) -> str:
        return f'"{cell}"' if ("," in cell or cell != cell.strip()) else cell

    lines = [",".join(COLUMNS)] + [",".join(quoted(r[c]) for c in COLUMNS) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _same(a: pl.DataFrame, b: pl.DataFrame) -> None:
    """Equal column by column; a categorical and a text column compare by their texts."""
    assert a.columns == b.columns
    for name in a.columns:
        x, y = a[name], b[name]
        if x.dtype != y.dtype:
            x, y = x.cast(pl.Utf8), y.cast(pl.Utf8)
        assert x.equals(y, check_names=True, null_equal=True), name


def _both(tmp: Path, source: Path) -> tuple[Path, Path]:
    typed, text = tmp / "typed.parquet", tmp / "text.parquet"
    run_batch(source, typed, chunk_rows=7)
    run_batch(source, text, chunk_rows=7, read_typed=False)
    return typed, text


@SLOW
@given(st.lists(_row(0.5), min_size=1, max_size=30))
def test_typed_read_prices_exactly_as_the_text_read(tmp_path_factory, rows) -> None:
    tmp = tmp_path_factory.mktemp("typed")
    typed, text = _both(tmp, _csv(tmp / "in.csv", rows))
    _same(pl.read_parquet(typed), pl.read_parquet(text))
    _same(
        pl.read_parquet(batch.measures_path_for(typed)),
        pl.read_parquet(batch.measures_path_for(text)),
    )
    errors = [batch.error_path_for(p) for p in (typed, text)]
    assert errors[0].exists() == errors[1].exists()
    if errors[0].exists():
        assert errors[0].read_text() == errors[1].read_text()


@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(_row(0.0), min_size=1, max_size=5))
def test_typed_batch_equals_the_quote_line_by_line(tmp_path_factory, rows) -> None:
    tmp = tmp_path_factory.mktemp("quote")
    out = tmp / "out.parquet"
    run_batch(_csv(tmp / "in.csv", rows), out)
    priced = pl.read_parquet(out)
    assert priced.height == len(rows)  # good cells only: no error rows
    for row, line in zip(rows, priced.iter_rows(named=True), strict=True):
        q = quote(
            hts=row["hts"],
            origin=row["origin"],
            entry_date=dt.date.fromisoformat(row["entry_date"]),
            customs_value=float(row["customs_value"]),
            korus={"true": True, "false": False, "": None}[row["korus"]],
            metal_share=float(row["metal_share"]) if row["metal_share"] else None,
        )
        assert ";".join(q["needs"]) == line["needs"]
        if line["total_duty"] is None:
            assert q["total_duty"] is None
        else:
            assert q["total_duty"] == pytest.approx(line["total_duty"], abs=0.0051)  # cents


def test_a_cell_the_typed_reader_refuses_falls_back_to_text(tmp_path: Path) -> None:
    """'5 ' (trailing blank) stops the typed reader; the file is priced from text, numbers
    stripped as the typed reader strips them, so '5 ' prices as 5."""
    source = tmp_path / "in.csv"
    source.write_text(
        "hts,origin,entry_date,customs_value\n"
        "8703.23.01,KR,2025-12-01,1000\n"
        '8703.23.01,KR,2025-12-01,"5 "\n'
        "8703.23.01,KR,2025-12-01,abc\n"
    )
    with pytest.raises(pl.exceptions.ComputeError):  # the batch turns this into NotTyped
        scan_typed(source).collect()
    summary = run_batch(source, tmp_path / "out.parquet")
    assert (summary.rows, summary.priced, summary.errors) == (3, 2, 1)
    priced = pl.read_parquet(tmp_path / "out.parquet")
    assert priced["customs_value"].to_list() == [1000.0, 5.0]
    error = pl.read_csv(batch.error_path_for(tmp_path / "out.parquet"))
    assert error["error"].to_list() == ["not a number: abc"]
    assert error["line"].to_list() == [4]


def test_dates_and_yes_no_are_parsed_per_distinct_text(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        "hts,origin,entry_date,customs_value,korus\n"
        "8703.23.01,KR,2025-12-01,10,yes\n"
        "8703.23.01,KR, 2025-12-01,20,0\n"
        "8703.23.01,KR,2026-1-5,30,\n"
    )
    frame = decode_chunk(scan_typed(source).collect())
    assert frame["entry_date"].to_list() == [dt.date(2025, 12, 1)] * 2 + [dt.date(2026, 1, 5)]
    assert frame["korus"].to_list() == [True, False, None]
    assert frame["customs_value"].to_list() == [10.0, 20.0, 30.0]


def test_a_date_the_strict_parse_rejects_is_not_read_typed(tmp_path: Path) -> None:
    """Polars' reader reads '2025/03/12' as a date; the text read calls it an error quoting the
    cell, so the typed read gives up."""
    source = tmp_path / "in.csv"
    source.write_text("hts,origin,entry_date,customs_value\n8703.23.01,KR,2025/03/12,10\n")
    with pytest.raises(NotTyped):
        decode_chunk(scan_typed(source).collect())
    run_batch(source, tmp_path / "out.parquet")
    error = pl.read_csv(batch.error_path_for(tmp_path / "out.parquet"))
    assert error["error"].to_list() == ["not a date (YYYY-MM-DD): 2025/03/12"]


def test_columns_writes_only_the_columns_asked_for(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        "hts,origin,entry_date,customs_value\n8703.23.01,KR,2025-12-01,30000\n"
        "8703.23.01,JP,2025-12-01,30000\n"
    )
    out = tmp_path / "out.parquet"
    run_batch(source, out, columns=["hts", "total_duty", "hts"])
    chosen = pl.read_parquet(out)
    run_batch(source, tmp_path / "all.parquet")
    every = pl.read_parquet(tmp_path / "all.parquet")
    assert every.columns == [c for c in OUTPUT_NAMES if c in every.columns]
    assert chosen.columns == ["hts", "total_duty"]
    _same(chosen, every.select("hts", "total_duty"))


@pytest.mark.parametrize(
    ("columns", "words"),
    [(["total_duty", "duty"], "unknown output column duty"), ([" "], "(none given)")],
)
def test_unknown_columns_are_refused(tmp_path: Path, columns: list[str], words: str) -> None:
    source = tmp_path / "in.csv"
    source.write_text("hts,origin,entry_date,customs_value\n8703.23.01,KR,2025-12-01,1\n")
    with pytest.raises(InvalidInput) as err:
        run_batch(source, tmp_path / "out.parquet", columns=columns)
    assert words in str(err.value)
    assert err.value.field == "columns"


def test_an_input_column_the_file_lacks_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("hts,origin,entry_date,customs_value\n8703.23.01,KR,2025-12-01,1\n")
    with pytest.raises(InvalidInput) as err:
        run_batch(source, tmp_path / "out.parquet", columns=["metal_share"])
    assert err.value.field == "columns"


def test_cli_columns_option(cli, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("hts,origin,entry_date,customs_value\n8703.23.01,KR,2025-12-01,30000\n")
    out = tmp_path / "out.parquet"
    ok = cli(["tariff", "batch", str(source), "--out", str(out), "--columns", "line_id,needs"])
    assert ok.exit_code == 0, ok.stderr
    assert pl.read_parquet(out).columns == ["line_id", "needs"]
    bad = cli(["tariff", "batch", str(source), "--out", str(out), "--columns", "nope", "--json"])
    assert bad.exit_code == 2
    assert "columns" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("read_typed", [True, False])
def test_a_chunk_without_any_hts_code_is_error_rows_not_a_crash(
    tmp_path: Path, read_typed: bool
) -> None:
    """Found by the typed == text property: a first chunk whose HTS cells are all blank indexed
    an empty code table (IndexError: exit 70 on the CLI, 500 on the API)."""
    source = tmp_path / "in.csv"
    source.write_text(
        "hts,origin,entry_date,customs_value\n,KR,2025-12-01,1000\n8703.23.01,KR,2025-12-01,30000\n"
    )
    out = tmp_path / "out.parquet"
    summary = run_batch(source, out, chunk_rows=1, read_typed=read_typed)
    assert (summary.priced, summary.errors) == (1, 1)
    error = pl.read_csv(batch.error_path_for(out))
    assert error["error"].to_list() == ["missing HTS code"]
    assert pl.read_parquet(out)["total_duty"].to_list() == [4500.0]
