"""Screen services: run a screen over the station network, with its precision and recall
against the cases planted in the sample (the sample's truth, never shown to the screen)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.core.parameters import ParameterTree
from tiro.energy.screens.edgeworth import edgeworth_screen
from tiro.energy.screens.fake_fuel import fake_fuel_screen
from tiro.energy.screens.hoarding import hoarding_screen
from tiro.energy.screens.leader_follower import leader_follower_screen
from tiro.energy.screens.price_display import price_display_screen, read_observed
from tiro.energy.screens.variance import variance_screen
from tiro.energy.stations.schema import check_product
from tiro.energy.stations.service import DATA_LABEL, LAST_DAY, network

Screen = Literal["collusion", "leader_follower", "edgeworth", "hoarding", "fake_fuel"]
SCREENS: tuple[str, ...] = ("collusion", "leader_follower", "edgeworth", "hoarding", "fake_fuel")
#: Which planted role each screen should find (the sample's answer key).
PLANTED_ROLE = {
    "collusion": "collusive_",
    "leader_follower": "leader_",  # the planted leaders (their followers: "follower_")
    "edgeworth": "edgeworth",
    "hoarding": "hoarder",
    "fake_fuel": "below_cost",
}
COLUMNS = {
    "collusion": ["station_id", "product", "sido", "sigungu", "cv_margin", "mean_margin",
                  "cluster_size", "reason"],
    "leader_follower": ["station_id", "product", "sigungu", "rises", "followed_rises",
                        "followed_share", "mean_followers", "followers", "reason"],
    "edgeworth": ["station_id", "product", "rises", "falls", "median_rise", "median_fall",
                  "reason"],
    "hoarding": ["station_id", "month", "sido", "shipment_ratio", "stock_to_sales", "reason"],
    "fake_fuel": ["station_id", "product", "days_below_cost", "below_cost_share", "mean_gap",
                  "reason"],
}  # fmt: skip


def run_screen(screen: str, *, params: ParameterTree, product: str | None = None) -> dict[str, Any]:
    """Flags of one screen over the whole sample window, each with its reason.

    Cached per (screen, product, parameter tree): trees are cached per scenario, and a
    screen over two million price rows is worth computing once per process.
    """
    return _run(screen, product, params)


@lru_cache(maxsize=16)
def _run(screen: str, product: str | None, params: ParameterTree) -> dict[str, Any]:
    if screen not in SCREENS:
        raise InvalidInput(
            f"unknown screen {screen!r}; known: {', '.join(SCREENS)}", field="screen"
        )
    if product is not None:
        check_product(product)
    s = network()
    prices = s.prices if product is None else s.prices.filter(pl.col("product") == product)
    if screen == "collusion":
        flags = variance_screen(prices, s.wholesale, s.stations, params, LAST_DAY)
    elif screen == "leader_follower":
        flags = leader_follower_screen(prices, s.stations, params, LAST_DAY)
    elif screen == "edgeworth":
        flags = edgeworth_screen(prices, params, LAST_DAY).filter(pl.col("edgeworth"))
    elif screen == "fake_fuel":
        flags = fake_fuel_screen(prices, s.wholesale, params, LAST_DAY)
    else:
        flags = hoarding_screen(s.sales, s.stations, params)
    flags = flags.select(COLUMNS[screen])
    found = set(flags["station_id"].to_list())
    planted = set(
        s.planted.filter(pl.col("role").str.starts_with(PLANTED_ROLE[screen]))["station_id"]
    )
    hits = len(found & planted)
    extra = {}
    if screen == "leader_follower":  # the regular followers named in the flags, scored too
        named = {f for fs in flags["followers"].to_list() for f in fs}
        truth = set(s.planted.filter(pl.col("role").str.starts_with("follower_"))["station_id"])
        extra = {"followers_named": len(named), "followers_planted": len(truth),
                 "followers_precision": len(named & truth) / len(named) if named else None,
                 "followers_recall": len(named & truth) / len(truth) if truth else None}  # fmt: skip
    return extra | {
        "data_label": DATA_LABEL,
        "screen": screen,
        "window": {"start": s.prices["date"].min().isoformat(), "end": LAST_DAY.isoformat()},
        "count": flags.height,
        "stations_flagged": len(found),
        "planted": len(planted),
        "precision": hits / len(found) if found else None,
        "recall": hits / len(planted) if planted else None,
        "flags": flags.to_dicts(),
    }


def run_price_display(observed: Path | str | bytes, *, params: ParameterTree) -> dict[str, Any]:
    """Observed (displayed) prices from a CSV (a path on the CLI, an upload's bytes over
    HTTP — the same checks either way) against the sample's Opinet reports.

    The whole file is checked first (encoding, columns, dates inside the reported days,
    products, prices, station ids, repeats); a bad line is an error naming the field, and
    nothing is screened in part.
    """
    s = network()
    frame = read_observed(observed, s.stations, (s.prices["date"].min(), LAST_DAY))
    flags = price_display_screen(s.prices, frame, params, LAST_DAY)
    return {
        "data_label": DATA_LABEL,
        "screen": "price_display",
        "observed_rows": frame.height,
        "tolerance": params.at("energy.screens.price_display.tolerance", LAST_DAY),
        "count": flags.height,
        "stations_flagged": flags["station_id"].n_unique(),
        "flags": flags.select(
            "station_id", "product", "observed_days", "mismatched_days", "unreported_days",
            "max_gap", "first_mismatch", "reason",
        ).to_dicts(),
    }  # fmt: skip
