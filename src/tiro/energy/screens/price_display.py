"""Price-display signal (가격표시 위반 의심): the posted price is not the reported one.

Stations report their prices to Opinet and must post the same price at the pump. Inspectors
and drivers observe posted prices; a station whose observed price differs from its Opinet
report for the same day and product by more than ``tolerance`` KRW/L — or that reported
nothing that day — is flagged. The sample has no observed prices, so the screen runs over a
user-supplied file (``station_id, date, product, displayed_price``). A signal, not a finding.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.core.parameters import ParameterTree

# The station importers' CSV helpers: one reader of "a number / a date / a column", not two.
from tiro.energy.stations.io import _check_prices, _date, _number, _read
from tiro.energy.stations.schema import PRODUCTS

OBSERVED_COLUMNS = ("station_id", "date", "product", "displayed_price")


def read_observed(path: Path | str, stations: pl.DataFrame | None = None) -> pl.DataFrame:
    """An observed-price CSV, checked whole before anything is used (field named on error)."""
    raw = _read(path, OBSERVED_COLUMNS, "observed")
    products = raw["product"].str.strip_chars()
    bad = ~products.is_in(list(PRODUCTS)) | products.is_null()
    if bad.any():
        i = int(bad.arg_max())
        raise InvalidInput(
            f"line {i + 2}: unknown product {products[i]!r}; known: {', '.join(PRODUCTS)}",
            field="product",
        )
    observed = pl.DataFrame(
        {
            "station_id": raw["station_id"].str.strip_chars(),
            "date": _date(raw, "date", "%Y-%m-%d"),
            "product": products,
            "price": _number(raw, "displayed_price"),
        }
    )
    negative = observed["price"] < 0
    if negative.any():
        i = int(negative.arg_max())
        raise InvalidInput(
            f"line {i + 2}: {observed['price'][i]} is negative", field="displayed_price"
        )
    _check_prices(observed, stations, "station_id")
    return observed.rename({"price": "displayed_price"})


def price_display_screen(
    reported: pl.DataFrame, observed: pl.DataFrame, params: ParameterTree, on: dt.date
) -> pl.DataFrame:
    """One row per flagged station and product: observed days, mismatches, the largest gap."""
    tol = params.at("energy.screens.price_display.tolerance", on)
    keys = ["station_id", "date", "product"]
    return (
        observed.join(reported.select(*keys, "price"), on=keys, how="left")
        .with_columns(gap=pl.col("displayed_price") - pl.col("price"))
        .group_by(["station_id", "product"])
        .agg(
            observed_days=pl.len(),
            mismatched_days=(pl.col("gap").abs() > tol).sum(),
            unreported_days=pl.col("price").is_null().sum(),
            max_gap=pl.col("gap")
            .sort_by(pl.col("gap").abs(), descending=True, nulls_last=True)
            .first(),
            first_mismatch=pl.col("date").filter(pl.col("gap").abs() > tol).min(),
        )
        .filter((pl.col("mismatched_days") + pl.col("unreported_days")) > 0)
        .with_columns(
            screen=pl.lit("price_display"),
            reason=pl.format(
                "displayed price differs from the Opinet report by more than {} KRW/L on {} "
                "of {} observed days (largest gap {} KRW/L, first {}); {} observed days "
                "with no report",
                pl.lit(tol),
                "mismatched_days",
                "observed_days",
                pl.col("max_gap").round(1),
                pl.col("first_mismatch").cast(pl.String).fill_null("-"),
                "unreported_days",
            ),
        )
        .sort(["product", "station_id"])
    )
