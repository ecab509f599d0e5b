"""The good-station selection rule (착한주유소 선정) for a round.

Precedent since 2015 (에너지·석유시장감시단): the cheapest station of its area on Opinet,
at least N years operating, full price reporting, no fake-fuel record in the last M years.
Each criterion is a dated parameter under ``energy.stations.good_station``; the rule is a
vectorised filter and a rank per area, and each row says which criteria it met.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from tiro.core.errors import InvalidInput, NotFound
from tiro.core.parameters import ParameterTree
from tiro.energy.stations.schema import check_product

P = "energy.stations.good_station."


def _years_before(day: dt.date, years: float) -> dt.date:
    return day - dt.timedelta(days=round(365.25 * years))


def eligibility(
    stations: pl.DataFrame,
    prices: pl.DataFrame,
    *,
    start: dt.date,
    end: dt.date,
    product: str,
    params: ParameterTree,
) -> pl.DataFrame:
    """Every station with its round average price and each criterion met or not."""
    check_product(product)
    if end < start:
        raise InvalidInput(f"round end {end} is before its start {start}", field="end")
    years = params.at(P + "min_years_operating", end)
    lookback = params.at(P + "fake_fuel_lookback_years", end)
    share = params.at(P + "min_reporting_share", end)
    window = prices.filter(pl.col("date").is_between(start, end) & (pl.col("product") == product))
    if window.height == 0:
        raise NotFound(f"no {product} prices between {start} and {end}", field="product")
    days = window["date"].n_unique()
    avg = window.group_by("station_id").agg(
        average_price=pl.col("price").mean(), reported_days=pl.col("date").n_unique()
    )
    return (
        stations.join(avg, on="station_id", how="inner")
        .with_columns(
            years_ok=pl.col("opened") <= _years_before(end, years),
            reporting_ok=pl.col("reported_days") >= share * days,
            fake_fuel_ok=pl.col("last_fake_fuel").is_null()
            | (pl.col("last_fake_fuel") < _years_before(end, lookback)),
        )
        .with_columns(eligible=pl.col("years_ok") & pl.col("reporting_ok") & pl.col("fake_fuel_ok"))
    )


def select_round(
    stations: pl.DataFrame,
    prices: pl.DataFrame,
    *,
    start: dt.date,
    end: dt.date,
    product: str,
    params: ParameterTree,
) -> pl.DataFrame:
    """The round's good stations: the cheapest eligible per 시군구 (ties by station id)."""
    per_area = params.at(P + "per_area", end)
    table = eligibility(stations, prices, start=start, end=end, product=product, params=params)
    return (
        table.filter(pl.col("eligible"))
        .sort(["sigungu", "average_price", "station_id"])
        .with_columns(rank=pl.int_range(1, pl.len() + 1).over("sigungu"))
        .filter(pl.col("rank") <= per_area)
        .select("station_id", "name", "sido", "sigungu", "average_price", "rank")
        .with_columns(product=pl.lit(product), round_start=start, round_end=end)
    )
