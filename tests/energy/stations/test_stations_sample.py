"""The seeded station sample: shape, labels, determinism, and daily averages."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from tiro.energy.stations.averages import national_daily, regional_daily
from tiro.energy.stations.sample import StationSample, generate
from tiro.energy.stations.schema import PRICE_SCHEMA, STATION_SCHEMA


def test_sample_shape_and_labels(station_sample: StationSample) -> None:
    s = station_sample
    assert s.stations.schema == STATION_SCHEMA and s.prices.schema == PRICE_SCHEMA
    assert 11_000 <= s.stations.height <= 13_000
    assert s.stations["source"].unique().to_list() == ["sample"]
    assert s.stations["station_id"].is_unique().all()
    assert s.stations["sido"].n_unique() == 17
    assert s.prices["date"].min() == dt.date(2026, 3, 1)
    assert s.prices["date"].max() == dt.date(2026, 5, 25)
    assert (s.prices["price"] > 0).all()


def test_regional_structure_seoul_dearer_than_daegu(station_sample: StationSample) -> None:
    reg = regional_daily(station_sample.prices, station_sample.stations)
    day = reg.filter((pl.col("date") == dt.date(2026, 5, 25)) & (pl.col("product") == "gasoline"))
    price = dict(zip(day["sido"], day["price"], strict=True))
    assert price["서울"] - price["대구"] > 60  # offsets +95 vs -10 in sample_regions.csv


def test_national_average_is_the_plain_mean(station_sample: StationSample) -> None:
    s = station_sample
    on = dt.date(2026, 4, 15)
    nat = national_daily(s.prices).filter((pl.col("date") == on) & (pl.col("product") == "diesel"))
    rows = s.prices.filter((pl.col("date") == on) & (pl.col("product") == "diesel"))
    expected = np.mean(rows["price"].to_numpy())
    assert nat["price"][0] == pytest.approx(expected)
    assert nat["stations"][0] == rows.height


def test_same_seed_same_sample_other_seed_differs(station_sample: StationSample) -> None:
    again = generate()
    assert again.stations.equals(station_sample.stations)
    assert again.prices.equals(station_sample.prices)
    assert not generate(seed=1).stations.equals(station_sample.stations)
