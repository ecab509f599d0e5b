"""Every sample station stands inside its own 시도 (the real KOSTAT boundary), for any seed.

The check here is independent of :mod:`tiro.energy.stations.boundaries`: matplotlib's
``Path.contains_points`` on each ring, combined even-odd (a hole flips the answer). Before
the fix, 1,260 of the 11,750 default stations failed it (290 경기 stations inside 서울, 76
at sea off 경기, 72 대구 stations in 경북, ...).
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiro.energy.stations import boundaries, sample_sites
from tiro.energy.stations.sample import StationSample

mpath = pytest.importorskip("matplotlib.path")


def _where(lat: np.ndarray, lon: np.ndarray) -> dict[str, np.ndarray]:
    """For each 시도, which points lie inside it (rings combined even-odd)."""
    table = boundaries.boundary_table()
    points = np.column_stack([lon, lat])
    out = {}
    for (sido,), rows in table.group_by(["sido"], maintain_order=True):
        hit = np.zeros(len(points), dtype=bool)
        for _, ring in rows.group_by(["part", "ring"], maintain_order=True):
            outline = mpath.Path(ring.select("lon", "lat").to_numpy())
            hit ^= outline.contains_points(points)
        out[sido] = hit
    return out


def _misplaced(stations: pl.DataFrame) -> dict[tuple[str, str], int]:
    where = _where(stations["lat"].to_numpy(), stations["lon"].to_numpy())
    own = stations["sido"].to_numpy()
    bad: dict[tuple[str, str], int] = {}
    for sido, hit in where.items():
        inside_own = hit[own == sido]
        bad_own = int((~inside_own).sum())
        if bad_own:
            bad[(sido, "outside")] = bad_own
        intruders = int((hit & (own != sido)).sum())
        if intruders:
            bad[(sido, "intruders")] = intruders
    return bad


def test_every_default_station_is_inside_its_own_sido(station_sample: StationSample) -> None:
    stations = station_sample.stations
    assert stations.height == 11_750
    assert _misplaced(stations) == {}
    counts = dict(stations.group_by("sido").len().iter_rows())
    assert counts["서울"] == 420 and counts["경기"] == 2400  # sample_regions.csv, unchanged


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**31))
def test_any_seed_places_every_station_inside_its_sido(seed: int) -> None:
    stations = sample_sites.stations(np.random.default_rng(seed), seed)
    assert _misplaced(stations) == {}
    assert stations["source"].unique().to_list() == ["sample"]


@pytest.mark.parametrize(
    ("lat", "lon", "sido"),
    [
        (37.5663, 126.9779, "서울"),  # Seoul City Hall
        (37.2636, 127.0286, "경기"),  # Suwon (Gyeonggi provincial seat)
        (37.7381, 127.0338, "경기"),  # Uijeongbu, north of Seoul
        (35.1601, 126.8514, "광주"),  # Gwangju City Hall: inside a hole of 전남's ring
        (34.8161, 126.4629, "전남"),  # Muan, the 전남 provincial seat
        (36.4800, 127.2890, "세종"),  # Sejong Government Complex
        (33.4996, 126.5312, "제주"),  # Jeju City
        (37.4563, 126.7052, "인천"),  # Incheon City Hall
        (36.0, 130.5, None),  # East Sea
    ],
)
def test_locate_known_places(lat: float, lon: float, sido: str | None) -> None:
    assert boundaries.locate(np.array([lat]), np.array([lon]))[0] == sido
    for name, hit in _where(np.array([lat]), np.array([lon])).items():
        assert bool(hit[0]) == (name == sido)


def test_points_already_inside_are_left_where_they_are() -> None:
    """Only the misplaced move, so the rest of the sample keeps its coordinates."""
    lat = np.array([37.5663, 37.2636, 36.0])  # 서울, 경기 (not 서울), sea
    lon = np.array([126.9779, 127.0286, 130.5])
    rng = np.random.default_rng(7)
    new_lat, new_lon = sample_sites.place_inside(
        "서울", lat, lon, np.full(3, 37.55), np.full(3, 126.99), 0.02, rng
    )
    assert (new_lat[0], new_lon[0]) == (lat[0], lon[0])
    assert boundaries.inside("서울", new_lat, new_lon).all()
    assert _where(new_lat, new_lon)["서울"].all()


def test_a_far_centre_still_ends_inside() -> None:
    """A centre at sea with a tiny spread never lands: the uniform fallback places it."""
    rng = np.random.default_rng(11)
    lat, lon = sample_sites.place_inside(
        "제주", np.full(5, 36.0), np.full(5, 130.5), np.full(5, 36.0), np.full(5, 130.5), 1e-3, rng
    )
    assert _where(lat, lon)["제주"].all()


def test_boundaries_cover_the_seventeen_sido_of_the_regions_file() -> None:
    assert set(boundaries.sido_names()) == set(sample_sites.regions()["sido"])
    with pytest.raises(KeyError, match="no boundary"):
        boundaries.inside("평양", np.array([39.0]), np.array([125.7]))
