"""The sample's station registry: where each of some 12,000 sample stations stands.

Stations cluster around district centres drawn about each 시도's centre
(``data/energy/stations/sample_regions.csv``, sample assumptions). A Gaussian cloud ignores
borders: before this module checked them, one station in nine stood in another 시도 or at
sea (1,260 of 11,750; 290 경기 stations inside 서울). Now every centre and station must lie inside its own
시도's real boundary (:mod:`tiro.energy.stations.boundaries`); one outside is redrawn about the
same centre from a separate seeded stream, so the stations already inside — and everything
the main stream draws after them (prices, sales, planted roles) — stay exactly as they were.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib import resources

import numpy as np
import polars as pl

from tiro.energy.stations.boundaries import boundary_table, inside
from tiro.energy.stations.schema import STATION_SCHEMA

#: The sample's first day (2026-03-01, the war shock); stations opened before it.
START = dt.date(2026, 3, 1)
#: Redraws about the same centre before a point is drawn uniformly inside the whole 시도.
REDRAWS = 40
#: The side stream that moves points back inside (the main stream's draws stay untouched).
PLACEMENT_STREAM = 3


@cache
def regions() -> pl.DataFrame:
    """The generator's regional assumptions (a sample file with its provenance header)."""
    path = resources.files("tiro.data.energy.stations") / "sample_regions.csv"
    return pl.read_csv(str(path), comment_prefix="#")


def _uniform_inside(sido: str, size: int, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """``size`` points uniform over the 시도 (rejection from its bounding box)."""
    box = boundary_table().filter(pl.col("sido") == sido)
    lat_lo, lat_hi = box["lat"].min(), box["lat"].max()
    lon_lo, lon_hi = box["lon"].min(), box["lon"].max()
    lat, lon = np.empty(0), np.empty(0)
    while lat.size < size:  # each round keeps what landed inside; land fills a box > 1/10
        la = rng.uniform(lat_lo, lat_hi, 4 * size)
        lo = rng.uniform(lon_lo, lon_hi, 4 * size)
        keep = inside(sido, la, lo)
        lat, lon = np.concatenate([lat, la[keep]]), np.concatenate([lon, lo[keep]])
    return lat[:size], lon[:size]


def place_inside(
    sido: str,
    lat: np.ndarray,
    lon: np.ndarray,
    centre_lat: np.ndarray,
    centre_lon: np.ndarray,
    spread: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """The points with every one outside ``sido`` redrawn: about its own centre (normal,
    ``spread`` degrees) up to :data:`REDRAWS` times, then uniformly inside the 시도."""
    lat, lon = lat.astype(float).copy(), lon.astype(float).copy()
    out = ~inside(sido, lat, lon)
    for _ in range(REDRAWS):  # rounds over the points still outside, not a row loop
        idx = np.flatnonzero(out)
        if idx.size == 0:
            break
        lat[idx] = centre_lat[idx] + rng.normal(0, spread, idx.size)
        lon[idx] = centre_lon[idx] + rng.normal(0, spread, idx.size)
        out[idx] = ~inside(sido, lat[idx], lon[idx])
    idx = np.flatnonzero(out)
    if idx.size:
        lat[idx], lon[idx] = _uniform_inside(sido, idx.size, rng)
    return lat, lon


def stations(rng: np.random.Generator, seed: int) -> pl.DataFrame:
    """The registry, labelled ``sample``; ``rng`` is the generator's main stream."""
    side = np.random.default_rng(seed + PLACEMENT_STREAM)
    rows_sido, rows_dist, lat, lon = [], [], [], []
    for r in regions().iter_rows(named=True):  # 17 regions: setup, not a per-station loop
        n, k, sido = r["stations"], r["districts"], r["sido"]
        deg = r["radius_km"] / 111.0
        c_lat = r["lat"] + rng.normal(0, deg / 2, k)
        c_lon = r["lon"] + rng.normal(0, deg / 2, k)
        centre = (np.full(k, r["lat"]), np.full(k, r["lon"]))
        c_lat, c_lon = place_inside(sido, c_lat, c_lon, *centre, deg / 2, side)
        d = rng.integers(0, k, n)
        s_lat = c_lat[d] + rng.normal(0, deg / 5, n)
        s_lon = c_lon[d] + rng.normal(0, deg / 5, n)
        s_lat, s_lon = place_inside(sido, s_lat, s_lon, c_lat[d], c_lon[d], deg / 5, side)
        lat.append(s_lat)
        lon.append(s_lon)
        rows_sido += [sido] * n
        rows_dist += [f"{sido} {i + 1}구" for i in d]
    n = len(rows_sido)
    brands = np.array(["SKE", "GSC", "HDO", "SOL", "RTO", "ETC"])
    opened = START - dt.timedelta(days=1)
    age_days = rng.integers(30, 36 * 365, n)
    fake = rng.random(n) < 0.02
    fake_age = rng.integers(30, 8 * 365, n)
    return pl.DataFrame(
        {
            "station_id": [f"S{i:06d}" for i in range(n)],
            "name": [f"표본주유소 {i:05d}" for i in range(n)],
            "brand": brands[rng.integers(0, len(brands), n)],
            "address": [f"{d} 표본로 {i % 300 + 1}" for i, d in enumerate(rows_dist)],
            "sido": rows_sido,
            "sigungu": rows_dist,
            "lat": np.concatenate(lat),
            "lon": np.concatenate(lon),
            "self_service": rng.random(n) < 0.4,
            "opened": [opened - dt.timedelta(days=int(a)) for a in age_days],
            "last_fake_fuel": [
                opened - dt.timedelta(days=int(a)) if f else None
                for a, f in zip(fake_age, fake, strict=True)
            ],
            "source": ["sample"] * n,
        },
        schema=STATION_SCHEMA,
    )
