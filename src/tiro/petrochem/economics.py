"""Cracker economics: net cash cost per tonne of ethylene, spread and margin per unit.

net cash cost = feed (price x feed per t ethylene) - co-product credits (propylene,
butadiene, BTX, other x yield / ethylene yield) + utilities (older units pay an age penalty)
+ fixed cost (six-tenths rule in size, per tonne produced at national utilisation).
A mixed-feed unit blends the naphtha and LPG slates by ``lpg_share``. All inputs are dated
parameters (``petrochem.economics.*``); the function is one Polars expression per column.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from tiro.core.parameters import ParameterTree

P = "petrochem.economics."


def slate_cost(params: ParameterTree, on: dt.date, slate: str) -> tuple[float, float]:
    """(feed cost, co-product credits) per tonne of ethylene from one feed slate."""
    prices = params.at(P + "prices", on)
    yields = params.at(P + f"yields.{slate}", on)
    per_t = 1.0 / yields["ethylene"]
    feed = per_t * prices["naphtha" if slate == "naphtha" else "lpg"]
    credits = per_t * sum(y * prices[p] for p, y in yields.items() if p != "ethylene")
    return feed, credits


def unit_costs(units: pl.DataFrame, params: ParameterTree, on: dt.date) -> pl.DataFrame:
    """Per unit: cash cost build-up (USD/t ethylene), margin, and annual USD m figures.

    ``contribution_musd`` is what a unit earns over its variable cost in a year at national
    utilisation (lost when it stops); ``fixed_musd`` its fixed cash cost per year.
    """
    prices = params.at(P + "prices", on)
    n_feed, n_credit = slate_cost(params, on, "naphtha")
    l_feed, l_credit = slate_cost(params, on, "lpg")
    lpg = params.at(P + "lpg_share", on)
    util = params.at(P + "utilisation", on)
    ref_cap = params.at(P + "reference_capacity", on)
    age_over = (pl.lit(on.year) - pl.col("start_year") - params.at(P + "reference_age", on)).clip(
        lower_bound=0
    )
    share = pl.when(pl.col("feedstock") == "mixed").then(pl.lit(lpg)).otherwise(pl.lit(0.0))
    fixed_usd = params.at(P + "fixed_cost", on) * (pl.col("capacity_kt") / ref_cap) ** params.at(
        P + "scale_exponent", on
    )
    return (
        units.with_columns(
            (pl.lit(on.year) - pl.col("start_year")).alias("age_years"),
            ((1 - share) * n_feed + share * l_feed).alias("feed_usd_t"),
            ((1 - share) * n_credit + share * l_credit).alias("credits_usd_t"),
            (
                params.at(P + "utilities", on) * (1 + params.at(P + "age_penalty", on) * age_over)
            ).alias("utilities_usd_t"),
            (fixed_usd / 1e6).alias("fixed_musd"),
            (fixed_usd / (pl.col("capacity_kt") * 1000 * util)).alias("fixed_usd_t"),
        )
        .with_columns(
            (pl.col("feed_usd_t") - pl.col("credits_usd_t") + pl.col("utilities_usd_t")).alias(
                "variable_usd_t"
            ),
        )
        .with_columns(
            (pl.col("variable_usd_t") + pl.col("fixed_usd_t")).alias("net_cash_cost_usd_t"),
            pl.lit(float(prices["ethylene"])).alias("ethylene_usd_t"),
            pl.lit(float(prices["ethylene"] - prices["naphtha"])).alias("spread_usd_t"),
        )
        .with_columns(
            (pl.col("ethylene_usd_t") - pl.col("net_cash_cost_usd_t")).alias("margin_usd_t"),
            (
                (pl.col("ethylene_usd_t") - pl.col("variable_usd_t"))
                * pl.col("capacity_kt")
                * util
                / 1000
            ).alias("contribution_musd"),
        )
    )


def merit_order(costs: pl.DataFrame) -> pl.DataFrame:
    """The cost curve: units by net cash cost, with cumulative capacity (kt/y)."""
    return costs.sort("net_cash_cost_usd_t").with_columns(
        pl.col("capacity_kt").cum_sum().alias("cumulative_kt")
    )
