"""Importers for real station files: Opinet-style (KATEC) and Tankerkönig-style (WGS84).

Each reader returns typed frames (``STATION_SCHEMA``/``PRICE_SCHEMA``) or refuses the whole
file with the field and file line at fault (header = line 1): nothing is imported in part.

* Opinet stations: ``UNI_ID, POLL_DIV_CD, OS_NM, VAN_ADR, SIDO, SIGUNGU, GIS_X_COOR,
  GIS_Y_COOR`` (+ optional ``SELF_YN`` Y/N, ``OPEN_DE`` and ``FAKE_DE`` YYYYMMDD); prices:
  ``TRADE_DT`` (YYYYMMDD), ``UNI_ID, PRODCD`` (B027, B034, D047, C004), ``PRICE`` (KRW/L).
  Field names follow the Opinet API (spec energy (f)(g)); coordinates are KATEC.
* Tankerkönig stations: ``uuid,name,brand,street,house_number,post_code,city,latitude,
  longitude``; prices: ``date,station_uuid,diesel,e5,e10`` change log, reduced to each
  day's last price (0 means "no price" in that feed).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.core.validation import finite_frame
from tiro.energy.stations.geo import check_lat_lon, katec_to_wgs84
from tiro.energy.stations.schema import PRICE_SCHEMA, PRODUCTS, STATION_SCHEMA

OPINET_STATION_COLUMNS = (
    "UNI_ID", "POLL_DIV_CD", "OS_NM", "VAN_ADR", "SIDO", "SIGUNGU", "GIS_X_COOR", "GIS_Y_COOR",
)  # fmt: skip
OPINET_PRICE_COLUMNS = ("TRADE_DT", "UNI_ID", "PRODCD", "PRICE")
TK_STATION_COLUMNS = (
    "uuid", "name", "brand", "street", "house_number", "post_code", "city", "latitude",
    "longitude",
)  # fmt: skip
TK_PRICE_COLUMNS = ("date", "station_uuid", "diesel", "e5")


def _read(path: Path | str, required: tuple[str, ...], field: str) -> pl.DataFrame:
    try:
        frame = pl.read_csv(path, infer_schema=False, encoding="utf8-lossy")
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise InvalidInput(f"cannot read {path}: {exc}".split("\n")[0], field=field) from None
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InvalidInput(f"{path} lacks column {missing[0]!r}", field=missing[0])
    return frame


def _first_bad(mask: pl.Series) -> int | None:
    bad = mask.fill_null(True)
    return int(bad.arg_max()) if bad.any() else None


def _number(frame: pl.DataFrame, column: str) -> pl.Series:
    raw = frame[column]
    values = raw.str.strip_chars().cast(pl.Float64, strict=False)
    i = _first_bad(values.is_null())
    if i is not None:
        raise InvalidInput(f"line {i + 2}: {raw[i]!r} is not a number", field=column)
    finite_frame(pl.DataFrame({column: values}))
    return values


def _date(frame: pl.DataFrame, column: str, fmt: str, *, optional: bool = False) -> pl.Series:
    raw = frame[column].str.strip_chars()
    values = raw.str.to_date(fmt, strict=False)
    missing = raw.is_null() | (raw == "")
    i = _first_bad(values.is_null() & ~missing if optional else values.is_null())
    if i is not None:
        raise InvalidInput(f"line {i + 2}: {raw[i]!r} is not a date ({fmt})", field=column)
    return values


def _unique_ids(ids: pl.Series, column: str) -> None:
    i = _first_bad(~ids.is_first_distinct() | ids.is_null() | (ids.str.strip_chars() == ""))
    if i is not None:
        raise InvalidInput(
            f"line {i + 2}: station id {ids[i]!r} is empty or repeats an earlier line", field=column
        )


def read_opinet_stations(path: Path | str) -> pl.DataFrame:
    """An Opinet-style station file, KATEC converted to WGS84."""
    raw = _read(path, OPINET_STATION_COLUMNS, "stations")
    _unique_ids(raw["UNI_ID"], "UNI_ID")
    x, y = _number(raw, "GIS_X_COOR"), _number(raw, "GIS_Y_COOR")
    lon, lat = katec_to_wgs84(x.to_numpy(), y.to_numpy())
    frame = pl.DataFrame({"lat": lat, "lon": lon})
    try:
        check_lat_lon(frame)
    except InvalidInput as exc:  # name the file's own columns
        raise InvalidInput(
            f"{exc.message} (KATEC outside Korea)",
            field="GIS_Y_COOR" if exc.field == "lat" else "GIS_X_COOR",
        ) from None
    n = raw.height
    self_yn = raw["SELF_YN"] if "SELF_YN" in raw.columns else pl.Series([None] * n, dtype=pl.Utf8)
    i = _first_bad(~self_yn.is_in(["Y", "N"]) & self_yn.is_not_null())
    if i is not None:
        raise InvalidInput(f"line {i + 2}: {self_yn[i]!r} is not Y or N", field="SELF_YN")
    empty = pl.Series([None] * n, dtype=pl.Utf8)
    opened = _date(raw, "OPEN_DE", "%Y%m%d", optional=True) if "OPEN_DE" in raw.columns else empty
    fake = _date(raw, "FAKE_DE", "%Y%m%d", optional=True) if "FAKE_DE" in raw.columns else empty
    return pl.DataFrame(
        {
            "station_id": raw["UNI_ID"].str.strip_chars(),
            "name": raw["OS_NM"],
            "brand": raw["POLL_DIV_CD"],
            "address": raw["VAN_ADR"],
            "sido": raw["SIDO"],
            "sigungu": raw["SIGUNGU"],
            "lat": lat,
            "lon": lon,
            "self_service": self_yn == "Y",
            "opened": opened.cast(pl.Date),
            "last_fake_fuel": fake.cast(pl.Date),
            "source": ["opinet"] * n,
        },
        schema=STATION_SCHEMA,
    )


def _check_prices(prices: pl.DataFrame, known: pl.DataFrame | None, id_field: str) -> None:
    """Negative prices and unknown stations refused; ``line`` (if present) is the file line."""
    lines = (
        prices["line"]
        if "line" in prices.columns
        else pl.int_range(2, prices.height + 2, eager=True)
    )
    i = _first_bad(prices["price"] < 0)
    if i is not None:
        raise InvalidInput(f"line {lines[i]}: {prices['price'][i]} is negative", field="price")
    if known is not None:
        unknown = ~prices["station_id"].is_in(known["station_id"].implode())
        i = _first_bad(unknown)
        if i is not None:
            raise InvalidInput(
                f"line {lines[i]}: station {prices['station_id'][i]!r} is not in the registry",
                field=id_field,
            )


def read_opinet_prices(path: Path | str, stations: pl.DataFrame | None = None) -> pl.DataFrame:
    """An Opinet-style daily price file; with ``stations``, every id must be in it."""
    raw = _read(path, OPINET_PRICE_COLUMNS, "prices")
    codes = {v["opinet"]: k for k, v in PRODUCTS.items()}
    i = _first_bad(~raw["PRODCD"].is_in(list(codes)))
    if i is not None:
        raise InvalidInput(
            f"line {i + 2}: unknown product code {raw['PRODCD'][i]!r}; known: {', '.join(codes)}",
            field="PRODCD",
        )
    prices = pl.DataFrame(
        {
            "date": _date(raw, "TRADE_DT", "%Y%m%d"),
            "station_id": raw["UNI_ID"].str.strip_chars(),
            "product": raw["PRODCD"].replace_strict(codes),
            "price": _number(raw, "PRICE"),
        },
        schema=PRICE_SCHEMA,
    )
    _check_prices(prices, stations, "UNI_ID")
    return prices


def read_tankerkoenig_stations(path: Path | str) -> pl.DataFrame:
    """A Tankerkönig ``stations`` file (Germany; WGS84 already, so no Korea bound)."""
    raw = _read(path, TK_STATION_COLUMNS, "stations")
    _unique_ids(raw["uuid"], "uuid")
    lat, lon = _number(raw, "latitude"), _number(raw, "longitude")
    try:
        check_lat_lon(pl.DataFrame({"lat": lat, "lon": lon}), korea=False)
    except InvalidInput as exc:
        raise InvalidInput(
            exc.message, field="latitude" if exc.field == "lat" else "longitude"
        ) from None
    street = raw["street"].fill_null("") + " " + raw["house_number"].fill_null("")
    return pl.DataFrame(
        {
            "station_id": raw["uuid"],
            "name": raw["name"],
            "brand": raw["brand"],
            "address": street.str.strip_chars() + ", " + raw["post_code"].fill_null("") + " "
            + raw["city"].fill_null(""),
            "sido": raw["city"],
            "sigungu": raw["post_code"],
            "lat": lat,
            "lon": lon,
            "self_service": [None] * raw.height,
            "opened": [None] * raw.height,
            "last_fake_fuel": [None] * raw.height,
            "source": ["tankerkoenig"] * raw.height,
        },
        schema=STATION_SCHEMA,
    )  # fmt: skip


def read_tankerkoenig_prices(
    path: Path | str, stations: pl.DataFrame | None = None
) -> pl.DataFrame:
    """A Tankerkönig price change log, reduced to each station's last price of each day."""
    raw = _read(path, TK_PRICE_COLUMNS, "prices")
    stamp = raw["date"].str.strip_chars().str.slice(0, 19)
    when = stamp.str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False)
    i = _first_bad(when.is_null())
    if i is not None:
        raise InvalidInput(f"line {i + 2}: {raw['date'][i]!r} is not a timestamp", field="date")
    columns = {p: v["tankerkoenig"] for p, v in PRODUCTS.items() if v["tankerkoenig"]}
    long = pl.concat(
        pl.DataFrame(
            {
                "line": pl.int_range(2, raw.height + 2, eager=True),
                "when": when,
                "station_id": raw["station_uuid"],
                "product": product,
                "price": _number(raw, column),
            }
        )
        for product, column in columns.items()
    )
    _check_prices(long.sort("line", maintain_order=True), stations, "station_uuid")
    prices = (
        long.filter(pl.col("price") > 0)
        .sort("when")
        .group_by(["station_id", "product", pl.col("when").dt.date().alias("date")])
        .agg(price=pl.col("price").last())
        .select("date", "station_id", "product", "price")
        .sort(["date", "station_id", "product"])
    )
    return prices.cast(dict(PRICE_SCHEMA))


__all__ = [
    "read_opinet_prices",
    "read_opinet_stations",
    "read_tankerkoenig_prices",
    "read_tankerkoenig_stations",
]
