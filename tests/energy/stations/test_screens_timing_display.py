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
from tiro.energy.screens.service import run_screen
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
    assert row["followers"] == ["F1", "F2", "F3"]  # each copied all 4 led rises


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


def _brute_force_led_rises(s: StationSample, leader: str, product: str) -> tuple[int, int]:
    """(judged rises, led rises) of one station, counted rise by rise with plain Python.

    Independent of the screen's joins: for each rise of the leader (except the last two
    days, whose followers cannot be seen yet), the distinct other stations of its 시군구 that
    rose by the same 10-won step 1-2 days later (followers) and 1-2 days earlier
    (predecessors); led = at least 2 followers and fewer than 2 predecessors.
    """
    district = s.stations.filter(pl.col("station_id") == leader)["sigungu"][0]
    ids = s.stations.filter(pl.col("sigungu") == district)["station_id"]
    rows = (
        s.prices.filter(pl.col("station_id").is_in(ids.implode()), pl.col("product") == product)
        .sort("station_id", "date")
        .with_columns(d=pl.col("price").diff().over("station_id"))
        .filter(pl.col("d") > 0)
    )
    rises: dict[str, list[tuple[dt.date, int]]] = {}
    for sid, day, d in rows.select("station_id", "date", "d").iter_rows():
        rises.setdefault(sid, []).append((day, round(d / 10)))
    judged = led = 0
    for day, step in rises[leader]:
        if day > ON - dt.timedelta(days=2):
            continue
        judged += 1
        after = {o for o, rs in rises.items() if o != leader
                 for t, k in rs if k == step and 1 <= (t - day).days <= 2}  # fmt: skip
        before = {o for o, rs in rises.items() if o != leader
                  for t, k in rs if k == step and 1 <= (day - t).days <= 2}  # fmt: skip
        led += len(after) >= 2 and len(before) < 2
    return judged, led


def test_leader_follower_finds_exactly_the_planted_leaders(station_sample: StationSample) -> None:
    # Two leaders planted (Gwangju, Ulsan), each copied by four neighbours 1 (three of them)
    # or 2 (one) days later. The screen flags exactly the two leaders for both products
    # (precision 1.0, recall 1.0 over 11,750 stations) and names exactly their followers;
    # cost pass-through everywhere else, the cartels and the Edgeworth market are not "led".
    s = station_sample
    flagged = leader_follower_screen(s.prices, s.stations, get_params(), ON)
    planted = s.planted.filter(pl.col("role").str.contains("^(leader|follower)_"))
    leaders = planted.filter(pl.col("role").str.starts_with("leader_"))
    assert leaders.height == 2 and planted.height == 10
    for product in ("gasoline", "diesel"):
        rows = flagged.filter(pl.col("product") == product)
        assert sorted(rows["station_id"]) == sorted(leaders["station_id"])
    for leader, role in leaders.iter_rows():
        followers = planted.filter(pl.col("role") == role.replace("leader_", "follower_"))
        for row in flagged.filter(pl.col("station_id") == leader).iter_rows(named=True):
            assert row["followers"] == sorted(followers["station_id"])
            judged, led = _brute_force_led_rises(s, leader, row["product"])
            assert (row["rises"], row["followed_rises"]) == (judged, led)
            assert led / judged >= 0.8 and judged >= 4
            assert row["reason"].startswith(f"{led} of {judged} rises")
    # The figures seen on the sample: Gwangju 8 of 8 rises led (both products), Ulsan 9 of 9
    # (gasoline) and 9 of 10 (diesel: a March rise five neighbours had made first).
    got = {(r[0], r[1]): (r[2], r[3]) for r in
           flagged.select("station_id", "product", "rises", "followed_rises").rows()}  # fmt: skip
    g, u = sorted(leaders["station_id"])
    assert got == {(g, "gasoline"): (8, 8), (g, "diesel"): (8, 8),
                   (u, "gasoline"): (9, 9), (u, "diesel"): (10, 9)}  # fmt: skip


def test_every_screen_keeps_precision_and_recall_one(station_sample: StationSample) -> None:
    # With the leader clusters planted, the other screens still find exactly their planted
    # cases, and no leader or follower is taken for a cartel, a cycle or a fake-fuel seller.
    want = {"collusion": 15, "leader_follower": 2, "edgeworth": 12, "hoarding": 6,
            "fake_fuel": 5}  # fmt: skip
    lf = set(
        station_sample.planted.filter(pl.col("role").str.contains("^(leader|follower)_"))[
            "station_id"
        ]
    )
    for screen, planted in want.items():
        r = run_screen(screen, params=get_params())
        assert (r["planted"], r["stations_flagged"]) == (planted, planted), screen
        assert (r["precision"], r["recall"]) == (1.0, 1.0), screen
        if screen != "leader_follower":
            assert not lf & {f["station_id"] for f in r["flags"]}, screen
    led = run_screen("leader_follower", params=get_params())
    assert (led["followers_precision"], led["followers_recall"]) == (1.0, 1.0)
    assert (led["followers_named"], led["followers_planted"]) == (8, 8)


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
