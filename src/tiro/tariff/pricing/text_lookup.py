"""Exact text -> row lookups for columns with few distinct values (HTS codes, origins).

A declaration file repeats a few thousand HTS codes and a few dozen origins over millions of
lines, so each column is looked up against a small vocabulary that only grows (rows never
change) instead of being grouped: one string-hash probe per line (measured faster than a
categorical cast or a 64-bit hash with a check). Two-letter codes (origins) skip hashing: their
two bytes, read as one 16-bit number, index a 65,536-entry table.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import polars as pl

_NONE = np.iinfo(np.uint32).max  # "not in the vocabulary" in the two-letter table


class TextLookup:
    """Row of each text in a vocabulary that only grows."""

    def __init__(self, vocabulary: pl.Series | None = None) -> None:
        self.vocabulary = pl.Series("text", [], dtype=pl.Utf8)
        self._rows = pl.Series("row", [], dtype=pl.UInt32)
        self._pairs = np.full(2**16, _NONE, dtype=np.uint32)
        if vocabulary is not None:
            self.extend(vocabulary)

    def __len__(self) -> int:
        return len(self.vocabulary)

    def extend(self, texts: pl.Series) -> None:
        """Append texts not yet in the vocabulary (in their order, without repeats). Distinct
        first, then text: a categorical column (a typed read) is not cast line by line."""
        texts = texts.drop_nulls().unique(maintain_order=True).cast(pl.Utf8)
        new = texts.filter(self.rows(texts).is_null())
        start = len(self)
        self.vocabulary = pl.concat([self.vocabulary, new])
        self._rows = pl.Series("row", np.arange(len(self), dtype=np.uint32))
        two = new.str.len_bytes() == 2
        codes = _two_bytes(new.filter(two)).to_numpy()
        self._pairs[codes] = start + np.flatnonzero(two.to_numpy())

    def rows(self, texts: pl.Series) -> pl.Series:
        """Row of each text (null: null, or not in the vocabulary). A categorical column (a
        typed batch read) is looked up by its distinct texts and gathered by dictionary code."""
        if isinstance(texts.dtype, pl.Categorical):
            return _by_dictionary(texts, self.rows)
        texts = texts.cast(pl.Utf8)
        if len(self) == 0:
            return pl.repeat(None, len(texts), dtype=pl.UInt32, eager=True).alias("row")
        return texts.replace_strict(
            self.vocabulary, self._rows, default=None, return_dtype=pl.UInt32
        )

    def two_letter_rows(self, texts: pl.Series) -> pl.Series:
        """``rows`` for a column of mostly two-letter texts: those by the 16-bit table, the rest
        (other lengths, nulls) by ``rows``."""
        if isinstance(texts.dtype, pl.Categorical):
            return _by_dictionary(texts, self.two_letter_rows)
        texts = texts.cast(pl.Utf8)
        codes = _two_bytes(texts)
        found = self._pairs[codes.fill_null(0).to_numpy()]
        rows = pl.Series("row", found)
        other = codes.is_null() & texts.is_not_null()
        rows = pl.select(
            pl.when(pl.lit(rows) == _NONE).then(None).otherwise(pl.lit(rows))
        ).to_series()
        if other.any():
            where = other.arg_true()
            rows = rows.scatter(where, self.rows(texts.gather(where)))
        return rows


def _by_dictionary(texts: pl.Series, lookup: Callable[[pl.Series], pl.Series]) -> pl.Series:
    """``lookup`` of a categorical column done on its dictionary (the texts by code, a few
    thousand at most) and gathered to the lines by code: no string work per line."""
    dictionary = texts.dtype.categories.to_series()  # type: ignore[union-attr]
    return lookup(dictionary).gather(texts.to_physical()).alias("row")


def _two_bytes(texts: pl.Series) -> pl.Series:
    """Each two-byte text as a 16-bit number (null for other lengths)."""
    return texts.cast(pl.Binary).bin.reinterpret(dtype=pl.UInt16)
