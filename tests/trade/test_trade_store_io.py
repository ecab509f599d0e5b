"""The vintaged store, the importers and their refusals of bad input."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest

from tiro.core.errors import Conflict, InvalidInput
from tiro.trade.io_comtrade import read_comtrade
from tiro.trade.io_csv import read_plain_csv
from tiro.trade.io_kcs import read_kcs
from tiro.trade.store import FlowStore

PLAIN = b"""period,reporter,partner,product,flow,value,vintage,release_date
2025-07,KOR,USA,TOTAL,X,10330000000,provisional,2025-08-01
2025-07,KOR,CHN,TOTAL,X,11050000000,provisional,2025-08-01
2025-07,KOR,USA,TOTAL,X,10300000000,confirmed,2025-08-18
"""


def _bad(text: str) -> InvalidInput:
    header = "period,reporter,partner,product,flow,value\n"
    with pytest.raises(InvalidInput) as err:
        read_plain_csv((header + text).encode(), release_date=dt.date(2026, 1, 1))
    return err.value


def test_vintages_side_by_side_and_latest_as_of(tmp_path):
    store = FlowStore(tmp_path)
    store.append(read_plain_csv(PLAIN))
    assert store.all_vintages(partner="USA").height == 2
    early = store.latest(dt.date(2025, 8, 10), partner="USA")
    late = store.latest(dt.date(2025, 8, 31), partner="USA")
    assert early["vintage"].to_list() == ["provisional"]
    assert late["value"].to_list() == [10.3e9]


def test_a_stored_vintage_is_never_overwritten(tmp_path):
    store = FlowStore(tmp_path)
    store.append(read_plain_csv(PLAIN))
    with pytest.raises(Conflict) as err:
        store.append(read_plain_csv(PLAIN))
    assert err.value.field == "vintage"
    assert len(list(tmp_path.glob("batch-*.parquet"))) == 1


def test_failed_import_writes_nothing(tmp_path):
    store = FlowStore(tmp_path)
    bad = PLAIN + b"2025-07,KOR,JPN,TOTAL,X,-5,provisional,2025-08-01\n"
    with pytest.raises(InvalidInput):
        store.append(read_plain_csv(bad))
    assert not store.has_data()


def test_malformed_period_names_the_file_line():
    err = _bad("2025,KOR,WLD,TOTAL,X,1\n2025-13,KOR,WLD,TOTAL,X,1\n")
    assert err.field == "period"
    # header = line 1, so the second data row is line 3
    assert "line 3" in err.message and "2025-13" in err.message


def test_unknown_partner_and_product_codes():
    assert _bad("2025,KOR,XXX,TOTAL,X,1\n").field == "partner"
    err = _bad("2025,KOR,USA,77010,X,1\n")
    assert err.field == "product" and "line 2" in err.message
    assert _bad("2025,KR,USA,TOTAL,X,1\n").field == "reporter"


def test_negative_value_and_duplicates():
    err = _bad("2025,KOR,USA,TOTAL,X,5\n2025,KOR,USA,8542,X,-3\n")
    assert err.field == "value" and "line 3" in err.message
    dup = _bad("2025,KOR,USA,8542,X,5\n2025,KOR,CHN,8542,X,1\n2025,KOR,USA,8542,X,6\n")
    assert dup.field == "row" and "lines 2, 4" in dup.message
    assert _bad("2025,KOR,USA,TOTAL,X,12x\n").field == "value"


COMTRADE = {
    "data": [
        {
            "period": "202401",
            "reporterCode": 410,
            "reporterISO": "KOR",
            "partnerCode": 842,
            "partnerISO": "USA",
            "partner2Code": 0,
            "cmdCode": "8542",
            "flowCode": "X",
            "customsCode": "C00",
            "motCode": 0,
            "primaryValue": 100.0,
            "netWgt": 5,
        },
        {
            "period": "202401",
            "reporterCode": 410,
            "reporterISO": "KOR",
            "partnerCode": 842,
            "partnerISO": "USA",
            "partner2Code": 0,
            "cmdCode": "8542",
            "flowCode": "X",
            "customsCode": "C01",
            "motCode": 0,
            "primaryValue": 60.0,
        },
        {
            "period": "202401",
            "reporterCode": 410,
            "reporterISO": "KOR",
            "partnerCode": 842,
            "partnerISO": "USA",
            "partner2Code": 0,
            "cmdCode": "8542",
            "flowCode": "X",
            "customsCode": "C00",
            "motCode": 2100,
            "primaryValue": 40.0,
        },
        {
            "period": "202401",
            "reporterCode": 410,
            "reporterISO": "KOR",
            "partnerCode": 0,
            "partnerISO": "W00",
            "partner2Code": 0,
            "cmdCode": "TOTAL",
            "flowCode": "RX",
            "customsCode": "C00",
            "motCode": 0,
            "primaryValue": 7.0,
        },
        {
            "period": "202401",
            "reporterCode": 410,
            "reporterISO": "KOR",
            "partnerCode": 0,
            "partnerISO": "W00",
            "partner2Code": 0,
            "cmdCode": "TOTAL",
            "flowCode": "M",
            "customsCode": "C00",
            "motCode": 0,
            "primaryValue": 90.0,
        },
    ]
}


def test_comtrade_keeps_only_unduplicated_totals():
    flows = read_comtrade(json.dumps(COMTRADE).encode(), release_date=dt.date(2024, 3, 1))
    # C01 and motCode 2100 breakdowns and the RX re-export row are dropped: 100 + 90 remain
    assert sorted(flows["value"].to_list()) == [90.0, 100.0]
    assert flows.filter(pl.col("flow") == "M")["partner"].to_list() == ["WLD"]
    assert flows.filter(pl.col("flow") == "X")["period"].to_list() == ["2024-01"]


def test_comtrade_csv_numeric_codes():
    csv = (
        b"period,reporterCode,partnerCode,partner2Code,cmdCode,flowCode,customsCode,motCode,"
        b"primaryValue\n2024,410,842,0,TOTAL,X,C00,0,5\n"
    )
    flows = read_comtrade(csv, release_date=dt.date(2025, 6, 1))
    assert flows["partner"].to_list() == ["USA"] and flows["reporter"].to_list() == ["KOR"]


def test_kcs_rows_become_x_m_and_stated_balance():
    items = [
        {
            "year": "2025.07",
            "hsSgn": "8542",
            "cntyCd": "US",
            "expDlr": "1000",
            "impDlr": "400",
            "balPayments": "600",
            "expWgt": "10",
            "impWgt": "3",
        },
        {
            "year": "총계",
            "hsSgn": "",
            "cntyCd": "",
            "expDlr": "1000",
            "impDlr": "400",
            "balPayments": "600",
        },
    ]
    flows = read_kcs(json.dumps({"items": items}).encode(), release_date=dt.date(2025, 8, 15))
    assert flows.sort("flow")["flow"].to_list() == ["B", "M", "X"]
    assert set(flows["partner"]) == {"USA"} and set(flows["period"]) == {"2025-07"}
