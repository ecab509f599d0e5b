"""KATEC → WGS84 against an independent computation, and distances."""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import Geod

from tiro.core.errors import InvalidInput
from tiro.energy.stations.geo import (
    check_in_korea,
    haversine_km,
    katec_to_wgs84,
    wgs84_to_katec,
)


def test_katec_origin_matches_the_tokyo_datum_shift_formula() -> None:
    # KATEC false origin (400000, 600000) is lat 38, lon 128 on the Bessel (Tokyo) datum.
    # Independent: the GSI simplified Tokyo→WGS84 formula
    #   lat_w = lat - 0.00010695 lat + 0.000017464 lon + 0.0046017   = 38.002773
    #   lon_w = lon - 0.000046038 lat - 0.000083043 lon + 0.010040   = 127.997661
    lon, lat = katec_to_wgs84(np.array([400000.0]), np.array([600000.0]))
    assert lat[0] == pytest.approx(38.002773, abs=0.0003)  # ~30 m
    assert lon[0] == pytest.approx(127.997661, abs=0.0003)
    # and it is not the naive answer (no datum shift): 38, 128
    assert abs(lat[0] - 38.0) > 0.002


def test_round_trip_seoul_city_hall() -> None:
    x, y = wgs84_to_katec(np.array([126.9780]), np.array([37.5665]))
    lon, lat = katec_to_wgs84(x, y)
    assert lon[0] == pytest.approx(126.9780, abs=1e-7)
    assert lat[0] == pytest.approx(37.5665, abs=1e-7)
    # Seoul lies west and south of the KATEC origin (128 E, 38 N): x < 400 km, y < 600 km
    assert 300_000 < x[0] < 320_000 and 545_000 < y[0] < 560_000


def test_haversine_agrees_with_the_ellipsoid_to_half_a_percent() -> None:
    geod = Geod(ellps="WGS84")
    _, _, metres = geod.inv(126.9780, 37.5665, 129.0756, 35.1796)  # Seoul → Busan
    assert haversine_km(37.5665, 126.9780, 35.1796, 129.0756) == pytest.approx(
        metres / 1000, rel=0.005
    )


@pytest.mark.parametrize(("lat", "lon", "field"), [(52.5, 127.0, "lat"), (37.5, 13.4, "lon")])
def test_points_outside_korea_are_refused(lat: float, lon: float, field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        check_in_korea(lat, lon)
    assert err.value.field == field
