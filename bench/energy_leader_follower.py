"""Benchmark: the leader–follower screen over the whole station sample, before and after.

"Before" is the screen as committed at ``--reference`` (default 3dfb0ed, the last version
that counted followers with string-key joins and computed the price changes twice), loaded
from git with the Edgeworth module of the same commit; "after" is the working tree. Both run
on the same data in the same process, interleaved (before, after, before, after, ...), so a
burst of load on the shared machine hits both alike. Each run is timed in wall-clock
seconds and in process CPU seconds (all threads): on a loaded 2-core machine the CPU time is
the steadier figure. The run fails unless every answer is identical frame for frame, on the
default parameters (both products together and each alone) and on a loose what-if that
flags more stations.

    .venv/bin/python bench/energy_leader_follower.py [--runs 5] [--reference 3dfb0ed]

The data is the seeded *sample* (11,750 stations, 86 days, 2 products, about 2 million
price rows). Records go to bench/results/energy_leader_follower.jsonl.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import time
import types
from collections.abc import Callable
from pathlib import Path

import numpy as np
import polars as pl

from tiro.core.parameters import ParameterTree, get_params
from tiro.energy.screens.leader_follower import leader_follower_screen
from tiro.energy.stations.sample import sample

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "energy_leader_follower.jsonl"
ON = dt.date(2026, 5, 25)
REF = {"title": "benchmark what-if", "section": "3"}
LOOSE = {
    "energy.screens.leader_follower.min_followers": 1,
    "energy.screens.leader_follower.follow_share": 0.3,
    "energy.screens.leader_follower.min_rises": 2,
}
Screen = Callable[[pl.DataFrame, pl.DataFrame, ParameterTree, dt.date], pl.DataFrame]


def loadavg() -> str:
    """The 1/5/15-minute load averages, as /proc/loadavg prints them."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def uptime() -> str:
    """``uptime`` as the shell prints it (load at the moment of the run)."""
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def reference_screen(commit: str) -> Screen:
    """The screen as committed at ``commit`` (its Edgeworth module from the same commit)."""

    def load(name: str, path: str, extra: dict | None = None) -> types.ModuleType:
        source = subprocess.run(
            ["git", "show", f"{commit}:{path}"], capture_output=True, text=True, check=True,
            cwd=HERE.parent,
        ).stdout  # fmt: skip
        module = types.ModuleType(name)
        module.__dict__.update(extra or {})
        exec(compile(source, f"{commit}:{path}", "exec"), module.__dict__)
        return module

    edgeworth = load("ref_edgeworth", "src/tiro/energy/screens/edgeworth.py")
    lf_path = "src/tiro/energy/screens/leader_follower.py"
    source = subprocess.run(
        ["git", "show", f"{commit}:{lf_path}"], capture_output=True, text=True, check=True,
        cwd=HERE.parent,
    ).stdout  # fmt: skip
    line = "from tiro.energy.screens.edgeworth import edgeworth_screen\n"
    if line not in source:
        raise SystemExit(f"{commit}: the reference screen does not import edgeworth_screen")
    module = types.ModuleType("ref_leader_follower")
    module.__dict__["edgeworth_screen"] = edgeworth.edgeworth_screen
    exec(compile(source.replace(line, ""), f"{commit}:{lf_path}", "exec"), module.__dict__)
    return module.leader_follower_screen


def timed(fn: Screen, *args: object) -> tuple[pl.DataFrame, float, float]:
    """(answer, wall seconds, CPU seconds of the whole process)."""
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn(*args)  # type: ignore[arg-type]
    return out, time.perf_counter() - wall, time.process_time() - cpu


def median(xs: list[float]) -> float:
    """The median, rounded to milliseconds."""
    return round(float(np.median(xs)), 3)


def main() -> None:
    """Check identical answers, time before/after interleaved, record the medians."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--reference", default="3dfb0ed")
    args = ap.parse_args()

    s = sample()
    base = get_params()
    loose = base.with_overlay(
        {"overrides": {k: {"2026-03-01": {"value": v, "reference": REF}} for k, v in LOOSE.items()}}
    )
    before, after = reference_screen(args.reference), leader_follower_screen
    identical = {}
    for label, params in (("default", base), ("loose", loose)):
        for product in (None, "gasoline", "diesel"):
            prices = s.prices if product is None else s.prices.filter(pl.col("product") == product)
            a = before(prices, s.stations, params, ON)
            b = after(prices, s.stations, params, ON)
            if not a.equals(b):
                raise SystemExit(f"{label} {product or 'both'}: before and after differ")
            identical[f"{label}/{product or 'both'}"] = a.height

    up_before, load_before = uptime(), loadavg()
    times: dict[str, dict[str, list[float]]] = {
        k: {"wall": [], "cpu": []} for k in ("before", "after")
    }
    for _ in range(args.runs):
        for name, fn in (("before", before), ("after", after)):
            _, wall, cpu = timed(fn, s.prices, s.stations, base, ON)
            times[name]["wall"].append(round(wall, 3))
            times[name]["cpu"].append(round(cpu, 3))
    up_after, load_after = uptime(), loadavg()

    med = {k: {m: median(v[m]) for m in ("wall", "cpu")} for k, v in times.items()}
    record = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "data_label": "sample",
        "price_rows": s.prices.height,
        "stations": s.stations.height,
        "reference_commit": args.reference,
        "runs_each": args.runs,
        "identical_answers_rows": identical,
        "median_s": med,
        "speedup_wall": round(med["before"]["wall"] / med["after"]["wall"], 2),
        "speedup_cpu": round(med["before"]["cpu"] / med["after"]["cpu"], 2),
        "runs_s": times,
        "uptime_before": up_before,
        "uptime_after": up_after,
        "loadavg_before": load_before,
        "loadavg_after": load_after,
        "machine": f"{platform.machine()} cpus={os.cpu_count()}",
        "python": platform.python_version(),
        "polars": pl.__version__,
        "numpy": np.__version__,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with RESULTS.open("a") as f:
        f.write(json.dumps(record) + "\n")
    print(json.dumps(record, indent=2))


if __name__ == "__main__":
    main()
