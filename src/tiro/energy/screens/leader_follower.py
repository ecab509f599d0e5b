"""Leader–follower timing: one station raises, its neighbours copy the rise a day or two later.

Tacit coordination in retail fuel often runs through a price leader whose increases rivals
match within a day or two (Lewis 2012). A station is flagged when, over the window, at least
``follow_share`` of its (at least ``min_rises``) rises were matched by ``min_followers`` other
stations of its 시군구 with the same increase (to the nearest ``rise_step`` KRW/L) 1 to
``lag_days`` days later. Same-day rises are the variance screen's synchronised rises, not
following. Stations in an Edgeworth cycle are excluded as leaders and as followers: a cycle's
restorations are led and followed too, and are competitive (spec energy §2). A rise in the
window's last ``lag_days`` days is not judged: its followers, if any, are not in the data yet.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from tiro.core.parameters import ParameterTree
from tiro.energy.screens.edgeworth import edgeworth_screen, price_changes

P = "energy.screens.leader_follower."
KEYS = ["product", "sigungu", "step"]


def rise_events(
    prices: pl.DataFrame,
    stations: pl.DataFrame,
    step: float,
    exclude: pl.DataFrame,
    changes: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Each station's price rises, with its 시군구 and the rise rounded to ``step``
    (``changes``: :func:`price_changes` of ``prices`` when the caller already has it)."""
    return (
        (price_changes(prices) if changes is None else changes)
        .filter(pl.col("d") > 0)
        .join(exclude, on=["station_id", "product"], how="anti")
        .join(stations.select("station_id", "sigungu"), on="station_id", how="inner")
        .with_columns(step=(pl.col("d") / step).round(0).cast(pl.Int64))
        .select("station_id", "product", "sigungu", "date", "d", "step")
    )


class _Answers:
    """Which stations rose in which (product, 시군구, step) group on which day, as integer
    codes, so that a rise's followers and predecessors are counted with array lookups
    instead of joins of string keys (the screen's hot path).

    A rise of station ``s`` in group ``g`` on day ``t`` answers the group's days t-1 … t-lag.
    ``pairs`` holds every (answered day, station) once, as day x stations + station, where a
    day's code is g x span + day + lag (the span leaves room for the lag on both sides, so
    no shifted day reaches the next group). A day's answer count is then its number of
    distinct stations; the rise's own station is taken off with its neighbouring rises in
    (group, station, day) order: the next one within the lag answers it, the previous one
    within the lag preceded it.
    """

    #: Above this many (group, day) cells the counts are looked up by binary search instead
    #: of in a dense array (memory stays bounded for any input).
    DENSE_CELLS = 1 << 23

    def __init__(self, rises: pl.DataFrame, lag: int) -> None:
        valid = pl.col("product").is_not_null() & pl.col("sigungu").is_not_null()
        product, sigungu = (
            pl.col(c).cast(pl.Categorical).to_physical().cast(pl.Int64) for c in KEYS[:2]
        )
        place = (product * 2**32 + sigungu).rank("dense").cast(pl.Int64)  # integer ranks:
        group = place * (pl.col("step").max() + 1) + pl.col("step")  # cheaper than a struct's
        codes = rises.select(
            # a null key never matches (as in a join): such rises answer and follow nobody
            g=pl.when(valid).then(group.rank("dense")).cast(pl.Int64),
            s=pl.col("station_id").cast(pl.Categorical).to_physical().rank("dense").cast(pl.Int64)
            - 1,
            t=(pl.col("date") - pl.col("date").min()).dt.total_days().cast(pl.Int64),
        )
        self.names = rises["station_id"]
        self.lag = lag
        self.valid = codes["g"].is_not_null().to_numpy()
        self.g = codes["g"].fill_null(0).to_numpy()
        self.s = codes["s"].to_numpy()
        self.t = codes["t"].to_numpy()
        self.stations = int(self.s.max()) + 1 if self.s.size else 1
        self.row_of = np.zeros(self.stations, dtype=np.int64)  # a row of each station code
        self.row_of[self.s] = np.arange(self.s.size)
        self.span = int(self.t.max()) + 2 * lag + 2 if self.t.size else 1
        own_day = self.g * self.span + self.t + lag
        lead_days = own_day[self.valid, None] - np.arange(1, lag + 1)[None, :]
        self.pairs = _sorted_unique((lead_days * self.stations + self.s[self.valid, None]).ravel())
        day = self.pairs // self.stations  # sorted, as pairs are
        cells = (int(self.g.max()) + 1) * self.span if self.g.size else 0
        self.dense = np.bincount(day, minlength=cells) if cells <= self.DENSE_CELLS else None
        first = np.flatnonzero(np.r_[True, day[1:] != day[:-1]]) if day.size else day
        self.days, self.counts = day[first], np.diff(np.r_[first, day.size])
        self.next_own, self.prev_own = self._own_neighbours()

    def _own_neighbours(self) -> tuple[np.ndarray, np.ndarray]:
        """Per rise: does the same station rise in the same group within the lag after it,
        and before it (then the rise answers, or is answered by, its own station)."""
        key = (self.g * self.stations + self.s) * self.span + self.t
        order = np.argsort(key, kind="stable")
        close = np.diff(key[order]) <= self.lag  # a gap this small stays in one (g, s) block
        after, before = np.zeros(key.size, dtype=np.int64), np.zeros(key.size, dtype=np.int64)
        after[order[:-1]] = close
        before[order[1:]] = close
        return after, before

    def _count(self, day: np.ndarray) -> np.ndarray:
        if self.dense is not None:
            inside = (day >= 0) & (day < self.dense.size)
            return np.where(inside, self.dense[np.clip(day, 0, max(self.dense.size - 1, 0))], 0)
        return _lookup(self.days, day, self.counts)

    def followers(self) -> np.ndarray:
        """Per rise: distinct other stations of its group rising 1 … lag days later."""
        day = self.g * self.span + self.t + self.lag
        return np.where(self.valid, self._count(day) - self.next_own, 0)

    def predecessors(self) -> np.ndarray:
        """Per rise: distinct other stations of its group that rose 1 … lag days before."""
        day = self.g * self.span + self.t - 1  # rises lag+1 … 2 lag days later answer t-1
        return np.where(self.valid, self._count(day) - self.prev_own, 0)

    def who_followed(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For the rises at ``rows``: (row, follower station id) for every other station that
        rose the same step 1 … lag days later."""
        day = self.g[rows] * self.span + self.t[rows] + self.lag
        lo = np.searchsorted(self.pairs, day * self.stations)
        hi = np.searchsorted(self.pairs, (day + 1) * self.stations)
        which = np.repeat(np.arange(rows.size), hi - lo)
        at = np.arange(which.size) - np.repeat(np.cumsum(hi - lo) - (hi - lo), hi - lo)
        station = self.pairs[lo[which] + at] % self.stations
        other = station != self.s[rows][which]
        return rows[which][other], self.names.gather(self.row_of[station[other]]).to_numpy()


def _sorted_unique(codes: np.ndarray) -> np.ndarray:
    """``np.unique`` by sort and compare (NumPy 2's ``np.unique`` took 6 s on 1.3 M
    integers here, a sort 0.4 s)."""
    codes = np.sort(codes)
    return codes[np.r_[True, codes[1:] != codes[:-1]]] if codes.size else codes


def _lookup(keys: np.ndarray, query: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``values`` at each query found in the sorted ``keys``, 0 where it is absent."""
    if not keys.size:
        return np.zeros(query.shape, dtype=np.int64)
    i = np.minimum(np.searchsorted(keys, query), keys.size - 1)
    return np.where(keys[i] == query, values[i], 0).astype(np.int64)


def leader_follower_screen(
    prices: pl.DataFrame, stations: pl.DataFrame, params: ParameterTree, on: dt.date
) -> pl.DataFrame:
    """One row per flagged leader and product, with its followed share and the reason."""
    lag = int(params.at(P + "lag_days", on))
    need = int(params.at(P + "min_followers", on))
    share = params.at(P + "follow_share", on)
    min_rises = int(params.at(P + "min_rises", on))
    step = params.at(P + "rise_step", on)
    changes = price_changes(prices)  # once, for the cycle test and the rises
    cycling = edgeworth_screen(prices, params, on, changes).filter(pl.col("edgeworth"))
    rises = rise_events(prices, stations, step, cycling.select("station_id", "product"), changes)
    answers = _Answers(rises, lag)
    # Rises too late in the window to have been followed yet are censored, not counted
    # against the leader.
    end = prices["date"].max()  # None for a product nobody prices: nothing to judge
    per_rise = rises.with_columns(
        row=pl.int_range(pl.len(), dtype=pl.Int64),
        followers=pl.Series(answers.followers()),
        predecessors=pl.Series(answers.predecessors()),
    ).with_columns(led=(pl.col("followers") >= need) & (pl.col("predecessors") < need))
    if end is not None:
        per_rise = per_rise.filter(pl.col("date") <= end - dt.timedelta(days=lag))
    leaders = (
        per_rise.group_by(["station_id", "product", "sigungu"])
        .agg(
            rises=pl.len(),
            followed_rises=pl.col("led").sum(),
            mean_followers=pl.col("followers").mean(),
        )
        .with_columns(followed_share=pl.col("followed_rises") / pl.col("rises"))
        .filter((pl.col("rises") >= min_rises) & (pl.col("followed_share") >= share))
    )
    return (
        leaders.join(
            _regular_followers(answers, per_rise, leaders, share),
            on=["station_id", "product"],
            how="left",
        )
        .with_columns(pl.col("followers").fill_null([]))
        .with_columns(
            screen=pl.lit("leader_follower"),
            reason=pl.format(
                "{} of {} rises (share {} >= {}) matched by >= {} other stations in {} "
                "with the same rise (±{} KRW/L step) within 1-{} days; mean followers {}; "
                "regular followers: {}",
                "followed_rises",
                "rises",
                pl.col("followed_share").round(3),
                pl.lit(share),
                pl.lit(need),
                "sigungu",
                pl.lit(step),
                pl.lit(lag),
                pl.col("mean_followers").round(2),
                pl.col("followers").list.join(", "),
            ),
        )
        .sort(["product", "sigungu", "station_id"])
    )


def _regular_followers(
    answers: _Answers, per_rise: pl.DataFrame, leaders: pl.DataFrame, share: float
) -> pl.DataFrame:
    """Per flagged leader and product, the stations that copied at least ``share`` of its
    led rises (sorted ids): who follows, so an inspector knows whom to look at besides it."""
    led = per_rise.filter(pl.col("led")).join(
        leaders.select("station_id", "product", "followed_rises"), on=["station_id", "product"]
    )
    rows, follower = answers.who_followed(led["row"].to_numpy())
    copied = pl.DataFrame({"row": rows, "follower": pl.Series(follower, dtype=pl.String)})
    return (
        led.join(copied, on="row")
        .group_by(["station_id", "product", "follower"])
        .agg(n=pl.len(), followed_rises=pl.col("followed_rises").first())
        .filter(pl.col("n") >= share * pl.col("followed_rises"))
        .group_by(["station_id", "product"])
        .agg(followers=pl.col("follower").sort())
    )
