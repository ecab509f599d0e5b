"""Monthly supply balance from the declared tables: worked example, labels, bad input, CLI."""

from __future__ import annotations

import json
from datetime import date

import polars as pl
import pytest

from tiro.core.errors import InvalidInput
from tiro.energy.supply.balance import (
    imports_by_origin,
    imports_by_region,
    monthly_supply_balance,
)

MAR, APR = date(2026, 3, 1), date(2026, 4, 1)
IMPORTS = pl.DataFrame(
    {
        "month": [MAR, MAR, MAR, APR, APR, APR],
        "origin": ["Saudi Arabia", "UAE", "United States", "Saudi Arabia", "United States",
                   "Angola"],
        "region": ["middle_east", "middle_east", "americas", "middle_east", "americas", "africa"],
        "volume_kbbl": [300.0, 100.0, 100.0, 150.0, 150.0, 100.0],
        "provenance": ["knoc", "knoc", "knoc", "knoc", "knoc", "sample"],
    }
)  # fmt: skip
RUNS = pl.DataFrame(
    {"month": [MAR, APR, APR], "runs_kbbl": [450.0, 200.0, 220.0], "provenance": ["knoc"] * 3}
)
DEMAND = pl.DataFrame(
    {"month": [MAR, MAR], "product": ["gasoline", "diesel"], "demand_kbbl": [100.0, 200.0],
     "provenance": ["petronet"] * 2}
)  # fmt: skip
STOCKS = pl.DataFrame(
    {"month": [MAR, MAR, APR], "holder": ["government", "private", "government"],
     "crude_kt": [9000.0, 5000.0, 8800.0], "products_kt": [1000.0, 3000.0, 1000.0],
     "provenance": ["knoc"] * 3}
)  # fmt: skip


def test_imports_by_region_and_origin_by_hand() -> None:
    regions = {r["month"]: r for r in imports_by_region(IMPORTS).to_dicts()}
    # March: ME 300 + 100 = 400 of 500 → 0.8; no African cargo that month → 0, not missing
    assert (regions[MAR]["total_kbbl"], regions[MAR]["middle_east_share"]) == (500.0, 0.8)
    assert regions[MAR]["africa"] == 0.0 and regions[MAR]["provenance"] == "knoc"
    # April: 150 of 150 + 150 + 100 = 400 → 0.375; one sample row makes the month sample
    assert (regions[APR]["total_kbbl"], regions[APR]["middle_east_share"]) == (400.0, 0.375)
    assert regions[APR]["provenance"] == "sample"
    origins = imports_by_origin(IMPORTS).filter(pl.col("month") == MAR)
    assert origins["origin"].to_list() == ["Saudi Arabia", "UAE", "United States"]
    assert origins["share_of_month"].to_list() == pytest.approx([0.6, 0.2, 0.2])


def test_monthly_balance_by_hand() -> None:
    out = monthly_supply_balance(
        crude_imports=IMPORTS, refinery_runs=RUNS, demand=DEMAND, stocks=STOCKS
    )
    mar, apr = out.to_dicts()
    assert mar == {
        "month": MAR, "crude_imports_kbbl": 500.0, "middle_east_kbbl": 400.0,
        "middle_east_share": 0.8, "runs_kbbl": 450.0, "demand_kbbl": 300.0,  # 100 + 200
        "government_crude_kt": 9000.0, "government_products_kt": 1000.0,
        "private_crude_kt": 5000.0, "private_products_kt": 3000.0, "provenance": "knoc",
    }  # fmt: skip
    # April: runs 200 + 220 = 420; no demand or private stock reported → unknown (null), not 0
    assert (apr["runs_kbbl"], apr["demand_kbbl"], apr["private_crude_kt"]) == (420.0, None, None)
    assert apr["provenance"] == "sample"
    only_imports = monthly_supply_balance(crude_imports=IMPORTS)
    assert only_imports["runs_kbbl"].null_count() == 2


def test_bad_tables_name_the_field() -> None:
    with pytest.raises(InvalidInput) as err:
        monthly_supply_balance(crude_imports=IMPORTS, stocks=STOCKS.with_columns(
            pl.lit("army").alias("holder")))  # fmt: skip
    assert err.value.field == "holder"
    with pytest.raises(InvalidInput) as err:
        imports_by_region(IMPORTS.with_columns(pl.col("volume_kbbl") * -1))
    assert err.value.field == "volume_kbbl"


def test_cli_check_prints_the_monthly_views(cli, tmp_path) -> None:
    path = tmp_path / "imports.csv"
    IMPORTS.write_csv(path)
    res = cli(["energy", "supply", "check", "crude_imports", str(path), "--json"])
    assert res.exit_code == 0, res.stderr
    data = json.loads(res.stdout)
    shares = {r["month"]: r["middle_east_share"] for r in data["by_region"]}
    assert shares == {"2026-03-01": 0.8, "2026-04-01": 0.375}
    assert len(data["by_origin"]) == 6
    stocks = tmp_path / "stocks.csv"
    STOCKS.write_csv(stocks)
    res = cli(["energy", "supply", "check", "stocks", str(stocks), "--json"])
    by_holder = json.loads(res.stdout)["by_holder"]
    assert by_holder[0]["private_crude_kt"] == 5000.0 and by_holder[1]["private_crude_kt"] is None
