"""Price-display signal (가격표시 위반 의심): the posted price is not the reported one.

Stations report their prices to Opinet and must post the same price at the pump. Inspectors
and drivers observe posted prices; a station whose observed price differs from its Opinet
report for the same day and product by more than ``tolerance`` KRW/L — or that reported
nothing that day — is flagged. The sample has no observed prices, so the screen runs over a
user-supplied file (``station_id, date, product, displayed_price``). A signal, not a finding.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.core.parameters import ParameterTree

# The station importers' CSV helpers: one reader of "a number / a date / a column", not two.
from tiro.energy.stations.io import _check_prices, _date, _number
from tiro.energy.stations.schema import PRODUCTS

OBSERVED_COLUMNS = ("station_id", "date", "product", "displayed_price")
#: The largest observed-price file taken (bytes): about 200,000 lines, far more than any
#: inspection round observes; bigger uploads are refused before they are read.
MAX_OBSERVED_BYTES = 8_000_000


def _text(source: Path | str | bytes) -> bytes:
    """The file's bytes, refused when unreadable, empty or not UTF-8 (field ``observed``)."""
    if isinstance(source, bytes):
        data = source
    else:
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise InvalidInput(f"cannot read {source}: {exc.strerror}", field="observed") from None
    if not data.strip():
        raise InvalidInput("the observed-price file is empty", field="observed")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"the observed-price file is not UTF-8 text (byte {exc.start}: {data[exc.start]:#04x})",
            field="observed",
        ) from None
    return data.removeprefix(b"\xef\xbb\xbf")


def read_observed(
    source: Path | str | bytes,
    stations: pl.DataFrame | None = None,
    window: tuple[dt.date, dt.date] | None = None,
) -> pl.DataFrame:
    """An observed-price CSV (a path, or the bytes of an upload), checked whole before
    anything is used; a bad line is an error naming the field and the line.

    Checks: UTF-8, not empty, the four columns, known products, dates (inside ``window``,
    the days with Opinet reports to compare with), finite non-negative prices, stations in
    the registry, and one observation per station, day and product.
    """
    try:
        raw = pl.read_csv(io.BytesIO(_text(source)), infer_schema=False)
    except pl.exceptions.PolarsError as exc:
        reason = str(exc).split("\n")[0]
        raise InvalidInput(f"cannot read the CSV: {reason}", field="observed") from None
    twice = [c for c in raw.columns if "_duplicated_" in c]  # polars renames a repeated name
    if twice:
        name = twice[0].split("_duplicated_")[0]
        raise InvalidInput(f"column {name!r} appears twice in the header", field=name)
    missing = [c for c in OBSERVED_COLUMNS if c not in raw.columns]
    if missing:
        raise InvalidInput(f"the observed-price file lacks column {missing[0]!r}", field=missing[0])
    if raw.height == 0:
        raise InvalidInput("the observed-price file has a header and no rows", field="observed")
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
    if window is not None:
        outside = ~observed["date"].is_between(*window)
        if outside.any():
            i = int(outside.arg_max())
            raise InvalidInput(
                f"line {i + 2}: {observed['date'][i]} is outside the reported days "
                f"{window[0]}..{window[1]}",
                field="date",
            )
    _check_prices(observed, stations, "station_id")
    repeat = observed.select(pl.struct("station_id", "date", "product").is_first_distinct())
    if not repeat.to_series().all():
        i = int((~repeat.to_series()).arg_max())
        raise InvalidInput(
            f"line {i + 2}: station {observed['station_id'][i]!r}, {observed['date'][i]}, "
            f"{observed['product'][i]} was observed on an earlier line (one price per day)",
            field="station_id",
        )
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
