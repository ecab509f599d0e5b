"""The good-station rule (착한주유소): each criterion a parameter, the cheapest eligible per area."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from tiro.core.errors import InvalidInput
from tiro.core.parameters import get_params
from tiro.energy.stations.sample import StationSample
from tiro.energy.stations.schema import PRICE_SCHEMA, STATION_SCHEMA
from tiro.energy.stations.selection import eligibility, select_round

START, END = dt.date(2026, 5, 1), dt.date(2026, 5, 3)
D = dt.date


def _station(sid: str, area: str, opened: dt.date, fake: dt.date | None = None) -> dict:
    return {
        "station_id": sid, "name": sid, "brand": "SKE", "address": "", "sido": "서울",
        "sigungu": area, "lat": 37.5, "lon": 127.0, "self_service": False, "opened": opened,
        "last_fake_fuel": fake, "source": "sample",
    }  # fmt: skip


STATIONS = pl.DataFrame(
    [
        _station("cheap_but_new", "중구", D(2024, 6, 1)),  # 2 years < 3: not eligible
        _station("cheap_fake_2024", "중구", D(2000, 1, 1), D(2024, 1, 1)),  # within 3 years
        _station("gap_day", "중구", D(2000, 1, 1)),  # misses 5/2: reporting incomplete
        _station("winner_jung", "중구", D(2000, 1, 1), D(2022, 1, 1)),  # fake fuel 4+ years ago
        _station("dearer", "중구", D(2000, 1, 1)),
        _station("winner_mapo", "마포구", D(2023, 5, 3)),  # exactly 3 years on 5/3
    ],
    schema=STATION_SCHEMA,
)
PRICE = {
    "cheap_but_new": 1800, "cheap_fake_2024": 1810, "gap_day": 1820,
    "winner_jung": 1850, "dearer": 1900, "winner_mapo": 1950,
}  # fmt: skip
PRICES = pl.DataFrame(
    [
        {"date": START + dt.timedelta(days=d), "station_id": s, "product": "gasoline", "price": p}
        for s, p in PRICE.items()
        for d in range(3)
        if not (s == "gap_day" and d == 1)
    ],
    schema=PRICE_SCHEMA,
)


def test_selection_applies_every_criterion() -> None:
    got = select_round(
        STATIONS, PRICES, start=START, end=END, product="gasoline", params=get_params()
    )
    assert dict(zip(got["sigungu"], got["station_id"], strict=True)) == {
        "마포구": "winner_mapo",
        "중구": "winner_jung",
    }
    table = eligibility(
        STATIONS, PRICES, start=START, end=END, product="gasoline", params=get_params()
    )
    why = {r["station_id"]: r for r in table.iter_rows(named=True)}
    assert not why["cheap_but_new"]["years_ok"]
    assert not why["cheap_fake_2024"]["fake_fuel_ok"]
    assert not why["gap_day"]["reporting_ok"]
    assert why["winner_mapo"]["years_ok"]


def test_a_scenario_relaxing_years_changes_the_winner() -> None:
    params = get_params().with_overlay(
        {
            "overrides": {
                "energy.stations.good_station.min_years_operating": {
                    "2026-01-01": {
                        "value": 1,
                        "reference": {"title": "what-if: one year", "section": "3 ③"},
                    }
                }
            }
        }
    )
    got = select_round(STATIONS, PRICES, start=START, end=END, product="gasoline", params=params)
    assert "cheap_but_new" in got["station_id"].to_list()


def test_sample_round_has_one_station_per_area(station_sample: StationSample) -> None:
    # The round covering 2026-03-11 (a day 1 in 50 stations did not report).
    got = select_round(
        station_sample.stations,
        station_sample.prices,
        start=D(2026, 3, 1),
        end=D(2026, 3, 31),
        product="diesel",
        params=get_params(),
    )
    assert got.height == station_sample.stations["sigungu"].n_unique() == 228
    assert got["station_id"].is_unique().all()


def test_round_end_before_start_is_refused() -> None:
    with pytest.raises(InvalidInput) as err:
        select_round(
            STATIONS, PRICES, start=END, end=START, product="gasoline", params=get_params()
        )
    assert err.value.field == "end"
