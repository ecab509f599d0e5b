"""A deterministic, seeded sample of Korea's station network, labelled ``sample`` everywhere.

Real station-level detail cannot ship (no network at run time), so this generator builds
about 12,000 stations over the 17 시도, each inside its own 시도's real boundary
(:mod:`tiro.energy.stations.sample_sites`), a
national wholesale cost path from the war shock of March 2026, and daily pump prices where
competitive stations follow cost with lags and noise. Planted in it, for the screens to find:

* three collusive clusters (Busan, Gyeongbuk, Jeju — where the KFTC probed synchronised
  pricing in 2026): rigid high margins, rises on the same days;
* one Edgeworth-cycle market (a Daejeon district): restorations then small undercuts —
  competitive, and must not be flagged;
* hoarders whose sales fall against last year while stocks pile up, and decoys whose sales
  fall with normal stocks (must not be flagged);
* fake-fuel suspects selling below the wholesale cost every day (가짜석유 risk signal);
* two price-leader clusters (Gwangju, Ulsan): a leader that reprices only on review days
  and four neighbours that post its price a day (three of them) or two days (one) later —
  led rises, followed within the leader–follower lag and preceded by nobody, at ordinary
  margins (not a rigid, high-margin cartel, and not a sawtooth).

The truth is returned apart (``planted``) so tests can measure precision and recall.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

import numpy as np
import polars as pl

from tiro.energy.stations.sample_sites import START, regions
from tiro.energy.stations.sample_sites import stations as sample_stations
from tiro.energy.stations.schema import PRICE_SCHEMA

SEED = 20260527
DAYS = 86  # to 2026-05-25, the report's inspection cut-off
SAMPLE_PRODUCTS = ("gasoline", "diesel")
COLLUSIVE_SIDO = ("부산", "경북", "제주")
EDGEWORTH_SIDO = "대전"
CLUSTER_SIZE = 5
EDGEWORTH_SIZE = 12
HOARDERS = 6
DECOYS = 6
BELOW_COST = 5
LEADER_SIDO = ("광주", "울산")
#: Days after the leader that each follower posts its price (three next day, one a day later).
FOLLOWER_LAGS = (1, 1, 1, 2)
REVIEW_EVERY = 5  # the leader reprices every 5 days: rises at least 5 days apart
LEADER_STEP = 50  # ... and only when its price target has moved by 50 KRW/L or more
LEADER_HIKE = 80  # a margin hike the leader makes at every other review, given back at the next


@dataclass(frozen=True)
class StationSample:
    """The sample tables: registry, daily prices, wholesale cost, monthly sales, truth."""

    stations: pl.DataFrame
    prices: pl.DataFrame
    wholesale: pl.DataFrame
    sales: pl.DataFrame
    planted: pl.DataFrame


def _wholesale(rng: np.random.Generator) -> np.ndarray:
    """Cost path (days x products) in KRW/L: pre-war level, a March shock, easing in May."""
    t = np.arange(DAYS)
    shock = 320 / (1 + np.exp(-(t - 12) / 3)) - 90 / (1 + np.exp(-(t - 60) / 5))
    base = np.array([1520.0, 1430.0])
    extra = np.array([1.0, 1.25])  # diesel rose more than gasoline in 2026
    walk = np.cumsum(rng.normal(0, 4, (DAYS, 2)), axis=0)
    return base + shock[:, None] * extra + walk


def _pick(
    stations: pl.DataFrame,
    sido: str,
    size: int,
    rng: np.random.Generator,
    avoid: np.ndarray | None = None,
) -> np.ndarray:
    """Row indices of ``size`` stations in the most crowded district of ``sido``
    (none of the rows in ``avoid``)."""
    sub = stations.with_row_index("i").filter(pl.col("sido") == sido)
    dist = sub.group_by("sigungu").len().sort(["len", "sigungu"], descending=[True, False])
    rows = sub.filter(pl.col("sigungu") == dist["sigungu"][0])["i"].to_numpy()
    if avoid is not None:
        rows = np.setdiff1d(rows, avoid)
    return np.sort(rng.choice(rows, size, replace=False))


def _plant_leaders(
    paths: np.ndarray,
    stations: pl.DataFrame,
    cost: np.ndarray,
    offset: np.ndarray,
    avoid: np.ndarray,
    rng: np.random.Generator,
) -> list[np.ndarray]:
    """Overwrite the paths of the price-leader clusters in place; rows [leader, *followers].

    The leader posts cost plus an ordinary regional margin, repriced only on its review
    days (every ``REVIEW_EVERY`` days, so its rises are spread out) and only when the target
    has moved by ``LEADER_STEP`` or more (a visible move, not daily noise); each follower
    posts the leader's price of ``lag`` days before, so it copies every rise by the same
    amount.
    """
    clusters = []
    for sido in LEADER_SIDO:
        rows = _pick(stations, sido, 1 + len(FOLLOWER_LAGS), rng, avoid)
        rows = rng.permutation(rows)
        leader = rows[0]
        margin = 95 + offset[leader] + rng.normal(0, 10, 2)
        first = int(rng.integers(1, REVIEW_EVERY))
        review = np.zeros(DAYS, dtype=bool)
        review[first::REVIEW_EVERY] = True
        premium = np.where(np.cumsum(review) % 2 == 1, LEADER_HIKE, 0)
        target = np.round((cost + margin + premium[:, None]) / 10) * 10
        posted = np.empty((DAYS, 2))
        posted[0] = target[0]
        for day in range(1, DAYS):  # 86 days of one station: a step, not a row loop
            move = review[day] & (np.abs(target[day] - posted[day - 1]) >= LEADER_STEP)
            posted[day] = np.where(move, target[day], posted[day - 1])
        paths[:, leader, :] = posted
        for row, lag in zip(rows[1:], FOLLOWER_LAGS, strict=True):
            paths[lag:, row, :] = posted[:-lag]
            paths[:lag, row, :] = posted[0]
        clusters.append(rows)
    return clusters


def _price_paths(
    stations: pl.DataFrame,
    cost: np.ndarray,
    offset: np.ndarray,
    roles: dict,
    rng: np.random.Generator,
) -> np.ndarray:
    n = stations.height
    margin = 95 + offset + rng.normal(0, 15, n)
    threshold = rng.uniform(3, 20, n)
    lag = rng.integers(0, 4, n)
    out = np.empty((DAYS, n, 2))
    ar = np.zeros((n, 2))
    posted = np.round(cost[0] + margin[:, None])
    collude = roles["collusive"]
    edge = roles["edgeworth"]
    for day in range(DAYS):  # one step over all stations at once (days, not rows)
        ar = 0.85 * ar + rng.normal(0, 14, (n, 2))
        cycling = posted[edge]
        seen = cost[np.maximum(day - lag, 0)]
        target = seen + margin[:, None] + ar
        move = np.abs(target - posted) > threshold[:, None]
        posted = np.where(move, np.round(target), posted)
        for cluster in collude:  # cartel: one price, moved together when cost drifts 25
            want = cost[day] + margin[cluster].mean() * 1.45
            cur = posted[cluster[0]]
            step = np.abs(want - cur) > 25
            posted[np.ix_(cluster, [0, 1])] = np.where(step, np.round(want), cur)
        # Edgeworth: restore to cost + margin + 90 every 7 days (leader first, followers a
        # day later), undercut the rivals by 12 on every other day.
        restore = (day + np.arange(edge.size) % 2) % 7 == 0
        high = np.round(cost[day] + margin[edge, None] + 90.0)
        posted[edge] = np.where(restore[:, None], high, cycling - 12.0)
        out[day] = posted
    return out


def generate(seed: int = SEED) -> StationSample:
    """The whole sample; the same seed gives the same tables, byte for byte."""
    rng = np.random.default_rng(seed)
    stations = sample_stations(rng, seed)
    cost = _wholesale(rng)
    offset = (
        stations.join(regions().select("sido", "price_offset_krw_l"), on="sido", how="left")[
            "price_offset_krw_l"
        ]
        .to_numpy()
        .astype(float)
    )
    collusive = [_pick(stations, s, CLUSTER_SIZE, rng) for s in COLLUSIVE_SIDO]
    edge = _pick(stations, EDGEWORTH_SIDO, EDGEWORTH_SIZE, rng)
    taken = np.concatenate([*collusive, edge])
    free = np.setdiff1d(np.arange(stations.height), taken)
    special = rng.choice(free, HOARDERS + DECOYS, replace=False)
    hoarders, decoys = special[:HOARDERS], special[HOARDERS:]
    roles = {"collusive": collusive, "edgeworth": edge}
    paths = _price_paths(stations, cost, offset, roles, rng)
    # Fake-fuel suspects sell below the wholesale cost every day. A second stream, so the
    # rest of the sample is the same with or without them.
    side = np.random.default_rng(seed + 1)
    below = side.choice(np.setdiff1d(free, special), BELOW_COST, replace=False)
    paths[:, below, :] = np.round(cost[:, None, :] - side.uniform(20, 60, (BELOW_COST, 1)))
    n = stations.height
    # A few stations skip reporting days (they fail the good-station reporting rule).
    gaps = rng.choice(n, n // 50, replace=False)
    # Price leaders and their followers: a third stream, in districts of their own, among
    # stations that report every day (a follower copies its leader's price day by day).
    avoid = np.concatenate([taken, special, below, gaps])
    leaders = _plant_leaders(paths, stations, cost, offset, avoid, np.random.default_rng(seed + 2))

    ids = stations["station_id"].to_numpy()
    dates = [START + dt.timedelta(days=d) for d in range(DAYS)]
    frames = []
    for p, product in enumerate(SAMPLE_PRODUCTS):
        frames.append(
            pl.DataFrame(
                {
                    "date": np.repeat(np.array(dates, dtype="datetime64[D]"), n),
                    "station_id": np.tile(ids, DAYS),
                    "product": product,
                    "price": paths[:, :, p].ravel(),
                }
            )
        )
    prices = pl.concat(frames).cast(dict(PRICE_SCHEMA))
    skip = pl.DataFrame({"station_id": ids[gaps], "date": [dates[10]] * gaps.size})
    prices = prices.join(skip, on=["station_id", "date"], how="anti")
    wholesale = pl.DataFrame(
        {
            "date": np.repeat(np.array(dates, dtype="datetime64[D]"), 2),
            "product": list(SAMPLE_PRODUCTS) * DAYS,
            "cost": cost.ravel(),
        }
    ).with_columns(pl.col("date").cast(pl.Date))
    sales = _sales(ids, hoarders, decoys, rng)
    planted = pl.DataFrame(
        {
            "station_id": np.concatenate([*(ids[c] for c in collusive), ids[edge], ids[hoarders]]),
            "role": [f"collusive_{s}" for s in COLLUSIVE_SIDO for _ in range(CLUSTER_SIZE)]
            + ["edgeworth"] * EDGEWORTH_SIZE
            + ["hoarder"] * HOARDERS,
        }
    ).vstack(
        pl.DataFrame(
            {
                "station_id": np.concatenate([ids[decoys], ids[below]]),
                "role": ["decoy_low_sales"] * DECOYS + ["below_cost"] * BELOW_COST,
            }
        )
    )
    planted = planted.vstack(
        pl.DataFrame(
            {
                "station_id": np.concatenate([ids[c] for c in leaders]),
                "role": [
                    f"{kind}_{sido}"
                    for sido in LEADER_SIDO
                    for kind in ("leader", *["follower"] * len(FOLLOWER_LAGS))
                ],
            }
        )
    )
    return StationSample(stations, prices, wholesale, sales, planted)


def _sales(
    ids: np.ndarray, hoarders: np.ndarray, decoys: np.ndarray, rng: np.random.Generator
) -> pl.DataFrame:
    """Monthly litres sold (this year and the same month last year) and closing stock."""
    months = [dt.date(2026, 3, 1), dt.date(2026, 4, 1), dt.date(2026, 5, 1)]
    n = ids.size
    base = rng.lognormal(np.log(250_000), 0.5, n)
    rows = []
    for m, month in enumerate(months):
        ratio = rng.normal(0.97, 0.025, n)
        stock_ratio = np.clip(rng.normal(0.25, 0.03, n), 0.05, None)
        if m > 0:  # hoarding starts once the cap bites (April, May)
            ratio[hoarders] = rng.uniform(0.6, 0.8, hoarders.size)
            stock_ratio[hoarders] = rng.uniform(0.6, 0.9, hoarders.size)
            ratio[decoys] = rng.uniform(0.6, 0.8, decoys.size)
        prior = np.round(base * rng.normal(1, 0.03, n))
        sold = np.round(prior * ratio)
        rows.append(
            pl.DataFrame(
                {
                    "month": [month] * n,
                    "station_id": ids,
                    "sales_l": sold,
                    "sales_prior_year_l": prior,
                    "closing_stock_l": np.round(sold * stock_ratio),
                }
            )
        )
    return pl.concat(rows)


@cache
def sample() -> StationSample:
    """The default sample, generated once per process."""
    return generate(SEED)
