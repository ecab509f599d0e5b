"""The US tariff engine (미국 관세 계산 엔진): one vectorised Polars pipeline for one line or millions.

snapshot by entry date -> candidates by HTS prefix and origin -> conditions -> no-stack and
displacement -> value split -> rates -> amounts -> explanation. Lines are reduced to distinct
pricing keys (``keys.py``: HTS scope class, origin, validity period and declared facts packed in
one integer), so the measure logic (``resolve.py``) runs once per key — and once per batch, as a
``Pricer`` keeps what it resolved across chunks; money is then column arithmetic over the lines.
Facts the engine cannot know (metal share when a metal rule needs it, quantity for a specific
rate) come back in ``needs`` and withhold the total.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from tiro.tariff.measures.data import MeasureSet
from tiro.tariff.measures.tables import tables_for
from tiro.tariff.pricing.codes import CodeBook, Origins, Registry
from tiro.tariff.pricing.key_book import KeyBook
from tiro.tariff.pricing.keys import (
    DEFAULT_STATE,
    TRI_FACTS,
    check_capacity,
    fact_state,
    field_bits,
    pack_keys,
    period_index,
    threshold_state,
    variant_parts,
)
from tiro.tariff.pricing.lines import COLUMN_NAMES, coerce_lines, split_errors
from tiro.tariff.pricing.money import amounts
from tiro.tariff.schedule.base_rates import join_unit_factors, quantity_in_rate_unit

OUTPUT_COLUMNS = (
    "base_rate",
    "column1_rate_text",
    "column1_source",
    "base_duty",
    "additional_duty",
    "total_duty",
    "total_rate",
    "headings",
    "needs",
)
ERROR_COLUMNS = ("line_id", "hts", "origin", "entry_date", "customs_value", "error_field", "error")


@dataclass(frozen=True)
class Priced:
    """Good lines with quote columns, bad rows with reasons, the key-level measure table (every
    candidate of every key with its status, for line detail and explanations) and the input
    columns the caller gave (a batch writes back only those)."""

    lines: pl.DataFrame
    errors: pl.DataFrame
    measures: pl.DataFrame
    input_columns: tuple[str, ...] = ()
    variants: pl.DataFrame | None = None  # column-1 variants, by the lines' ``_var``


def _declared(frame: pl.DataFrame, name: str) -> pl.Series | None:
    """A numeric column as Float64, or None when the column is absent or entirely blank (not
    declared: the engine then treats the fact as one value for every line)."""
    if name not in frame.columns or frame[name].null_count() == frame.height:
        return None
    return frame[name].cast(pl.Float64)


def _floats(frame: pl.DataFrame, name: str) -> np.ndarray | None:
    """The declared column as floats, NaN for a blank cell."""
    column = _declared(frame, name)
    return None if column is None else column.to_numpy()


def _zero_filled(frame: pl.DataFrame, name: str) -> np.ndarray | None:
    """The declared column as floats, 0 for a blank cell."""
    column = _declared(frame, name)
    return None if column is None else column.fill_null(0.0).to_numpy()


def _nulls(name: str, values: np.ndarray) -> pl.Series:
    return pl.Series(name, values, nan_to_null=True)


class Pricer:
    """Prices frames under one measure set, remembering codes and resolved keys, so a batch of
    many chunks computes each HTS code and resolves each pricing key once. ``hts_table``
    replaces the shipped column-1 rates (e.g. a current revision read by
    ``hts_import.read_hts_table``).

    Per line the work is a few hash lookups (HTS text, origin, pricing key) and array
    arithmetic; everything that depends only on the code or the key is computed on the distinct
    codes and keys and reaches the lines by integer gathers."""

    def __init__(self, ms: MeasureSet, hts_table: pl.DataFrame | None = None) -> None:
        self.ms = ms
        self.t = tables_for(ms)
        check_capacity(self.t)
        self.registry = Registry()
        self.book = CodeBook(self.t, self.registry, hts_table)
        self.origins = Origins()
        self.origin_codes = self.origins.codes
        self.key_book = KeyBook(self.t, self.registry, self.origin_codes)
        self._korea = self.origin_codes.index_of("KR")
        self._value_needs = int(self.registry.needs_id(pl.Series(["customs_value"]))[0])
        self._parts, self._parts_for = np.zeros(0, dtype=np.uint64), -1

    @property
    def measures(self) -> pl.DataFrame:
        """Every candidate measure of every key resolved so far, with its status."""
        return self.key_book.measures

    def _encode(self, c: pl.DataFrame) -> pl.DataFrame:
        """Row of the HTS code, origin as an ISO Enum, and what the row checks need
        (``code_error``, ``origin_ok``)."""
        rows = self.book.rows(c["hts"], c["entry_date"])
        origin = self.origins.encode(self.origins.ids(c["origin"]))
        return c.with_columns(
            pl.Series("_hts", rows),
            pl.col("origin").alias("_raw_origin"),
            origin,
            pl.Series("code_error", self.book.code_error[rows]),
            origin.is_not_null().alias("origin_ok"),
        )

    def _quantity_in_rate_unit(self, good: pl.DataFrame, var: np.ndarray) -> np.ndarray | None:
        """The declared quantity, converted to the unit of the code's specific rate where the
        line gave another unit (kg -> t, liter -> bbl, ...)."""
        qty = _floats(good, "quantity")
        if qty is None or "quantity_unit" not in good.columns:
            return qty
        if good["quantity_unit"].null_count() == good.height:
            return qty
        frame = join_unit_factors(
            pl.DataFrame(
                {
                    "quantity": qty,
                    "quantity_unit": good["quantity_unit"],
                    "base_specific_unit": self.book.variants["base_specific_unit"].gather(var),
                }
            )
        )
        return frame.select(quantity_in_rate_unit(frame)).to_series().to_numpy()

    def _variant_parts(self) -> np.ndarray:
        """Key bits per column-1 variant (``keys.variant_parts``), recomputed when the code
        book has grown."""
        book = self.book
        if self._parts_for != book.sentinel:
            self._parts = variant_parts(book.class_id[:-1], book.column1, book.static_needs, self.t)
            self._parts_for = book.sentinel
        return self._parts

    def _specific_rates(
        self, var: np.ndarray, value: np.ndarray, qty: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(column-1 rate, NaN when not computable; id of what it needs) of lines whose
        column-1 rate has a specific part: its AVE ``ad valorem + amount x quantity / value``
        (CBP CSMS 66987366). It needs the quantity, and a positive value."""
        book = self.book
        quantity = np.full(len(var), np.nan) if qty is None else qty
        needs = np.where(
            np.isnan(quantity),
            book.qty_needs[var],
            np.where(value <= 0, np.uint64(self._value_needs), np.uint64(0)),
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = book.ad_valorem[var] + book.specific[var] * quantity / value
        rate[needs > 0] = np.nan
        return rate, needs

    def _fact_fields(self, good: pl.DataFrame, share: np.ndarray | None) -> dict[str, object]:
        """Key fields from the line's declared facts and dates (the variant's are OR-ed in)."""
        facts: dict[str, np.ndarray | int] = {}
        for fact in TRI_FACTS:
            values = _floats(good, fact)
            default = DEFAULT_STATE.get(fact, 2)
            facts[f"{fact}_state"] = default if values is None else fact_state(values, fact)
        qty_given = _floats(good, "quantity") is not None
        return {
            "class_id": 0,
            "origin_id": good["origin"].to_physical().to_numpy(),
            "period_idx": period_index(good["entry_date"], self.t),
            "korus_eff": 0,
            **facts,
            "metal_state": 0
            if share is None
            else threshold_state(share, self.t.metal_thresholds, strict=True),
            "c1_state": 0,
            "qty_known": good["quantity"].is_not_null().to_numpy() if qty_given else 0,
            "base_needs_id": 0,
        }

    def price(self, lines: pl.DataFrame, *, offset: int = 0) -> Priced:
        """Price declaration lines (see module docstring); ``line_id`` starts at ``offset``."""
        given = tuple(c for c in COLUMN_NAMES if c in lines.columns)
        good, bad = split_errors(
            self._encode(coerce_lines(lines, offset=offset)), self.t.first_date
        )
        book = self.book
        korus_eff = good["origin"].to_physical().to_numpy() == self._korea
        if "korus" in good.columns:
            korus_eff &= good["korus"].fill_null(True).to_numpy()
        var = good["_hts"].to_numpy().astype(np.int64) * 2 + korus_eff
        value = good["customs_value"].to_numpy()
        share = _floats(good, "metal_share")
        key = pack_keys(good.height, self._fact_fields(good, share))
        key |= self._variant_parts()[var]
        c1 = book.column1[var]
        specific = np.flatnonzero(book.has_specific[var])
        if specific.size:
            sub = var[specific]
            qty = self._quantity_in_rate_unit(good[specific], sub)
            rate, needs = self._specific_rates(sub, value[specific], qty)
            c1[specific] = rate
            key[specific] |= field_bits(
                "c1_state", threshold_state(rate, self.t.column1_thresholds, strict=False)
            ) | field_bits("base_needs_id", needs)
        row = self.key_book.rows(key)
        money = amounts(
            self.key_book.coeff,
            row,
            c1,
            value,
            _zero_filled(good, "metal_share"),
            _zero_filled(good, "quantity"),
        )
        variants, keys = book.variants, self.key_book
        priced = good.drop("_hts").with_columns(
            _nulls("base_rate", c1),
            variants["column1_rate_text"].gather(var),
            variants["column1_source"].gather(var),
            _nulls("base_duty", money.base_duty),
            _nulls("additional_duty", money.additional_duty),
            _nulls("total_duty", money.total_duty),
            _nulls("total_rate", money.total_rate),
            keys.headings.gather(row),
            keys.needs.gather(row),
            pl.Series("key_id", key),
            pl.Series("_var", var),
        )
        return Priced(priced, bad.select(ERROR_COLUMNS), self.measures, given, variants)


def price(lines: pl.DataFrame, ms: MeasureSet, hts_table: pl.DataFrame | None = None) -> Priced:
    """Price declaration lines under one scenario's measures (a fresh ``Pricer``)."""
    return Pricer(ms, hts_table).price(lines)
