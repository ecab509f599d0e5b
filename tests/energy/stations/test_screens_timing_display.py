"""Leader–follower timing and price-display screens on hand-built frames (values by hand)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest

from tiro.core.errors import InvalidInput
from tiro.core.parameters import get_params
from tiro.energy.screens.leader_follower import leader_follower_screen
from tiro.energy.screens.price_display import price_display_screen, read_observed
from tiro.energy.stations.sample import StationSample

ON = dt.date(2026, 5, 25)
D0 = dt.date(2026, 3, 1)


def _frame(paths: dict[str, list[float]]) -> pl.DataFrame:
    days = [D0 + dt.timedelta(days=d) for d in range(len(next(iter(paths.values()))))]
    return pl.DataFrame(
        {
            "date": days * len(paths),
            "station_id": [s for s in paths for _ in days],
            "product": "gasoline",
            "price": [p for path in paths.values() for p in path],
        }
    )


def _steps(rises: dict[int, float], days: int = 20, base: float = 1800.0) -> list[float]:
    """A flat price with the given rises on the given days."""
    out, price = [], base
    for d in range(days):
        price += rises.get(d, 0.0)
        out.append(price)
    return out


def _stations(ids: list[str]) -> pl.DataFrame:
    return pl.DataFrame({"station_id": ids, "sigungu": ["서울 강남구"] * len(ids)})


def test_a_leader_copied_next_day_is_flagged_and_followers_are_not() -> None:
    # L rises 20 won on days 2, 6, 10, 14; F1 and F2 copy it a day later, F3 two days later,
    # Q rises 50 won on its own days. Every L rise has 3 followers and none before it:
    # 4 of 4 led (share 1.0), mean followers 3.0. F1's rises each have only F3 after them
    # (1 < 2 followers) and L before them, so no follower is a leader.
    lead = {2: 20, 6: 20, 10: 20, 14: 20}
    paths = {
        "L": _steps(lead),
        "F1": _steps({d + 1: v for d, v in lead.items()}),
        "F2": _steps({d + 1: v for d, v in lead.items()}),
        "F3": _steps({d + 2: v for d, v in lead.items()}),
        "Q": _steps({4: 50, 12: 50, 17: 50, 18: 50}),
    }
    flagged = leader_follower_screen(_frame(paths), _stations(list(paths)), get_params(), ON)
    assert flagged["station_id"].to_list() == ["L"]
    row = flagged.row(0, named=True)
    assert (row["rises"], row["followed_rises"], row["followed_share"]) == (4, 4, 1.0)
    assert row["mean_followers"] == 3.0
    assert "4 of 4 rises" in row["reason"] and "서울 강남구" in row["reason"]


def test_a_leader_followed_on_too_few_rises_or_a_different_amount_is_not_flagged() -> None:
    # Followers copy only 3 of L's 4 rises: share 0.75 < 0.8. Then a follower copying with
    # a 40-won rise (another 10-won step than 20) does not count as the same rise.
    lead = {2: 20, 6: 20, 10: 20, 14: 20}
    copied = {3: 20, 7: 20, 11: 20}
    paths = {"L": _steps(lead), "F1": _steps(copied), "F2": _steps(copied)}
    flagged = leader_follower_screen(_frame(paths), _stations(list(paths)), get_params(), ON)
    assert flagged.is_empty()
    other = {d + 1: 40 for d in lead}
    paths = {"L": _steps(lead), "F1": _steps(other), "F2": _steps(other)}
    flagged = leader_follower_screen(_frame(paths), _stations(list(paths)), get_params(), ON)
    assert flagged.is_empty()


def test_an_edgeworth_restoration_leader_is_not_flagged() -> None:
    # A 7-day sawtooth: E1 restores +60 on days 7, 14, 21, 28 and falls 10 a day; E2 and E3
    # restore a day later. E1 leads 4 of 4 restorations with 2 followers, but the three
    # are cycling (median rise 60 >= 3 x 10, falls >= 2 x rises): spared. With the cycle
    # test made impossible (rise_fall_ratio 1000) the same E1 is flagged.
    def saw(lag: int) -> list[float]:
        return [2000.0 + 60 - 10 * ((d - lag) % 7) for d in range(35)]

    paths = {"E1": saw(0), "E2": saw(1), "E3": saw(1)}
    frame, reg = _frame(paths), _stations(list(paths))
    assert leader_follower_screen(frame, reg, get_params(), ON).is_empty()
    no_cycles = get_params().with_overlay(
        {
            "overrides": {
                "energy.screens.edgeworth.rise_fall_ratio": {
                    "2026-03-01": {"value": 1000, "reference": {"title": "t", "section": "3 ③"}}
                }
            }
        }
    )
    flagged = leader_follower_screen(frame, reg, no_cycles, ON)
    assert flagged["station_id"].to_list() == ["E1"]
    assert flagged["followed_rises"].to_list() == [4]


def test_leader_follower_flags_nothing_in_the_sample(station_sample: StationSample) -> None:
    # No leader is planted; cost pass-through (everyone rising within days of a wholesale
    # rise) and the Edgeworth market must not look like leadership.
    s = station_sample
    flagged = leader_follower_screen(s.prices, s.stations, get_params(), ON)
    assert flagged.is_empty()


OBSERVED = pl.DataFrame(
    {
        "station_id": ["A", "A", "A", "B", "C"],
        "date": [D0, D0 + dt.timedelta(days=1), D0 + dt.timedelta(days=2), D0, D0],
        "product": ["gasoline", "gasoline", "gasoline", "gasoline", "diesel"],
        "displayed_price": [1805.0, 1830.0, 1790.0, 1700.0, 1650.0],
    }
)
REPORTED = pl.DataFrame(
    {
        "date": [D0, D0 + dt.timedelta(days=1), D0 + dt.timedelta(days=2), D0],
        "station_id": ["A", "A", "A", "B"],
        "product": "gasoline",
        "price": [1800.0, 1800.0, 1800.0, 1700.0],
    }
)


def test_price_display_flags_gaps_over_the_tolerance_and_unreported_days() -> None:
    # Tolerance 5 won: A's gaps are +5 (within), +30, -10 → 2 of 3 days, largest +30 on
    # 03-02; B matches exactly; C posted diesel with no report that day.
    flagged = price_display_screen(REPORTED, OBSERVED, get_params(), ON)
    assert flagged["station_id"].to_list() == ["C", "A"]  # diesel sorts before gasoline
    a = flagged.filter(pl.col("station_id") == "A").row(0, named=True)
    assert (a["observed_days"], a["mismatched_days"], a["unreported_days"]) == (3, 2, 0)
    assert a["max_gap"] == 30.0 and a["first_mismatch"] == dt.date(2026, 3, 2)
    assert "on 2 of 3 observed days (largest gap 30.0 KRW/L, first 2026-03-02)" in a["reason"]
    c = flagged.filter(pl.col("station_id") == "C").row(0, named=True)
    assert (c["mismatched_days"], c["unreported_days"], c["max_gap"]) == (0, 1, None)


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "observed.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("station_id,date,product\nA,2026-03-01,gasoline\n", "displayed_price"),
        ("station_id,date,product,displayed_price\nA,2026-03-01,jet,1800\n", "product"),
        ("station_id,date,product,displayed_price\nA,2026-03-01,gasoline,-1\n", "displayed_price"),
        ("station_id,date,product,displayed_price\nA,2026-13-01,gasoline,1800\n", "date"),
        ("station_id,date,product,displayed_price\nA,2026-03-01,gasoline,nan\n", "displayed_price"),
        ("station_id,date,product,displayed_price\nZZ,2026-03-01,gasoline,1800\n", "station_id"),
    ],
)
def test_observed_file_errors_name_the_field(tmp_path: Path, body: str, field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        read_observed(_csv(tmp_path, body), pl.DataFrame({"station_id": ["A"]}))
    assert err.value.field == field


def test_cli_price_display_over_the_sample(
    cli, tmp_path: Path, station_sample: StationSample
) -> None:
    # One station's reported price on 2026-05-25 posted 40 won higher, another posted as
    # reported: one flag, gap +40.
    s = station_sample
    day = s.prices.filter(pl.col("date") == ON, pl.col("product") == "gasoline").head(2)
    a, b = day.rows(named=True)
    path = _csv(
        tmp_path,
        "station_id,date,product,displayed_price\n"
        f"{a['station_id']},2026-05-25,gasoline,{a['price'] + 40}\n"
        f"{b['station_id']},2026-05-25,gasoline,{b['price']}\n",
    )
    out = cli(["energy", "screens", "price-display", "--observed", str(path), "--json"])
    assert out.exit_code == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["count"] == 1 and data["observed_rows"] == 2
    assert data["flags"][0]["station_id"] == a["station_id"]
    assert data["flags"][0]["max_gap"] == 40.0
    missing = cli(["energy", "screens", "price-display", "--json"])
    lines = missing.stderr.strip().splitlines()
    assert missing.exit_code != 0 and len(lines) == 1 and "--observed" in lines[0]
    bad = _csv(tmp_path, "station_id,date,product,displayed_price\nNOPE,2026-05-25,gasoline,1\n")
    r = cli(["energy", "screens", "price-display", "--observed", str(bad), "--json"])
    assert r.exit_code != 0 and r.stderr.strip().startswith("error: station_id:"), r.stderr
