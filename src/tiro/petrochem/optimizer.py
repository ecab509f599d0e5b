"""The rationalisation optimiser: keep / suspend / close per cracker at least cost (HiGHS MILP).

Decision per unit i of the agreement's base: s_i (suspend), c_i (close), binary,
s_i + c_i <= 1 (else keep). Annual cost in USD m (``cost``):
  suspend: lost contribution - suspend_fixed_saving_share x fixed cost
  close:   lost contribution - fixed cost + closure_cost x capacity
Constraints: the cut sum(cap x (s + c)) >= target; every complex cuts >= min_complex_cut_share
of its base; every company keeps >= min_company_keep_share of its base; a company's kept
crackers in a complex still supply derivative_cover_share of its integrated PE plants'
ethylene; units of approved projects take the project's decision (fixed bounds).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl
from scipy.optimize import Bounds, LinearConstraint, milp

from tiro.core.errors import InvalidInput

FAMILIES = ("complex", "company", "derivative", "fixed")


@dataclass(frozen=True)
class Settings:
    """The optimiser's parameters on the date (all from ``petrochem.optimizer.*``)."""

    min_complex_cut_share: float
    min_company_keep_share: float
    derivative_cover_share: float


def _rows(frame: pl.DataFrame, key: pl.Series) -> tuple[list[str], np.ndarray]:
    """Group names and a 0/1 membership matrix (groups x units)."""
    names = sorted(set(key.to_list()))
    values = key.to_numpy()
    return names, np.array([(values == n).astype(float) for n in names]).reshape(len(names), -1)


def _problem(
    pool: pl.DataFrame,
    needs: dict[tuple[str, str], float],
    fixed: dict[str, str],
    settings: Settings,
    skip: str | None = None,
) -> tuple[list[LinearConstraint], Bounds]:
    """Every constraint except the target; ``skip`` drops one family (for explanations)."""
    n = pool.height
    cap = pool["capacity_kt"].to_numpy()
    one = np.hstack([np.eye(n), np.eye(n)])
    cons = [LinearConstraint(one, 0, 1)]
    if skip != "complex":
        _, member = _rows(pool, pool["complex"])
        base = member @ cap
        cons.append(
            LinearConstraint(
                np.hstack([member * cap, member * cap]),
                settings.min_complex_cut_share * base,
                np.inf,
            )
        )
    if skip != "company":
        _, member = _rows(pool, pool["company"])
        base = member @ cap
        upper = (1 - settings.min_company_keep_share) * base
        cons.append(LinearConstraint(np.hstack([member * cap, member * cap]), 0, upper))
    if skip != "derivative" and needs:
        pair = pool["company"] + "|" + pool["complex"]
        names, member = _rows(pool, pair)
        base = member @ cap
        need = np.array([needs.get(tuple(k.split("|")), 0.0) for k in names])  # type: ignore[arg-type]
        upper = np.maximum(base - settings.derivative_cover_share * need, 0)
        cons.append(LinearConstraint(np.hstack([member * cap, member * cap]), 0, upper))
    lower, upper = np.zeros(2 * n), np.ones(2 * n)
    if skip != "fixed":
        for i, unit in enumerate(pool["unit"].to_list()):
            action = fixed.get(unit)
            if action in ("suspend", "close"):
                column = i if action == "suspend" else n + i
                lower[column] = upper[column] = 1
                upper[n + i if action == "suspend" else i] = 0
            elif action == "convert":
                upper[i] = upper[n + i] = 0
    return cons, Bounds(lower, upper)


def _solve(c: np.ndarray, cons: list[LinearConstraint], bounds: Bounds) -> Any:
    return milp(c, constraints=cons, bounds=bounds, integrality=np.ones(c.size))


def optimize(
    pool: pl.DataFrame,
    target_kt: float,
    needs: dict[tuple[str, str], float],
    fixed: dict[str, str],
    settings: Settings,
) -> dict[str, Any]:
    """Least-cost choice reaching ``target_kt``; infeasible targets come with the reason.

    ``pool`` has unit, company, complex, capacity_kt, cost_suspend_musd, cost_close_musd.
    """
    total = float(pool["capacity_kt"].sum())
    if not 0 <= target_kt <= total:
        raise InvalidInput(
            f"target {target_kt:g} kt is outside 0..{total:g} kt (the base capacity)",
            field="target_kt",
        )
    started = time.perf_counter()
    cap = pool["capacity_kt"].to_numpy()
    cost = np.concatenate(
        [pool["cost_suspend_musd"].to_numpy(), pool["cost_close_musd"].to_numpy()]
    )
    cons, bounds = _problem(pool, needs, fixed, settings)
    target = LinearConstraint(np.concatenate([cap, cap])[None, :], target_kt, np.inf)
    result = _solve(cost, [*cons, target], bounds)
    out: dict[str, Any] = {"target_kt": float(target_kt)}
    if result.status != 0 or result.x is None:
        out.update(_explain(pool, needs, fixed, settings, target_kt, cap, cost))
        out["solve_seconds"] = round(time.perf_counter() - started, 4)
        return out
    x = np.round(result.x).astype(int)
    n = pool.height
    action = np.where(x[:n] == 1, "suspend", np.where(x[n:] == 1, "close", "keep"))
    chosen = pool.with_columns(pl.Series("action", action))
    out.update(describe(chosen))
    out["status"] = "optimal"
    out["solve_seconds"] = round(time.perf_counter() - started, 4)
    return out


def describe(chosen: pl.DataFrame) -> dict[str, Any]:
    """Cut, cost and per-complex cut of a choice (``action`` column: keep/suspend/close)."""
    is_cut = pl.col("action").is_in(["suspend", "close"])
    unit_cost = (
        pl.when(pl.col("action") == "suspend")
        .then(pl.col("cost_suspend_musd"))
        .when(pl.col("action") == "close")
        .then(pl.col("cost_close_musd"))
        .otherwise(0.0)
    )
    chosen = chosen.with_columns(unit_cost.alias("cost_musd"))
    by_complex = (
        chosen.filter(is_cut).group_by("complex").agg(pl.col("capacity_kt").sum()).sort("complex")
    )
    return {
        "cut_kt": float(chosen.filter(is_cut)["capacity_kt"].sum()),
        "units": chosen.select("unit", "complex", "company", "action", "capacity_kt", "cost_musd")
        .sort("complex", "unit")
        .to_dicts(),
        "cost": round(float(chosen["cost_musd"].sum()), 3),
        "cost_unit": "USD m/year (lost contribution - fixed cost saved + closure cost)",
        "by_complex": {c: float(v) for c, v in by_complex.iter_rows()},
    }


def _explain(
    pool: pl.DataFrame,
    needs: dict[tuple[str, str], float],
    fixed: dict[str, str],
    settings: Settings,
    target_kt: float,
    cap: np.ndarray,
    cost: np.ndarray,
) -> dict[str, Any]:
    """Why no choice reaches the target: the largest feasible cut, and which rule binds."""
    cons, bounds = _problem(pool, needs, fixed, settings)
    most = _solve(-np.concatenate([cap, cap]), cons, bounds)
    max_cut = float(-most.fun) if most.status == 0 else 0.0
    relieving = []
    for family in FAMILIES:
        relaxed, rb = _problem(pool, needs, fixed, settings, skip=family)
        target = LinearConstraint(np.concatenate([cap, cap])[None, :], target_kt, np.inf)
        if _solve(cost, [*relaxed, target], rb).status == 0:
            relieving.append(family)
    names = {
        "complex": "every complex cuts >= min_complex_cut_share of its base",
        "company": "every company keeps >= min_company_keep_share of its base",
        "derivative": "crackers keep supplying integrated PE plants",
        "fixed": "approved projects' decisions are fixed",
    }
    reason = (
        f"no choice of keep/suspend/close reaches {target_kt:g} kt under the rules; "
        f"the largest feasible cut is {max_cut:g} kt"
        + (
            "; feasible if this rule is relaxed: " + "; ".join(names[f] for f in relieving)
            if relieving
            else "; no single rule relaxed makes it feasible"
        )
    )
    return {
        "status": "infeasible",
        "cut_kt": 0.0,
        "units": [],
        "cost": None,
        "by_complex": {},
        "max_feasible_cut_kt": max_cut,
        "binding_rules": relieving,
        "explanation": reason,
    }


def rule_based(
    pool: pl.DataFrame, max_kt: float, min_age: float, target_kt: float
) -> dict[str, Any]:
    """China-style selection for contrast: close every unit <= max_kt and older than min_age."""
    rule = (pl.col("capacity_kt") <= max_kt) & (pl.col("age_years") > min_age)
    chosen = pool.with_columns(
        pl.when(rule).then(pl.lit("close")).otherwise(pl.lit("keep")).alias("action")
    )
    out = describe(chosen)
    out["units"] = [u for u in out["units"] if u["action"] != "keep"]
    out["rule"] = f"capacity <= {max_kt:g} kt and age > {min_age:g} years"
    out["meets_target"] = out["cut_kt"] >= target_kt
    return out


def violations(
    chosen: pl.DataFrame,
    needs: dict[tuple[str, str], float],
    fixed: dict[str, str],
    settings: Settings,
    target_kt: float,
) -> list[str]:
    """The rules a choice (``action`` column) breaks, independently of the solver."""
    out = []
    cut = pl.when(pl.col("action").is_in(["suspend", "close"])).then(pl.col("capacity_kt"))
    frame = chosen.with_columns(cut.otherwise(0.0).alias("cut_kt"))
    if frame["cut_kt"].sum() < target_kt - 1e-6:
        out.append(f"cut {frame['cut_kt'].sum():g} < target {target_kt:g}")
    per = frame.group_by("complex").agg(pl.col("capacity_kt").sum(), pl.col("cut_kt").sum())
    for c, base, cut_kt in per.iter_rows():
        if cut_kt < settings.min_complex_cut_share * base - 1e-6:
            out.append(f"complex {c} cuts {cut_kt:g} of {base:g}")
    per = frame.group_by("company").agg(pl.col("capacity_kt").sum(), pl.col("cut_kt").sum())
    for c, base, cut_kt in per.iter_rows():
        if base - cut_kt < settings.min_company_keep_share * base - 1e-6:
            out.append(f"company {c} keeps {base - cut_kt:g} of {base:g}")
    per = frame.group_by("company", "complex").agg(
        pl.col("capacity_kt").sum(), pl.col("cut_kt").sum()
    )
    for c, x, base, cut_kt in per.iter_rows():
        need = settings.derivative_cover_share * needs.get((c, x), 0.0)
        if base - cut_kt < min(need, base) - 1e-6:
            out.append(f"{c} in {x} keeps {base - cut_kt:g} for PE needing {need:g}")
    actions = dict(zip(chosen["unit"], chosen["action"], strict=True))
    for unit, action in fixed.items():
        if unit in actions and actions[unit] != (action if action != "convert" else "keep"):
            out.append(f"{unit} must {action}")
    return out
