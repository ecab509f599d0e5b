"""Which 시도 a point lies in: KOSTAT's 2013 시도 boundaries, simplified, shipped as data.

The station sample needs each generated station inside its own 시도 (a 경기 station placed
in 서울 would put it in the wrong regional average and the wrong district screen). The rings
are real (``data/energy/stations/sido_boundaries.csv``, provenance in its header); the test
is the even-odd ray-crossing rule, vectorised over points and edges of one region at a time.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np
import polars as pl


@cache
def boundary_table() -> pl.DataFrame:
    """The boundary vertices: sido, part, ring, lon, lat (WGS84 degrees)."""
    path = resources.files("tiro.data.energy.stations") / "sido_boundaries.csv"
    return pl.read_csv(str(path), comment_prefix="#")


@cache
def _edges(sido: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every edge of every ring of ``sido`` as arrays (lon0, lat0, lon1, lat1)."""
    rings = boundary_table().filter(pl.col("sido") == sido)
    if rings.is_empty():
        raise KeyError(f"no boundary for 시도 {sido!r}")
    lon0, lat0, lon1, lat1 = [], [], [], []
    for _, ring in rings.group_by(["part", "ring"], maintain_order=True):  # rings, not rows
        x, y = ring["lon"].to_numpy(), ring["lat"].to_numpy()
        lon0.append(x)
        lat0.append(y)
        lon1.append(np.roll(x, -1))  # the ring closes back on its first vertex
        lat1.append(np.roll(y, -1))
    return tuple(np.concatenate(a) for a in (lon0, lat0, lon1, lat1))  # type: ignore[return-value]


def sido_names() -> list[str]:
    """The 17 시도 with a boundary, in KOSTAT code order."""
    return boundary_table()["sido"].unique(maintain_order=True).to_list()


def inside(sido: str, lat: np.ndarray, lon: np.ndarray, chunk: int = 2048) -> np.ndarray:
    """Whether each point (degrees) lies inside ``sido`` (an odd number of ring crossings)."""
    lat, lon = np.atleast_1d(np.asarray(lat, float)), np.atleast_1d(np.asarray(lon, float))
    x0, y0, x1, y1 = _edges(sido)
    out = np.zeros(lat.size, dtype=bool)
    for start in range(0, lat.size, chunk):  # bounded memory: chunk x edges booleans
        py = lat[start : start + chunk, None]
        px = lon[start : start + chunk, None]
        straddles = (y0 > py) != (y1 > py)
        with np.errstate(divide="ignore", invalid="ignore"):
            x_cross = x0 + (py - y0) * (x1 - x0) / (y1 - y0)
        crossings = np.count_nonzero(straddles & (px < x_cross), axis=1)
        out[start : start + chunk] = crossings % 2 == 1
    return out


def locate(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """The 시도 each point lies in, or None (at sea, abroad, or in a simplification gap)."""
    lat, lon = np.atleast_1d(np.asarray(lat, float)), np.atleast_1d(np.asarray(lon, float))
    where = np.full(lat.size, None, dtype=object)
    for sido in sido_names():
        where[inside(sido, lat, lon) & (where == None)] = sido  # noqa: E711 (elementwise)
    return where
