"""YAML policy cases for fuel tax, cap resets, the freight refund and the naphtha pro rata
(tests/policy/energy/fuel_tax.yaml, price_cap.yaml, subsidy.yaml, naphtha.yaml)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from tests.policy.cases import case_params, load_cases

from tiro.energy.prices.fuel_tax import fuel_tax
from tiro.energy.prices.price_cap import next_cap
from tiro.energy.subsidies.rules import freight_refund, naphtha_allocation


def _day(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _check(result: dict, case: dict) -> None:
    for key, want in case["output"].items():
        if key == "payable":
            continue
        if isinstance(want, (int, float)) and not isinstance(want, bool):
            assert result[key] == pytest.approx(want, abs=case.get("margin", 1e-6)), key
        else:
            assert result[key] == want, key


@pytest.mark.parametrize("case", load_cases("energy", "fuel_tax.yaml"))
def test_fuel_tax_case(case):
    result = fuel_tax(params=case_params(case, "energy"), on=_day(case["date"]), **case["input"])
    _check(result, case)


@pytest.mark.parametrize("case", load_cases("energy", "price_cap.yaml"))
def test_price_cap_case(case):
    result = next_cap(params=case_params(case, "energy"), on=_day(case["date"]), **case["input"])
    _check(result, case)


@pytest.mark.parametrize("case", load_cases("energy", "subsidy.yaml"))
def test_freight_case(case):
    result = freight_refund(
        params=case_params(case, "energy"), on=_day(case["date"]), **case["input"]
    )
    _check(result, case)


@pytest.mark.parametrize("case", load_cases("energy", "naphtha.yaml"))
def test_naphtha_case(case):
    claims = pl.DataFrame(case["input"]["claims"]).with_columns(
        pl.col("tonnes", "import_price_usd_t", "krw_per_usd").cast(pl.Float64)
    )
    result = naphtha_allocation(
        params=case_params(case, "energy"),
        claims=claims,
        on=_day(case["date"]),
        budget_used_krw=case["input"].get("budget_used_krw", 0),
    )
    _check(result, case)
    got = {c["claimant"]: c["payable_krw"] for c in result["claims"]}
    assert got == case["output"]["payable"]
    assert result["payable_total_krw"] <= result["budget_left_krw"]


@pytest.mark.parametrize("case", load_cases("energy", "cpi_effect.yaml"))
def test_cpi_effect_case(case):
    from tiro.energy.prices.cpi_effect import cpi_effect

    result = cpi_effect(params=case_params(case, "energy"), **case["input"])
    _check(result, case)


@pytest.mark.parametrize("case", load_cases("energy", "conversion.yaml"))
def test_conversion_case(case):
    from tiro.energy.subsidies.conversion import conversion_support

    result = conversion_support(
        params=case_params(case, "energy"), on=_day(case["date"]), **case["input"]
    )
    _check(result, case)
    assert result["data_label"] == "sample"
