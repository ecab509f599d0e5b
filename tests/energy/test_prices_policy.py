"""YAML policy cases for fuel tax, cap resets, the freight refund and the naphtha pro rata
(tests/policy/energy/fuel_tax.yaml, price_cap.yaml, subsidy.yaml, naphtha.yaml)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from tiro.energy.prices.fuel_tax import fuel_tax
from tiro.energy.prices.price_cap import next_cap
from tiro.energy.subsidies.rules import freight_refund, naphtha_allocation

from .test_policy_cases import _cases, _params


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


@pytest.mark.parametrize("case", _cases("fuel_tax.yaml"))
def test_fuel_tax_case(case, tmp_path):
    result = fuel_tax(params=_params(case, tmp_path), on=_day(case["date"]), **case["input"])
    _check(result, case)


@pytest.mark.parametrize("case", _cases("price_cap.yaml"))
def test_price_cap_case(case, tmp_path):
    result = next_cap(params=_params(case, tmp_path), on=_day(case["date"]), **case["input"])
    _check(result, case)


@pytest.mark.parametrize("case", _cases("subsidy.yaml"))
def test_freight_case(case, tmp_path):
    result = freight_refund(params=_params(case, tmp_path), on=_day(case["date"]), **case["input"])
    _check(result, case)


@pytest.mark.parametrize("case", _cases("naphtha.yaml"))
def test_naphtha_case(case, tmp_path):
    claims = pl.DataFrame(case["input"]["claims"]).with_columns(
        pl.col("tonnes", "import_price_usd_t", "krw_per_usd").cast(pl.Float64)
    )
    result = naphtha_allocation(
        params=_params(case, tmp_path),
        claims=claims,
        on=_day(case["date"]),
        budget_used_krw=case["input"].get("budget_used_krw", 0),
    )
    _check(result, case)
    got = {c["claimant"]: c["payable_krw"] for c in result["claims"]}
    assert got == case["output"]["payable"]
    assert result["payable_total_krw"] <= result["budget_left_krw"]


@pytest.mark.parametrize("case", _cases("cpi_effect.yaml"))
def test_cpi_effect_case(case, tmp_path):
    from tiro.energy.prices.cpi_effect import cpi_effect

    result = cpi_effect(params=_params(case, tmp_path), **case["input"])
    _check(result, case)
