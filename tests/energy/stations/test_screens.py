"""Screens on the sample find every planted case and spare the Edgeworth market."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from tiro.core.errors import InvalidInput
from tiro.core.parameters import get_params
from tiro.energy.screens.edgeworth import edgeworth_screen
from tiro.energy.screens.fake_fuel import fake_fuel_screen
from tiro.energy.screens.hoarding import hoarding_screen
from tiro.energy.screens.variance import variance_screen
from tiro.energy.stations.sample import StationSample

ON = dt.date(2026, 5, 25)


def _ids(frame: pl.DataFrame) -> set[str]:
    return set(frame["station_id"].to_list())


def _role(sample: StationSample, prefix: str) -> set[str]:
    return _ids(sample.planted.filter(pl.col("role").str.starts_with(prefix)))


def test_variance_screen_precision_and_recall_are_one(station_sample: StationSample) -> None:
    s = station_sample
    flagged = variance_screen(s.prices, s.wholesale, s.stations, get_params(), ON)
    planted = _role(s, "collusive_")
    for product in ("gasoline", "diesel"):
        found = _ids(flagged.filter(pl.col("product") == product))
        assert found == planted  # 15 of 15, no false positive among 11,735 others
    assert flagged["cluster_size"].unique().to_list() == [5]
    assert flagged["reason"].str.contains("margin CV").all()
    assert not (_role(s, "edgeworth") & _ids(flagged))


def test_edgeworth_market_is_detected_as_cycling(station_sample: StationSample) -> None:
    s = station_sample
    cycles = edgeworth_screen(s.prices, get_params(), ON).filter(pl.col("edgeworth"))
    assert _ids(cycles) == _role(s, "edgeworth")  # all 12, nothing else
    assert cycles["reason"].str.contains("sawtooth").all()


def test_a_rigid_edgeworth_cluster_is_not_flagged(station_sample: StationSample) -> None:
    # Three stations in one district cycling in lockstep with a high mean margin: with a
    # benchmark so loose that their margin CV passes as rigid, only the Edgeworth
    # exclusion keeps them unflagged.
    s = station_sample
    days = [dt.date(2026, 3, 1) + dt.timedelta(days=d) for d in range(28)]
    saw = [90 - 12 * (d % 7) for d in range(28)]
    ids = ["E1", "E2", "E3"]
    prices = pl.DataFrame(
        {
            "date": days * 3,
            "station_id": [i for i in ids for _ in days],
            "product": "gasoline",
            "price": [float(2300 + w) for _ in ids for w in saw],
        }
    )
    stations = s.stations.head(3).with_columns(station_id=pl.Series(ids), sigungu=pl.lit("X"))
    background = s.prices.filter(pl.col("date") < dt.date(2026, 3, 29))
    everything = pl.concat([background, prices.cast(background.schema)])
    loose = get_params().with_overlay(
        {
            "overrides": {
                "energy.screens.variance.margin_cv_ratio": {
                    "2026-03-01": {"value": 1.0, "reference": {"title": "t", "section": "3 ③"}}
                }
            }
        }
    )
    reg = pl.concat([s.stations, stations])
    flagged = variance_screen(everything, s.wholesale, reg, loose, ON)
    assert not (_ids(flagged) & set(ids))
    no_exclusion = loose.with_overlay(
        {
            "overrides": {
                "energy.screens.edgeworth.rise_fall_ratio": {
                    "2026-03-01": {"value": 1000, "reference": {"title": "t", "section": "3 ③"}}
                }
            }
        }
    )
    assert set(ids) <= _ids(variance_screen(everything, s.wholesale, reg, no_exclusion, ON))


def test_hoarding_screen_finds_hoarders_not_decoys(station_sample: StationSample) -> None:
    s = station_sample
    flagged = hoarding_screen(s.sales, s.stations, get_params())
    assert _ids(flagged) == _role(s, "hoarder")  # 6 of 6; decoys (low sales, normal stock) spared
    assert not (_ids(flagged) & _role(s, "decoy"))
    assert set(flagged["month"].to_list()) == {dt.date(2026, 4, 1), dt.date(2026, 5, 1)}
    assert (flagged["shipment_ratio"] < 0.9).all()


def test_hoarding_screen_names_a_missing_column(station_sample: StationSample) -> None:
    with pytest.raises(InvalidInput) as err:
        hoarding_screen(
            station_sample.sales.drop("closing_stock_l"), station_sample.stations, get_params()
        )
    assert err.value.field == "closing_stock_l"


def test_fake_fuel_signal_finds_below_cost_sellers(station_sample: StationSample) -> None:
    s = station_sample
    flagged = fake_fuel_screen(s.prices, s.wholesale, get_params(), ON)
    for product in ("gasoline", "diesel"):
        assert _ids(flagged.filter(pl.col("product") == product)) == _role(s, "below_cost")
    assert (flagged["below_cost_share"] == 1.0).all()  # 86 of 86 days below cost
    assert (flagged["mean_gap"] < -20).all()  # planted 20..60 won below cost
