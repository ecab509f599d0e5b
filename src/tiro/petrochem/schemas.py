"""Record schemas of the petrochem domain, declared once (STYLE §8).

A cracker (NCC, 납사분해설비) is a static record (`units.csv`); its status and capacity over
time are dated events (`unit_events.csv`); integrated derivative plants are a third table.
"""

from __future__ import annotations

import polars as pl

COMPLEXES = ("yeosu", "daesan", "ulsan")
"""The three petrochemical complexes (여수, 대산, 울산)."""

COMPLEX_KO = {"yeosu": "여수", "daesan": "대산", "ulsan": "울산"}

STATUSES = ("operating", "idle", "suspended", "closed", "planned")
"""Unit states; only ``operating`` and ``idle`` count as national capacity on a date."""

COUNTED = ("operating", "idle")

FEEDSTOCKS = ("naphtha", "mixed")

UNIT_SCHEMA: dict[str, pl.DataType] = {
    "unit": pl.Utf8,
    "name": pl.Utf8,
    "company": pl.Utf8,
    "complex": pl.Utf8,
    "capacity_kt": pl.Float64,
    "capacity_low_kt": pl.Float64,
    "capacity_high_kt": pl.Float64,
    "start_year": pl.Int64,
    "feedstock": pl.Utf8,
    "source_url": pl.Utf8,
    "note": pl.Utf8,
}
"""A cracker: ethylene capacity (kt/y) as used, the published range, start year, feed."""

EVENT_SCHEMA: dict[str, pl.DataType] = {
    "unit": pl.Utf8,
    "date": pl.Date,
    "status": pl.Utf8,
    "until": pl.Date,
    "capacity_kt": pl.Float64,
    "precision": pl.Utf8,
    "source_url": pl.Utf8,
    "note": pl.Utf8,
}
"""A dated status (and optional capacity) change of one unit."""

DERIVATIVE_SCHEMA: dict[str, pl.DataType] = {
    "company": pl.Utf8,
    "complex": pl.Utf8,
    "product": pl.Utf8,
    "capacity_kt": pl.Float64,
    "source_url": pl.Utf8,
    "note": pl.Utf8,
}
"""An integrated derivative (PE) plant that takes ethylene from its company's crackers."""
