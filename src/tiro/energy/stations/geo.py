"""Coordinates: Opinet's KATEC (TM128, Bessel) to WGS84, and distances on the sphere.

Opinet's ``GIS_X_COOR``/``GIS_Y_COOR`` are KATEC metres. The definition below is the one
Opinet client code uses (spec energy (f)(g), taken from GitHub clients, not an official
spec [U]); pyproj does the datum shift with the seven ``towgs84`` parameters.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import polars as pl
from pyproj import Transformer

from tiro.core.errors import InvalidInput

KATEC_PROJ = (
    "+proj=tmerc +lat_0=38 +lon_0=128 +k=0.9999 +x_0=400000 +y_0=600000 +ellps=bessel "
    "+towgs84=-115.80,474.99,674.11,1.16,-2.31,-1.63,6.43 +units=m +no_defs"
)
#: Mean Earth radius (IUGG), for haversine distances.
EARTH_RADIUS_KM = 6371.0088
#: The box a Korean station or a finder query point must fall in (mainland, Jeju,
#: Ulleung and Dokdo with a margin): a geographic fact, not a policy number.
KOREA_LAT = (32.8, 38.9)
KOREA_LON = (124.5, 132.0)


@cache
def _to_wgs84() -> Transformer:
    return Transformer.from_crs(KATEC_PROJ, "EPSG:4326", always_xy=True)


@cache
def _to_katec() -> Transformer:
    return Transformer.from_crs("EPSG:4326", KATEC_PROJ, always_xy=True)


def katec_to_wgs84(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(lon, lat) in degrees WGS84 for KATEC easting ``x`` and northing ``y`` in metres."""
    lon, lat = _to_wgs84().transform(np.asarray(x, float), np.asarray(y, float))
    return np.asarray(lon), np.asarray(lat)


def wgs84_to_katec(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """KATEC (x, y) metres for WGS84 degrees; the finder's index lives in this plane."""
    x, y = _to_katec().transform(np.asarray(lon, float), np.asarray(lat, float))
    return np.asarray(x), np.asarray(y)


def haversine_km(lat1: object, lon1: object, lat2: object, lon2: object) -> np.ndarray:
    """Great-circle distance in km, vectorised over NumPy arrays or scalars."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(np.asarray(lon2, float) - np.asarray(lon1, float))
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def check_in_korea(lat: float, lon: float) -> None:
    """Refuse a point outside Korea, naming ``lat`` or ``lon``."""
    if not KOREA_LAT[0] <= lat <= KOREA_LAT[1]:
        raise InvalidInput(
            f"{lat} is outside Korea (latitude {KOREA_LAT[0]}..{KOREA_LAT[1]})", field="lat"
        )
    if not KOREA_LON[0] <= lon <= KOREA_LON[1]:
        raise InvalidInput(
            f"{lon} is outside Korea (longitude {KOREA_LON[0]}..{KOREA_LON[1]})", field="lon"
        )


def check_lat_lon(frame: pl.DataFrame, *, line_offset: int = 2, korea: bool = True) -> None:
    """Refuse the first row whose lat/lon is missing or outside range, naming its file line."""
    lo_lat, hi_lat = KOREA_LAT if korea else (-90.0, 90.0)
    lo_lon, hi_lon = KOREA_LON if korea else (-180.0, 180.0)
    for name, lo, hi in (("lat", lo_lat, hi_lat), ("lon", lo_lon, hi_lon)):
        col = frame.get_column(name)
        bad = (col.is_null() | (col < lo) | (col > hi)).fill_null(True)
        if bad.any():
            i = int(bad.arg_max())
            raise InvalidInput(
                f"line {i + line_offset}: {col[i]} is outside {lo}..{hi}", field=name
            )
