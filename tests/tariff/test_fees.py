"""Merchandise processing fee and harbor maintenance fee (tiro.tariff.broker.fees): hand-computed
policy cases, the fiscal-year change, the KORUS exemption and the vectorised frame."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.policy.cases import case_params

from tiro.core.errors import InvalidInput
from tiro.core.parameters import get_params
from tiro.tariff.broker.fees import MODES, check_mode, entry_fees, fee_frame

CASES = yaml.safe_load(
    (Path(__file__).resolve().parents[1] / "policy" / "tariff_broker" / "fees.yaml").read_text(
        encoding="utf-8"
    )
)


@pytest.mark.parametrize("case", CASES, ids=[c["name"][:50] for c in CASES])
def test_fee_policy_case(case: dict) -> None:
    inp = case["input"]
    fees = entry_fees(
        customs_value=inp["value"],
        entry_date=case["date"],
        mode=inp.get("mode"),
        korus_claimed=inp["korus"],
        params=case_params(case, "tariff_broker"),
    )
    for key, expected in case["output"].items():
        if isinstance(expected, float):
            assert fees[key] == pytest.approx(expected, abs=0.005), (key, fees)
        else:
            assert fees[key] == expected, (key, fees)


def test_the_limits_change_on_the_first_day_of_the_fiscal_year() -> None:
    params = get_params()
    before = entry_fees(customs_value=0, entry_date=dt.date(2025, 9, 30), mode="air",
                        korus_claimed=False, params=params)  # fmt: skip
    after = entry_fees(customs_value=0, entry_date=dt.date(2025, 10, 1), mode="air",
                       korus_claimed=False, params=params)  # fmt: skip
    assert (before["mpf_minimum"], before["mpf_maximum"]) == (32.71, 634.62)
    assert (after["mpf_minimum"], after["mpf_maximum"]) == (33.58, 651.50)
    # a zero-value formal entry still pays the minimum
    assert (before["mpf"], after["mpf"]) == (32.71, 33.58)


def test_fees_cite_their_parameters() -> None:
    fees = entry_fees(customs_value=10, entry_date=dt.date(2025, 11, 20), mode="ocean",
                      korus_claimed=False, params=get_params())  # fmt: skip
    used = {p["path"]: p for p in fees["parameters"]}
    assert used["tariff.fees.mpf_minimum"]["effective_from"] == "2025-10-01"
    assert "90 FR 34665" in used["tariff.fees.mpf_minimum"]["reference"]["title"]
    assert "58c(b)(19)" in used["tariff.fees.mpf_exempt_spi"]["reference"]["title"]


def test_unknown_mode_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidInput) as err:
        check_mode("boat")
    assert err.value.field == "mode"
    assert check_mode(" Ocean ") == "ocean" and check_mode(None) is None


def test_before_the_first_fee_value_is_an_error_not_zero() -> None:
    with pytest.raises(Exception, match="first value"):
        entry_fees(customs_value=10, entry_date=dt.date(2024, 9, 30), mode="air",
                   korus_claimed=False, params=get_params())  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.floats(0, 5e6, allow_nan=False),
            st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 5)),
            st.sampled_from([None, *MODES]),
            st.booleans(),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_frame_agrees_with_the_rule_row_by_row(rows: list[tuple]) -> None:
    """The vectorised frame prices each row as the statute's formula computed here by hand."""
    frame = pl.DataFrame(
        {
            "customs_value": [r[0] for r in rows],
            "entry_date": [r[1] for r in rows],
            "mode": [r[2] for r in rows],
            "spi": ["KR" if r[3] else None for r in rows],
        },
        schema={
            "customs_value": pl.Float64,
            "entry_date": pl.Date,
            "mode": pl.Utf8,
            "spi": pl.Utf8,
        },
    )
    out = fee_frame(frame, get_params())
    for (value, day, mode, korus), row in zip(rows, out.iter_rows(named=True), strict=True):
        low, high = (33.58, 651.50) if day >= dt.date(2025, 10, 1) else (32.71, 634.62)
        mpf = 0.0 if korus else min(max(value * 0.003464, low), high)
        assert row["mpf"] == pytest.approx(mpf, abs=0.006)
        hmf = None if mode is None else (value * 0.00125 if mode == "ocean" else 0.0)
        if hmf is None:
            assert row["hmf"] is None
        else:
            assert row["hmf"] == pytest.approx(hmf, abs=0.006)


@settings(max_examples=60, deadline=None)
@given(
    value=st.floats(0, 5e6, allow_nan=False),
    day=st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 5)),
    mode=st.sampled_from([None, *MODES]),
    korus=st.booleans(),
)
def test_one_entry_is_priced_as_the_frame_prices_it(value, day, mode, korus) -> None:
    """``entry_fees`` (scalar, for a quote) and ``fee_frame`` (columns, for many entries)
    are one rule."""
    params = get_params()
    one = entry_fees(customs_value=value, entry_date=day, mode=mode, korus_claimed=korus,
                     params=params)  # fmt: skip
    frame = pl.DataFrame(
        {"customs_value": [value], "entry_date": [day], "mode": [mode],
         "spi": ["KR" if korus else None]},
        schema={"customs_value": pl.Float64, "entry_date": pl.Date, "mode": pl.Utf8, "spi": pl.Utf8},
    )  # fmt: skip
    row = fee_frame(frame, params).row(0, named=True)
    assert one["mpf"] == pytest.approx(row["mpf"], abs=0.011)
    assert (one["hmf"] is None) == (row["hmf"] is None)
    if one["hmf"] is not None:
        assert one["hmf"] == pytest.approx(row["hmf"], abs=0.011)
