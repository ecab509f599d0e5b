"""Resource-security alert rules (자원안보 위기경보): indicators → recommended level.

The rule *shapes* are declared once here (which indicator, which comparison, whether the
transport-risk flag must also be up); every *threshold* is a dated parameter under
``energy.alert.<resource>.<channel>`` broken down by level. A resource is covered by the rules
whose leaves exist for it, so adding a resource is adding YAML. A level's rule is in force from
its leaf's first date; before 국가자원안보 특별법 Art. 23 (``energy.alert.levels``) there are no
levels and evaluation is an error, never a silent 정상.

Evaluation is vectorised over a frame of observations (one row per date and resource): each
threshold is an as-of lookup for the whole column. Hysteresis: a level in force keeps holding
while its indicator stays within ``energy.alert.hysteresis.release_margin`` of the threshold.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.core.parameters import ParameterTree

NORMAL = "정상"
INDICATORS = ("price_change", "disrupted_share", "stock_ratio", "index")
MARGIN_PATH = "energy.alert.hysteresis.release_margin"


@dataclass(frozen=True)
class Channel:
    """One kind of rule: an indicator compared with a per-level threshold."""

    name: str
    indicator: str
    at_least: bool  # True: indicator >= threshold fires; False: indicator < threshold fires
    needs_transport_risk: bool
    label_ko: str
    label_en: str


CHANNELS: tuple[Channel, ...] = (
    Channel("risk_price_change", "price_change", True, True, "정세불안·수송차질 우려 + 유가 상승", "risk flag and price rise"),
    Channel("price_change", "price_change", True, False, "유가 상승률", "price rise vs pre-crisis"),
    Channel("disrupted_share", "disrupted_share", True, False, "도입 차질률", "supply shortfall share"),
    Channel("stock_ratio_below", "stock_ratio", False, False, "비축의무 대비 재고", "stock vs obligation"),
    Channel("index", "index", True, False, "조기경보지수", "early-warning index"),
)  # fmt: skip
RISK_LEVEL_CHANNEL = "transport_risk_level"


def levels(params: ParameterTree, on: dt.date) -> list[str]:
    """The four levels in force, lowest first (Art. 23); an error before the Act."""
    return list(params.at("energy.alert.levels", on))


def resources(params: ParameterTree, on: dt.date) -> list[str]:
    """Resources the engine watches on a date."""
    return list(params.at("energy.alert.resources", on))


def check_resource(params: ParameterTree, resource: str, on: dt.date) -> str:
    """A resource name the rules know, or a clear error naming the field."""
    known = resources(params, on)
    if resource not in known:
        raise InvalidInput(
            f"unknown resource {resource!r}; known: {', '.join(known)}", field="resource"
        )
    return resource


def check_level(
    params: ParameterTree, level: str, on: dt.date, *, allow_normal: bool, field: str = "level"
) -> str:
    """A level among the four (or 정상 where lifting is meant), else a clear error."""
    allowed = ([NORMAL] if allow_normal else []) + levels(params, on)
    if level not in allowed:
        raise InvalidInput(
            f"{level!r} is not an alert level; use one of {', '.join(allowed)}", field=field
        )
    return level


def _dated_table(params: ParameterTree, path: str, columns: dict[str, Any]) -> pl.DataFrame:
    """A leaf's dated values as a small table (one row per effective date).

    ``columns`` maps an output column to a function of the dated value; a repealed value
    (None) gives nulls, and dates before the first value find no row in the as-of join —
    the rule is simply not in force then.
    """
    rows = [
        {"date": v.effective_from, **{c: f(v.value) for c, f in columns.items()}}
        for v in params.series(path)
    ]
    schema = {"date": pl.Date, **{c: pl.Float64 for c in columns}}
    return pl.DataFrame(rows, schema=schema).sort("date")


def _thresholds(
    params: ParameterTree, days: pl.DataFrame, resources_seen: list[str], order: list[str]
) -> tuple[pl.DataFrame, list[tuple[str, str, Channel | None, int]]]:
    """Threshold columns for every rule in force, per distinct day (as-of joins on few rows)."""
    table = days.join_asof(
        _dated_table(params, MARGIN_PATH, {"_margin": lambda v: v}), on="date", strategy="backward"
    )
    rule_list: list[tuple[str, str, Channel | None, int]] = []
    for resource in resources_seen:
        for channel in CHANNELS:
            path = f"energy.alert.{resource}.{channel.name}"
            if path not in params.paths(path):
                continue
            cols = {
                f"{resource}.{channel.name}.{level}": (lambda v, lv=level: (v or {}).get(lv))
                for level in order
            }
            table = table.join_asof(
                _dated_table(params, path, cols), on="date", strategy="backward"
            )
            rule_list += [(c, resource, channel, rank) for rank, c in enumerate(cols, start=1)]
        path = f"energy.alert.{resource}.{RISK_LEVEL_CHANNEL}"
        if path in params.paths(path):
            col = f"{resource}.{RISK_LEVEL_CHANNEL}"
            ranks = {col: lambda v: float(order.index(v) + 1) if v in order else None}
            table = table.join_asof(
                _dated_table(params, path, ranks), on="date", strategy="backward"
            )
            rule_list.append((col, resource, None, 0))
    return table, rule_list


def _normalise(observations: pl.DataFrame) -> pl.DataFrame:
    missing = {"date", "resource"} - set(observations.columns)
    if missing:
        raise InvalidInput(f"observations lack {sorted(missing)[0]!r}", field="observations")
    frame = observations
    for column in INDICATORS:
        if column not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=pl.Float64).alias(column))
    if "transport_risk" not in frame.columns:
        frame = frame.with_columns(pl.lit(False).alias("transport_risk"))
    return frame.with_columns(
        pl.col("date").cast(pl.Date),
        pl.col("transport_risk").fill_null(False).cast(pl.Boolean),
        *(pl.col(c).cast(pl.Float64) for c in INDICATORS),
    )


def evaluate_frame(
    params: ParameterTree, observations: pl.DataFrame, *, with_rules: bool = True
) -> pl.DataFrame:
    """Add ``entry_rank``, ``hold_rank`` and (``with_rules``) ``fired`` rule ids to each row.

    Rank 0 is 정상, 1..4 the levels of Art. 23. ``entry_rank`` is the highest level whose
    rule fires at its threshold; ``hold_rank`` the highest whose rule still holds inside the
    hysteresis band (used only to keep a level already in force). Thresholds are joined per
    distinct day, then every rule is one column expression over the whole frame. Listing the
    fired rules per row costs ~20x the ranks (bench/results/alert_swap.txt); batch callers
    that only need levels pass ``with_rules=False``.
    """
    frame = _normalise(observations)
    if frame.is_empty():
        return frame.with_columns(
            entry_rank=pl.lit(0, pl.Int32),
            hold_rank=pl.lit(0, pl.Int32),
            fired=pl.lit([], dtype=pl.List(pl.Utf8)),
        )
    order = levels(params, frame["date"].min())  # raises before the Act
    days = frame.select(pl.col("date").unique().sort())
    table, rule_list = _thresholds(params, days, frame["resource"].unique().to_list(), order)
    joined = frame.with_row_index("_row").join(table, on="date", how="left")
    margin = pl.col("_margin")
    entry_terms, hold_terms, fired_terms = [pl.lit(0, pl.Int32)], [pl.lit(0, pl.Int32)], []
    for col, resource, channel, rank in rule_list:
        mine = pl.col("resource") == resource
        limit = pl.col(col)
        if channel is None:  # the code-valued level set by the risk flag alone
            entry = mine & pl.col("transport_risk") & limit.is_not_null()
            hold, level_rank = entry, limit.cast(pl.Int32)
        else:
            value = pl.col(channel.indicator)
            if channel.at_least:
                entry, hold = value >= limit, value >= limit * (1 - margin)
            else:
                entry, hold = value < limit, value < limit * (1 + margin)
            risk = pl.col("transport_risk") if channel.needs_transport_risk else pl.lit(True)
            entry = mine & risk & entry.fill_null(False)
            hold = mine & risk & hold.fill_null(False)
            level_rank = pl.lit(rank, pl.Int32)
        entry_terms.append(pl.when(entry).then(level_rank).otherwise(0))
        hold_terms.append(pl.when(hold).then(level_rank).otherwise(0))
        fired_terms.append(pl.when(entry).then(pl.lit(col)))
    out = joined.with_columns(
        entry_rank=pl.max_horizontal(entry_terms).cast(pl.Int32),
        hold_rank=pl.max_horizontal(hold_terms).cast(pl.Int32),
    )
    if with_rules:
        fired = pl.concat_list(fired_terms).list.drop_nulls() if fired_terms else None
        out = out.with_columns(
            fired=fired if fired is not None else pl.lit([], dtype=pl.List(pl.Utf8))
        )
    keep = [c for c in out.columns if c not in table.columns or c == "date"]
    return out.sort("_row").select(keep).drop("_row")


def rank_to_level(rank: int, order: list[str]) -> str:
    """0 → 정상, 1..4 → the Art. 23 level."""
    return NORMAL if rank == 0 else order[rank - 1]


def level_to_rank(level: str, order: list[str]) -> int:
    """Inverse of rank_to_level."""
    return 0 if level == NORMAL else order.index(level) + 1


def recommend(entry_rank: int, hold_rank: int, current_rank: int) -> int:
    """Escalate at once to the entry level; keep the level in force while its rule holds."""
    return max(entry_rank, min(current_rank, hold_rank))
