"""Benchmark: the full trade indicator set on 200 countries × 5,000 HS6 × 12 months.

Sample data (seeded, labelled sample): gamma-distributed export values with ~35% of cells
present. Per month: RCA, concentration (HHI, normalised, UNCTAD) per country, DX, and the
complete Growth Lab complexity set (M, diversity, ubiquity, ECI, PCI, density, COI, COG;
proximity enters density/COG factorised, and the matrix itself is timed once on demand).
Prints each step's total and per-month median; the complexity median is the figure to compare
across versions (see ``tiro.trade.product_space``).
Usage: ``.venv/bin/python bench/trade_indicators.py [countries products months]``.
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np
import polars as pl

from tiro.trade.complexity import complexity
from tiro.trade.concentration import concentration_table, diversification_dx
from tiro.trade.similarity import rca


def sample(countries: int, products: int, months: int, seed: int = 20261125) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    frames = []
    for m in range(months):
        present = rng.random((countries, products)) < 0.35
        ci, pj = np.nonzero(present)
        values = rng.gamma(0.5, 1e6, ci.size) * (1 + ci / countries)
        frames.append(
            pl.DataFrame(
                {
                    "period": f"2025-{m + 1:02d}",
                    "reporter": pl.Series(ci).cast(pl.String).str.zfill(3),
                    "product": pl.Series(pj + 10_000).cast(pl.String),
                    "value": values,
                }
            )
        )
    return pl.concat(frames)


def _timed(step: str, times: dict[str, list[float]], fn):
    start = time.perf_counter()
    out = fn()
    times.setdefault(step, []).append(time.perf_counter() - start)
    return out


def main() -> None:
    c, p, months = (int(a) for a in (sys.argv[1:4] if len(sys.argv) > 3 else (200, 5000, 12)))
    data = sample(c, p, months)
    times: dict[str, list[float]] = {}
    t0 = time.perf_counter()
    _timed(
        "concentration",
        times,
        lambda: concentration_table(data, over="product", by=["period", "reporter"]),
    )
    for period in data["period"].unique().sort():
        month = data.filter(pl.col("period") == period)
        # RCA per month: the world shares are that month's, not pooled over the year.
        _timed("rca", times, lambda m=month: rca(m))
        _timed("dx", times, lambda m=month: diversification_dx(m))
        result = _timed("complexity", times, lambda m=month: complexity(m, threshold=1.0))
        assert result.density is not None and result.cog is not None
    total = time.perf_counter() - t0
    print(f"rows={data.height} countries={c} products={p} months={months} (sample data)")
    for step, spent in times.items():
        print(
            f"{step}: {sum(spent):.1f}s; per call median {statistics.median(spent):.2f}s "
            f"(min {min(spent):.2f}s, max {max(spent):.2f}s, {len(spent)} calls)"
        )
    print("complexity = RCA matrix, M, diversity, ubiquity, ECI, PCI, density, COI, COG")
    print(f"total: {total:.1f}s")
    start = time.perf_counter()
    phi = result.proximity
    print(
        f"proximity matrix {phi.shape} of one month, on demand: {time.perf_counter() - start:.1f}s"
    )


if __name__ == "__main__":
    main()
