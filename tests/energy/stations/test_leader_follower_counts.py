"""The leader–follower screen's follower and predecessor counts, against plain Python.

The screen counts with integer codes and array lookups (its hot path). Here random small
markets — a few stations in one or two 시군구, rises of a few sizes on random days, missing
days, a lag of 1 to 3 — are counted rise by rise with sets, the definition itself: the
distinct *other* stations of the same 시군구 and product whose rise rounds to the same step
1 … lag days later (followers) or earlier (predecessors).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tiro.core.parameters import get_params
from tiro.energy.screens import leader_follower as lf

D0 = dt.date(2026, 3, 1)
PRICE_COLUMNS = {
    "date": pl.Date,
    "station_id": pl.String,
    "product": pl.String,
    "price": pl.Float64,
}
NO_CYCLES = pl.DataFrame(schema={"station_id": pl.String, "product": pl.String})


@st.composite
def markets(draw: st.DrawFn) -> tuple[pl.DataFrame, pl.DataFrame, int]:
    n = draw(st.integers(2, 7))
    days = draw(st.integers(3, 15))
    lag = draw(st.integers(1, 3))
    ids = [f"S{i}" for i in range(n)]
    district = [draw(st.sampled_from(["A구", "B구"])) for _ in ids]
    rows = []
    for sid in ids:
        for product in ("gasoline", "diesel"):
            price = 1800.0
            for d in range(days):
                price += draw(st.sampled_from([0.0, 0.0, -10.0, 10.0, 20.0, 14.0, 26.0]))
                if draw(st.integers(0, 9)) == 0:  # a day not reported
                    continue
                rows.append((D0 + dt.timedelta(days=d), sid, product, price))
    prices = pl.DataFrame(rows, schema=PRICE_COLUMNS, orient="row")
    stations = pl.DataFrame({"station_id": ids, "sigungu": district})
    return prices, stations, lag


def _by_hand(rises: pl.DataFrame, lag: int) -> tuple[list[int], list[int]]:
    out_f, out_p = [], []
    rows = rises.select("station_id", "product", "sigungu", "step", "date").rows()
    for sid, product, place, step, day in rows:
        same = [(o, t) for o, p, g, k, t in rows if (p, g, k) == (product, place, step)]
        after = {o for o, t in same if o != sid and 1 <= (t - day).days <= lag}
        before = {o for o, t in same if o != sid and 1 <= (day - t).days <= lag}
        out_f.append(len(after))
        out_p.append(len(before))
    return out_f, out_p


@settings(max_examples=60, deadline=None)
@given(market=markets(), dense=st.booleans())
def test_counts_match_the_definition(market, dense: bool) -> None:
    prices, stations, lag = market
    rises = lf.rise_events(prices, stations, 10.0, NO_CYCLES)
    answers = lf._Answers(rises, lag)
    if not dense:  # the binary-search path, taken above DENSE_CELLS
        answers.dense = None
    followers, predecessors = _by_hand(rises, lag)
    assert answers.followers().tolist() == followers
    assert answers.predecessors().tolist() == predecessors
    # who followed each rise that was followed: the same stations the count counted
    rows = rises.select("station_id", "product", "sigungu", "step", "date").rows()
    followed = np.flatnonzero(answers.followers() > 0)
    at, who = answers.who_followed(followed)
    for r in followed:
        sid, product, place, step, day = rows[r]
        expect = {
            o
            for o, p, g, k, t in rows
            if (p, g, k) == (product, place, step) and o != sid and 1 <= (t - day).days <= lag
        }
        assert set(who[at == r].tolist()) == expect
        assert len(who[at == r]) == followers[r]


def test_a_station_without_a_district_answers_and_follows_nobody() -> None:
    # X has no 시군구 (null): its rises are not matched to anyone's (as a join on a null key),
    # and its copying of L does not count as following.
    prices = pl.DataFrame(
        {
            "date": [D0 + dt.timedelta(days=d) for d in range(3)] * 3,
            "station_id": ["L"] * 3 + ["F"] * 3 + ["X"] * 3,
            "product": "gasoline",
            "price": [1800.0, 1820, 1820, 1800, 1800, 1820, 1800, 1800, 1820],
        }
    )
    stations = pl.DataFrame({"station_id": ["L", "F", "X"], "sigungu": ["A구", "A구", None]})
    rises = lf.rise_events(prices, stations, 10.0, NO_CYCLES).sort("station_id")
    answers = lf._Answers(rises, 2)
    assert rises["station_id"].to_list() == ["F", "L", "X"]
    assert answers.followers().tolist() == [0, 1, 0]
    assert answers.predecessors().tolist() == [1, 0, 0]


def test_no_prices_no_flags() -> None:
    empty = pl.DataFrame(
        schema={"date": pl.Date, "station_id": pl.String, "product": pl.String, "price": pl.Float64}
    )
    stations = pl.DataFrame({"station_id": ["L"], "sigungu": ["A구"]})
    out = lf.leader_follower_screen(empty, stations, get_params(), dt.date(2026, 5, 25))
    assert out.is_empty()


@pytest.mark.parametrize("dense", [True, False])
def test_sample_flags_the_same_by_either_lookup(station_sample, monkeypatch, dense) -> None:
    if not dense:
        monkeypatch.setattr(lf._Answers, "DENSE_CELLS", 0)
    s = station_sample
    out = lf.leader_follower_screen(s.prices, s.stations, get_params(), dt.date(2026, 5, 25))
    planted = s.planted.filter(pl.col("role").str.starts_with("leader_"))["station_id"]
    assert sorted(out["station_id"]) == sorted(planted.to_list() * 2)
