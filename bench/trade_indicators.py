"""Benchmark: the full trade indicator set on 200 countries × 5,000 HS6 × 12 months.

Sample data (seeded, labelled sample): gamma-distributed export values with ~35% of cells
present. Per month: RCA, concentration (HHI, normalised, UNCTAD) per country, DX, and the
complete Growth Lab complexity set (M, diversity, ubiquity, ECI, PCI, proximity, density,
COI, COG). Usage: ``.venv/bin/python bench/trade_indicators.py [countries products months]``.
Prints the total and the per-month median of the complexity step (the figure to compare
across versions: it is the step whose algorithm matters, see ``tiro.trade.product_space``).
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


def main() -> None:
    c, p, months = (int(a) for a in (sys.argv[1:4] if len(sys.argv) > 3 else (200, 5000, 12)))
    data = sample(c, p, months)
    t0 = time.perf_counter()
    conc = concentration_table(data, over="product", by=["period", "reporter"])
    rca_table = rca(
        data.rename({"period": "t"}).with_columns(
            (pl.col("t") + "|" + pl.col("reporter")).alias("reporter")
        )
    )
    t1 = time.perf_counter()
    per_month = []
    for period in data["period"].unique().sort():
        month = data.filter(pl.col("period") == period)
        diversification_dx(month)
        start = time.perf_counter()
        result = complexity(month, threshold=1.0)
        per_month.append(time.perf_counter() - start)
        assert result.density is not None and result.cog is not None
    t2 = time.perf_counter()
    print(f"rows={data.height} countries={c} products={p} months={months} (sample data)")
    print(f"concentration+RCA: {t1 - t0:.1f}s ({conc.height} + {rca_table.height} rows)")
    print(f"DX+complexity (ECI, PCI, proximity, density, COI, COG): {t2 - t1:.1f}s")
    print(
        f"complexity per month: median {statistics.median(per_month):.2f}s "
        f"(min {min(per_month):.2f}s, max {max(per_month):.2f}s)"
    )
    print(f"total: {t2 - t0:.1f}s")


if __name__ == "__main__":
    main()
