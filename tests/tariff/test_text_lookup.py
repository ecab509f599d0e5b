"""The exact text lookups behind HTS codes and origins: a row is only ever the row of that text."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from tiro.tariff.pricing.codes import Origins
from tiro.tariff.pricing.text_lookup import TextLookup


def test_two_letter_table_and_the_slow_path_agree():
    lookup = TextLookup(pl.Series(["KR", "JP", "USA", "é"]))
    texts = pl.Series(["KR", "jp", None, "USA", "JP", "K9", "X", "", "é"])
    assert lookup.two_letter_rows(texts).to_list() == [0, None, None, 2, 1, None, None, None, 3]
    assert lookup.rows(texts).to_list() == [0, None, None, 2, 1, None, None, None, 3]


def test_extend_keeps_rows_and_skips_known_texts():
    lookup = TextLookup(pl.Series(["a", "b"]))
    lookup.extend(pl.Series(["b", "c", "c", None, "d"]))
    assert lookup.vocabulary.to_list() == ["a", "b", "c", "d"]
    assert lookup.rows(pl.Series(["d", "a", "z"])).to_list() == [3, 0, None]


def test_origins_normalise_only_what_misses():
    origins = Origins()
    ids = origins.ids(pl.Series(["KR", " kr", "us ", "K9", None, "KOR"]))
    codes = origins.encode(ids).cast(pl.Utf8).to_list()
    assert codes == ["KR", "KR", "US", None, None, None]


@settings(max_examples=60, deadline=None)
@given(
    vocab=st.lists(st.text(max_size=4), unique=True, max_size=30),
    texts=st.lists(st.one_of(st.none(), st.text(max_size=4)), max_size=60),
)
def test_rows_are_the_vocabulary_index(vocab, texts):
    lookup = TextLookup(pl.Series(vocab, dtype=pl.Utf8))
    index = {t: i for i, t in enumerate(vocab)}
    expected = [index.get(t) if t is not None else None for t in texts]
    series = pl.Series(texts, dtype=pl.Utf8)
    assert lookup.rows(series).to_list() == expected
    assert lookup.two_letter_rows(series).to_list() == expected
