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

import polars as pl

from tiro.core.parameters import ParameterTree
from tiro.energy.screens.edgeworth import edgeworth_screen

P = "energy.screens.leader_follower."
KEYS = ["product", "sigungu", "step"]


def rise_events(
    prices: pl.DataFrame, stations: pl.DataFrame, step: float, exclude: pl.DataFrame
) -> pl.DataFrame:
    """Each station's price rises, with its 시군구 and the rise rounded to ``step``."""
    return (
        prices.join(exclude, on=["station_id", "product"], how="anti")
        .sort("date", maintain_order=True)
        .with_columns(d=pl.col("price").diff().over(["station_id", "product"]))
        .filter(pl.col("d") > 0)
        .join(stations.select("station_id", "sigungu"), on="station_id", how="inner")
        .with_columns(step=(pl.col("d") / step).round(0).cast(pl.Int64))
        .select("station_id", "product", "sigungu", "date", "d", "step")
    )


def leader_follower_screen(
    prices: pl.DataFrame, stations: pl.DataFrame, params: ParameterTree, on: dt.date
) -> pl.DataFrame:
    """One row per flagged leader and product, with its followed share and the reason."""
    lag = int(params.at(P + "lag_days", on))
    need = int(params.at(P + "min_followers", on))
    share = params.at(P + "follow_share", on)
    min_rises = int(params.at(P + "min_rises", on))
    step = params.at(P + "rise_step", on)
    cycling = edgeworth_screen(prices, params, on).filter(pl.col("edgeworth"))
    rises = rise_events(prices, stations, step, cycling.select("station_id", "product"))
    # A follower's rise on day t answers a leader's rise on t-1 … t-lag: one row per lag,
    # then one per (follower, leader day) so a follower counts once per leader rise.
    answers = pl.concat(
        [
            rises.select(
                *KEYS, follower="station_id", lead_date=pl.col("date") - pl.duration(days=k)
            )
            for k in range(1, lag + 1)
        ]
    ).unique()
    # The same rows read the other way: rises that came 1 … lag days before this one.
    earlier = answers.select(
        *KEYS, leader="follower", follow_date=pl.col("lead_date") + pl.duration(days=lag + 1)
    )
    # Distinct followers of a rise = stations with a same-step rise 1 … lag days later, less
    # the station itself; counted per (keys, day) and joined on unique keys — never a join
    # of every rise with every neighbour's rise, which grows with the square of a district.
    followed = _distinct_minus_self(rises, answers, "follower", "lead_date", "followers")
    preceded = _distinct_minus_self(rises, earlier, "leader", "follow_date", "predecessors")
    # Rises too late in the window to have been followed yet are censored, not counted
    # against the leader.
    end = prices["date"].max()  # None for a product nobody prices: nothing to judge
    judged = rises if end is None else rises.filter(pl.col("date") <= end - dt.timedelta(days=lag))
    per_rise = (
        judged.join(followed, on=[*KEYS, "station_id", "date"], how="left")
        .join(preceded, on=[*KEYS, "station_id", "date"], how="left")
        .with_columns(pl.col("followers", "predecessors").fill_null(0))
        .with_columns(led=(pl.col("followers") >= need) & (pl.col("predecessors") < need))
    )
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


def _distinct_minus_self(
    rises: pl.DataFrame, seen: pl.DataFrame, who: str, when: str, name: str
) -> pl.DataFrame:
    """Per rise (keys, station, day): how many *other* stations ``seen`` lists for its day.

    ``seen`` is unique per (keys, station ``who``, day ``when``), so the count per day is a
    count of distinct stations; the rise's own station is taken off when it is among them.
    """
    per_day = seen.group_by([*KEYS, when]).agg(n=pl.len())
    own = seen.select(*KEYS, station_id=who, date=when, own=pl.lit(1, pl.Int64))
    return (
        rises.select(*KEYS, "station_id", "date")
        .join(per_day, left_on=[*KEYS, "date"], right_on=[*KEYS, when], how="left")
        .join(own, on=[*KEYS, "station_id", "date"], how="left")
        .select(
            *KEYS, "station_id", "date",
            (pl.col("n").fill_null(0) - pl.col("own").fill_null(0)).alias(name),
        )
    )  # fmt: skip


def _regular_followers(
    answers: pl.DataFrame, per_rise: pl.DataFrame, leaders: pl.DataFrame, share: float
) -> pl.DataFrame:
    """Per flagged leader and product, the stations that copied at least ``share`` of its
    led rises (sorted ids): who follows, so an inspector knows whom to look at besides it."""
    led = per_rise.filter(pl.col("led")).join(
        leaders.select("station_id", "product", "followed_rises"), on=["station_id", "product"]
    )
    return (
        led.join(answers, left_on=[*KEYS, "date"], right_on=[*KEYS, "lead_date"])
        .filter(pl.col("follower") != pl.col("station_id"))
        .group_by(["station_id", "product", "follower"])
        .agg(n=pl.len(), followed_rises=pl.col("followed_rises").first())
        .filter(pl.col("n") >= share * pl.col("followed_rises"))
        .group_by(["station_id", "product"])
        .agg(followers=pl.col("follower").sort())
    )
