"""Essential-supply allocation under shortage (필수품목 원료 우선 공급), a linear programme.

When a feedstock or derivative (naphtha, ethylene, PE, CO2 ...) falls short, the 석유사업법
수급조정명령 allows allocation by region and major consumer, and in 2026 the government served
medical, livelihood and core-industry items first (report sec. 3 ②). The rule implemented:

1. every customer first receives its minimum (a floor guaranteed across tiers);
2. tiers are filled strictly in order (lexicographic): a lower tier gets nothing above its
   minimums until every higher-tier customer is fully served or blocked by a regional limit;
3. within a tier, customers are served pro rata to demand (equal fill ratio), by progressive
   filling (max-min fairness): when a regional limit binds, the customers of that region stop
   and the others keep rising together.

Each step is an LP solved by HiGHS (`scipy.optimize.linprog(method="highs")`):
maximise lambda s.t. x_i >= lambda * d_i, m_i <= x_i <= d_i, supply and regional limits,
followed by a second LP that minimises the tier's total at that lambda, so no customer gets
more than max(m_i, lambda * d_i).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from tiro.core.errors import InvalidInput, TiroError
from tiro.core.validation import finite

EPS = 1e-9


@dataclass(frozen=True)
class AllocationProblem:
    """Customers (one row each: id, region, tier, demand, minimum), supply, regional caps."""

    customers: pl.DataFrame
    supply: float
    regional_limits: dict[str, float]


def _validate(p: AllocationProblem) -> pl.DataFrame:
    need = ["customer_id", "region", "tier", "demand", "minimum"]
    miss = [c for c in need if c not in p.customers.columns]
    if miss:
        raise InvalidInput("missing customer field", field=miss[0])
    c = p.customers.with_columns(
        pl.col("demand").cast(pl.Float64),
        pl.col("minimum").cast(pl.Float64),
        pl.col("tier").cast(pl.Int64),
    )
    if p.supply < 0:
        raise InvalidInput("supply must not be negative", field="supply")
    if c.filter(pl.col("demand") < 0).height:
        raise InvalidInput("demand must not be negative", field="demand")
    if c.filter(pl.col("minimum") < 0).height:
        raise InvalidInput("minimum must not be negative", field="minimum")
    if c.filter(pl.col("minimum") > pl.col("demand")).height:
        raise InvalidInput("minimum exceeds the customer's demand", field="minimum")
    if c["customer_id"].n_unique() != c.height:
        raise InvalidInput("customer ids must be unique", field="customer_id")
    finite(p.supply, "supply")
    for name in ("demand", "minimum"):
        values = c[name]
        bad = (values.is_nan() | values.is_infinite()).fill_null(False)
        if bad.any():
            index = int(bad.arg_max())
            finite(values[index], f"customers[{index}].{name}")
        finite(float(values.abs().max() or 0.0), name)
    for region, cap in p.regional_limits.items():
        finite(cap, f"regional_limits.{region}")  # NaN is not "no limit": omit the region
        if cap < 0:
            raise InvalidInput(f"limit for {region} must not be negative", field="regional_limits")
    mins = float(c["minimum"].sum())
    if mins > p.supply + EPS:
        raise InvalidInput(
            f"customers' minimums ({mins:g}) exceed the supply ({p.supply:g})", field="minimum"
        )
    by_region = c.group_by("region").agg(pl.col("minimum").sum())
    for region, m in by_region.iter_rows():
        cap = p.regional_limits.get(region)
        if cap is not None and m > cap + EPS:
            raise InvalidInput(
                f"minimums in region {region} ({m:g}) exceed its limit ({cap:g})",
                field="regional_limits",
            )
    return c


def _solve(c_obj, a_ub, b_ub, bounds) -> np.ndarray:
    from scipy.optimize import linprog  # imported on use: scipy adds seconds to server start

    res = linprog(c_obj, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs")
    if res.status != 0:
        raise TiroError(f"allocation LP failed: {res.message}")
    return res.x


def _fill_tier(
    x: np.ndarray,
    active: np.ndarray,
    demand: np.ndarray,
    region_idx: np.ndarray,
    supply_left: float,
    region_left: np.ndarray,
) -> None:
    """Progressive filling of the customers flagged `active` (one tier), updating `x` in place.

    `x` holds everyone's current allocation; for the active ones it is their minimum on entry.
    `supply_left` / `region_left` are capacities net of everything outside this tier.
    """
    from scipy import sparse  # imported on use, as in _solve

    free = active & (demand > x + EPS)
    level = 0.0
    while free.any():
        idx = np.flatnonzero(free)
        fixed = np.flatnonzero(active & ~free)
        n = idx.size
        # Variables: x_idx (n) then lambda. Rows: x_i >= lam*d_i -> lam*d_i - x_i <= 0;
        # sum(x_idx) <= supply_left - sum(x_fixed); per region likewise.
        lam_rows = sparse.hstack([-sparse.identity(n), sparse.csr_matrix(demand[idx][:, None])])
        cap_rows, cap_rhs = [np.append(np.ones(n), 0.0)], [supply_left - x[fixed].sum()]
        for g in np.unique(region_idx[idx]):
            if g < 0 or not np.isfinite(region_left[g]):
                continue
            in_g = region_idx[idx] == g
            fixed_g = x[fixed][region_idx[fixed] == g].sum()
            cap_rows.append(np.append(in_g.astype(float), 0.0))
            cap_rhs.append(region_left[g] - fixed_g)
        cap = np.vstack(cap_rows)
        a_ub = sparse.vstack([lam_rows, sparse.csr_matrix(cap)]).tocsr()
        b_ub = np.concatenate([np.zeros(n), cap_rhs])
        bounds = [(x[i], demand[i]) for i in idx] + [(level, 1.0)]
        obj = np.zeros(n + 1)
        obj[n] = -1.0
        lam = _solve(obj, a_ub, b_ub, bounds)[n]
        # Second LP: at that lambda, give no one more than needed (minimise the tier total).
        bounds2 = [(max(x[i], lam * demand[i]), demand[i]) for i in idx] + [(lam, lam)]
        obj2 = np.append(np.ones(n), 0.0)
        sol = _solve(obj2, a_ub, b_ub, bounds2)
        x[idx] = sol[:n]
        level = lam
        # Freeze those at demand, and all of a region (or all) whose capacity binds.
        slack = np.asarray(cap_rhs) - cap @ sol
        free = free & (demand > x + EPS)
        if lam >= 1.0 - EPS or slack[0] <= EPS * max(1.0, supply_left):
            break
        k = 1
        for g in np.unique(region_idx[idx]):
            if g < 0 or not np.isfinite(region_left[g]):
                continue
            if slack[k] <= EPS * max(1.0, region_left[g]):
                free &= region_idx != g
            k += 1
        if np.array_equal(np.flatnonzero(free), idx):
            break  # nothing new froze: no further progress is possible


def allocate(problem: AllocationProblem) -> pl.DataFrame:
    """Allocate `supply` to customers; returns the customers with allocated, unmet, fill_ratio."""
    c = _validate(problem)
    if c.height == 0:
        return c.with_columns(allocated=pl.lit(0.0), unmet=pl.lit(0.0), fill_ratio=pl.lit(0.0))
    demand = c["demand"].to_numpy().astype(float)
    minimum = c["minimum"].to_numpy().astype(float)
    regions = sorted(problem.regional_limits)
    region_pos = {r: i for i, r in enumerate(regions)}
    region_idx = np.array([region_pos.get(r, -1) for r in c["region"].to_list()])
    region_cap = np.array([float(problem.regional_limits[r]) for r in regions] or [np.inf])
    tiers = c["tier"].to_numpy()
    x = minimum.copy()
    for tier in np.unique(tiers):
        active = tiers == tier
        outside = ~active
        supply_left = problem.supply - x[outside].sum()
        region_left = np.array(
            [region_cap[g] - x[outside & (region_idx == g)].sum() for g in range(len(regions))]
            or [np.inf]
        )
        _fill_tier(x, active, demand, region_idx, supply_left, region_left)
    x = np.clip(x, minimum, demand)
    return c.with_columns(
        pl.Series("allocated", x),
        pl.Series("unmet", demand - x),
    ).with_columns(
        pl.when(pl.col("demand") > 0)
        .then(pl.col("allocated") / pl.col("demand"))
        .otherwise(1.0)
        .alias("fill_ratio")
    )


def tier_summary(result: pl.DataFrame) -> pl.DataFrame:
    """Demand, allocation and unmet demand by tier (the table officials read first)."""
    return (
        result.group_by("tier")
        .agg(
            pl.len().alias("customers"),
            pl.col("demand").sum(),
            pl.col("allocated").sum(),
            pl.col("unmet").sum(),
        )
        .with_columns((pl.col("allocated") / pl.col("demand")).fill_nan(1.0).alias("fill_ratio"))
        .sort("tier")
    )
