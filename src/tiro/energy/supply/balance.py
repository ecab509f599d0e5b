"""월별 수급 Monthly supply balance from the declared tables, sample or real alike.

Crude imports by origin (country and region), refinery runs, demand by product and month-end
stocks by holder each arrive as a table validated against its one declaration in
``tiro.energy.schemas``. These functions turn them into the monthly views the crisis room
reads: imports by region with the Middle-East share (중동 비중, report sec. 3 ①: 70% → 50%),
imports by origin country with each country's share of its month, and one balance row per
month (imports, runs, demand, government and private stocks). The shipped ``sample`` series
and a user's KNOC / Petronet files go through the same code; a row built from any ``sample``
input says ``sample``.
"""

from __future__ import annotations

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.energy.schemas import CRUDE_IMPORTS, DEMAND, REFINERY_RUNS, STOCKS

MIDDLE_EAST = "middle_east"
SAMPLE = "sample"
HOLDERS = ("government", "private")


def _provenance() -> pl.Expr:
    """`sample` when any input row of the group is sample, else the sources joined."""
    return (
        pl.when((pl.col("provenance") == SAMPLE).any())
        .then(pl.lit(SAMPLE))
        .otherwise(pl.col("provenance").unique().sort().str.join("; "))
        .alias("provenance")
    )


def imports_by_region(crude_imports: pl.DataFrame) -> pl.DataFrame:
    """One row per month: volume per region (kbbl), total, and the Middle-East share."""
    frame = CRUDE_IMPORTS.validate(crude_imports)
    wide = frame.pivot(
        on="region", index="month", values="volume_kbbl", aggregate_function="sum"
    ).sort("month")
    regions = [c for c in wide.columns if c != "month"]
    if MIDDLE_EAST not in regions:
        wide = wide.with_columns(pl.lit(0.0).alias(MIDDLE_EAST))
        regions.append(MIDDLE_EAST)
    provenance = frame.group_by("month").agg(_provenance())
    return (
        wide.with_columns(pl.col(regions).fill_null(0.0))
        .with_columns(pl.sum_horizontal(regions).alias("total_kbbl"))
        .with_columns((pl.col(MIDDLE_EAST) / pl.col("total_kbbl")).alias("middle_east_share"))
        .join(provenance, on="month", how="left")
    )


def imports_by_origin(crude_imports: pl.DataFrame) -> pl.DataFrame:
    """One row per month and origin country: volume, region and share of the month's total."""
    frame = CRUDE_IMPORTS.validate(crude_imports)
    return (
        frame.group_by("month", "origin", "region")
        .agg(pl.col("volume_kbbl").sum(), _provenance())
        .with_columns(
            (pl.col("volume_kbbl") / pl.col("volume_kbbl").sum().over("month")).alias(
                "share_of_month"
            )
        )
        .sort("month", "volume_kbbl", "origin", descending=[False, True, False])
    )


def _stocks_wide(stocks: pl.DataFrame) -> pl.DataFrame:
    frame = STOCKS.validate(stocks)
    unknown = sorted(set(frame["holder"]) - set(HOLDERS))
    if unknown:
        raise InvalidInput(
            f"stocks: holder {unknown[0]!r} is neither government nor private", field="holder"
        )
    parts = [
        frame.filter(pl.col("holder") == holder)
        .group_by("month")
        .agg(
            pl.col("crude_kt").sum().alias(f"{holder}_crude_kt"),
            pl.col("products_kt").sum().alias(f"{holder}_products_kt"),
            (pl.col("provenance") == SAMPLE).any().alias(f"_{holder}_sample"),
        )
        for holder in HOLDERS
    ]
    return parts[0].join(parts[1], on="month", how="full", coalesce=True)


def monthly_supply_balance(
    *,
    crude_imports: pl.DataFrame,
    refinery_runs: pl.DataFrame | None = None,
    demand: pl.DataFrame | None = None,
    stocks: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """One row per month: crude imports (total, Middle East, share), runs, demand, stocks.

    Months come from the imports; a table not given leaves its columns null (unknown, not 0).
    """
    regions = imports_by_region(crude_imports)
    out = regions.select(
        "month",
        pl.col("total_kbbl").alias("crude_imports_kbbl"),
        pl.col(MIDDLE_EAST).alias("middle_east_kbbl"),
        "middle_east_share",
        (pl.col("provenance") == SAMPLE).alias("_imports_sample"),
        pl.col("provenance").alias("_imports_source"),
    )
    flags = ["_imports_sample"]
    if refinery_runs is not None:
        runs = REFINERY_RUNS.validate(refinery_runs).group_by("month")
        out = out.join(
            runs.agg(pl.col("runs_kbbl").sum(), (pl.col("provenance") == SAMPLE).any().alias("_r")),
            on="month",
            how="left",
        )
        flags.append("_r")
    else:
        out = out.with_columns(pl.lit(None, pl.Float64).alias("runs_kbbl"))
    if demand is not None:
        dem = DEMAND.validate(demand).group_by("month")
        out = out.join(
            dem.agg(
                pl.col("demand_kbbl").sum(), (pl.col("provenance") == SAMPLE).any().alias("_d")
            ),
            on="month",
            how="left",
        )
        flags.append("_d")
    else:
        out = out.with_columns(pl.lit(None, pl.Float64).alias("demand_kbbl"))
    stock_cols = [f"{h}_{k}_kt" for h in HOLDERS for k in ("crude", "products")]
    if stocks is not None:
        out = out.join(_stocks_wide(stocks), on="month", how="left")
        flags += [f"_{h}_sample" for h in HOLDERS]
    else:
        out = out.with_columns(pl.lit(None, pl.Float64).alias(c) for c in stock_cols)
    any_sample = pl.any_horizontal(pl.col(f).fill_null(False) for f in flags)
    return out.with_columns(
        pl.when(any_sample)
        .then(pl.lit(SAMPLE))
        .otherwise(pl.col("_imports_source"))
        .alias("provenance")
    ).select(
        "month",
        "crude_imports_kbbl",
        "middle_east_kbbl",
        "middle_east_share",
        "runs_kbbl",
        "demand_kbbl",
        *stock_cols,
        "provenance",
    )


def summarise(table: str, frame: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """The monthly views of one validated table (what `tiro energy supply check` prints).

    crude_imports → by region (with the Middle-East share) and by origin country;
    refinery_runs / demand → monthly totals; stocks → government and private per month.
    Other tables have no monthly view (an empty mapping).
    """
    if table == CRUDE_IMPORTS.name:
        return {"by_region": imports_by_region(frame), "by_origin": imports_by_origin(frame)}
    if table == REFINERY_RUNS.name:
        runs = frame.group_by("month").agg(pl.col("runs_kbbl").sum(), _provenance())
        return {"monthly": runs.sort("month")}
    if table == DEMAND.name:
        dem = frame.group_by("month").agg(pl.col("demand_kbbl").sum(), _provenance())
        return {"monthly": dem.sort("month")}
    if table == STOCKS.name:
        wide = _stocks_wide(frame).sort("month")
        return {"by_holder": wide.select(pl.exclude("^_.*_sample$"))}
    return {}
