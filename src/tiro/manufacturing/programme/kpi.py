"""KPI engine: before/after measurements of an AI factory → effects and progress (공정AX 성과).

The effect of a measurement is its relative change, ``after / before - 1`` (8.0 h → 7.0 h of
work time is −0.125). Whether that is good depends on the KPI: a time or a defect rate is
better lower, an output per hour or an accuracy better higher. Each KPI belongs to one of the
report's target groups (productivity +30%, defects −50%, cost −20%, a dated parameter) and is
compared with it in the group's own terms: a time per piece that falls from ``b`` to ``a`` is a
productivity gain of ``b / a - 1``, so 8 h → 7 h is +14.3% productivity, short of +30%.
Accuracy has no target in the report, so ``meets_target`` is null for it, never a guess.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.core.parameters import ParameterTree
from tiro.core.validation import finite, finite_frame

TARGET_PATH = "manufacturing.kpi.target"


@dataclass(frozen=True)
class KpiKind:
    """One KPI type: its unit, which way is better, and its target group (None: no target)."""

    kind: str
    ko: str
    en: str
    unit: str
    better: str  # "lower" or "higher"
    target_group: str | None
    is_share: bool = False  # a value in [0, 1]


KPI_KINDS: dict[str, KpiKind] = {
    k.kind: k
    for k in (
        KpiKind("cycle_time", "사이클타임", "Cycle time per piece", "h", "lower", "productivity"),
        KpiKind("work_time", "작업시간", "Work time per job", "h", "lower", "productivity"),
        KpiKind(
            "inspection_time", "검사시간", "Inspection time per lot", "h", "lower", "productivity"
        ),
        KpiKind(
            "output_per_hour", "시간당 생산량", "Output per hour", "pcs/h", "higher", "productivity"
        ),
        KpiKind(
            "inspection_speed", "검사속도", "Inspection speed", "pcs/h", "higher", "productivity"
        ),
        KpiKind("defect_rate", "불량률", "Defect rate", "/1", "lower", "defects", is_share=True),
        KpiKind("unit_cost", "단위원가", "Unit cost", "KRW/pc", "lower", "cost"),
        KpiKind("accuracy", "예측 정확도", "Prediction accuracy", "/1", "higher", None, True),
    )
}
"""The KPI types the programme measures (record schema as data: docs and checks read it)."""

CONTRACT = ("kpi", "effect", "direction", "meets_target")
"""The keys of ``tiro manufacturing kpi --json`` (issue 16)."""

DIRECTION = {"lower": "lower_is_better", "higher": "higher_is_better"}


def _kinds_frame() -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "kpi": k.kind,
                "better": k.better,
                "target_group": k.target_group,
                "is_share": k.is_share,
            }
            for k in KPI_KINDS.values()
        ],
        schema={"kpi": pl.Utf8, "better": pl.Utf8, "target_group": pl.Utf8, "is_share": pl.Boolean},
    )


def check_measurements(table: pl.DataFrame) -> pl.DataFrame:
    """Refuse a table the effects cannot be computed from, naming the column and row.

    ``before`` must be > 0 (it divides); ``after`` ≥ 0, and > 0 for a lower-is-better
    productivity KPI (a time of zero is no productivity at all); shares lie in [0, 1].
    """
    for column in ("kpi", "before", "after"):
        if column not in table.columns:
            raise InvalidInput(f"the measurements have no {column!r} column", field=column)
    finite_frame(table, ["before", "after"], line_offset=0)
    unknown = sorted(set(table["kpi"].drop_nulls().unique()) - set(KPI_KINDS))
    if unknown or table["kpi"].null_count():
        bad = unknown[0] if unknown else None
        raise InvalidInput(f"unknown KPI kind {bad!r}; known: {', '.join(KPI_KINDS)}", field="kpi")
    t = table.with_row_index("_row").join(_kinds_frame(), on="kpi", how="left")
    rules = (
        ("before", pl.col("before").is_null() | (pl.col("before") <= 0), "must be > 0"),
        ("after", pl.col("after").is_null() | (pl.col("after") < 0), "must be ≥ 0"),
        (
            "after",
            (pl.col("better") == "lower")
            & (pl.col("target_group") == "productivity")
            & (pl.col("after") == 0),
            "must be > 0 for a time (a time of zero has no productivity)",
        ),
        ("before", pl.col("is_share") & (pl.col("before") > 1), "is a share and must be ≤ 1"),
        ("after", pl.col("is_share") & (pl.col("after") > 1), "is a share and must be ≤ 1"),
    )
    for field, bad, reason in rules:
        hit = t.filter(bad)
        if hit.height:
            row = hit.row(0, named=True)
            raise InvalidInput(
                f"{field} {row[field]} of {row['kpi']} (row {row['_row'] + 1}) {reason}",
                field=field,
            )
    return table


def effects(table: pl.DataFrame, params: ParameterTree, on: dt.date) -> pl.DataFrame:
    """Each measurement's effect, direction, group effect, target and whether it is met.

    ``table`` has ``kpi``, ``before``, ``after`` (and any other columns, kept). Vectorised:
    the target is looked up for the whole column of groups at once.
    """
    check_measurements(table)
    t = table.join(_kinds_frame(), on="kpi", how="left", maintain_order="left")
    groups = t["target_group"].fill_null("productivity")
    target = params.lookup(TARGET_PATH, pl.Series([on] * t.height, dtype=pl.Date), groups)
    t = t.with_columns(
        target=pl.when(pl.col("target_group").is_null()).then(None).otherwise(target),
        effect=pl.col("after") / pl.col("before") - 1.0,
        direction=pl.col("better").replace_strict(DIRECTION),
    )
    time_like = (pl.col("better") == "lower") & (pl.col("target_group") == "productivity")
    t = t.with_columns(
        group_effect=pl.when(pl.col("target_group").is_null())
        .then(None)
        .when(time_like)
        .then(pl.col("before") / pl.col("after") - 1.0)
        .otherwise(pl.col("effect")),
        improved=pl.when(pl.col("better") == "lower")
        .then(pl.col("after") < pl.col("before"))
        .otherwise(pl.col("after") > pl.col("before")),
    )
    # A positive target is reached from below (≥), a negative one from above (≤).
    return t.with_columns(
        meets_target=pl.when(pl.col("target").is_null())
        .then(None)
        .when(pl.col("target") >= 0)
        .then(pl.col("group_effect") >= pl.col("target"))
        .otherwise(pl.col("group_effect") <= pl.col("target")),
    ).drop("better", "is_share")


def one(kpi: str, before: float, after: float, params: ParameterTree, on: dt.date) -> dict:
    """One measurement → ``{"kpi", "effect", "direction", "meets_target", …}`` (the CLI contract)."""
    if kpi not in KPI_KINDS:
        raise InvalidInput(f"unknown KPI kind {kpi!r}; known: {', '.join(KPI_KINDS)}", field="kpi")
    frame = pl.DataFrame(
        {"kpi": [kpi], "before": [finite(before, "before")], "after": [finite(after, "after")]},
        schema={"kpi": pl.Utf8, "before": pl.Float64, "after": pl.Float64},
    )
    row = effects(frame, params, on).row(0, named=True)
    explained = params.explain(TARGET_PATH, on)
    return {
        "kpi": kpi,
        "effect": row["effect"],
        "direction": row["direction"],
        "meets_target": row["meets_target"],
        "before": before,
        "after": after,
        "improved": row["improved"],
        "target_group": row["target_group"],
        "group_effect": row["group_effect"],
        "target": row["target"],
        "date": on.isoformat(),
        "parameter": {
            "path": TARGET_PATH,
            "effective_from": explained.effective_from.isoformat(),
            "reference": explained.reference,
        },
    }


def aggregate(effect_table: pl.DataFrame, weight: str = "weight") -> pl.DataFrame:
    """Programme aggregates per KPI: count, median and value-weighted effect, share on target.

    ``weight`` is the column to weight by (a project's production value); rows without it
    count 1. ``progress`` is the median group effect as a share of the target (1.0 = on target).
    """
    t = effect_table
    w = pl.col(weight).fill_null(1.0) if weight in t.columns else pl.lit(1.0)
    t = t.with_columns(_w=w)
    if t.filter(pl.col("_w") < 0).height:
        raise InvalidInput("a weight is negative", field=weight)
    return (
        t.group_by("kpi", maintain_order=True)
        .agg(
            n=pl.len(),
            median_effect=pl.col("effect").median(),
            weighted_effect=(pl.col("effect") * pl.col("_w")).sum() / pl.col("_w").sum(),
            median_group_effect=pl.col("group_effect").median(),
            target_group=pl.col("target_group").first(),
            target=pl.col("target").first(),
            share_meeting_target=pl.col("meets_target").cast(pl.Float64).mean(),
        )
        .with_columns(progress=pl.col("median_group_effect") / pl.col("target"))
        .sort("kpi")
    )
