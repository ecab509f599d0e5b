"""The station record types, declared once: columns, Polars types, units, descriptions.

The Polars schemas, the importers' validation and the docs all come from these declarations
(STYLE §8, after PyPSA's component attributes). A station's place and history are static;
its prices are a time series in their own table.
"""

from __future__ import annotations

from typing import NamedTuple

import polars as pl

from tiro.core.errors import InvalidInput


class Column(NamedTuple):
    name: str
    dtype: pl.DataType | type[pl.DataType]
    unit: str
    description: str


STATION_COLUMNS: tuple[Column, ...] = (
    Column("station_id", pl.Utf8, "code", "Opinet UNI_ID or Tankerkönig uuid"),
    Column("name", pl.Utf8, "text", "상호 (OS_NM)"),
    Column("brand", pl.Utf8, "code", "POLL_DIV_CD: SKE, GSC, HDO, SOL, RTO, ETC, E1G, SKG"),
    Column("address", pl.Utf8, "text", "지번 or road address (VAN_ADR / NEW_ADR)"),
    Column("sido", pl.Utf8, "text", "시도 (province-level region)"),
    Column("sigungu", pl.Utf8, "text", "시군구 (district), the good-station area"),
    Column("lat", pl.Float64, "deg", "WGS84 latitude (converted from KATEC for Opinet)"),
    Column("lon", pl.Float64, "deg", "WGS84 longitude"),
    Column("self_service", pl.Boolean, "bool", "셀프 주유소"),
    Column("opened", pl.Date, "date", "date the station started operating"),
    Column("last_fake_fuel", pl.Date, "date", "last 가짜석유 sanction (null when none)"),
    Column("source", pl.Utf8, "code", "opinet, tankerkoenig or sample"),
)

PRICE_COLUMNS: tuple[Column, ...] = (
    Column("date", pl.Date, "date", "price day"),
    Column("station_id", pl.Utf8, "code", "station reporting the price"),
    Column("product", pl.Utf8, "code", "gasoline, premium, diesel, kerosene"),
    Column("price", pl.Float64, "KRW/L", "posted pump price (won per litre, or EUR/L for DE)"),
)

#: Product names used in tiro, with the Opinet PRODCD codes and Tankerkönig columns.
PRODUCTS: dict[str, dict[str, str | None]] = {
    "gasoline": {"opinet": "B027", "tankerkoenig": "e5"},
    "premium": {"opinet": "B034", "tankerkoenig": None},
    "diesel": {"opinet": "D047", "tankerkoenig": "diesel"},
    "kerosene": {"opinet": "C004", "tankerkoenig": None},
}

STATION_SCHEMA = pl.Schema({c.name: c.dtype for c in STATION_COLUMNS})
PRICE_SCHEMA = pl.Schema({c.name: c.dtype for c in PRICE_COLUMNS})


def check_product(product: str, field: str = "product") -> str:
    """``product`` if tiro knows it; else InvalidInput listing the known ones."""
    if product not in PRODUCTS:
        raise InvalidInput(
            f"unknown product {product!r}; known: {', '.join(PRODUCTS)}", field=field
        )
    return product


def empty_stations() -> pl.DataFrame:
    """A typed, empty registry (so an empty answer still has its columns)."""
    return pl.DataFrame(schema=STATION_SCHEMA)
