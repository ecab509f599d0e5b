"""The FTC variance screen: rigid, high margins among neighbours that rise together.

A cartel's margin (price minus wholesale cost) varies little and sits high: when one
collapsed, mean price fell 16% and its SD rose over 200% (FTC 2006). A station is *rigid*
when its margin CV is below a share of the national benchmark (the product's median CV)
and its mean margin exceeds its 시도's median by a premium; rigid stations are a suspected
cluster when enough share a 시군구 and their rises fall on the same days. Stations in an
Edgeworth cycle are excluded (competitive, spec energy §2).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from tiro.core.parameters import ParameterTree
from tiro.energy.screens.edgeworth import edgeworth_screen

P = "energy.screens.variance."


def margin_stats(prices: pl.DataFrame, wholesale: pl.DataFrame) -> pl.DataFrame:
    """Per station and product: mean margin, its SD and CV, over the days given."""
    joined = prices.join(wholesale, on=["date", "product"], how="inner")
    return (
        joined.with_columns(margin=pl.col("price") - pl.col("cost"))
        .group_by(["station_id", "product"])
        .agg(
            mean_margin=pl.col("margin").mean(),
            sd_margin=pl.col("margin").std(),
            days=pl.len(),
        )
        .with_columns(cv_margin=pl.col("sd_margin") / pl.col("mean_margin").abs())
    )


def variance_screen(
    prices: pl.DataFrame,
    wholesale: pl.DataFrame,
    stations: pl.DataFrame,
    params: ParameterTree,
    on: dt.date,
) -> pl.DataFrame:
    """One row per flagged station and product, with the cluster and the reason."""
    ratio = params.at(P + "margin_cv_ratio", on)
    premium = params.at(P + "margin_premium", on)
    size = params.at(P + "min_cluster_size", on)
    sync = params.at(P + "sync_share", on)
    stats = margin_stats(prices, wholesale).join(
        stations.select("station_id", "sido", "sigungu"), on="station_id", how="inner"
    )
    cycles = edgeworth_screen(prices, params, on).select("station_id", "product", "edgeworth")
    stats = stats.join(cycles, on=["station_id", "product"], how="left").with_columns(
        pl.col("edgeworth").fill_null(False),
        benchmark_cv=pl.col("cv_margin").median().over("product"),
        region_margin=pl.col("mean_margin").median().over(["product", "sido"]),
    )
    rigid = stats.filter(
        (pl.col("cv_margin") < ratio * pl.col("benchmark_cv"))
        & (pl.col("mean_margin") > (1 + premium) * pl.col("region_margin"))
        & ~pl.col("edgeworth")
    )
    rises = (
        prices.join(rigid.select("station_id", "product", "sigungu"), on=["station_id", "product"])
        .sort(["station_id", "product", "date"])
        .with_columns(d=pl.col("price").diff().over(["station_id", "product"]))
        .filter(pl.col("d") > 0)
        .with_columns(
            peers=pl.len().over(["product", "sigungu", "date"]) - 1,
            members=pl.col("station_id").n_unique().over(["product", "sigungu"]) - 1,
        )
        .group_by(["station_id", "product"])
        .agg(
            rise_days=pl.len(),
            synced=(pl.col("peers") * 2 >= pl.col("members")).filter(pl.col("members") > 0).sum(),
        )
        .with_columns(sync_share=pl.col("synced") / pl.col("rise_days"))
    )
    flagged = (
        rigid.join(rises, on=["station_id", "product"], how="left")
        .with_columns(pl.col("sync_share").fill_null(0.0))
        .filter(pl.col("sync_share") >= sync)
        .with_columns(cluster_size=pl.len().over(["product", "sigungu"]))
        .filter(pl.col("cluster_size") >= size)
    )
    return flagged.with_columns(
        screen=pl.lit("collusion_variance"),
        reason=pl.format(
            "margin CV {} < {} x national median {}; mean margin {} > {} x {} median {}; "
            "{} of rises synchronised in a cluster of {} in {}",
            pl.col("cv_margin").round(3),
            pl.lit(ratio),
            pl.col("benchmark_cv").round(3),
            pl.col("mean_margin").round(1),
            pl.lit(1 + premium),
            "sido",
            pl.col("region_margin").round(1),
            pl.col("sync_share").round(2),
            "cluster_size",
            "sigungu",
        ),
    ).sort(["product", "sigungu", "station_id"])
