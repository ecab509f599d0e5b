"""The pricing keys of one batch (과세 판정 키 장부): each resolved once, then found by row.

A declaration file of ten million lines has a few thousand distinct pricing keys. The first
chunk that brings a key runs the measure logic (``resolve``) and the money reduction
(``coefficients``) for it; every later line with that key is an exact hash lookup of its integer
to the key's row, and its coefficients are array gathers by that row.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from tiro.tariff.measures.tables import MeasureTables
from tiro.tariff.pricing.codes import Registry, looked_up_again
from tiro.tariff.pricing.keys import key_table
from tiro.tariff.pricing.money import coefficients, empty_coefficients, line_coefficients
from tiro.tariff.pricing.resolve import resolve


class KeyBook:
    """Resolved keys, their coefficients (NumPy arrays by row, plus ``headings`` and ``needs``
    as categorical Series) and every candidate measure of every key (``measures``)."""

    def __init__(self, t: MeasureTables, registry: Registry, origin_codes: pl.Series) -> None:
        self.t, self.registry, self.origin_codes = t, registry, origin_codes
        self.keys = pl.Series("key_id", [], dtype=pl.UInt64)
        self._frames: list[pl.DataFrame] = []
        self._resolved: list[pl.DataFrame] = []
        self.headings = pl.Series("headings", [], dtype=pl.Categorical)
        self.needs = pl.Series("needs", [], dtype=pl.Categorical)
        self.coeff = line_coefficients(empty_coefficients())  # a chunk of only bad rows prices

    @property
    def measures(self) -> pl.DataFrame:
        """Every candidate measure of every key resolved so far, with its status."""
        if len(self._resolved) > 1:
            self._resolved = [pl.concat(self._resolved, how="diagonal_relaxed")]
        return self._resolved[0] if self._resolved else pl.DataFrame()

    def _learn(self, new: pl.Series) -> None:
        keys = key_table(new, self.t, self.origin_codes)
        resolved = resolve(keys, self.t, self.registry.class_mids)
        self._resolved.append(resolved)
        fresh = coefficients(keys, resolved, self.registry.needs_texts())
        self._frames = [pl.concat([*self._frames, fresh])]
        table = self._frames[0]
        self.keys = table["key_id"]
        self._row_ids = pl.Series("row", np.arange(table.height, dtype=np.uint32))
        self.coeff = line_coefficients(table)
        self.headings, self.needs = table["headings"], table["needs"]

    def _lookup(self, keys: pl.Series) -> pl.Series:
        if self.keys.is_empty():
            return pl.repeat(None, len(keys), dtype=pl.UInt32, eager=True).alias("row")
        return keys.replace_strict(self.keys, self._row_ids, default=None, return_dtype=pl.UInt32)

    def rows(self, keys: np.ndarray) -> np.ndarray:
        """Row of each line's key, resolving the keys not seen before."""
        series = pl.Series("key_id", keys, dtype=pl.UInt64)
        rows = self._lookup(series)
        missed = rows.is_null()
        if missed.any():
            self._learn(series.filter(missed).unique().sort())
            rows = looked_up_again(rows, missed, series, self._lookup)
        return rows.to_numpy()
