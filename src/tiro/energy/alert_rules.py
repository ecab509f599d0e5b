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


def check_level(params: ParameterTree, level: str, on: dt.date, *, allow_normal: bool) -> str:
    """A level among the four (or 정상 where lifting is meant), else a clear error."""
    allowed = ([NORMAL] if allow_normal else []) + levels(params, on)
    if level not in allowed:
        raise InvalidInput(
            f"{level!r} is not an alert level; use one of {', '.join(allowed)}", field="level"
        )
    return level


def _threshold(
    params: ParameterTree, path: str, dates: pl.Series, level: str
) -> tuple[pl.Series, dict[str, Any]]:
    """Per-row threshold for one level (null where not in force), plus its first reference."""
    leaf = params.leaf(path)
    first = leaf.values[0].effective_from
    in_force = dates >= first
    clipped = pl.select(
        pl.when(in_force).then(dates).otherwise(pl.lit(first)).alias("d")
    ).to_series()
    keys = pl.Series([level] * len(dates), dtype=pl.Utf8)
    values = params.lookup(path, clipped, keys)
    values = pl.select(pl.when(in_force).then(values).otherwise(None).alias("t")).to_series()
    return values, {"path": path, "unit": leaf.unit}


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


def evaluate_frame(params: ParameterTree, observations: pl.DataFrame) -> pl.DataFrame:
    """Add ``entry_rank``, ``hold_rank`` and ``fired`` (rule ids) to each observation row.

    Rank 0 is 정상, 1..4 the levels of Art. 23. ``entry_rank`` is the highest level whose
    rule fires at its threshold; ``hold_rank`` the highest whose rule still holds inside the
    hysteresis band (used only to keep a level already in force).
    """
    frame = _normalise(observations).with_row_index("_row")
    if frame.is_empty():
        return frame.with_columns(
            entry_rank=pl.lit(0), hold_rank=pl.lit(0), fired=pl.lit([], dtype=pl.List(pl.Utf8))
        )
    order = levels(params, frame["date"].min())  # raises before the Act
    margin = params.lookup(MARGIN_PATH, frame["date"])
    entry_parts: list[pl.Series] = []
    hold_parts: list[pl.Series] = []
    fired_parts: list[pl.Series] = []
    for resource in frame["resource"].unique().to_list():
        is_res = frame["resource"] == resource
        for channel in CHANNELS:
            path = f"energy.alert.{resource}.{channel.name}"
            if path not in params.paths(path):
                continue
            value = frame[channel.indicator]
            risk_ok = frame["transport_risk"] if channel.needs_transport_risk else None
            for rank, level in enumerate(order, start=1):
                limit, _ = _threshold(params, path, frame["date"], level)
                if channel.at_least:
                    entry = value >= limit
                    hold = value >= limit * (1 - margin)
                else:
                    entry = value < limit
                    hold = value < limit * (1 + margin)
                entry = entry.fill_null(False) & is_res
                hold = hold.fill_null(False) & is_res
                if risk_ok is not None:
                    entry, hold = entry & risk_ok, hold & risk_ok
                entry_parts.append(entry.cast(pl.Int32) * rank)
                hold_parts.append(hold.cast(pl.Int32) * rank)
                rule_id = f"{resource}.{channel.name}.{level}"
                fired_parts.append(
                    pl.select(pl.when(entry).then(pl.lit(rule_id)).otherwise(None)).to_series()
                )
        risk_path = f"energy.alert.{resource}.{RISK_LEVEL_CHANNEL}"
        if risk_path in params.paths(risk_path):
            risk_rank = _risk_level_rank(params, risk_path, frame["date"], order)
            fires = frame["transport_risk"] & is_res & (risk_rank > 0)
            entry_parts.append(fires.cast(pl.Int32) * risk_rank)
            hold_parts.append(fires.cast(pl.Int32) * risk_rank)
            rule_id = f"{resource}.{RISK_LEVEL_CHANNEL}"
            fired_parts.append(
                pl.select(pl.when(fires).then(pl.lit(rule_id)).otherwise(None)).to_series()
            )
    zero = pl.Series([0] * frame.height, dtype=pl.Int32)
    entry_rank = _row_max(entry_parts or [zero])
    hold_rank = _row_max(hold_parts or [zero])
    fired = (
        pl.DataFrame({f"f{i}": s for i, s in enumerate(fired_parts)})
        .select(pl.concat_list(pl.all()).list.drop_nulls().alias("fired"))
        .to_series()
        if fired_parts
        else pl.Series("fired", [[] for _ in range(frame.height)], dtype=pl.List(pl.Utf8))
    )
    return frame.with_columns(
        entry_rank=entry_rank.cast(pl.Int32),
        hold_rank=hold_rank.cast(pl.Int32),
        fired=fired,
    )


def _row_max(parts: list[pl.Series]) -> pl.Series:
    return pl.DataFrame({f"p{i}": s for i, s in enumerate(parts)}).max_horizontal()


def _risk_level_rank(
    params: ParameterTree, path: str, dates: pl.Series, order: list[str]
) -> pl.Series:
    """Rank of the code-valued level set on the risk flag alone (0 where not in force)."""
    leaf = params.leaf(path)
    table = pl.DataFrame(
        [(v.effective_from, (order.index(v.value) + 1) if v.value in order else 0) for v in leaf.values],
        schema={"_date": pl.Date, "_rank": pl.Int32},
        orient="row",
    )  # fmt: skip
    left = pl.DataFrame({"_i": pl.int_range(len(dates), eager=True), "_date": dates})
    joined = left.sort("_date").join_asof(table.sort("_date"), on="_date", strategy="backward")
    return joined.sort("_i")["_rank"].fill_null(0)


def rank_to_level(rank: int, order: list[str]) -> str:
    """0 → 정상, 1..4 → the Art. 23 level."""
    return NORMAL if rank == 0 else order[rank - 1]


def level_to_rank(level: str, order: list[str]) -> int:
    """Inverse of rank_to_level."""
    return 0 if level == NORMAL else order.index(level) + 1


def recommend(entry_rank: int, hold_rank: int, current_rank: int) -> int:
    """Escalate at once to the entry level; keep the level in force while its rule holds."""
    return max(entry_rank, min(current_rank, hold_rank))
