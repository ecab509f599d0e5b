"""Benchmark: 1,000 nearest-station queries over the station sample (issue 14 item 6).

Target: median under 0.3 ms per query, in-process. The same 1,000 queries are answered in
the same run by ``brute_force_near`` (a haversine scan of every station), the reference:
every answer must list the same stations in the same order, or the run fails.

Queries are seeded: a point 0-2 km (uniform in each axis, +-0.02 degrees) from a random
sample station, so most queries land where stations are; radius 5 km; gasoline or diesel
alternately; prices of 2026-05-25. The station data is the seeded *sample*, not real data.

    .venv/bin/python bench/energy_stations_finder.py [--queries 1000] [--radius-km 5]

Index build and sample generation are not timed. Each query is timed alone with
``time.perf_counter_ns``. The 1-minute load average is read before and after, since the
machine is shared. Records go to bench/results/energy_stations_finder.jsonl.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import time
from pathlib import Path

import numpy as np

from tiro.energy.stations.finder import StationIndex, brute_force_near
from tiro.energy.stations.sample import sample

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "energy_stations_finder.jsonl"
ON = dt.date(2026, 5, 25)
TARGET_MEDIAN_MS = 0.3


def loadavg() -> str:
    """The 1/5/15-minute load averages, as /proc/loadavg prints them."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def stats(ns: list[int]) -> dict[str, float]:
    """Median, p99 and max of per-query times, in milliseconds."""
    a = np.asarray(ns, dtype=np.float64) / 1e6
    return {
        "median_ms": round(float(np.median(a)), 4),
        "p99_ms": round(float(np.percentile(a, 99)), 4),
        "max_ms": round(float(a.max()), 4),
    }


def main() -> None:
    """Run the queries through the index and the scan, check equality, record the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--radius-km", type=float, default=5.0)
    ap.add_argument("--seed", type=int, default=20260525)
    args = ap.parse_args()

    s = sample()
    index = StationIndex(s.stations, s.prices, ON)
    rng = np.random.default_rng(args.seed)
    pick = rng.integers(0, s.stations.height, args.queries)
    lats = s.stations["lat"].to_numpy()[pick] + rng.uniform(-0.02, 0.02, args.queries)
    lons = s.stations["lon"].to_numpy()[pick] + rng.uniform(-0.02, 0.02, args.queries)
    products = ["gasoline" if i % 2 == 0 else "diesel" for i in range(args.queries)]

    load_before = loadavg()
    tree_ns: list[int] = []
    answers: list[list[str]] = []
    for lat, lon, product in zip(lats, lons, products, strict=True):
        t0 = time.perf_counter_ns()
        got = index.near(lat=float(lat), lon=float(lon), radius_km=args.radius_km, product=product)
        tree_ns.append(time.perf_counter_ns() - t0)
        answers.append(got["station_id"].to_list())

    scan_ns: list[int] = []
    same = 0
    for i, (lat, lon, product) in enumerate(zip(lats, lons, products, strict=True)):
        t0 = time.perf_counter_ns()
        ref = brute_force_near(
            s.stations, s.prices, ON, float(lat), float(lon), args.radius_km, product
        )
        scan_ns.append(time.perf_counter_ns() - t0)
        if ref["station_id"].to_list() != answers[i]:
            raise SystemExit(f"query {i} ({lat}, {lon}, {product}): index and scan differ")
        same += 1
    load_after = loadavg()

    found = [len(a) for a in answers]
    record = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "data_label": "sample",
        "stations": s.stations.height,
        "queries": args.queries,
        "radius_km": args.radius_km,
        "prices_on": ON.isoformat(),
        "stations_per_answer_median": float(np.median(found)),
        "stations_per_answer_max": int(max(found)),
        "empty_answers": int(sum(1 for n in found if n == 0)),
        "index": stats(tree_ns),
        "brute_force": stats(scan_ns),
        "identical_answers": f"{same}/{args.queries}",
        "target_median_ms": TARGET_MEDIAN_MS,
        "target_met": stats(tree_ns)["median_ms"] < TARGET_MEDIAN_MS,
        "loadavg_before": load_before,
        "loadavg_after": load_after,
        "machine": f"{platform.machine()} cpus={os.cpu_count()}",
        "python": platform.python_version(),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with RESULTS.open("a") as f:
        f.write(json.dumps(record) + "\n")
    print(json.dumps(record, indent=2))


if __name__ == "__main__":
    main()
