"""One alert evaluation: indicators for a resource on a day → recommended level and why.

This is what ``tiro energy alert evaluate`` and ``POST /api/v1/energy/alerts/evaluate``
return: the level in Korean (관심, 주의, 경계, 심각 or 정상), the rules that fired with their
thresholds and sources, and the response measures the level activates.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import polars as pl

from tiro.core.errors import InvalidInput, ParameterDateError
from tiro.core.parameters import ParameterTree
from tiro.energy.alerts import rules

LEVEL_EN = {
    "정상": "Normal",
    "관심": "Interest",
    "주의": "Caution",
    "경계": "Alert",
    "심각": "Serious",
}
RESOURCE_KO = {"crude": "원유", "gas": "천연가스"}


def _check_indicator(name: str, value: float | None, low: float | None) -> float | None:
    if value is None:
        return None
    if not math.isfinite(value):
        raise InvalidInput(f"{value!r} is not a finite number", field=name)
    if low is not None and value < low:
        raise InvalidInput(f"{value} is below {low}: {name} cannot be negative", field=name)
    return float(value)


def _rule_detail(params: ParameterTree, rule_id: str, on: dt.date, row: dict) -> dict[str, Any]:
    resource, channel_name, *rest = rule_id.split(".")
    path = f"energy.alert.{resource}.{channel_name}"
    explanation = params.explain(path, on)
    leaf = params.leaf(path)
    detail: dict[str, Any] = {
        "id": rule_id,
        "label": leaf.label,
        "parameter": path,
        "effective_from": explanation.effective_from,
        "reference": explanation.reference,
        "derived": explanation.derived,
    }
    if channel_name == rules.RISK_LEVEL_CHANNEL:
        detail.update(level=explanation.value, indicator="transport_risk", value=True)
        return detail
    channel = next(c for c in rules.CHANNELS if c.name == channel_name)
    level = rest[0]
    detail.update(
        level=level,
        indicator=channel.indicator,
        value=row[channel.indicator],
        comparison=">=" if channel.at_least else "<",
        threshold=explanation.value[level],
        requires_transport_risk=channel.needs_transport_risk,
    )
    return detail


def measures(params: ParameterTree, resource: str, level: str, on: dt.date) -> list[dict]:
    """Response measures in force for a level: its own and those of every lower level."""
    path = f"energy.alert.measures.{resource}"
    if level == rules.NORMAL or path not in params.paths(path):
        return []
    try:
        table = params.at(path, on) or {}
    except ParameterDateError:
        return []
    order = rules.levels(params, on)
    out = []
    for lower in order[: order.index(level) + 1]:
        out.extend({"level": lower, "measure": m} for m in table.get(lower, []))
    return out


def evaluate(
    params: ParameterTree,
    *,
    resource: str,
    on: dt.date,
    price_change: float | None = None,
    disrupted_share: float | None = None,
    stock_ratio: float | None = None,
    index: float | None = None,
    transport_risk: bool = False,
    current_level: str | None = None,
) -> dict[str, Any]:
    """Recommended level for one resource on one day, with the rules that fired.

    ``current_level`` (the level in force) turns on hysteresis: a level in force is kept
    while its rule still holds inside the release band.
    """
    rules.check_resource(params, resource, on)
    indicators = {
        "price_change": _check_indicator("price_change", price_change, -1.0),
        "disrupted_share": _check_indicator("disrupted_share", disrupted_share, 0.0),
        "stock_ratio": _check_indicator("stock_ratio", stock_ratio, 0.0),
        "index": _check_indicator("index", index, 0.0),
        "transport_risk": bool(transport_risk),
    }
    if indicators["disrupted_share"] is not None and indicators["disrupted_share"] > 1:
        raise InvalidInput(
            "a disrupted share is a fraction between 0 and 1", field="disrupted_share"
        )
    order = rules.levels(params, on)
    current = rules.NORMAL
    if current_level is not None:
        current = rules.check_level(
            params, current_level, on, allow_normal=True, field="current_level"
        )
    frame = pl.DataFrame(
        {"date": [on], "resource": [resource], **{k: [v] for k, v in indicators.items()}},
        schema_overrides={k: pl.Float64 for k in rules.INDICATORS},
    )
    row = rules.evaluate_frame(params, frame).row(0, named=True)
    entry_rank, hold_rank = row["entry_rank"], row["hold_rank"]
    rank = rules.recommend(entry_rank, hold_rank, rules.level_to_rank(current, order))
    level = rules.rank_to_level(rank, order)
    fired = [_rule_detail(params, rule_id, on, row) for rule_id in row["fired"]]
    fired.sort(key=lambda r: rules.level_to_rank(r["level"], order), reverse=True)
    return {
        "resource": resource,
        "resource_ko": RESOURCE_KO.get(resource, resource),
        "date": on,
        "level": level,
        "level_en": LEVEL_EN.get(level, level),
        "entry_level": rules.rank_to_level(entry_rank, order),
        "current_level": current,
        "held_by_hysteresis": rank > entry_rank,
        "rules": fired,
        "indicators": indicators,
        "measures": measures(params, resource, level, on),
        "scenario": params.scenario,
    }
