"""Issue 9 item 14: --vintage is honoured for plain CSV, and flashes never stand in for a
month total in the latest-vintage view."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tiro.core.errors import InvalidInput
from tiro.trade.io_csv import read_plain_csv
from tiro.trade.store import FlowStore, query_flows

FLASH = b"""period,reporter,partner,product,flow,value
2026-03,KOR,WLD,TOTAL,X,36000000000
"""
MONTHS = b"""period,reporter,partner,product,flow,value,vintage,release_date
2026-02,KOR,WLD,TOTAL,X,67400000000,provisional,2026-03-01
2026-03,KOR,WLD,TOTAL,X,21500000000,flash_10,2026-03-11
2026-03,KOR,WLD,TOTAL,X,36000000000,flash_20,2026-03-21
"""


def test_plain_csv_rows_take_the_given_vintage():
    flows = read_plain_csv(FLASH, release_date=dt.date(2026, 3, 21), vintage="flash_20")
    assert flows["vintage"].to_list() == ["flash_20"]


def test_plain_csv_vintage_column_beside_a_different_vintage_is_refused():
    with pytest.raises(InvalidInput) as err:
        read_plain_csv(MONTHS, vintage="confirmed")
    assert err.value.field == "vintage" and "line 2" in err.value.message


def test_latest_leaves_flashes_out_unless_asked(tmp_path):
    store = FlowStore(tmp_path)
    store.append(read_plain_csv(MONTHS))
    day = dt.date(2026, 3, 25)
    latest = store.latest(day)
    # March has only flashes (days 1–10 and 1–20): no month total for March exists yet
    assert latest["period"].to_list() == ["2026-02"]
    assert latest["vintage"].to_list() == ["provisional"]
    with_flash = query_flows(store.glob, as_of=day, latest=True, include_flash=True)
    march = with_flash.filter(with_flash["period"] == "2026-03")
    assert march["vintage"].to_list() == ["flash_20"] and march["value"].to_list() == [36e9]


def test_cli_import_of_a_plain_flash_keeps_its_vintage(cli, tmp_path):
    path = tmp_path / "flash.csv"
    path.write_bytes(FLASH)
    args = ["trade", "import", str(path), "--vintage", "flash_20", "--release-date", "2026-03-21"]
    result = cli([*args, "--json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["vintages"] == {"flash_20": 1}
    latest = cli(["trade", "flows", "--json"])
    assert json.loads(latest.stdout) == []  # a flash is not a month total
    stored = cli(["trade", "flows", "--all-vintages", "--json"])
    assert [r["vintage"] for r in json.loads(stored.stdout)] == ["flash_20"]


def test_cli_import_refuses_an_unknown_vintage(cli, tmp_path):
    path = tmp_path / "flash.csv"
    path.write_bytes(FLASH)
    result = cli(["trade", "import", str(path), "--vintage", "bogus"])
    assert result.exit_code == InvalidInput.exit_code
    assert result.stderr.strip().startswith("error: vintage:")
