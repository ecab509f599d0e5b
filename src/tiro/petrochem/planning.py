"""Orchestration of the optimiser on the shipped (or stored) data: pool, costs, comparisons.

Builds the agreement's base pool with each unit's annual cost of suspending or closing
(from :mod:`tiro.petrochem.economics`), the derivative needs, the approved projects'
decisions, then solves, and sets beside the optimum the negotiated projects' choice and the
China-style rule.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from tiro.core.parameters import ParameterTree
from tiro.petrochem import economics, optimizer, registry
from tiro.petrochem.targets import agreement_date, base_table
from tiro.petrochem.workflow import APPROVED

OPT = "petrochem.optimizer."


def cost_pool(
    units: pl.DataFrame, events: pl.DataFrame, params: ParameterTree, on: dt.date
) -> pl.DataFrame:
    """The base units with ``cost_suspend_musd`` and ``cost_close_musd`` (USD m/year)."""
    agreed = agreement_date(params, on)
    base = base_table(units, events, agreed).select(list(units.columns))
    costs = economics.unit_costs(base, params, on)
    saving = params.at(OPT + "suspend_fixed_saving_share", on)
    closure = params.at(OPT + "closure_cost", on) / 1e6
    return costs.with_columns(
        (pl.col("contribution_musd") - saving * pl.col("fixed_musd")).alias("cost_suspend_musd"),
        (
            pl.col("contribution_musd") - pl.col("fixed_musd") + closure * pl.col("capacity_kt")
        ).alias("cost_close_musd"),
    )


def derivative_needs(params: ParameterTree, on: dt.date) -> dict[tuple[str, str], float]:
    """Ethylene (kt/y) each company's integrated PE plants take, by (company, complex)."""
    per_t = params.at("petrochem.economics.ethylene_per_t_pe", on)
    table = (
        registry.load_derivatives().group_by("company", "complex").agg(pl.col("capacity_kt").sum())
    )
    return {(c, x): float(v) * per_t for c, x, v in table.iter_rows()}


def settings(params: ParameterTree, on: dt.date) -> optimizer.Settings:
    """The optimiser's rule parameters on the date."""
    return optimizer.Settings(
        min_complex_cut_share=params.at(OPT + "min_complex_cut_share", on),
        min_company_keep_share=params.at(OPT + "min_company_keep_share", on),
        derivative_cover_share=params.at(OPT + "derivative_cover_share", on),
    )


def run(
    *,
    units: pl.DataFrame,
    events: pl.DataFrame,
    actions: pl.DataFrame,
    params: ParameterTree,
    on: dt.date,
    target_kt: float,
) -> dict[str, Any]:
    """Optimum for ``target_kt`` on ``on``, the negotiated choice and the rule-based one."""
    pool = cost_pool(units, events, params, on)
    needs = derivative_needs(params, on)
    rules = settings(params, on)
    approved = actions.filter(pl.col("state").is_in(APPROVED))
    fixed = dict(zip(approved["unit"], approved["action"], strict=True))
    result = optimizer.optimize(pool, target_kt, needs, fixed, rules)
    result["date"] = on.isoformat()
    result["fixed"] = [{"unit": u, "action": a} for u, a in fixed.items()]
    result["comparison"] = _negotiated(pool, actions, needs, fixed, rules)
    result["rule_based"] = optimizer.rule_based(
        pool, params.at(OPT + "rule_max_kt", on), params.at(OPT + "rule_min_age", on), target_kt
    )
    return result


def _negotiated(
    pool: pl.DataFrame,
    actions: pl.DataFrame,
    needs: dict[tuple[str, str], float],
    fixed: dict[str, str],
    rules: optimizer.Settings,
) -> dict[str, Any]:
    """The projects' own cuts (approved and proposed) priced, and the optimum of the same size."""
    cuts = actions.filter(pl.col("action").is_in(["close", "suspend"])).select("unit", "action")
    chosen = pool.join(cuts, on="unit", how="left").with_columns(pl.col("action").fill_null("keep"))
    negotiated = optimizer.describe(chosen)
    same = optimizer.optimize(pool, negotiated["cut_kt"], needs, fixed, rules)
    return {
        "negotiated_cut_kt": negotiated["cut_kt"],
        "negotiated_cost": negotiated["cost"],
        "negotiated_units": [u for u in negotiated["units"] if u["action"] != "keep"],
        "negotiated_breaks_rules": optimizer.violations(
            chosen, needs, fixed, rules, negotiated["cut_kt"]
        ),
        "optimum_same_cut_status": same["status"],
        "optimum_same_cut_cost": same["cost"],
        "optimum_same_cut_units": [u for u in same["units"] if u["action"] != "keep"],
        "extra_cost_of_negotiated": (
            round(negotiated["cost"] - same["cost"], 3) if same["cost"] is not None else None
        ),
    }
