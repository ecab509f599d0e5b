"""Alert engine: vectorised evaluation, invariants (hypothesis), bad input, 2026 replay."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tiro.core.errors import InvalidInput, ParameterDateError
from tiro.core.parameters import get_params
from tiro.energy.alerts import rules
from tiro.energy.alerts.engine import evaluate
from tiro.energy.alerts.timeline import load_decisions, load_indicators, recommended_path, replay

PARAMS = get_params()
ON = dt.date(2026, 4, 2)
ORDER = ["관심", "주의", "경계", "심각"]
RANK = {"정상": 0, **{lvl: i + 1 for i, lvl in enumerate(ORDER)}}

shares = st.one_of(st.none(), st.floats(0, 1))
changes = st.one_of(st.none(), st.floats(-0.9, 3))


def test_frame_evaluation_matches_single_evaluations() -> None:
    frame = pl.DataFrame(
        {
            "date": [ON] * 4,
            "resource": ["crude", "crude", "gas", "gas"],
            "price_change": [0.12, 0.5, None, None],
            "disrupted_share": [None, 0.31, None, 0.0],
            "stock_ratio": [None, None, 0.85, 0.7],
            "transport_risk": [True, False, False, False],
        }
    )
    out = rules.evaluate_frame(PARAMS, frame)
    # crude: 0.12 ≥ 0.10 with risk → 관심 (1); 0.31 ≥ 0.30 shortfall → 심각 (4);
    # gas: 0.85 < 1.0 → 관심 (1); 0.7 < 0.8 → 주의 (2)
    assert out["entry_rank"].to_list() == [1, 4, 1, 2]


@settings(max_examples=60, deadline=None)
@given(low=changes, extra=st.floats(0, 2), share=shares, risk=st.booleans())
def test_a_worse_price_never_lowers_the_level(low, extra, share, risk) -> None:
    if low is None:
        return
    a = evaluate(
        PARAMS,
        resource="crude",
        on=ON,
        price_change=low,
        disrupted_share=share,
        transport_risk=risk,
    )
    b = evaluate(
        PARAMS,
        resource="crude",
        on=ON,
        price_change=low + extra,
        disrupted_share=share,
        transport_risk=risk,
    )
    assert RANK[b["level"]] >= RANK[a["level"]]


@settings(max_examples=60, deadline=None)
@given(ratio=st.floats(0, 2), current=st.sampled_from(["정상", *ORDER]), risk=st.booleans())
def test_hysteresis_only_ever_keeps_a_level_never_invents_one(ratio, current, risk) -> None:
    plain = evaluate(PARAMS, resource="gas", on=ON, stock_ratio=ratio, transport_risk=risk)
    held = evaluate(
        PARAMS, resource="gas", on=ON, stock_ratio=ratio, transport_risk=risk, current_level=current
    )
    assert RANK[plain["level"]] <= RANK[held["level"]] <= max(RANK[plain["level"]], RANK[current])


@settings(max_examples=40, deadline=None)
@given(change=changes, share=shares, risk=st.booleans())
def test_level_is_the_highest_fired_rule(change, share, risk) -> None:
    result = evaluate(
        PARAMS,
        resource="crude",
        on=ON,
        price_change=change,
        disrupted_share=share,
        transport_risk=risk,
    )
    fired = [RANK[r["level"]] for r in result["rules"]]
    assert RANK[result["level"]] == max(fired, default=0)


def test_measures_accumulate_by_level() -> None:
    result = evaluate(PARAMS, resource="crude", on=ON, disrupted_share=0.12)
    levels = {m["level"] for m in result["measures"]}
    assert result["level"] == "경계"
    assert levels == {"관심", "주의", "경계"}
    assert any("2,246만 배럴" in m["measure"] for m in result["measures"])


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"resource": "coal"}, "resource"),
        ({"resource": "crude", "disrupted_share": -0.1}, "disrupted_share"),
        ({"resource": "crude", "disrupted_share": 1.5}, "disrupted_share"),
        ({"resource": "gas", "stock_ratio": float("nan")}, "stock_ratio"),
        ({"resource": "crude", "current_level": "위험"}, "current_level"),
    ],
)
def test_bad_input_names_the_field(kwargs, field) -> None:
    with pytest.raises(InvalidInput) as err:
        evaluate(PARAMS, on=ON, **kwargs)
    assert err.value.field == field


def test_no_levels_before_the_act() -> None:
    with pytest.raises(ParameterDateError):
        evaluate(PARAMS, resource="crude", on=dt.date(2024, 12, 31), price_change=0.5)


def test_replay_reproduces_the_2026_timeline() -> None:
    rows = {(r["resource"], r["level"], r["decided_on"]): r for r in replay(PARAMS)}
    assert len(rows) == load_decisions().height == 6
    raises = [r for r in rows.values() if r["level"] != "주의" or r["previous_level"] != "경계"]
    assert all(r["lead_days"] == 0 for r in raises)  # every escalation on the day it was decided
    assert rows[("crude", "관심", dt.date(2026, 3, 5))]["rules_fired"] == [
        "crude.risk_price_change.관심"
    ]
    crude_alert = rows[("crude", "경계", dt.date(2026, 4, 2))]
    assert crude_alert["data_label"] == "sample"
    # on public figures alone the 경계 rule first fires on 5/27 (report: May supply ~90%):
    # 2026-04-02 - 2026-05-27 = -55 days
    assert crude_alert["public_data_first_on"] == dt.date(2026, 5, 27)
    assert crude_alert["public_data_lead_days"] == -55
    assert rows[("gas", "주의", dt.date(2026, 4, 2))]["public_data_first_on"] is None
    # the 7/1 downgrade (SBS 2026-06-30): no published indicator after 5/27 brings the
    # recommendation down, so the rules never reach it on the shipped data
    downgrade = rows[("crude", "주의", dt.date(2026, 7, 1))]
    assert (downgrade["previous_level"], downgrade["rules_first_on"]) == ("경계", None)


def test_replay_of_a_downgrade_finds_the_day_the_rules_came_down() -> None:
    extra = pl.DataFrame(
        {"date": [dt.date(2026, 6, 10), dt.date(2026, 6, 25)], "resource": ["crude"] * 2,
         "price_change": [0.45, 0.45], "disrupted_share": [0.02, 0.02],
         "transport_risk": [True, True], "label": ["sample"] * 2, "source": ["sample"] * 2}
    )  # fmt: skip
    observations = pl.concat([load_indicators(), extra], how="diagonal_relaxed")
    rows = {(r["level"], r["decided_on"]): r for r in replay(PARAMS, observations)}
    # shortfall 0.02 < 0.10 × 0.8 releases 경계 from 6/10; price 0.45 ≥ 0.40 keeps 주의; the
    # hold of 14 days runs from 6/10, so 주의 is recommended on 6/25 (15 days), 6 days early
    downgrade = rows[("주의", dt.date(2026, 7, 1))]
    assert (downgrade["rules_first_on"], downgrade["lead_days"]) == (dt.date(2026, 6, 25), 6)


def test_deescalation_waits_for_the_hold_days() -> None:
    days = [dt.date(2026, 6, 1) + dt.timedelta(days=i) for i in range(20)]
    # 주의 on day 0 (rise 0.45), then the price falls to 0.05: no rule holds any more
    frame = pl.DataFrame(
        {"date": days, "resource": ["crude"] * 20, "price_change": [0.45] + [0.05] * 19,
         "transport_risk": [True] * 20}
    )  # fmt: skip
    path = recommended_path(PARAMS, frame)["recommended"].to_list()
    hold = PARAMS.at("energy.alert.hysteresis.hold_days", days[0])  # 14
    # below since day 1; released when (day - day 1) ≥ 14, i.e. on day 15
    assert path[: 1 + hold] == ["주의"] * (1 + hold)
    assert path[1 + hold] == "정상"


def test_shipped_indicators_are_labelled() -> None:
    frame = load_indicators()
    assert set(frame["label"]) == {"public", "sample"}
    assert frame.filter(pl.col("label") == "sample")["source"].str.starts_with("sample").all()
