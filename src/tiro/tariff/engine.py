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

import polars as pl

from tiro.tariff.codes import CODE_MISSING, CodeBook, Registry, encode_origin, origins
from tiro.tariff.hts_rates import UNIT_FACTORS
from tiro.tariff.keys import check_capacity, key_expr, key_table, period_index
from tiro.tariff.lines import COLUMN_NAMES, coerce_lines, split_errors, with_defaults
from tiro.tariff.measure_data import MeasureSet
from tiro.tariff.measure_tables import tables_for
from tiro.tariff.money import amounts, coefficients
from tiro.tariff.resolve import resolve

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
_VARIANT_COLUMNS = (
    "hts_matched",
    "column1_rate_text",
    "column1_source",
    "base_ad_valorem",
    "base_specific_usd",
    "base_specific_unit",
    "static_needs_id",
    "qty_needs_id",
)


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


def _gather(table: pl.DataFrame, index: str, names: tuple[str, ...] | list[str]) -> list[pl.Expr]:
    return [pl.lit(table[n]).gather(pl.col(index)).alias(n) for n in names]


class Pricer:
    """Prices frames under one measure set, remembering scope classes and resolved keys, so a
    batch of many chunks resolves each pricing key once. ``hts_table`` replaces the shipped
    column-1 rates (e.g. a current revision read by ``hts_import.read_hts_table``)."""

    def __init__(self, ms: MeasureSet, hts_table: pl.DataFrame | None = None) -> None:
        self.ms = ms
        self.t = tables_for(ms)
        check_capacity(self.t)
        self.registry = Registry()
        self.book = CodeBook(self.t, self.registry, hts_table)
        self.origin_codes = origins()
        self._korea = self.origin_codes.index_of("KR")
        self._coeff: pl.DataFrame | None = None
        self._resolved: list[pl.DataFrame] = []

    @property
    def measures(self) -> pl.DataFrame:
        """Every candidate measure of every key resolved so far, with its status."""
        if len(self._resolved) > 1:
            self._resolved = [pl.concat(self._resolved, how="diagonal_relaxed")]
        return self._resolved[0] if self._resolved else pl.DataFrame()

    def _encode(self, c: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        """Encode HTS and origin; attach what the row checks need (``code_error``,
        ``origin_ok``). Returns the lines and the per-code column-1 variants."""
        hts_row, hts_cat = self.book.rows(c["hts"])
        codes, variants = self.book.codes, self.book.variants
        c = c.with_columns(
            hts_cat.alias("hts"),
            hts_row.alias("_hts"),
            pl.col("origin").alias("_raw_origin"),
            encode_origin(c["origin"]),
        )
        c = c.with_columns(
            pl.lit(codes["code_error"]).gather(pl.col("_hts")).fill_null(CODE_MISSING),
            pl.col("origin").is_not_null().alias("origin_ok"),
        )
        return c, variants

    def _line_facts(self, c: pl.DataFrame, variants: pl.DataFrame) -> pl.DataFrame:
        """Origin id, KORUS in effect and the column-1 variant of the code, by integer gathers
        (good rows only)."""
        origin_id = pl.col("origin").to_physical()
        c = with_defaults(c).with_columns(
            pl.lit(self.book.codes["class_id"]).gather(pl.col("_hts")),
            origin_id.alias("origin_id"),
            (pl.col("korus").fill_null(True) & (origin_id == self._korea)).alias("korus_eff"),
        )
        c = c.with_columns((pl.col("_hts") * 2 + pl.col("korus_eff").cast(pl.UInt32)).alias("_var"))
        names = [n for n in _VARIANT_COLUMNS if n != "hts_matched"]
        if c["quantity_unit"].null_count() == c.height:
            names.remove("base_specific_unit")
        return c.with_columns(_gather(variants, "_var", names)).drop("_hts")

    def _base_rate(self, lines: pl.DataFrame) -> pl.DataFrame:
        """Column-1 rate of each line: the code's ad valorem rate, or for a rate with a specific
        part its AVE ``ad valorem + amount x quantity / value`` (CBP CSMS 66987366)."""
        qty = pl.col("quantity")
        if "base_specific_unit" in lines.columns:
            lines = lines.join(
                UNIT_FACTORS,
                left_on=["quantity_unit", "base_specific_unit"],
                right_on=["_qty_from", "_qty_to"],
                how="left",
                maintain_order="left",
            )
            same = pl.col("quantity_unit").is_null() | (
                pl.col("quantity_unit") == pl.col("base_specific_unit")
            )
            qty = pl.when(same).then(qty).otherwise(qty * pl.col("_qty_factor"))
        value, specific = pl.col("customs_value"), pl.col("base_specific_usd")
        customs_value_id = self.registry.needs_id(pl.Series(["customs_value"]))[0]
        needs_id = (
            pl.when(pl.col("static_needs_id") > 0)
            .then(pl.col("static_needs_id"))
            .when(specific.is_not_null() & qty.is_null())
            .then(pl.col("qty_needs_id"))
            .when(specific.is_not_null() & (value <= 0))
            .then(pl.lit(customs_value_id, dtype=pl.UInt32))
            .otherwise(pl.lit(0, dtype=pl.UInt32))
        )
        rate = (
            pl.when(specific.is_null())
            .then(pl.col("base_ad_valorem"))
            .otherwise(pl.col("base_ad_valorem") + specific * qty / value)
        )
        out = lines.with_columns(needs_id.alias("base_needs_id"), rate.alias("base_rate"))
        out = out.with_columns(
            pl.when(pl.col("base_needs_id") == 0).then(pl.col("base_rate")).alias("base_rate")
        )
        return out.drop([c for c in ("_qty_factor",) if c in out.columns])

    def _coefficients_for(self, key_ids: pl.Series) -> pl.DataFrame:
        """Per-key coefficients, resolving only keys not seen before."""
        known = self._coeff
        new = key_ids
        if known is not None:
            new = new.to_frame("key_id").join(known, on="key_id", how="anti")["key_id"]
        if len(new) or known is None:
            keys = key_table(new, self.t, self.origin_codes)
            resolved = resolve(keys, self.t, self.registry.class_mids)
            self._resolved.append(resolved)
            fresh = coefficients(keys, resolved, self.registry.needs_texts())
            known = fresh if known is None else pl.concat([known, fresh])
            self._coeff = known
        return known

    def price(self, lines: pl.DataFrame, *, offset: int = 0) -> Priced:
        """Price declaration lines (see module docstring); ``line_id`` starts at ``offset``."""
        given = tuple(c for c in COLUMN_NAMES if c in lines.columns)
        coerced, variants = self._encode(coerce_lines(lines, offset=offset))
        good, bad = split_errors(coerced, self.t.first_date)
        good = self._base_rate(self._line_facts(good, variants))
        good = good.with_columns(period_index(good["entry_date"], self.t))
        good = good.with_columns(key_expr(self.t, good))
        coeff = self._coefficients_for(good["key_id"].unique())
        priced = good.join(coeff, on="key_id", how="left", maintain_order="left")
        return Priced(amounts(priced), bad.select(ERROR_COLUMNS), self.measures, given, variants)


def price(lines: pl.DataFrame, ms: MeasureSet, hts_table: pl.DataFrame | None = None) -> Priced:
    """Price declaration lines under one scenario's measures (a fresh ``Pricer``)."""
    return Pricer(ms, hts_table).price(lines)
