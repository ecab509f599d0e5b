"""Issue 9 item 5 for trade: every numeric trade leaf declares the range its engine can mean,
so an overlay outside it (a 150% confidence level, a negative budget, a day worth 2 working
days) is refused with the leaf named instead of reaching an engine."""

from __future__ import annotations

import pytest

from tiro.core.errors import InvalidInput
from tiro.core.parameters import get_params


def _overlay(path: str, value: object) -> dict:
    ref = {"title": "what-if", "section": "test"}
    return {"overrides": {path: {"2026-06-01": {"value": value, "reference": ref}}}}


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("trade.nowcast.confidence", 1.5),
        ("trade.world_table.partner_sum_tolerance", -0.1),
        ("trade.complexity.rca_threshold", -1),
        ("trade.indicators.identity_tolerance", -5),
        ("trade.programmes.k_export_star", -500),
        (
            "trade.calendar.day_weight",
            {"weekday": 2, "saturday": 0.5, "sunday": 0, "public_holiday": 0},
        ),
    ],
)
def test_overlay_outside_a_trade_leaf_range_is_refused(path, value):
    with pytest.raises(InvalidInput) as err:
        get_params().with_overlay(_overlay(path, value))
    assert path in str(err.value.field) + err.value.message


def test_every_numeric_trade_leaf_declares_a_range():
    params = get_params()
    # leaves holding lists (partner groups, item sets) or text are not numbers
    numeric = [
        p
        for p in params.paths("trade.")
        if all(
            isinstance(v.value, int | float)
            or (
                isinstance(v.value, dict)
                and all(isinstance(x, int | float) for x in v.value.values())
            )
            for v in params.leaf(p).values
            if v.value is not None
        )
    ]
    assert numeric, "no numeric trade leaves found"
    missing = [p for p in numeric if params.leaf(p).range is None]
    assert missing == []
