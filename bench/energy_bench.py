"""Energy engines at scale: stock cover over 1M rows, allocation LP over 2,000 customers,
a 10-year daily disruption path. Run: .venv/bin/python bench/energy_bench.py"""

from __future__ import annotations

import importlib
import time
from datetime import date

import numpy as np
import polars as pl

from tiro.core.parameters import get_params
from tiro.energy.allocation.engine import AllocationProblem, allocate
from tiro.energy.disruption.engine import run_scenario
from tiro.energy.disruption.io import parse_scenario
from tiro.energy.supply.stock_cover import stock_cover_table


def timed(label: str, fn) -> None:
    start = time.perf_counter()
    fn()
    print(f"{label}: {time.perf_counter() - start:.3f} s")


def main() -> None:
    params = get_params()
    rng = np.random.default_rng(1)
    n = 1_000_000
    frame = pl.DataFrame(
        {
            "primary_net_imports_kt": rng.uniform(10_000, 100_000, n),
            "product_net_imports_kt": rng.uniform(-5_000, 20_000, n),
            "crude_stocks_kt": rng.uniform(0, 20_000, n),
            "product_stocks_kt": rng.uniform(0, 10_000, n),
        }
    )
    timed(
        f"stock_cover_table {n:,} rows",
        lambda: stock_cover_table(frame, params=params, on=date(2026, 11, 25)),
    )

    m = 2_000
    demand = rng.uniform(10, 1_000, m)
    customers = pl.DataFrame(
        {
            "customer_id": [f"c{i}" for i in range(m)],
            "region": rng.choice(["ulsan", "yeosu", "daesan", "seoul"], m),
            "tier": rng.integers(1, 5, m),
            "demand": demand,
            "minimum": demand * rng.uniform(0, 0.2, m),
        }
    )
    limits = {"ulsan": demand.sum() * 0.15, "yeosu": demand.sum() * 0.12}
    problem = AllocationProblem(customers, float(demand.sum() * 0.6), limits)
    # the engine imports scipy on first use; warm it so the timing is the LP, not the import
    for module in ("scipy.optimize", "scipy.sparse"):
        importlib.import_module(module)

    timed(f"allocate {m:,} customers, 4 tiers, 2 regional limits", lambda: allocate(problem))

    scenario = parse_scenario(
        {
            "name": "bench",
            "start": "2026-01-01",
            "days": 3650,
            "baseline": {
                "demand_bbl_per_day": 2_750_000,
                "supply_bbl_per_day": {"me": 1_977_000, "other": 773_000},
                "daily_net_imports_bbl": 743_000,
                "government_stocks_bbl": 76_480_000,
                "private_stocks_bbl": 73_830_000,
            },
            "disruptions": [
                {"region": "me", "share": 0.3, "from": f"{2026 + k}-03-01", "weeks": 4}
                for k in range(10)
            ],
            "releases": [{"from": "2026-03-11", "days": 60, "volume_bbl": "iea_share"}],
        }
    )
    timed("scenario 3,650 days, 10 disruptions", lambda: run_scenario(scenario, params=params))


if __name__ == "__main__":
    main()
