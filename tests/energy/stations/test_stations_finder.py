"""The finder: same answer as a brute-force scan, in the contract's order; bad input refused."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tiro.core.errors import InvalidInput, NotFound
from tiro.energy.stations.finder import StationIndex, brute_force_near
from tiro.energy.stations.sample import StationSample

ON = dt.date(2026, 5, 25)


@pytest.fixture(scope="module")
def index(station_sample: StationSample) -> StationIndex:
    return StationIndex(station_sample.stations, station_sample.prices, ON)


@settings(max_examples=60, deadline=None)
@given(
    lat=st.floats(33.2, 38.5),
    lon=st.floats(126.0, 129.5),
    radius=st.floats(0.5, 30.0),
    product=st.sampled_from(["gasoline", "diesel"]),
)
def test_finder_equals_brute_force(
    index: StationIndex,
    station_sample: StationSample,
    lat: float,
    lon: float,
    radius: float,
    product: str,
) -> None:
    got = index.near(lat=lat, lon=lon, radius_km=radius, product=product)
    ref = brute_force_near(
        station_sample.stations, station_sample.prices, ON, lat, lon, radius, product
    )
    assert got["station_id"].to_list() == ref["station_id"].to_list()


def test_sorted_by_price_then_distance_and_limit(index: StationIndex) -> None:
    got = index.near(lat=37.5665, lon=126.978, radius_km=5, product="gasoline")
    assert got.height > 10
    keys = list(zip(got["price"], got["distance_km"], strict=True))
    assert keys == sorted(keys)
    assert (got["distance_km"] <= 5).all()
    top = index.near(lat=37.5665, lon=126.978, radius_km=5, product="gasoline", limit=3)
    assert top["station_id"].to_list() == got["station_id"].to_list()[:3]
    below = index.near(
        lat=37.5665, lon=126.978, radius_km=5, product="gasoline", below_average=True
    )
    assert (below["price"] < below["regional_average"]).all()
    assert 0 < below.height < got.height


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"radius_km": -1}, "radius_km"),
        ({"radius_km": 0}, "radius_km"),
        ({"radius_km": float("nan")}, "radius_km"),
        ({"lat": 48.1}, "lat"),
        ({"lon": 2.35}, "lon"),
        ({"product": "jetfuel"}, "product"),
        ({"limit": 0}, "limit"),
    ],
)
def test_bad_queries_name_the_field(index: StationIndex, kwargs: dict, field: str) -> None:
    query = {"lat": 37.5, "lon": 127.0, "radius_km": 3.0, "product": "gasoline"} | kwargs
    with pytest.raises(InvalidInput) as err:
        index.near(**query)
    assert err.value.field == field


def test_product_without_prices_and_day_without_prices(
    index: StationIndex, station_sample: StationSample
) -> None:
    with pytest.raises(NotFound) as err:
        index.near(lat=37.5, lon=127.0, radius_km=3, product="kerosene")
    assert err.value.field == "product"
    with pytest.raises(NotFound):
        StationIndex(station_sample.stations, station_sample.prices, dt.date(2025, 1, 1))
