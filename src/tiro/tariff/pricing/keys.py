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
from tiro.tariff.measures.data import BOOL_FACTS
from tiro.tariff.measures.tables import MeasureTables

TRI_FACTS = tuple(f for f in BOOL_FACTS if f != "korus")
"""Declared yes/no facts; each is 0 (no), 1 (yes) or 2 (not given) in the key."""

CLASS_BITS = 12
"""Width of the scope-class field: up to 4,096 distinct sets of measures per code (all 23,166
codes of the shipped revisions make 350 with the competitor-origin records and the Section 301
China lists loaded; ``codes.Registry`` refuses more)."""

DEFAULT_STATE = {
    "civil_aircraft": 1,
    "civil_aircraft_use": 0,
    "pharma_use": 0,
    "auto_parts_certified": 0,
    "mhdv_parts_certified": 0,
    "uas_use": 0,
}
"""State of a fact left blank when it has a default: an aircraft article is civil unless declared
otherwise; a use-based exception or certification (civil-aircraft or pharmaceutical use, an
importer's certification that a part is for US automobile or MHDV production or repair — U.S.
notes 33(p)/(r), 38(j) — or that a general-purpose article is for use with unmanned aircraft,
note 43(c)) is not claimed unless declared. Other blanks are 2 (not given) and come back as
``needs`` where a measure asks."""


def _fact_bits(fact: str) -> int:
    """A fact with a default is never blank in the key (0/1: one bit); the others are 0/1/2."""
    return 1 if fact in DEFAULT_STATE else 2


# (field, bits), most significant first; the widths add up to 64 (origin: the 249 assigned
# ISO 3166-1 codes fit 8 bits; periods: up to 64 validity boundaries per scenario).
FIELDS: tuple[tuple[str, int], ...] = (
    ("class_id", CLASS_BITS),
    ("origin_id", 8),
    ("period_idx", 6),
    ("korus_eff", 1),
    *[(f"{f}_state", _fact_bits(f)) for f in TRI_FACTS],
    ("metal_state", 3),
    ("c1_state", 3),
    ("qty_known", 1),
    ("base_needs_id", 8),  # 26 distinct needs texts in the shipped data; was 10 bits (usmca took 2)
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


def period_index(dates: pl.Series, t: MeasureTables) -> np.ndarray:
    """Index of the last validity boundary on or before each date (the snapshot it prices at).

    Entry dates span a few hundred days, so the index is looked up per day, not searched per
    line."""
    bounds = np.array(t.boundaries, dtype="datetime64[D]").astype(np.int64)
    days = dates.cast(pl.Date).to_physical().to_numpy()
    if len(days) == 0:
        return np.zeros(0, dtype=np.uint64)
    low, high = int(days.min()), int(days.max())
    if high - low > 100_000:
        index = np.searchsorted(bounds, days.astype(np.int64), side="right") - 1
        return np.clip(index, 0, None).astype(np.uint64)
    per_day = np.searchsorted(bounds, np.arange(low, high + 1), side="right") - 1
    return np.clip(per_day, 0, None).astype(np.uint64)[days - np.int32(low)]


def threshold_state(
    values: np.ndarray, thresholds: tuple[float, ...], *, strict: bool
) -> np.ndarray:
    """0 where the value is unknown (NaN), else 1 + how many thresholds it passes (``>`` when
    ``strict``, else ``>=``). A few comparisons per line, no search: NaN compares false."""
    state = (values == values).astype(np.uint64)
    for v in thresholds:
        state += (values > v) if strict else (values >= v)
    return state


def fact_state(values: np.ndarray, fact: str) -> np.ndarray:
    """Key state of a declared yes/no fact: 0 no, 1 yes, 2 blank (or its legal default).
    ``values`` is a float array (1.0, 0.0, NaN for blank)."""
    return np.where(np.isnan(values), DEFAULT_STATE.get(fact, 2), values).astype(np.uint64)


def pack_keys(height: int, fields: dict[str, np.ndarray | int]) -> np.ndarray:
    """The packed UInt64 key of each line from its fields (arrays, or ints for a field that is
    the same on every line). Every field of ``FIELDS`` must be given."""
    if set(fields) != {name for name, _ in FIELDS}:
        raise ValueError(
            f"key fields differ from FIELDS: {sorted(set(fields) ^ dict(FIELDS).keys())}"
        )
    constant = sum(int(v) << _SHIFTS[n] for n, v in fields.items() if isinstance(v, int))
    key = np.full(height, constant, dtype=np.uint64)
    spare = np.empty(height, dtype=np.uint64)
    for name, value in fields.items():
        if isinstance(value, int):
            continue
        np.left_shift(value, np.uint64(_SHIFTS[name]), out=spare, casting="unsafe")
        np.bitwise_or(key, spare, out=key)
    return key


def field_bits(name: str, values: np.ndarray) -> np.ndarray:
    """``values`` placed in the bits of one key field (to OR into keys)."""
    return values.astype(np.uint64) << np.uint64(_SHIFTS[name])


def variant_parts(
    class_id: np.ndarray, column1: np.ndarray, static_needs: np.ndarray, t: MeasureTables
) -> np.ndarray:
    """Key bits that depend only on the line's column-1 variant (``2 * code row + korus``):
    the code's scope class, KORUS in effect and — for a rate with no specific part, whose
    column-1 rate is the code's (``column1``, NaN otherwise) — its threshold state and needs."""
    korus = np.tile(np.array([0, 1], dtype=np.uint64), len(class_id))
    return (
        field_bits("class_id", np.repeat(class_id, 2))
        | field_bits("korus_eff", korus)
        | field_bits("c1_state", threshold_state(column1, t.column1_thresholds, strict=False))
        | field_bits("base_needs_id", static_needs)
    )


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
