"""The inspection register's rules: opened from flags, the workflow, counts by type."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from tiro.core.errors import Conflict, InvalidInput, NotFound
from tiro.core.parameters import get_params
from tiro.energy.screens.cases import advance, counts_as_of, open_from_flags
from tiro.energy.screens.hoarding import hoarding_screen
from tiro.energy.screens.variance import variance_screen
from tiro.energy.stations.sample import StationSample

D = dt.date


@pytest.fixture(scope="module")
def register(station_sample: StationSample):
    s = station_sample
    flags = variance_screen(s.prices, s.wholesale, s.stations, get_params(), D(2026, 5, 25))
    hoard = hoarding_screen(s.sales, s.stations, get_params())
    cols = ["screen", "station_id", "reason"]
    return open_from_flags(pl.concat([flags.select(cols), hoard.select(cols)]), on=D(2026, 5, 1))


def test_one_case_per_flagged_station_and_screen(register) -> None:
    # 15 colluders (flagged for two products, one case each) + 6 hoarders (two months, one case)
    assert register.height == 21
    assert register["case_type"].value_counts().sort("case_type").rows() == [
        ("collusion", 15),
        ("hoarding", 6),
    ]
    assert set(register["state"]) == {"opened"}


def test_workflow_and_counts_as_of(register) -> None:
    ids = register["case_id"].to_list()
    reg = advance(register, ids[0], "inspected", on=D(2026, 5, 10))
    reg = advance(reg, ids[0], "sanctioned", on=D(2026, 5, 20))
    reg = advance(reg, ids[1], "inspected", on=D(2026, 5, 10))
    reg = advance(reg, ids[1], "cleared", on=D(2026, 5, 11))
    reg = advance(reg, ids[-1], "inspected", on=D(2026, 5, 12))
    reg = advance(reg, ids[-1], "sanctioned", on=D(2026, 5, 30))  # after the cut-off
    got = counts_as_of(reg, D(2026, 5, 25))
    assert got["opened"] == 21 and got["found"] == 1
    assert got["found_by_type"] == {
        "fake_fuel": 0,
        "collusion": 1,
        "hoarding": 0,
        "price_display": 0,
    }
    assert counts_as_of(reg, D(2026, 5, 31))["found"] == 2
    assert counts_as_of(reg, D(2026, 4, 30))["opened"] == 0


def test_wrong_steps_are_refused(register) -> None:
    cid = register["case_id"][0]
    with pytest.raises(Conflict) as err:
        advance(register, cid, "sanctioned", on=D(2026, 5, 2))  # must be inspected first
    assert err.value.field == "state"
    with pytest.raises(InvalidInput):
        advance(register, cid, "inspected", on=D(2026, 4, 1))  # before it was opened
    with pytest.raises(InvalidInput):
        advance(register, cid, "closed", on=D(2026, 5, 2))
    with pytest.raises(NotFound):
        advance(register, "C99999", "inspected", on=D(2026, 5, 2))
    done = advance(
        advance(register, cid, "inspected", on=D(2026, 5, 2)), cid, "cleared", on=D(2026, 5, 3)
    )
    with pytest.raises(Conflict):
        advance(done, cid, "sanctioned", on=D(2026, 5, 4))
