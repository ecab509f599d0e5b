"""Supply facts and samples: the sample agrees with the published aggregates; schemas refuse bad rows."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from tiro.core.errors import InvalidInput
from tiro.energy.schemas import ALL_TABLES, CRUDE_IMPORTS, PROCUREMENT
from tiro.energy.supply import figures as supply


@pytest.mark.parametrize(
    ("year", "total", "share"), [(2022, 1_030_000, 0.674), (2023, 1_010_000, 0.719)]
)
def test_sample_matches_published_year(year, total, share):
    s = supply.sample_crude_imports(year)
    assert s.height == 12 * 5
    assert set(s["provenance"]) == {"sample"}
    assert s["volume_kbbl"].sum() == pytest.approx(total)  # KNOC via Korea Herald
    me = s.filter(pl.col("region") == "middle_east")["volume_kbbl"].sum()
    assert me / total == pytest.approx(share)


def test_sample_is_deterministic_and_2026_follows_the_report():
    a, b = supply.sample_crude_imports(2023), supply.sample_crude_imports(2023)
    assert a.equals(b)
    bal = supply.monthly_balance(2026)
    may = bal.filter(pl.col("month") == date(2026, 5, 1)).row(0, named=True)
    # report sec. 3 ①: May ~90% of a normal year (normal month = 1,010,000 / 12 = 84,166.7 kbbl)
    assert may["total_kbbl"] == pytest.approx(0.9 * 1_010_000 / 12)
    assert may["middle_east_share"] == pytest.approx(0.50)
    assert bal["month"].max() == date(2026, 5, 1)  # nothing invented after the report


def test_procurement_contracted_is_the_report_and_arrivals_are_sample():
    p = supply.procurement_status()
    assert p["contracted"].to_list() == [24_000_000, 273_000_000, 2_100_000]
    # UAE 24M + KZ/SA/OM 273M = 297M bbl ("약 3억 배럴")
    assert p.filter(pl.col("commodity") == "crude")["contracted"].sum() == 297_000_000
    assert (p["arrived"] <= p["contracted"]).all()
    assert all("sample" in v for v in p["provenance"])


def test_procurement_file_with_too_many_arrivals_is_refused(tmp_path):
    f = tmp_path / "arr.csv"
    f.write_text(
        "batch,sources,commodity,unit,contracted,arrived,as_of,provenance\n"
        "1st,UAE,crude,bbl,100,120,2026-05-27,test\n"
    )
    with pytest.raises(InvalidInput) as err:
        supply.procurement_status(f)
    assert err.value.field == "arrived"


def test_schema_refuses_negative_volume_and_missing_column():
    frame = pl.DataFrame(
        {
            "month": [date(2026, 1, 1)],
            "origin": ["UAE"],
            "region": ["middle_east"],
            "volume_kbbl": [-1.0],
            "provenance": ["test"],
        }
    )
    with pytest.raises(InvalidInput) as err:
        CRUDE_IMPORTS.validate(frame)
    assert err.value.field == "volume_kbbl"
    with pytest.raises(InvalidInput) as err:
        PROCUREMENT.validate(frame)
    assert err.value.field == "batch"


def test_every_column_is_documented():
    for t in ALL_TABLES:
        assert t.ko and t.en
        assert all(row["ko"] and row["en"] and row["unit"] for row in t.doc_rows())


def test_published_stock_days_add_up():
    row = supply.published_stock_days().row(0, named=True)
    assert row["government_days"] + row["private_days"] == pytest.approx(row["total_days"])


def test_guide_documents_every_table_column():
    from pathlib import Path

    guide = (Path(__file__).resolve().parents[2] / "docs" / "energy.md").read_text(encoding="utf-8")
    for t in ALL_TABLES:
        assert f"`{t.name}`" in guide
        for row in t.doc_rows():
            assert f"| `{row['column']}` | {row['type']} | {row['unit']} |" in guide, (
                f"{t.name}.{row['column']} missing from docs/energy.md"
            )


def test_cli_check_accepts_good_and_refuses_negative(cli, tmp_path):
    good = tmp_path / "stocks.csv"
    good.write_text(
        "# sample test file\nmonth,holder,crude_kt,products_kt,provenance\n"
        "2026-03-01,government,10400,300,test\n2026-03-01,private,6000,3100,test\n"
    )
    res = cli(["energy", "supply", "check", "stocks", str(good), "--json"])
    assert res.exit_code == 0, res.stderr
    assert '"rows": 2' in res.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text(good.read_text().replace("6000", "-6000"))
    res = cli(["energy", "supply", "check", "stocks", str(bad)])
    assert res.exit_code != 0 and "crude_kt" in res.stderr
    res = cli(["energy", "supply", "check", "nonsense", str(good)])
    assert res.exit_code != 0 and "table" in res.stderr


def test_duplicate_stock_level_is_an_error_not_a_sum(cli, tmp_path):
    """Issue 9 item 9: stocks are month-end levels; (2026-01, government) twice is refused.

    The old code summed the two rows (1 + 100 = 101 kt of crude).
    """
    f = tmp_path / "stocks.csv"
    f.write_text(
        "# a comment line, as KNOC exports carry\n"
        "month,holder,crude_kt,products_kt,provenance\n"
        "2026-01-01,government,1,2,test\n"
        "2026-01-01,private,5,6,test\n"
        "2026-01-01,government,100,200,test\n"
    )
    with pytest.raises(InvalidInput) as err:
        supply.load_table("stocks", f)
    assert err.value.field == "holder"
    assert "line 5 repeats (2026-01-01, government) of line 3" in err.value.message
    res = cli(["energy", "supply", "check", "stocks", str(f), "--json"])
    assert res.exit_code == 2 and res.stdout == ""
    assert len(res.stderr.strip().splitlines()) == 1 and "holder" in res.stderr


@pytest.mark.parametrize("bad", ["nan", "inf", "-inf", "1e19"])
def test_non_finite_numbers_in_a_user_table_are_refused(tmp_path, bad):
    f = tmp_path / "stocks.csv"
    f.write_text(
        "month,holder,crude_kt,products_kt,provenance\n"
        "2026-01-01,government,1,2,test\n"
        f"2026-02-01,government,{bad},2,test\n"
    )
    with pytest.raises(InvalidInput) as err:
        supply.load_table("stocks", f)
    assert err.value.field == "crude_kt" and "line 3" in err.value.message


@pytest.mark.parametrize("year", [-536870913, 0, 2021, 2024, 99999])
def test_balance_year_out_of_range_is_4xx(api_client, year):
    res = api_client.get("/api/v1/energy/supply/balance", params={"year": year})
    assert 400 <= res.status_code < 500, res.text
    assert res.headers["content-type"].startswith("application/problem+json")


def test_balance_year_out_of_range_on_the_cli(cli):
    res = cli(["energy", "supply", "balance", "--year", "-536870913", "--json"])
    assert res.exit_code == 3 and res.stdout == ""
    assert len(res.stderr.strip().splitlines()) == 1 and "year" in res.stderr
