"""Day-by-day path of stocks and stock days under a supply disruption (수급 차질 시나리오).

Each day t:
  supply(t)  = sum over regions of base supply x (1 - share disrupted on t, capped at 1)
  demand(t)  = base demand x (1 - demand restraint on t, capped at 1)
  release(t) = government stock released to the market (spread evenly over its window)
  swap(t)    = reserve oil lent on the loan day, minus the same barrels repaid on arrival
  government stocks G(t) = G0 - cumsum(release + swap)
  private stocks P(t): P0 + cumsum(supply - demand + release + swap), held at or above the
  operating floor; what the floor cannot give is unmet demand (shortage). The floored path is
  the reflected walk P = floor + X - min(0, running min X) with X the unfloored excess, so the
  whole path is a handful of column operations, not a day loop.
  stock days = tiro.energy.supply.stock_cover.iea_stock_days: the scenario's stocks are crude, so
  (G + P) x (1 - naphtha yield) x (1 - unavailability deduction) / daily net imports — the
  same function and the same figure as ``tiro energy stock-days`` for the same inputs.

Every threshold (the IEA/statutory obligation from parameters, plus the scenario's own alert
lines) is reported with the first day the path falls below it and the day it recovers.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.energy.alerts.rules import check_resource
from tiro.energy.disruption.io import DisruptionScenario, Window
from tiro.energy.supply.stock_cover import iea_stock_days, stock_cover_factors


def _in(window: Window) -> pl.Expr:
    return (pl.col("date") >= window.start) & (pl.col("date") < window.end)


def _release_volume(release: Any, params: Any) -> float:
    if release.volume_bbl == "iea_share":
        return float(params.at("energy.iea.release_share_kr", release.start))
    return float(release.volume_bbl)


def check_scenario_resource(s: DisruptionScenario, params: Any) -> None:
    """A scenario names a resource the alert engine watches; another one is refused.

    Without this a typo (``resource: crud``) ran and silently reported no alert crossings.
    """
    check_resource(params, s.resource, s.start)


def _flows(s: DisruptionScenario, params: Any) -> pl.DataFrame:
    dates = pl.date_range(s.start, s.end, interval="1d", eager=True).alias("date")
    df = pl.DataFrame(dates).with_columns(pl.int_range(pl.len()).alias("day"))
    supply = pl.lit(0.0)
    for region, base in s.baseline.supply_bbl_per_day.items():
        cut = pl.lit(0.0)
        for d in (d for d in s.disruptions if d.region == region):
            cut = cut + pl.when(_in(d)).then(d.share).otherwise(0.0)
        supply = supply + base * (1 - pl.min_horizontal(cut, pl.lit(1.0)))
    restraint = pl.lit(0.0)
    for r in s.demand_restraint:
        restraint = restraint + pl.when(_in(r)).then(r.share).otherwise(0.0)
    release = pl.lit(0.0)
    for r in s.releases:
        per_day = _release_volume(r, params) / r.length_days
        release = release + pl.when(_in(r)).then(per_day).otherwise(0.0)
    swap = pl.lit(0.0)
    for loan in s.swaps:
        swap = swap + pl.when(pl.col("date") == loan.lend_on).then(loan.volume_bbl).otherwise(0.0)
        swap = swap - pl.when(pl.col("date") == loan.repay_on).then(loan.volume_bbl).otherwise(0.0)
    demand = s.baseline.demand_bbl_per_day * (1 - pl.min_horizontal(restraint, pl.lit(1.0)))
    return df.with_columns(
        supply.alias("supply_bbl"),
        demand.alias("demand_bbl"),
        release.alias("release_bbl"),
        swap.alias("swap_net_bbl"),
    )


def run_scenario(s: DisruptionScenario, *, params: Any) -> dict[str, Any]:
    """Run a scenario; returns {"path": DataFrame, "thresholds": [...], "summary": {...}}."""
    b = s.baseline
    check_scenario_resource(s, params)
    factors = stock_cover_factors(params, s.start)
    unavailable = factors["unavailability_deduction"]
    obligation_days = factors["obligation_days"]
    df = _flows(s, params)
    excess = (
        pl.col("supply_bbl") - pl.col("demand_bbl") + pl.col("release_bbl") + pl.col("swap_net_bbl")
    )
    df = df.with_columns(
        (
            b.government_stocks_bbl - (pl.col("release_bbl") + pl.col("swap_net_bbl")).cum_sum()
        ).alias("government_bbl"),
        (b.private_stocks_bbl - b.private_floor_bbl + excess.cum_sum()).alias("_x"),
    )
    low = df.filter(pl.col("government_bbl") < -1e-6)
    if low.height:
        raise InvalidInput(
            f"releases and SWAP loans exceed government stocks on {low['date'][0]}",
            field="releases",
        )
    short_cum = (
        pl.min_horizontal(pl.col("_x").cum_min(), pl.lit(0.0)).abs().alias("shortage_cum_bbl")
    )
    df = (
        df.with_columns(short_cum)
        .with_columns(
            (b.private_floor_bbl + pl.col("_x") + pl.col("shortage_cum_bbl")).alias("private_bbl"),
            pl.col("shortage_cum_bbl")
            .diff()
            .fill_null(pl.col("shortage_cum_bbl"))
            .alias("shortage_bbl"),
        )
        .drop("_x")
    )
    daily = pl.lit(b.daily_net_imports_bbl)
    none = pl.lit(0.0)
    df = df.with_columns(
        (pl.col("government_bbl") + pl.col("private_bbl")).alias("total_bbl"),
        iea_stock_days(pl.col("government_bbl"), none, daily, factors).alias("government_days"),
        iea_stock_days(pl.col("private_bbl"), none, daily, factors).alias("private_days"),
    ).with_columns(iea_stock_days(pl.col("total_bbl"), none, daily, factors).alias("stock_days"))
    lines = [{"name": "비축의무 obligation", "days": obligation_days, "basis": "total"}]
    for t in s.thresholds:
        days = t.days if t.days is not None else t.ratio_of_obligation * obligation_days
        lines.append({"name": t.name, "days": days, "basis": t.basis})
    crossings = [_crossing(df, line) for line in lines]
    base_supply = sum(b.supply_bbl_per_day.values())
    df = df.with_columns(
        (1 - pl.col("supply_bbl") / base_supply if base_supply else pl.lit(0.0)).alias(
            "disrupted_share"
        )
    )
    low_row = df.row(int(df["stock_days"].arg_min()), named=True)
    summary = {
        "scenario": s.name,
        "data_label": s.data_label,
        "start": s.start,
        "end": s.end,
        "opening_stock_days": df["stock_days"][0],
        "min_stock_days": low_row["stock_days"],
        "min_stock_days_on": low_row["date"],
        "closing_stock_days": df["stock_days"][-1],
        "supply_lost_bbl": float(
            sum(s.baseline.supply_bbl_per_day.values()) * df.height - df["supply_bbl"].sum()
        ),
        "released_bbl": float(df["release_bbl"].sum()),
        "shortage_bbl": float(df["shortage_cum_bbl"][-1]),
        "obligation_days": obligation_days,
        "unavailability_deduction": unavailable,
        "naphtha_yield": factors["naphtha_yield"],
    }
    alerts = _alert_crossings(df, s.resource, params, s.start)
    return {"path": df, "thresholds": crossings, "alerts": alerts, "summary": summary}


def _alert_crossings(df: pl.DataFrame, resource: str, params: Any, on: Any) -> list[dict]:
    """Days on which the supply shortfall meets each alert level's published criterion.

    The criterion is the alert engine's dated parameter `energy.alert.<resource>.disrupted_share`
    (crude: 경계 at a 10% shortfall, 심각 at 30%, 2011 위기대응매뉴얼); levels it does not define
    are not reported.
    """
    path = f"energy.alert.{resource}.disrupted_share"
    if path not in params.paths(path):
        return []
    rules = params.at(path, on) or {}
    out = []
    for level, threshold in rules.items():
        met = df.filter(pl.col("disrupted_share") >= float(threshold) - 1e-12)
        out.append(
            {
                "level": level,
                "disrupted_share_at_least": float(threshold),
                "first_day": met["date"][0] if met.height else None,
                "last_day": met["date"][-1] if met.height else None,
                "days": met.height,
                "parameter": path,
            }
        )
    return out


def _crossing(df: pl.DataFrame, line: dict[str, Any]) -> dict[str, Any]:
    """First day below the line (or the start, if already below) and the day it recovers."""
    col = "stock_days" if line["basis"] == "total" else f"{line['basis']}_days"
    below = df.select("date", (pl.col(col) < line["days"]).alias("below"))
    first = below.filter(pl.col("below"))
    crossed_on = first["date"][0] if first.height else None
    recovered_on = None
    if crossed_on is not None:
        after = below.filter((pl.col("date") > crossed_on) & ~pl.col("below"))
        recovered_on = after["date"][0] if after.height else None
    return {
        **line,
        "crossed_on": crossed_on,
        "already_below": bool(below["below"][0]),
        "recovered_on": recovered_on,
        "days_below": int(below["below"].sum()),
    }
