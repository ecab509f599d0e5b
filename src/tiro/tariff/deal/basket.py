"""Korea's exports to the US by major product (대미 수출 바스켓), the basket the deal scenarios price.

Values are public statistics for 2024 (KITA, MOTIE, KAICA, KHIDI, US ITA), each row cited in
``basket_kr_us.csv``; the rows add up to the published total of KITA (USD 127,791 mn), the
un-itemised remainder kept as an explicit residual row. See ``basket_kr_us.provenance.yaml``.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import polars as pl
import yaml

BASKET_SCHEMA: dict[str, pl.DataType] = {
    "product_group_ko": pl.Utf8(),
    "product_group_en": pl.Utf8(),
    "hts": pl.Utf8(),
    "hs_chapter": pl.Utf8(),
    "year": pl.Int32(),
    "value_usd": pl.Int64(),
    "value_basis": pl.Utf8(),
    "derived": pl.Boolean(),
    "source_title": pl.Utf8(),
    "source_url": pl.Utf8(),
    "metal_share": pl.Float64(),
    "note": pl.Utf8(),
}


@lru_cache(maxsize=1)
def _basket() -> pl.DataFrame:
    source = resources.files("tiro.data").joinpath("tariff/basket_kr_us.csv")
    with resources.as_file(source) as path:
        return pl.read_csv(path, schema=BASKET_SCHEMA)


def load_kr_us_basket() -> pl.DataFrame:
    """The shipped 2024 basket: one row per product group, ``value_usd`` and a representative HTS."""
    return _basket().clone()


def basket_provenance() -> dict[str, Any]:
    """The basket's provenance record (published total, sources, caveats)."""
    source = resources.files("tiro.data").joinpath("tariff/basket_kr_us.provenance.yaml")
    return yaml.safe_load(source.read_text(encoding="utf-8"))
