"""Progress against the national cut target, gross and net (issue 15 item 2).

The agreement's 2.7-3.7 Mt/y is a *gross* cut of a base that already includes S-Oil Shaheen
(1.8 Mt, starting after the agreement). A gross cut of 2.7 Mt with Shaheen started changes
national capacity by only -0.9 Mt: both numbers are shown side by side.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from tiro.core.parameters import ParameterTree
from tiro.petrochem.registry import status_on
from tiro.petrochem.workflow import APPROVED, PROPOSED


def agreement_date(params: ParameterTree, on: dt.date) -> dt.date:
    """The agreement date parameter as a date."""
    return dt.date.fromisoformat(str(params.at("petrochem.target.agreement_date", on)))


def base_table(units: pl.DataFrame, events: pl.DataFrame, agreed: dt.date) -> pl.DataFrame:
    """Units of the agreement's base: counted on the agreement date, or then planned."""
    state = status_on(units, events, agreed)
    keep = pl.col("counted") | (pl.col("status") == "planned")
    return state.filter(keep).with_columns((pl.col("status") == "planned").alias("planned_at_base"))


def progress(
    units: pl.DataFrame,
    events: pl.DataFrame,
    actions: pl.DataFrame,
    params: ParameterTree,
    on: dt.date,
) -> dict[str, Any]:
    """Target, base, approved and proposed cuts, additions and the net change on ``on``.

    ``actions`` is the project-unit table (project, state, unit, action, capacity_kt) with
    each project's state on ``on``; converted capacity is not a cut.
    """
    agreed = agreement_date(params, on)
    target = params.at("petrochem.target.cut_kt", agreed)
    stated_share = params.at("petrochem.target.cut_share", agreed)
    base = base_table(units, events, agreed)
    base_kt = float(base["capacity_kt"].sum())
    cuts = actions.filter(pl.col("action").is_in(["close", "suspend"]))

    def cut(states: tuple[str, ...]) -> float:
        return float(cuts.filter(pl.col("state").is_in(states))["capacity_kt"].sum())

    approved, proposed = cut(APPROVED), cut(PROPOSED)
    now = status_on(units, events, on)
    started = now.join(
        base.filter(pl.col("planned_at_base")).select("unit"), on="unit", how="semi"
    ).filter(pl.col("counted"))
    additions = float(started["capacity_kt"].sum())
    at_agreement = float(base.filter(~pl.col("planned_at_base"))["capacity_kt"].sum())
    on_date = float(now.filter(pl.col("counted"))["capacity_kt"].sum())
    return {
        "date": on.isoformat(),
        "agreement_date": agreed.isoformat(),
        "target_kt": {"low": float(target["low"]), "high": float(target["high"])},
        "target_share_stated": stated_share,
        "base_kt": base_kt,
        "target_share_of_base": {
            k: round(float(v) / base_kt, 4) for k, v in target.items() if base_kt
        },
        "gross": {
            "approved_cut_kt": approved,
            "proposed_cut_kt": proposed,
            "approved_and_proposed_kt": approved + proposed,
            "gap_to_low_kt": float(target["low"]) - approved,
            "gap_to_high_kt": float(target["high"]) - approved,
        },
        "net": {
            "capacity_at_agreement_kt": at_agreement,
            "capacity_on_date_kt": on_date,
            "planned_additions_started_kt": additions,
            "net_change_kt": on_date - at_agreement,
            "approved_cut_net_of_additions_kt": approved - additions,
        },
    }
