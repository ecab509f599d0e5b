"""The station sample, generated once for the directory (about 2 s)."""

from __future__ import annotations

import pytest

from tiro.energy.stations.sample import StationSample, sample


@pytest.fixture(scope="session")
def station_sample() -> StationSample:
    return sample()
