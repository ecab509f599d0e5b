"""Pricing keys (과세 판정 키): everything that decides which measures apply, packed in one integer.

Two declaration lines with the same HTS scope class, origin, validity period, declared facts and
threshold states get the same measures, so the measure logic runs once per distinct key and
money is column arithmetic over the lines. The key is a UInt64 built from small fields; the
key table for ``resolve`` is decoded back from the distinct integers, so a million lines cost one
integer ``unique`` and no multi-column group-by.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from tiro.core.errors import ParameterFileError
from tiro.tariff.measure_tables import MeasureTables

TRI_FACTS = ("civil_aircraft", "advanced_chip", "pharma_patented", "listed_company")
"""Declared yes/no facts; each is 0 (no), 1 (yes) or 2 (not given) in the key."""

# (field, bits), most significant first; the widths add up to 64.
FIELDS: tuple[tuple[str, int], ...] = (
    ("class_id", 20),
    ("origin_id", 9),
    ("period_idx", 7),
    ("korus_eff", 1),
    *[(f"{f}_state", 2) for f in TRI_FACTS],
    ("metal_state", 4),
    ("c1_state", 4),
    ("qty_known", 1),
    ("base_needs_id", 10),
)
_SHIFTS: dict[str, int] = {}
_shift = 64
for _name, _bits in FIELDS:
    _shift -= _bits
    _SHIFTS[_name] = _shift
assert _shift == 0, "key fields must fill 64 bits"


def check_capacity(t: MeasureTables) -> None:
    """Refuse a measure set whose dates or thresholds do not fit the key fields."""
    limits = {
        "period_idx": len(t.boundaries),
        "metal_state": len(t.metal_thresholds) + 1,
        "c1_state": len(t.column1_thresholds) + 1,
    }
    widths = dict(FIELDS)
    for name, largest in limits.items():
        if largest >= 2 ** widths[name]:
            raise ParameterFileError(
                f"{largest} values do not fit the {widths[name]}-bit pricing-key field {name}",
                field="tariff_measures",
            )


def period_index(dates: pl.Series, t: MeasureTables) -> pl.Series:
    """Index of the last validity boundary on or before each date (the snapshot it prices at).

    Entry dates span a few hundred days, so the index is looked up per day, not searched per
    line."""
    bounds = np.array(t.boundaries, dtype="datetime64[D]").astype(np.int64)
    days = dates.cast(pl.Date).to_physical().to_numpy().astype(np.int64)
    if len(days) == 0:
        return pl.Series("period_idx", [], dtype=pl.UInt64)
    low, high = int(days.min()), int(days.max())
    if high - low > 100_000:
        index = np.searchsorted(bounds, days, side="right") - 1
    else:
        per_day = np.searchsorted(bounds, np.arange(low, high + 1), side="right") - 1
        index = per_day[days - low]
    return pl.Series("period_idx", np.clip(index, 0, None).astype(np.uint64))


_DEFAULT_STATE = {"civil_aircraft": 1}  # not declared = civil aircraft (the article's default)


def _state(value: pl.Expr, thresholds: tuple[float, ...], op: str) -> pl.Expr:
    """0 when the value is unknown, else 1 + how many thresholds it passes."""
    u = pl.UInt64
    passed = [(value > v if op == ">" else value >= v).cast(u) for v in thresholds] or [
        pl.lit(0, u)
    ]
    return pl.when(value.is_null()).then(pl.lit(0, u)).otherwise(1 + pl.sum_horizontal(passed))


def key_expr(t: MeasureTables, lines: pl.DataFrame) -> pl.Expr:
    """The packed UInt64 key of each line, from ``class_id``, ``origin_id``, ``period_idx``,
    ``korus_eff``, the declared facts, ``metal_share``, ``base_rate``, ``quantity`` and
    ``base_needs_id``. Columns that are entirely null (not declared) add a constant."""
    u = pl.UInt64
    unknown = {c for c in lines.columns if lines[c].null_count() == lines.height}
    parts: dict[str, pl.Expr | int] = {
        "class_id": pl.col("class_id").cast(u),
        "origin_id": pl.col("origin_id").cast(u),
        "period_idx": pl.col("period_idx").cast(u),
        "korus_eff": pl.col("korus_eff").cast(u),
        **{
            f"{f}_state": (
                _DEFAULT_STATE.get(f, 2)
                if f in unknown
                else pl.col(f).cast(u).fill_null(_DEFAULT_STATE.get(f, 2))
            )
            for f in TRI_FACTS
        },
        "metal_state": (
            0
            if "metal_share" in unknown
            else _state(pl.col("metal_share"), t.metal_thresholds, ">")
        ),
        "c1_state": _state(pl.col("base_rate"), t.column1_thresholds, ">="),
        "qty_known": 0 if "quantity" in unknown else pl.col("quantity").is_not_null().cast(u),
        "base_needs_id": pl.col("base_needs_id").cast(u),
    }
    constant = sum(v * 2 ** _SHIFTS[n] for n, v in parts.items() if isinstance(v, int))
    varying = [
        e * pl.lit(2 ** _SHIFTS[n], dtype=u) for n, e in parts.items() if isinstance(e, pl.Expr)
    ]
    return pl.sum_horizontal([*varying, pl.lit(constant, dtype=u)]).alias("key_id")


def _field(name: str) -> pl.Expr:
    bits = dict(FIELDS)[name]
    return (pl.col("key_id") // 2 ** _SHIFTS[name]) % 2**bits


def key_table(key_ids: pl.Series, t: MeasureTables, origin_codes: pl.Series) -> pl.DataFrame:
    """One row per distinct key with the columns ``resolve`` reads, decoded from the integer."""
    keys = pl.DataFrame({"key_id": key_ids.cast(pl.UInt64)})
    keys = keys.with_columns(*[_field(name).cast(pl.UInt32).alias(name) for name, _ in FIELDS])
    bounds = pl.Series(t.boundaries, dtype=pl.Date)
    tri = {
        f: pl.when(pl.col(f"{f}_state") == 2).then(None).otherwise(pl.col(f"{f}_state") == 1)
        for f in TRI_FACTS
    }
    return keys.with_columns(
        pl.lit(bounds).gather(pl.col("period_idx")).alias("period_date"),
        pl.lit(origin_codes).gather(pl.col("origin_id")).alias("origin"),
        (pl.col("korus_eff") == 1).alias("korus"),
        *[expr.alias(f) for f, expr in tri.items()],
        (pl.col("qty_known") == 1).alias("qty_known"),
        (pl.col("metal_state") > 0).alias("metal_known"),
        *[
            pl.when(pl.col("metal_state") == 0)
            .then(None)
            .otherwise(pl.col("metal_state") >= i + 2)
            .alias(f"metal_gt_{i}")
            for i in range(len(t.metal_thresholds))
        ],
        *[
            pl.when(pl.col("c1_state") == 0)
            .then(None)
            .otherwise(pl.col("c1_state") <= i + 1)
            .alias(f"c1_lt_{i}")
            for i in range(len(t.column1_thresholds))
        ],
    )


def period_of(key_id: int) -> int:
    """The validity-period index packed in one key (for a quote's explanation)."""
    return (
        int(np.uint64(key_id) >> np.uint64(_SHIFTS["period_idx"])) % 2 ** dict(FIELDS)["period_idx"]
    )
