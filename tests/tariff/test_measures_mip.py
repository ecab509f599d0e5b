"""The minimum-import-price rate kind (Procl. 11052 cl. (2)(c)): duty = max(0, floor x quantity -
value). Properties of the formula and of the engine that prices it: never negative, zero at or
above the floor, linear in the unit value below it; the quote, the vectorised engine and the
formula agree; a bad record is refused when it is read."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiro.core.errors import ParameterFileError
from tiro.tariff.measures.data import load_measure_set, parse_measure
from tiro.tariff.pricing.engine import price
from tiro.tariff.pricing.money import mip_shortfall
from tiro.tariff.pricing.quote import quote

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
floors = st.floats(0.0, 500.0, allow_nan=False)
quantities = st.floats(0.0, 1e6, allow_nan=False)
values = st.floats(0.0, 1e7, allow_nan=False)
START = dt.date(2026, 12, 4)  # Procl. 11052 cl. (2): entries on or after 12:01 a.m. 2026-12-04
MODULE_FLOOR = 0.38  # USD/W, Procl. 11052 cl. (1)(a)(iv)


@FAST
@given(floors, quantities, values)
def test_never_negative(floor: float, qty: float, value: float) -> None:
    assert mip_shortfall(floor, qty, value) >= 0.0


@FAST
@given(floors, st.floats(0.01, 1e6, allow_nan=False), st.floats(0.0, 10.0, allow_nan=False))
def test_zero_at_or_above_the_floor(floor: float, qty: float, margin: float) -> None:
    """A unit value at the floor or above it (value = (floor + margin) x quantity) owes nothing."""
    value = (floor + margin) * qty
    assert mip_shortfall(floor, qty, value) == pytest.approx(0.0, abs=1e-6 * max(1.0, value))


@FAST
@given(floors, st.floats(0.01, 1e5, allow_nan=False), st.floats(0.0, 1.0, allow_nan=False))
def test_linear_in_the_unit_value_below_the_floor(floor: float, qty: float, frac: float) -> None:
    """Below the floor the duty is (floor - unit value) x quantity: each dollar the declared value
    falls short adds exactly one dollar of duty."""
    unit = floor * frac
    duty = mip_shortfall(floor, qty, unit * qty)
    assert duty == pytest.approx((floor - unit) * qty, rel=1e-9, abs=1e-6)
    one_less = mip_shortfall(floor, qty, unit * qty - 1.0)
    assert one_less - duty == pytest.approx(1.0, abs=1e-6 * max(1.0, floor * qty))


def test_worked_example_by_hand() -> None:
    # 40,000 W of modules at 10,000 USD: 0.38 x 40,000 = 15,200 - 10,000 = 5,200
    assert mip_shortfall(MODULE_FLOOR, 40_000, 10_000) == pytest.approx(5_200)
    # at 0.50 USD/W (20,000 USD) the floor is met: 0
    assert mip_shortfall(MODULE_FLOOR, 40_000, 20_000) == 0.0
    # vectorised: one call for many lines
    got = mip_shortfall(np.array([21.0, 21.0]), np.array([100.0, 10.0]), np.array([1_000.0, 500.0]))
    assert got.tolist() == pytest.approx([1_100.0, 0.0])


lines = st.lists(
    st.tuples(
        st.sampled_from(["KR", "CN"]),
        st.floats(1.0, 1e6, allow_nan=False),  # customs value
        st.floats(0.0, 1e7, allow_nan=False),  # watts
    ),
    min_size=1,
    max_size=25,
)


@FAST
@given(lines)
def test_engine_prices_modules_as_the_proclamation_says(
    rows: list[tuple[str, float, float]],
) -> None:
    """Documented solar modules from 2026-12-04: MIP shortfall plus +15% (Korea: 15% including
    column 1, General Free) — batch engine, formula and never-negative agree line by line."""
    frame = pl.DataFrame(
        {
            "hts": ["8541.43.00.10"] * len(rows),
            "origin": [r[0] for r in rows],
            "entry_date": [START] * len(rows),
            "customs_value": [r[1] for r in rows],
            "quantity": [r[2] for r in rows],
            "mip_documented": [True] * len(rows),
        }
    )
    p = price(frame, load_measure_set(None))
    assert p.errors.height == 0
    got = p.lines.sort("line_id")["additional_duty"].to_numpy()
    value, watts = frame["customs_value"].to_numpy(), frame["quantity"].to_numpy()
    expected = np.maximum(MODULE_FLOOR * watts - value, 0.0) + 0.15 * value
    # Chinese modules also pay Section 301 China 50% (9903.91.02, s301_china.yaml)
    china = frame["origin"].to_numpy() == "CN"
    expected = expected + np.where(china, 0.50 * value, 0.0)
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-6)
    assert (got >= 0).all()


@FAST
@given(st.floats(1.0, 1e5, allow_nan=False), st.floats(0.0, 1e4, allow_nan=False))
def test_quote_line_equals_the_batch(value: float, kilograms: float) -> None:
    """The quote's MIP line and total equal the engine's vectorised total (polysilicon, 21 USD/kg,
    no +15% on raw polysilicon)."""
    q = quote(
        hts="2804.61.00.00",
        origin="KR",
        entry_date=START,
        customs_value=value,
        quantity=kilograms,
        facts={"mip_documented": True},
    )
    mip = [ln for ln in q["lines"] if ln["program"] == "s232_polysilicon_mip"]
    assert len(mip) == 1
    expected = max(0.0, 21.0 * kilograms - value)
    assert mip[0]["duty"] == pytest.approx(expected, abs=0.01)
    assert q["total_duty"] == pytest.approx(expected, abs=0.01)


def test_undocumented_entry_pays_the_whole_floor_and_the_day_before_pays_none() -> None:
    common = dict(hts="2804.61.00.00", origin="KR", customs_value=1_000.0, quantity=100.0)
    facts = {"mip_documented": False}
    assert quote(entry_date=START, facts=facts, **common)["total_duty"] == pytest.approx(2_100)
    before = quote(entry_date=START - dt.timedelta(days=1), facts=facts, **common)
    assert before["total_duty"] == 0.0


def _record(**rate: object) -> dict:
    return {
        "id": "mip-test",
        "heading": None,
        "program": "s232_polysilicon_mip",
        "valid_from": "2030-01-01",
        "hts": {"include": ["2804.61"]},
        "origin": {"include": ["*"]},
        "rate": {"kind": "minimum_import_price", **rate},
        "basis": "full_value",
        "citation": {"title": "test", "source": "test"},
    }


def test_a_record_without_a_floor_or_unit_is_refused() -> None:
    with pytest.raises(ParameterFileError, match="needs amount and per"):
        parse_measure(_record(per="kg"), "test")
    with pytest.raises(ParameterFileError, match="needs amount and per"):
        parse_measure(_record(amount=21.0), "test")


def test_a_negative_floor_or_a_metal_basis_is_refused() -> None:
    with pytest.raises(ParameterFileError, match="non-negative floor on the full value"):
        parse_measure(_record(amount=-1.0, per="kg"), "test")
    bad = {**_record(amount=21.0, per="kg"), "basis": "metal_content"}
    with pytest.raises(ParameterFileError, match="non-negative floor on the full value"):
        parse_measure(bad, "test")
    assert parse_measure(_record(amount=21.0, per="kg"), "test").specific_amount == 21.0
