"""Per-code and per-origin facts, computed once per distinct text and attached to lines by index.

A declaration file has millions of lines but a few thousand distinct HTS codes and a few dozen
origins. Each text column is encoded once (a categorical cast: one hash per line); everything
that depends only on the code — digits, whether it is a well-formed 8/10-digit code, its
column-1 rate (기본세율) under the General and the KORUS column, its *scope class* (the set of
measure records whose HTS scope covers it) — is computed on the distinct codes and reaches the
lines as integer gathers. Codes with the same scope class are priced alike by the measure logic.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from tiro.core.errors import ParameterFileError
from tiro.tariff.measures.tables import MeasureTables
from tiro.tariff.pricing.keys import CLASS_BITS
from tiro.tariff.pricing.lines import iso_alpha2
from tiro.tariff.pricing.text_lookup import TextLookup
from tiro.tariff.schedule.base_rates import base_rates
from tiro.tariff.schedule.revisions import RateSource, revision_index, revisions

# Why a code or an origin cannot be priced (0 = fine); lines.py turns these into messages.
CODE_MISSING, CODE_MALFORMED, CODE_UNKNOWN, CODE_SUFFIX = 1, 2, 3, 4
NEEDS_LIMIT = 256  # base_needs_id has 8 bits in the pricing key (keys.FIELDS)


@dataclass
class Registry:
    """Stable small ids across the chunks of one batch: scope classes and needs texts."""

    classes: dict[str, int] = field(default_factory=dict)
    class_mids: pl.DataFrame = field(
        default_factory=lambda: pl.DataFrame(
            schema={"class_id": pl.UInt32, "mid": pl.Int32, "partial": pl.Boolean}
        )
    )
    needs: dict[str | None, int] = field(default_factory=lambda: {None: 0})

    def needs_id(self, texts: pl.Series) -> pl.Series:
        """Id of each needs text (0 = nothing missing), registering new ones."""
        for text in texts.unique().to_list():
            self.needs.setdefault(text, len(self.needs))
        if len(self.needs) > NEEDS_LIMIT:
            raise ParameterFileError("too many distinct column-1 needs", field="hts_subset")
        return texts.replace_strict(self.needs, return_dtype=pl.UInt32)

    def needs_texts(self) -> pl.Series:
        """Needs text by id (id 0 = null)."""
        by_id = sorted(self.needs.items(), key=lambda item: item[1])
        return pl.Series([text for text, _ in by_id], dtype=pl.Utf8)


def scope_pairs(digits: pl.DataFrame, t: MeasureTables) -> pl.DataFrame:
    """(hts_digits, mid, partial) for every measure whose include prefixes cover a code, minus
    excludes. ``partial`` marks an 8-digit code under a 10-digit scope line: whether the measure
    applies depends on the statistical suffix, which the line did not give (a ``needs``)."""
    found, dropped = [], []
    for plen in t.scope["plen"].unique().to_list():
        side = t.scope.filter(pl.col("plen") == plen)
        joined = digits.with_columns(pl.col("hts_digits").str.slice(0, plen).alias("prefix")).join(
            side, on="prefix"
        )
        found.append(joined.filter(~pl.col("exclude")).select("hts_digits", "mid", partial=False))
        dropped.append(joined.filter(pl.col("exclude")).select("hts_digits", "mid"))
    long = t.scope.filter((pl.col("plen") > 8) & ~pl.col("exclude"))
    short = digits.filter(pl.col("hts_digits").str.len_chars() == 8)
    found.append(
        short.join(
            long.with_columns(pl.col("prefix").str.slice(0, 8).alias("hts_digits")), on="hts_digits"
        ).select("hts_digits", "mid", partial=True)
    )
    pairs = pl.concat(found).group_by("hts_digits", "mid").agg(pl.col("partial").all())
    return pairs.join(pl.concat(dropped), on=["hts_digits", "mid"], how="anti")


def signatures(digits: pl.Series, t: MeasureTables) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(per distinct code: its ``signature``, the sorted (measure, partial) set covering it;
    the ``scope_pairs`` behind them) — the costly part of ``scope_classes``, which does not
    depend on the schedule revision, so a batch computes it once for codes new to any revision.
    """
    frame = pl.DataFrame({"hts_digits": digits}).unique()
    pairs = scope_pairs(frame, t)
    signature = pairs.group_by("hts_digits").agg(
        (
            pl.col("mid").cast(pl.Utf8)
            + pl.when(pl.col("partial")).then(pl.lit("p")).otherwise(pl.lit(""))
        )
        .sort()
        .str.join(",")
        .alias("signature")
    )
    frame = frame.join(signature, on="hts_digits", how="left").with_columns(
        pl.col("signature").fill_null("")
    )
    return frame, pairs


def scope_classes(
    digits: pl.Series,
    t: MeasureTables,
    reg: Registry,
    signed: tuple[pl.DataFrame, pl.DataFrame] | None = None,
) -> pl.Series:
    """``class_id`` of each code: codes covered by the same (measure, partial) set share a class.
    Ids are stable across calls with the same registry (the pricing-key cache relies on it).
    ``signed``: ``signatures`` of a superset of ``digits``, when the caller has them."""
    if signed is None:
        frame, pairs = signatures(digits, t)
    else:
        every, pairs = signed
        frame = pl.DataFrame({"hts_digits": digits}).unique().join(every, on="hts_digits")
    new = [s for s in frame["signature"].unique().sort().to_list() if s not in reg.classes]
    for sig in new:
        reg.classes[sig] = len(reg.classes)
    if len(reg.classes) > 2**CLASS_BITS:
        raise ParameterFileError(
            f"{len(reg.classes)} distinct measure scopes do not fit the {CLASS_BITS}-bit pricing-key "
            "field class_id",
            field="tariff_measures",
        )
    frame = frame.with_columns(
        pl.col("signature").replace_strict(reg.classes, return_dtype=pl.UInt32).alias("class_id")
    )
    if new:
        fresh = frame.filter(pl.col("signature").is_in(new))
        mids = fresh.join(pairs, on="hts_digits").select("class_id", "mid", "partial").unique()
        reg.class_mids = pl.concat([reg.class_mids, mids])
    lookup = dict(zip(frame["hts_digits"].to_list(), frame["class_id"].to_list(), strict=True))
    return digits.replace_strict(lookup, return_dtype=pl.UInt32)


def code_table(
    texts: pl.Series,
    t: MeasureTables,
    reg: Registry,
    subset: pl.DataFrame | None = None,
    *,
    source: RateSource | None = None,
    signed: tuple[pl.DataFrame, pl.DataFrame] | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(per distinct HTS text: ``code_error`` and ``class_id``; per (text, KORUS in effect), in
    rows ``2 * code + korus``: the column-1 rate parts and texts, the needs id of a rate that
    cannot be computed from the code alone, the needs id of a missing quantity).

    ``texts`` has no nulls (a line without a code never reaches the table). ``subset`` is the
    HTS rate table (default: the shipped subset); ``source``, a shipped revision, replaces it:
    its schedule lists every statistical line, so a 10-digit code it lacks is an error
    (``CODE_SUFFIX``), never a match on its 8-digit prefix. ``signed``: the codes'
    ``signatures`` when the caller has them (they depend on the digits, not on the revision)."""
    digits = texts.str.replace_all(r"[.\s]", "")
    ok = digits.str.contains(r"^(\d{8}|\d{10})$").fill_null(False)
    pairs = pl.DataFrame(
        {
            "hts": digits.gather(np.repeat(np.arange(len(texts)), 2)),
            "korus_eff": np.tile([False, True], len(texts)),
        },
        schema={"hts": pl.Utf8, "korus_eff": pl.Boolean},
    ).with_columns(
        pl.when(pl.col("korus_eff")).then(pl.lit("KR")).otherwise(pl.lit("ZZ")).alias("origin"),
        pl.lit(1.0).alias("customs_value"),
    )
    lookup = None if source is None else source.lookup()
    rated = base_rates(pairs, korus_claimed_col="korus_eff", subset=subset, lookup=lookup)
    specific = rated["base_specific_usd"].is_not_null()
    static = pl.select(
        pl.when(pl.lit(specific)).then(None).otherwise(pl.lit(rated["base_needs"]))
    ).to_series()
    quantity = pl.select(
        pl.when(pl.lit(specific)).then(pl.lit("quantity:") + pl.lit(rated["base_specific_unit"]))
    ).to_series()
    variants = rated.select(
        pl.col("hts_matched").cast(pl.Categorical),
        pl.col("column1_rate_text").cast(pl.Categorical),
        pl.col("column1_source").cast(pl.Categorical),
        "base_ad_valorem",
        "base_specific_usd",
        "base_specific_unit",
    ).with_columns(
        reg.needs_id(static).alias("static_needs_id"),
        reg.needs_id(quantity).alias("qty_needs_id"),
    )
    matched = rated["hts_matched"].gather_every(2)
    known = ok & matched.is_not_null()
    suffix = (digits.str.len_chars() == 10) & (matched != digits).fill_null(False)
    code_error = pl.select(
        pl.when(~pl.lit(ok))
        .then(CODE_MALFORMED)
        .when(~pl.lit(known))
        .then(CODE_UNKNOWN)
        .when(pl.lit(suffix & (source is not None)))
        .then(CODE_SUFFIX)
        .otherwise(0)
        .cast(pl.UInt8)
    ).to_series()
    codes = pl.DataFrame(
        {
            "code_error": code_error,
            "class_id": scope_classes(digits, t, reg, signed).cast(pl.UInt32),
        }
    )
    return codes, variants


def looked_up_again(
    rows: pl.Series, missed: pl.Series, values: pl.Series, lookup: Callable[[pl.Series], pl.Series]
) -> pl.Series:
    """``rows`` with the missed lines looked up again (after the vocabulary learnt them): only
    those lines when they are few, the whole column when most lines missed (a first chunk)."""
    if missed.sum() * 4 > len(missed):
        return lookup(values)
    where = missed.arg_true()
    return rows.scatter(where, lookup(values.gather(where)))


class CodeBook:
    """Per-code facts of every HTS text seen so far (one batch), so each chunk computes only
    the codes it brings new. Rows of ``codes`` are per text; rows of ``variants`` are
    ``2 * row + korus``. The arrays behind ``facts`` have one extra row at the end, the
    *sentinel* a line without a code points to (``code_error`` = missing)."""

    def __init__(self, t: MeasureTables, reg: Registry, subset: pl.DataFrame | None = None) -> None:
        self.t, self.reg, self.subset = t, reg, subset
        # slot 0: the user's table, or the 2024 subset before the first shipped revision;
        # slot k: shipped revision k - 1 (a user's table prices every date alike)
        self.sources: list[RateSource | None] = [None]
        if subset is None:
            self.sources += [RateSource(r.id) for r in revisions()]
        self.lookup = TextLookup()
        self.pair_rows = np.full((len(self.sources), 0), -1, dtype=np.int64)
        self._codes: pl.DataFrame | None = None  # built by the first chunk with a code
        self._variants: pl.DataFrame | None = None
        self._refresh()

    def _tables(self) -> tuple[pl.DataFrame, pl.DataFrame]:
        if self._codes is None or self._variants is None:
            self._codes, self._variants = code_table(
                pl.Series([], dtype=pl.Utf8), self.t, self.reg, self.subset
            )
        return self._codes, self._variants

    @property
    def codes(self) -> pl.DataFrame:
        """Per HTS text: ``code_error``, ``class_id``."""
        return self._tables()[0]

    @property
    def variants(self) -> pl.DataFrame:
        """Per (HTS text, KORUS in effect): the column-1 rate parts."""
        return self._tables()[1]

    @property
    def sentinel(self) -> int:
        """The row of a line without a code."""
        return 0 if self._codes is None else self._codes.height

    def _refresh(self) -> None:
        if self._codes is None or self._variants is None:
            self.code_error = np.array([CODE_MISSING], dtype=np.uint8)
            self.class_id = np.zeros(1, dtype=np.uint64)
            self.ad_valorem = self.specific = self.column1 = np.zeros(0)
            self.static_needs = self.qty_needs = np.zeros(0, dtype=np.uint64)
            self.has_specific = np.zeros(0, dtype=bool)
            return
        self.code_error = np.append(self._codes["code_error"].to_numpy(), CODE_MISSING)
        self.class_id = np.append(self._codes["class_id"].to_numpy(), 0).astype(np.uint64)
        v = self._variants
        self.ad_valorem = v["base_ad_valorem"].to_numpy()
        self.specific = v["base_specific_usd"].cast(pl.Float64).to_numpy()  # NaN: none
        self.static_needs = v["static_needs_id"].to_numpy().astype(np.uint64)
        self.qty_needs = v["qty_needs_id"].to_numpy().astype(np.uint64)
        self.has_specific = ~np.isnan(self.specific)
        # column-1 rate of a variant with no specific part and nothing missing (else NaN)
        self.column1 = np.where(
            self.has_specific | (self.static_needs > 0), np.nan, self.ad_valorem
        )

    def rows(self, texts: pl.Series, dates: pl.Series | None = None) -> np.ndarray:
        """Each line's row (the sentinel for a line without a code), learning new codes; with
        ``dates``, a code is read in the shipped revision in force on the line's entry date.

        One hash probe per line finds the text's id; the row is then ``pair_rows[slot, id]``,
        an integer gather, so several revisions in one file cost no string work per line."""
        ids = self.lookup.rows(texts)
        missed = ids.is_null() & texts.is_not_null()
        if missed.any():
            self.lookup.extend(texts.filter(missed))
            ids = looked_up_again(ids, missed, texts, self.lookup.rows)
        slots = np.zeros(len(texts), dtype=np.int64)
        if dates is not None and len(self.sources) > 1:
            slots = revision_index(dates) + 1
        if self.pair_rows.shape[1] < len(self.lookup):
            grown = np.full((len(self.sources), len(self.lookup)), -1, dtype=np.int64)
            grown[:, : self.pair_rows.shape[1]] = self.pair_rows
            self.pair_rows = grown
        null = ids.is_null().to_numpy()
        if len(self.lookup) == 0:  # no line so far had a code: all are the sentinel
            return np.full(len(texts), self.sentinel, dtype=np.int64)
        text_ids = ids.fill_null(0).to_numpy().astype(np.int64)
        rows = self.pair_rows[slots, text_ids]
        unknown = (rows < 0) & ~null
        if unknown.any():
            pairs = slots[unknown] * len(self.lookup) + text_ids[unknown]  # < slots x texts
            self._learn(np.flatnonzero(np.bincount(pairs)))  # distinct, sorted: O(lines)
            rows = self.pair_rows[slots, text_ids]
        rows[null] = self.sentinel
        return rows

    def _learn(self, pairs: np.ndarray) -> None:
        """Compute the code table of new (slot, text id) pairs, slot by slot; the scope
        signatures, which do not depend on the revision, once for the texts new to any slot
        (class ids are still given slot by slot, in the order they always were)."""
        width = len(self.lookup)
        texts = self.lookup.vocabulary.gather(np.unique(pairs % width))
        signed = signatures(texts.str.replace_all(r"[.\s]", ""), self.t)
        for slot in np.unique(pairs // width).tolist():
            text_ids = pairs[pairs // width == slot] % width
            new = self.lookup.vocabulary.gather(text_ids)
            codes, variants = code_table(
                new, self.t, self.reg, self.subset, source=self.sources[slot], signed=signed
            )
            start = self.sentinel
            self.pair_rows[slot, text_ids] = np.arange(start, start + len(new))
            if self._codes is None or self._variants is None:
                self._codes, self._variants = codes, variants
            else:
                self._codes = pl.concat([self._codes, codes], how="vertical_relaxed")
                self._variants = pl.concat([self._variants, variants], how="vertical_relaxed")
        self._refresh()


class Origins:
    """ISO 3166-1 alpha-2 codes by ``origin_id`` (for the pricing key) and the lookup of a
    line's origin text to its id."""

    def __init__(self) -> None:
        self.codes = iso_alpha2()
        self.as_enum = self.codes.cast(pl.Enum(self.codes))
        self.lookup = TextLookup(self.codes)

    def ids(self, texts: pl.Series) -> pl.Series:
        """Each line's origin id (null: not a code). Only cells that miss (lower case, spaces)
        are normalised and looked up again."""
        ids = self.lookup.two_letter_rows(texts)
        missed = ids.is_null() & texts.is_not_null()
        if missed.any():
            where = missed.arg_true()
            retry = texts.gather(where).cast(pl.Utf8).str.strip_chars().str.to_uppercase()
            ids = ids.scatter(where, self.lookup.rows(retry))
        return ids

    def encode(self, ids: pl.Series) -> pl.Series:
        """The origin column as an Enum of the ISO codes."""
        return self.as_enum.gather(ids).alias("origin")
