"""IEA stock cover (비축일수): worked examples computed by hand, vectorised table, bad input."""

from __future__ import annotations

import json
from datetime import date

import polars as pl
import pytest

from tiro.core.errors import InvalidInput
from tiro.core.parameters import get_params
from tiro.energy.supply.stock_cover import stock_cover_table, stock_days

ON = date(2026, 11, 25)


def test_worked_example_all_products_method():
    # Hand computation (Dir. 2009/119 Annex I/III, IEA 90-day rule):
    # daily = (100,000 x 0.96 + 20,000 x 1.065) / 365 = (96,000 + 21,300) / 365 = 321.3699 kt/d
    # obligation = 90 x 117,300 / 365 = 10,557,000 / 365 = 28,923.288 kt
    # counted = (10,000 x 0.96 + 5,000 x 1.065) x 0.9 = (9,600 + 5,325) x 0.9 = 13,432.5 kt
    # days = 13,432.5 x 365 / 117,300 = 4,902,862.5 / 117,300 = 41.7976
    r = stock_days(
        params=get_params(),
        on=ON,
        primary_net_imports_kt=100_000,
        product_net_imports_kt=20_000,
        crude_stocks_kt=10_000,
        product_stocks_kt=5_000,
    )
    assert r["daily_net_imports_kt"] == pytest.approx(117_300 / 365)
    assert r["obligation_kt"] == pytest.approx(10_557_000 / 365)
    assert r["counted_stocks_kt"] == pytest.approx(13_432.5)
    assert r["days"] == pytest.approx(4_902_862.5 / 117_300)
    assert r["meets_obligation"] is False


def test_joint_stockpile_is_a_separate_line_never_counted():
    # The last joint total on or before 2026-11-25 is 23.13 Mbbl (2025-06-23, Yonhap).
    # 23,130 kbbl / 7.32 bbl/t (UN crude average) = 3,159.836 kt; on the worked example's
    # daily net imports of 117,300 / 365 kt/d that is 3,159.836 x 365 / 117,300 = 9.8324 days,
    # shown beside the days, which stay 41.7976 (the line is not counted).
    r = stock_days(params=get_params(), on=ON, primary_net_imports_kt=100_000,
                   product_net_imports_kt=20_000, crude_stocks_kt=10_000, product_stocks_kt=5_000)  # fmt: skip
    (line,) = r["separate_lines"]
    assert line["line"] == "joint_stockpile" and line["counted_in_days"] is False
    assert line["mbbl"] == 23.13 and line["as_of"] == "2025-06-23"
    assert line["kt"] == pytest.approx(23_130 / 7.32)
    assert line["days_if_bought"] == pytest.approx(23_130 / 7.32 * 365 / 117_300)
    assert line["days_if_bought"] == pytest.approx(9.8324, abs=1e-4)
    assert r["days"] == pytest.approx(4_902_862.5 / 117_300)
    # On 2009-10-01 the total in force is 2004's 13.3 Mbbl (the 38.7 of 2009-11-11 is later).
    early = stock_days(params=get_params(), on=date(2009, 10, 1), primary_net_imports_kt=100_000,
                       product_net_imports_kt=20_000, crude_stocks_kt=10_000,
                       product_stocks_kt=5_000)  # fmt: skip
    assert [(x["mbbl"], x["as_of"]) for x in early["separate_lines"]] == [(13.3, "2004-06-01")]


def test_leap_year_and_exclusions():
    # 366 days; product naphtha 1,000 kt and bunkers 500 kt leave the product net imports,
    # a stock build of 2,000 kt leaves the primary net imports; 1,000 kt of crude in tankers
    # at sea is excluded.
    # daily = ((50,000 - 2,000) x 0.96 + (8,000 - 1,000 - 500) x 1.065) / 366
    #       = (46,080 + 6,922.5) / 366 = 53,002.5 / 366 = 144.8156
    # counted = ((9,000 - 1,000) x 0.96 + 3,000 x 1.065) x 0.9 = (7,680 + 3,195) x 0.9 = 9,787.5
    r = stock_days(
        params=get_params(),
        on=ON,
        primary_net_imports_kt=50_000,
        product_net_imports_kt=8_000,
        crude_stocks_kt=9_000,
        product_stocks_kt=3_000,
        days_in_year=366,
        primary_stock_build_kt=2_000,
        product_naphtha_net_imports_kt=1_000,
        bunkers_kt=500,
        excluded_crude_stocks_kt=1_000,
    )
    assert r["daily_net_imports_kt"] == pytest.approx(53_002.5 / 366)
    assert r["counted_stocks_kt"] == pytest.approx(9_787.5)
    assert r["days"] == pytest.approx(9_787.5 * 366 / 53_002.5)


def test_table_is_vectorised_and_main_products_method():
    frame = pl.DataFrame(
        {
            "primary_net_imports_kt": [100_000.0, 36_500.0],
            "product_net_imports_kt": [20_000.0, -5_000.0],  # a net product exporter
            "crude_stocks_kt": [10_000.0, 1_000.0],
            "product_stocks_kt": [5_000.0, 1_000.0],
        }
    )
    out = stock_cover_table(frame, params=get_params(), on=ON, main_products_only=True)
    # row 2: daily = (36,500 x 0.96 - 5,000 x 1.065) / 365 = (35,040 - 5,325) / 365 = 81.411
    # counted (main products x 1.2) = (1,000 x 0.96 + 1,000 x 1.2) x 0.9 = 1,944
    assert out["daily_net_imports_kt"][1] == pytest.approx(29_715 / 365)
    assert out["counted_stocks_kt"][1] == pytest.approx(1_944.0)
    # row 1 counted with 1.2: (9,600 + 6,000) x 0.9 = 14,040
    assert out["counted_stocks_kt"][0] == pytest.approx(14_040.0)
    assert out["meets_obligation"].to_list() == [False, False]


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("crude_stocks_kt", {"crude_stocks_kt": -1}),
        ("product_stocks_kt", {"product_stocks_kt": -0.5}),
        ("days_in_year", {"days_in_year": 360}),
        ("primary_net_imports_kt", {"primary_net_imports_kt": 0, "product_net_imports_kt": 0}),
        ("excluded_crude_stocks_kt", {"excluded_crude_stocks_kt": 20_000}),
    ],
)
def test_bad_input_names_the_field(field, kwargs):
    base = dict(
        primary_net_imports_kt=100_000,
        product_net_imports_kt=20_000,
        crude_stocks_kt=10_000,
        product_stocks_kt=5_000,
    )
    with pytest.raises(InvalidInput) as err:
        stock_days(params=get_params(), on=ON, **{**base, **kwargs})
    assert err.value.field == field


def test_before_the_method_exists_is_an_error():
    from tiro.core.errors import TiroError

    with pytest.raises(TiroError):
        stock_days(
            params=get_params(),
            on=date(2000, 1, 1),
            primary_net_imports_kt=1,
            product_net_imports_kt=1,
            crude_stocks_kt=1,
            product_stocks_kt=1,
        )


def test_cli_contract(cli):
    args = [
        "energy", "stock-days",
        "--primary-net-imports-kt", "100000", "--product-net-imports-kt", "20000",
        "--crude-stocks-kt", "10000", "--product-stocks-kt", "5000", "--json",
    ]  # fmt: skip
    res = cli(args)
    assert res.exit_code == 0, res.stderr
    data = json.loads(res.stdout)
    assert {"daily_net_imports_kt", "obligation_kt", "counted_stocks_kt", "days"} <= set(data)
    # counted 13,432.5 kt < obligation 28,923.3 kt
    assert data["meets_obligation"] is False
    assert data["surplus_kt"] == pytest.approx(13_432.5 - 28_923.288, abs=1e-3)
    assert data["days"] == pytest.approx(41.7976, abs=1e-4)
    assert data["obligation_kt"] == pytest.approx(28_923.288, abs=1e-3)


def test_cli_negative_volume_is_refused(cli):
    args = [
        "energy", "stock-days",
        "--primary-net-imports-kt", "100000", "--product-net-imports-kt", "20000",
        "--crude-stocks-kt", "-5", "--product-stocks-kt", "5000", "--json",
    ]  # fmt: skip
    res = cli(args)
    assert res.exit_code != 0
    assert "crude_stocks_kt" in res.stderr
    assert res.stdout == ""


# Issue 9 item 11: every engine input reachable from the CLI and the API.
# primary 100,000 - build 4,000; products 20,000 - build 1,000 - naphtha 2,000 - bunkers 1,500
# daily = (96,000 x 0.96 + 15,500 x 1.065) / 365 = (92,160 + 16,507.5) / 365 = 297.71918
# counted, main-products method = ((10,000 - 1,000) x 0.96 + (5,000 - 500) x 1.2) x 0.9
#         = (8,640 + 5,400) x 0.9 = 12,636; days = 12,636 / 297.71918 = 42.44268
# obligation = 90 x 297.71918 = 26,794.726 > 12,636: not met, surplus -14,158.726
ALL_INPUTS = {
    "primary_net_imports_kt": 100_000, "product_net_imports_kt": 20_000,
    "crude_stocks_kt": 10_000, "product_stocks_kt": 5_000,
    "primary_stock_build_kt": 4_000, "product_stock_build_kt": 1_000,
    "product_naphtha_net_imports_kt": 2_000, "bunkers_kt": 1_500,
    "excluded_crude_stocks_kt": 1_000, "excluded_product_stocks_kt": 500,
}  # fmt: skip


def _check_all_inputs(data: dict) -> None:
    assert data["daily_net_imports_kt"] == pytest.approx(297.71918, abs=1e-5)
    assert data["counted_stocks_kt"] == pytest.approx(12_636.0)
    assert data["days"] == pytest.approx(42.44268, abs=1e-5)
    assert data["obligation_kt"] == pytest.approx(26_794.726, abs=1e-3)
    assert data["meets_obligation"] is False
    assert data["surplus_kt"] == pytest.approx(-14_158.726, abs=1e-3)
    assert data["method"] == "main_products"


def test_cli_reaches_every_engine_input(cli):
    args = ["energy", "stock-days", "--main-products", "--on", "2026-11-25", "--json"]
    for name, value in ALL_INPUTS.items():
        args += [f"--{name.replace('_', '-')}", str(value)]
    res = cli(args)
    assert res.exit_code == 0, res.stderr
    data = json.loads(res.stdout)
    _check_all_inputs(data)
    assert data["inputs"]["bunkers_kt"] == 1_500


def test_api_reaches_every_engine_input(api_client):
    query = {**ALL_INPUTS, "main_products_only": "true", "on": "2026-11-25"}
    res = api_client.get("/api/v1/energy/stock-days", params=query)
    assert res.status_code == 200, res.text
    _check_all_inputs(res.json())


@pytest.mark.parametrize("bad", ["nan", "inf", "-inf", "1e19"])
def test_api_refuses_non_finite_volumes(api_client, bad):
    query = {**ALL_INPUTS, "crude_stocks_kt": bad}
    res = api_client.get("/api/v1/energy/stock-days", params=query)
    assert res.status_code == 422, res.text
    assert "crude_stocks_kt" in res.text


def test_engine_refuses_non_finite_volumes():
    with pytest.raises(InvalidInput) as err:
        stock_days(params=get_params(), on=ON, **{**ALL_INPUTS, "bunkers_kt": float("nan")})
    assert err.value.field == "bunkers_kt"


def test_cli_unparseable_date_is_one_line_naming_on(cli):
    args = ["energy", "stock-days", "--on", "banana"]
    for name, value in list(ALL_INPUTS.items())[:4]:
        args += [f"--{name.replace('_', '-')}", str(value)]
    res = cli(args)
    assert res.exit_code == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "--on" in lines[0] and "banana" in lines[0], res.stderr
    assert "Traceback" not in res.stderr
