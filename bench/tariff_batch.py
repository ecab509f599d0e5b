"""Benchmark: price 1M / 10M synthetic declaration lines and compare with Polars' read time.

Issue 3 item 5 target: pricing costs no more than 3x the time Polars takes to read the same file.
Lines are a seeded *sample* (HTS codes from the shipped subset, Korean origin mostly, entry dates
2025-03-12..2026-11-25, lognormal values, metal shares for metal chapters): synthetic, not data.

    .venv/bin/python bench/tariff_batch.py --rows 1000000 [--rows 10000000] [--format parquet|csv]

Each stage runs in its own process so its peak RSS is its own; results are appended to
bench/results/tariff_batch.jsonl.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "tariff_batch.jsonl"


def make_sample(rows: int, path: Path, seed: int = 20261125) -> None:
    """Write ``rows`` synthetic lines (labelled sample) to ``path`` (.parquet or .csv)."""
    from tiro.tariff.hts_rates import load_hts_subset

    rng = np.random.default_rng(seed)
    codes = load_hts_subset()["hts"].to_numpy()
    hts = codes[rng.integers(0, len(codes), rows)]
    origin = np.where(
        rng.random(rows) < 0.9, "KR", rng.choice(["JP", "DE", "VN", "CN", "MX"], rows)
    )
    start = dt.date(2025, 3, 12).toordinal()
    days = rng.integers(0, dt.date(2026, 11, 25).toordinal() - start + 1, rows)
    metal = np.isin(
        np.char.ljust(hts.astype(str), 2)[:, None].astype("U2"), ["72", "73", "74", "76", "84"]
    ).ravel()
    share = np.where(metal & (rng.random(rows) < 0.9), rng.random(rows).round(3), np.nan)
    korus = rng.choice(np.array([1, 0, -1]), rows, p=[0.7, 0.2, 0.1])
    df = pl.DataFrame(
        {
            "hts": hts,
            "origin": origin,
            "entry_date": pl.Series(days + start).cast(pl.Int32) - dt.date(1970, 1, 1).toordinal(),
            "customs_value": rng.lognormal(9, 1.5, rows).round(2),
            "korus": pl.Series(korus).replace_strict(
                {1: True, 0: False, -1: None}, return_dtype=pl.Boolean
            ),
            "metal_share": pl.Series(share).fill_nan(None),
        }
    ).with_columns(pl.col("entry_date").cast(pl.Date), pl.lit("sample").alias("data_label"))
    if path.suffix == ".csv":
        df.write_csv(path)
    else:
        df.write_parquet(path)


def stage(name: str, path: Path, out: Path) -> dict:
    """Run one stage in this process and report its wall time and peak RSS."""
    from tiro.tariff.batch import run_batch  # imports are not the work being timed

    started = time.perf_counter()
    if name == "read":
        frame = (
            pl.read_csv(path, infer_schema=False)
            if path.suffix == ".csv"
            else pl.read_parquet(path)
        )
        rows = frame.height
    else:
        rows = run_batch(path, out).rows  # read + validate + price + write Parquet + error file
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "stage": name,
        "rows": rows,
        "seconds": round(seconds, 3),
        "peak_rss_mb": round(peak_mb, 1),
    }


def _child(name: str, path: Path, out: Path) -> dict:
    cmd = [sys.executable, __file__, "--stage", name, "--input", str(path), "--out", str(out)]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(rows: int, fmt: str, workdir: Path) -> dict:
    """Generate, read and price; return the record appended to the results file."""
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / f"lines_{rows}.{fmt}"
    if not path.exists():
        make_sample(rows, path)
    out = workdir / f"priced_{rows}.parquet"
    read = _child("read", path, out)
    priced = _child("price", path, out)
    record = {
        "date": dt.date.today().isoformat(),
        "rows": rows,
        "format": fmt,
        "read_seconds": read["seconds"],
        "read_peak_rss_mb": read["peak_rss_mb"],
        "price_seconds": priced["seconds"],
        "price_peak_rss_mb": priced["peak_rss_mb"],
        "lines_per_second": round(rows / priced["seconds"]),
        "price_to_read_ratio": round(priced["seconds"] / read["seconds"], 1),
        "machine": f"{platform.machine()} {platform.processor() or ''} cpus={len(__import__('os').sched_getaffinity(0))}".strip(),
        "polars": pl.__version__,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    with RESULTS.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record) + "\n")
    return record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, action="append")
    parser.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    parser.add_argument("--workdir", type=Path, default=Path("var/bench/tariff"))
    parser.add_argument("--stage", choices=["read", "price"])
    parser.add_argument("--input", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.stage:
        print(json.dumps(stage(args.stage, args.input, args.out)))
        return
    for rows in args.rows or [1_000_000]:
        print(json.dumps(run(rows, args.format, args.workdir)))


if __name__ == "__main__":
    main()
