"""Capital-call scheduler: a case solved by hand, and the cap held on random pipelines."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tiro.core.errors import InvalidInput
from tiro.core.parameters import get_params
from tiro.invest.calendar import add_us_business_days
from tiro.invest.io import read_pipeline
from tiro.invest.schedule import solve
from tiro.invest.terms import annual_cap

BN = 1_000_000_000


def _pipeline(rows: list[tuple[str, float, int, float]]) -> pl.DataFrame:
    return pl.DataFrame(
        rows, schema=["project", "priority", "requested_year", "amount_usd"], orient="row"
    )


def test_small_case_solved_by_hand():
    # cap 20bn. 2026 asks: A 12bn (priority 3), B 15bn (priority 2) = 27bn > 20bn.
    # A is paid in full (higher priority), B gets the 8bn left and 7bn moves to 2027.
    # 2027: C asks 10bn (priority 1) + B's 7bn = 17bn <= 20bn, nothing more deferred.
    # 2028: D asks 25bn (priority 5): 20bn in 2028, 5bn in 2029.
    plan = solve(
        _pipeline(
            [("A", 3, 2026, 12 * BN), ("B", 2, 2026, 15 * BN), ("C", 1, 2027, 10 * BN),
             ("D", 5, 2028, 25 * BN)]
        ),
        lambda year: 20 * BN,
    )  # fmt: skip
    assert plan.contract() == {
        "calls": [
            {"project": "A", "year": 2026, "amount": 12 * BN},
            {"project": "B", "year": 2026, "amount": 8 * BN},
            {"project": "B", "year": 2027, "amount": 7 * BN},
            {"project": "C", "year": 2027, "amount": 10 * BN},
            {"project": "D", "year": 2028, "amount": 20 * BN},
            {"project": "D", "year": 2029, "amount": 5 * BN},
        ],
        "by_year": {"2026": 20 * BN, "2027": 17 * BN, "2028": 20 * BN, "2029": 5 * BN},
        "deferred": [
            {"project": "B", "amount": 7 * BN, "from_year": 2026, "to_year": 2027},
            {"project": "D", "amount": 5 * BN, "from_year": 2028, "to_year": 2029},
        ],
    }


def test_a_lower_cap_what_if_defers_more():
    # cap 10bn: 2026 pays A 10bn (A 2bn -> 2027); B 15bn -> 2027 8bn, 2028 7bn
    plan = solve(_pipeline([("A", 3, 2026, 12 * BN), ("B", 2, 2026, 15 * BN)]), lambda y: 10 * BN)
    assert plan.by_year == {"2026": 10 * BN, "2027": 10 * BN, "2028": 7 * BN}
    assert plan.calls.filter(pl.col("project") == "A")["year"].to_list() == [2026, 2027]


def test_an_fx_adjustment_request_defers_a_project_and_resolves():
    # A asks 2026 but Korea requests (FX volatility) to pay A from 2027: B fills 2026 instead
    plan = solve(
        _pipeline([("A", 3, 2026, 12 * BN), ("B", 2, 2026, 15 * BN)]),
        lambda y: 20 * BN,
        earliest={"A": 2027},
    )
    assert plan.contract()["calls"] == [
        {"project": "B", "year": 2026, "amount": 15 * BN},
        {"project": "A", "year": 2027, "amount": 12 * BN},
    ]
    assert plan.deferred == [
        {"project": "A", "amount": 12 * BN, "from_year": 2026, "to_year": 2027}
    ]


def test_an_amount_below_one_cent_is_refused():
    # found by the API fuzz: 5e-324 USD rounded to 0 cents left no call at all (500)
    with pytest.raises(InvalidInput) as err:
        solve(_pipeline([("A", 0, 2025, 5e-324)]), lambda y: 20 * BN)
    assert err.value.field == "amount_usd"


def test_the_shipped_cap_is_twenty_billion_dollars():
    assert annual_cap(get_params(), 2026) == 20 * BN


lines = st.lists(
    st.tuples(
        st.sampled_from(["P1", "P2", "P3", "P4", "P5", "P6"]),
        st.integers(min_value=-5, max_value=9),
        st.integers(min_value=2026, max_value=2032),
        st.integers(min_value=1, max_value=30_000).map(lambda m: m * 1_000_000 + 0.37),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=lines, cap_m=st.integers(min_value=500, max_value=25_000))
# found by this property: HiGHS returned -37 cents within its tolerance, which hid 37 cents
# over the 2027 cap and overpaid P1 (now clipped at zero before the cent repair)
@example(
    rows=[("P1", 0, 2026, 1000000.37), ("P1", 0, 2026, 3701000000.37),
          ("P1", 0, 2026, 3700000000.37)],
    cap_m=3701,
)  # fmt: skip
def test_never_over_the_cap_and_every_dollar_paid(rows, cap_m):
    cap = cap_m * 1_000_000.0
    pipeline = _pipeline(rows)
    plan = solve(pipeline, lambda y: cap)
    assert all(total <= cap for total in plan.by_year.values())
    paid = plan.calls.group_by("project").agg(pl.col("amount").sum())
    asked = pipeline.group_by("project").agg(pl.col("amount_usd").sum())
    joined = paid.join(asked, on="project")
    assert joined.height == asked.height
    for _, got, want in joined.iter_rows():
        assert round(got * 100) == round(want * 100)
    # never paid before it was requested
    first_ask = pipeline.group_by("project").agg(pl.col("requested_year").min())
    early = plan.calls.join(first_ask, on="project").filter(
        pl.col("year") < pl.col("requested_year")
    )
    assert early.height == 0


def test_due_date_is_45_us_business_days_across_holidays():
    # notice Mon 2026-11-02. Nov 3-30: 20 weekdays - Veterans Day (11-11) - Thanksgiving
    # (11-26) = 18; Dec: 23 weekdays - Christmas = 22 (40); Jan 2027: New Year (Fri 1-1) is
    # a holiday, Jan 4-8 = 5 -> the 45th business day is Fri 2027-01-08.
    assert add_us_business_days(dt.date(2026, 11, 2), 45) == dt.date(2027, 1, 8)
    # a notice on Thu 2026-07-02: Fri 07-03 is Independence Day observed -> Mon 07-06
    assert add_us_business_days(dt.date(2026, 7, 2), 1) == dt.date(2026, 7, 6)
    # a Saturday notice: the first business day after it is Monday
    assert add_us_business_days(dt.date(2026, 11, 7), 1) == dt.date(2026, 11, 9)


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("project,priority,amount_usd\nA,1,5\n", "requested_year"),
        ("project,priority,requested_year,amount_usd\nA,high,2026,5\n", "priority"),
        ("project,priority,requested_year,amount_usd\nA,1,2026,0\n", "amount_usd"),
        ("project,priority,requested_year,amount_usd\nA,1,2026,nan\n", "amount_usd"),
        ("project,priority,requested_year,amount_usd\nA,1,1999,5\n", "requested_year"),
        ("project,priority,requested_year,amount_usd\n,1,2026,5\n", "project"),
        ("project,priority,requested_year,amount_usd\n", "pipeline"),
    ],
)
def test_bad_pipeline_files_name_the_field(tmp_path, text, field):
    path = tmp_path / "pipeline.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput) as err:
        read_pipeline(path)
    assert err.value.field == field
