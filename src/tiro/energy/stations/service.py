"""Station services for the CLI and API: the sample network, the finder, averages, rounds.

Every answer says where its data came from (``data_label: sample`` for the shipped
generator) and, for the good-station rule, which parameters decided it.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

import polars as pl

from tiro.core.errors import InvalidInput, NotFound
from tiro.core.parameters import ParameterTree
from tiro.core.report_facts import fact
from tiro.energy.stations.averages import national_daily, regional_daily
from tiro.energy.stations.finder import StationIndex
from tiro.energy.stations.sample import DAYS, START, StationSample, sample
from tiro.energy.stations.schema import check_product
from tiro.energy.stations.selection import P as GOOD
from tiro.energy.stations.selection import select_round

DATA_LABEL = "sample"
LAST_DAY = START + dt.timedelta(days=DAYS - 1)


def network() -> StationSample:
    """The station network served (the seeded sample; real files load through ``io``)."""
    return sample()


def _day(on: dt.date | None) -> dt.date:
    day = on or LAST_DAY
    if not START <= day <= LAST_DAY:
        raise NotFound(
            f"no station prices on {day}: the sample covers {START}..{LAST_DAY}", field="date"
        )
    return day


@lru_cache(maxsize=8)
def _index(on: dt.date) -> StationIndex:
    s = network()
    return StationIndex(s.stations, s.prices, on)


def near(
    *,
    lat: float,
    lon: float,
    radius_km: float,
    product: str,
    limit: int | None = None,
    on: dt.date | None = None,
    below_average: bool = False,
) -> dict[str, Any]:
    """The contract answer: ``stations`` sorted by price then distance."""
    day = _day(on)
    found = _index(day).near(
        lat=lat, lon=lon, radius_km=radius_km, product=product, limit=limit,
        below_average=below_average,
    )  # fmt: skip
    rows = found.select(
        pl.col("station_id").alias("id"),
        "name",
        pl.col("distance_km").round(3),
        "price",
        "sido",
        pl.col("regional_average").round(1),
        "below_regional_average",
    ).to_dicts()
    return {"data_label": DATA_LABEL, "date": day.isoformat(), "product": product,
            "count": len(rows), "stations": rows}  # fmt: skip


def station(station_id: str) -> dict[str, Any]:
    """One station's static record and its latest prices; unknown id is NotFound."""
    s = network()
    row = s.stations.filter(pl.col("station_id") == station_id)
    if row.height == 0:
        raise NotFound(f"no station {station_id!r}", field="station_id")
    latest = (
        s.prices.filter(pl.col("station_id") == station_id)
        .sort("date")
        .group_by("product", maintain_order=True)
        .last()
        .sort("product")
    )
    record = row.to_dicts()[0]
    return {"data_label": DATA_LABEL, "station": record, "latest_prices": latest.to_dicts()}


def list_stations(*, sido: str | None = None, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """A page of the registry (optionally one 시도), with the total count."""
    frame = network().stations
    if sido is not None:
        frame = frame.filter(pl.col("sido") == sido)
        if frame.height == 0:
            known = ", ".join(sorted(network().stations["sido"].unique()))
            raise InvalidInput(f"unknown 시도 {sido!r}; known: {known}", field="sido")
    page = frame.slice(offset, limit)
    return {"data_label": DATA_LABEL, "total": frame.height, "offset": offset,
            "stations": page.to_dicts()}  # fmt: skip


def averages(*, product: str, on: dt.date | None = None) -> dict[str, Any]:
    """National and 시도 average prices on a day (Opinet's avgAllPrice / avgSidoPrice)."""
    check_product(product)
    day = _day(on)
    s = network()
    today = s.prices.filter((pl.col("date") == day) & (pl.col("product") == product))
    if today.height == 0:
        raise NotFound(f"no {product} prices on {day}", field="product")
    nat = national_daily(today)
    reg = regional_daily(today, s.stations).with_columns(pl.col("price").round(1))
    return {
        "data_label": DATA_LABEL, "date": day.isoformat(), "product": product,
        "national": {"price": round(nat["price"][0], 1), "stations": nat["stations"][0]},
        "regions": reg.select("sido", "price", "stations").to_dicts(),
    }  # fmt: skip


def good_stations(
    *, start: dt.date, end: dt.date, product: str, params: ParameterTree
) -> dict[str, Any]:
    """A round's 착한주유소 list, the parameters used, and the report's published total."""
    if start < START or end > LAST_DAY:
        raise NotFound(
            f"the sample covers {START}..{LAST_DAY}; the round {start}..{end} is outside it",
            field="start" if start < START else "end",
        )
    traced = params.traced()
    s = network()
    chosen = select_round(
        s.stations, s.prices, start=start, end=end, product=product, params=traced
    )
    published = fact("energy.good_stations.total")
    rounds = fact("energy.good_stations.rounds")
    return {
        "data_label": DATA_LABEL,
        "round": {"start": start.isoformat(), "end": end.isoformat(), "product": product},
        "count": chosen.height,
        "stations": chosen.select(
            "station_id", "name", "sido", "sigungu", pl.col("average_price").round(1), "rank"
        ).to_dicts(),
        "parameters": [
            {"path": e.path, "value": e.value, "effective_from": e.effective_from.isoformat()}
            for e in traced.used
            if e.path.startswith(GOOD)
        ],
        "published": {
            "total": published.value, "rounds": rounds.value, "as_of": published.as_of,
            "note": "report 3 ②: 368 stations over 5 rounds nationally; the sample selects "
            "one per 시군구 and product, so its count is not comparable one to one",
        },
    }  # fmt: skip
