"""Issue 9 items 1, 2, 5, 16, 17: file readers refuse what no statistic can mean, cleanly.

Every refusal is an InvalidInput naming the field, the place a user counts (CSV line with the
header as line 1, or JSON record) and the cell as written.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tiro.core.errors import InvalidInput
from tiro.trade.io_comtrade import read_comtrade
from tiro.trade.io_csv import read_plain_csv
from tiro.trade.io_kcs import read_kcs
from tiro.trade.service import read_input

HEADER = "period,reporter,partner,product,flow,value\n"
DAY = dt.date(2026, 1, 15)


def _refusal(body: str, **kwargs) -> InvalidInput:
    with pytest.raises(InvalidInput) as err:
        read_plain_csv((HEADER + body).encode(), release_date=DAY, **kwargs)
    return err.value


@pytest.mark.parametrize(
    ("cell", "field"),
    [("nan", "value"), ("inf", "value"), ("-inf", "value"), ("1e400", "value"), ("1e19", "value")],
)
def test_non_finite_and_absurd_values_are_refused_with_line_and_text(cell, field):
    err = _refusal(f"2025,KOR,USA,TOTAL,X,5\n2025,KOR,CHN,TOTAL,X,{cell}\n")
    assert err.field == field
    assert err.message.startswith("line 3:")
    assert repr(cell) in err.message


def test_unparseable_value_keeps_its_raw_text():
    err = _refusal("2025,KOR,USA,TOTAL,X,5\n" * 0 + '2025,KOR,USA,TOTAL,X,"1,000"\n')
    assert err.field == "value"
    assert err.message.startswith("line 2: '1,000' cannot be read as a number")


def test_unparseable_release_date_keeps_its_raw_text():
    body = "period,reporter,partner,product,flow,value,release_date\n"
    body += "2025,KOR,USA,TOTAL,X,5,2026-01-02\n2025,KOR,CHN,TOTAL,X,5,banana\n"
    with pytest.raises(InvalidInput) as err:
        read_plain_csv(body.encode())
    assert err.value.field == "release_date"
    assert "line 3: 'banana' cannot be read as a date" in err.value.message


@pytest.mark.parametrize("period", ["0000", "0000-01", "9999-12", "1899", "2101-01", "2025-00"])
def test_out_of_range_periods_are_refused(period):
    err = _refusal(f"{period},KOR,USA,TOTAL,X,5\n")
    assert err.field == "period" and "line 2" in err.message and period in err.message


def test_period_after_its_release_date_is_refused():
    err = _refusal("2026-02,KOR,USA,TOTAL,X,5\n")  # released 2026-01-15, before February
    assert err.field == "period" and "after its release date" in err.message
    # a flash of the running month is fine: period starts before the release
    assert read_plain_csv(
        (HEADER + "2026-01,KOR,USA,TOTAL,X,5\n").encode(), release_date=DAY
    ).height


def test_release_date_in_the_future_is_refused():
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    with pytest.raises(InvalidInput) as err:
        read_plain_csv((HEADER + "2025,KOR,USA,TOTAL,X,5\n").encode(), release_date=tomorrow)
    assert err.value.field == "release_date"


def test_reporter_equal_to_partner_and_world_reporter_are_refused():
    same = _refusal("2025,KOR,USA,TOTAL,X,5\n2025,KOR,KOR,TOTAL,X,5\n")
    assert same.field == "partner" and "line 3" in same.message
    world = _refusal("2025,WLD,USA,TOTAL,X,5\n")
    assert world.field == "reporter" and "world" in world.message
    region = _refusal("2025,ASEAN,USA,TOTAL,X,5\n")
    assert region.field == "reporter"
    nes = _refusal("2025,XNS,USA,TOTAL,X,5\n")
    assert nes.field == "reporter"


def test_missing_path_directory_and_empty_file(tmp_path):
    with pytest.raises(InvalidInput) as missing:
        read_input(tmp_path / "nope.csv")
    assert missing.value.field == "input" and "no such file" in missing.value.message
    with pytest.raises(InvalidInput) as folder:
        read_input(tmp_path)
    assert "directory" in folder.value.message
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(InvalidInput) as nothing:
        read_input(empty)
    assert "empty" in nothing.value.message
    latin = tmp_path / "latin.csv"
    latin.write_bytes(HEADER.encode() + "2025,KOR,USA,TOTAL,X,5\xe9\n".encode("latin-1"))
    with pytest.raises(InvalidInput) as enc:
        read_input(latin)
    assert "UTF-8" in enc.value.message


@pytest.mark.parametrize("fmt", ["comtrade", "kcs"])
@pytest.mark.parametrize(
    "body", [b'{"data": [', b"{'data': []}", b'{"data": [{"period": NaN}]}', b"[1, 2]"]
)
def test_malformed_json_is_a_clean_refusal(fmt, body):
    with pytest.raises(InvalidInput) as err:
        read_input(body, fmt=fmt, release_date=DAY)
    assert err.value.field == "input"


@pytest.mark.parametrize("literal", ["Infinity", "1e400", "NaN"])
def test_comtrade_json_non_finite_value_is_refused(literal):
    text = json.dumps({"data": [_comtrade(842, 1.5)]}).replace("1.5", literal)
    with pytest.raises(InvalidInput) as err:
        read_comtrade(text.encode(), release_date=DAY)
    assert err.value.field.startswith("input")


def _comtrade(partner: int, value: float, cmd: str = "8542") -> dict:
    return {
        "period": "2025",
        "reporterCode": 410,
        "partnerCode": partner,
        "partner2Code": 0,
        "cmdCode": cmd,
        "flowCode": "X",
        "customsCode": "C00",
        "motCode": 0,
        "primaryValue": value,
    }


def test_comtrade_non_country_partner_areas_get_explicit_codes():
    """Item 16: 899 Areas nes, 837 Bunkers, 839 Special Categories were refused whole."""
    doc = {"data": [_comtrade(842, 60), _comtrade(899, 5), _comtrade(837, 3), _comtrade(839, 2)]}
    flows = read_comtrade(json.dumps(doc).encode(), release_date=DAY)
    assert sorted(flows["partner"].to_list()) == ["USA", "XBK", "XNS", "XSC"]


def test_comtrade_record_numbers_and_raw_text():
    doc = {"data": [_comtrade(842, 60), {**_comtrade(156, 1), "primaryValue": "1,000"}]}
    with pytest.raises(InvalidInput) as err:
        read_comtrade(json.dumps(doc).encode(), release_date=DAY)
    assert err.value.message.startswith("record 2: '1,000' cannot be read as a number")


def test_comtrade_csv_counts_file_lines():
    csv = (
        b"period,reporterCode,partnerCode,cmdCode,flowCode,primaryValue\n"
        b"2025,410,842,TOTAL,X,5\n2025,410,777,TOTAL,X,5\n"
    )
    with pytest.raises(InvalidInput) as err:
        read_comtrade(csv, release_date=DAY)
    assert err.value.field == "partner" and err.value.message.startswith("line 3: '777'")


KCS_ITEM = {
    "year": "2025.07",
    "hsSgn": "8542",
    "cntyCd": "US",
    "expDlr": "1000",
    "impDlr": "400",
    "balPayments": "600",
}


def test_kcs_single_item_object_is_accepted():
    """Item 16: data.go.kr sends ``item`` as one object when the answer has one row."""
    doc = {"response": {"body": {"items": {"item": KCS_ITEM}}}}
    flows = read_kcs(json.dumps(doc).encode(), release_date=dt.date(2025, 8, 15))
    assert sorted(flows["flow"].to_list()) == ["B", "M", "X"]
    assert flows.filter(flows["flow"] == "X")["value"].to_list() == [1000.0]


def test_kcs_nan_export_value_is_refused_with_record():
    doc = {"items": [KCS_ITEM, {**KCS_ITEM, "hsSgn": "8703", "expDlr": "NaN"}]}
    with pytest.raises(InvalidInput) as err:
        read_kcs(json.dumps(doc).encode(), release_date=dt.date(2025, 8, 15))
    assert err.value.field == "value" and err.value.message.startswith("record 2: 'NaN'")


@pytest.mark.parametrize("fmt", ["comtrade", "kcs"])
@pytest.mark.parametrize(
    "body",
    [
        b'{"r,1": {}, "4I": [[], []], "": []}',  # the API fuzz's find: a 500 before
        b'{"data": [{"period": [2025]}]}',
        b'[{"year": {"y": 1}}]',
        b'{"data": []}',
    ],
)
def test_json_that_is_not_a_flat_record_list_is_refused(fmt, body):
    with pytest.raises(InvalidInput) as err:
        read_input(body, fmt=fmt, release_date=DAY)
    assert err.value.field == "input"


@pytest.mark.parametrize(
    "header", ["period,reporter,partner,product,flow,value,value", "period, period,reporter"]
)
def test_a_column_named_twice_is_refused(header):
    with pytest.raises(InvalidInput) as err:
        read_plain_csv(f"{header}\n2025,KOR,USA,TOTAL,X,5,6\n".encode(), release_date=DAY)
    assert err.value.field == "input" and "more than once" in err.value.message


@pytest.mark.parametrize("fmt", ["comtrade", "kcs"])
def test_a_json_key_named_twice_is_refused(fmt):
    body = b'{"data": [{"period": "2025", "period": "2024"}], "items": []}'
    with pytest.raises(InvalidInput) as err:
        read_input(body, fmt=fmt, release_date=DAY)
    assert "appears twice" in err.value.message
