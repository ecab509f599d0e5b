"""Benchmark: the capital-call LP (HiGHS) for 200 projects x 10 requested years.

A seeded pipeline of 2,000 lines (each project asks for money in each of 2026-2035, USD 1m-
239m a line, about USD 240bn in all against a USD 20bn cap) is solved a few times; the median
wall time, the LP size and the years it spills into are appended to
``bench/results/invest_schedule.jsonl``. Run: ``.venv/bin/python bench/invest_schedule.py``.
"""

from __future__ import annotations

import json
import platform
import statistics
import time
from pathlib import Path

import numpy as np
import polars as pl

from tiro.core.parameters import get_params
from tiro.invest.schedule import solve
from tiro.invest.terms import annual_cap

PROJECTS, YEARS, RUNS = 200, 10, 5
OUT = Path(__file__).resolve().parent / "results" / "invest_schedule.jsonl"


def pipeline(seed: int = 12) -> pl.DataFrame:
    """Seeded sample pipeline: every project asks for an amount in each of the years."""
    rng = np.random.default_rng(seed)
    n = PROJECTS * YEARS
    return pl.DataFrame(
        {
            "project": [f"bench-{i // YEARS:03d}" for i in range(n)],
            "priority": np.repeat(rng.integers(1, 10, PROJECTS), YEARS),
            "requested_year": 2026 + np.arange(n) % YEARS,
            "amount_usd": rng.integers(1, 240, n) * 1_000_000.0,
        }
    )


def main() -> None:
    params = get_params()
    frame = pipeline()
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        plan = solve(frame, lambda year: annual_cap(params, year))
        times.append(time.perf_counter() - start)
    record = {
        "bench": "invest_schedule",
        "projects": PROJECTS,
        "requested_years": YEARS,
        "lines": frame.height,
        "total_usd": float(frame["amount_usd"].sum()),
        "years_scheduled": len(plan.by_year),
        "max_year_total_usd": max(plan.by_year.values()),
        "deferred_lines": len(plan.deferred),
        "median_s": round(statistics.median(times), 4),
        "min_s": round(min(times), 4),
        "runs": RUNS,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record) + "\n")
    print(json.dumps(record, indent=2))


if __name__ == "__main__":
    main()
