"""Benchmark: price 1M / 10M synthetic declaration lines and compare with Polars' read time.

Issue 3 item 5 target: pricing costs no more than 3x the time Polars takes to read the same file.
Lines are a seeded *sample*, synthetic, not data, shaped like a real declaration file:

* HTS codes drawn from the shipped subset with a Zipf-like law (weight 1/rank^1.1 over a seeded
  permutation, so a few hundred codes carry most lines, as in customs data);
* origin 90% Korea, 10% five other countries; entry dates uniform over 2025-03-12..2026-11-25;
* customs value lognormal (median ~8,100 USD); a quantity on every line, in the rate's unit;
* KORUS claimed 70%, not claimed 20%, left blank 10%; a metal share on 90% of the lines of the
  metal chapters (72, 73, 74, 76, 84), so the other 10% come back as ``needs``;
* 0.2% bad rows (malformed HTS code, negative value, origin that is not ISO alpha-2), which go
  to the error file.

    .venv/bin/python bench/tariff_batch.py --rows 1000000 [--rows 10000000] [--repeat 3]

Stages, each in its own process (its peak RSS is its own; imports are not timed):
``read`` (Polars reads the file), ``engine`` (read, load the measure set, then ``price_frame``
in memory — timed without the read and the one-off rule loading), ``price`` (the file read
into 1M-row chunks first, then only their pricing timed, one ``Pricer`` as a batch uses: the
pricing cost the issue's 3x target is about), ``stream`` (read in 1M-row chunks and price them,
nothing written; rules loaded before the timer: reading and pricing share the two cores),
``batch`` (the whole ``tiro tariff batch`` path: read + price + write the
Parquet output + error file). Records go to bench/results/tariff_batch.jsonl.

``--whole`` (issue 11 item 4) times whole processes instead, as a user meets them, on a CSV:
``tiro tariff batch IN.csv --out OUT.parquet --json`` (start-up, rules, read, price, write)
beside the *floor*, a fresh Python process in which Polars reads the same CSV (its own type
inference, ``hts`` as text) and writes it back as LZ4 Parquet — eagerly and streaming, the
faster of the two being the floor. Runs are interleaved (floor, batch, floor, ...) so the
others' load on the shared machine falls on both alike; the medians of wall and CPU seconds
(user + system of the child) and the load average (``uptime``) before and after are recorded
in bench/results/tariff_batch_whole.jsonl. Target: batch at most 1.5x the floor.

    .venv/bin/python bench/tariff_batch.py --whole --rows 5000000 --repeat 5 [--columns ...]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "tariff_batch.jsonl"
WHOLE_RESULTS = HERE / "results" / "tariff_batch_whole.jsonl"
STAGES = ("read", "engine", "price", "stream", "batch")


def make_sample(rows: int, path: Path, seed: int = 20261125) -> None:
    """Write ``rows`` synthetic lines (labelled sample) to ``path`` (.parquet or .csv)."""
    from tiro.tariff.schedule.base_rates import load_hts_subset

    rng = np.random.default_rng(seed)
    codes = rng.permutation(load_hts_subset()["hts"].to_numpy())
    weights = 1.0 / np.arange(1, len(codes) + 1) ** 1.1
    pick = rng.choice(len(codes), rows, p=weights / weights.sum())
    hts = codes[pick].astype(object)
    origin = np.where(
        rng.random(rows) < 0.9, "KR", rng.choice(["JP", "DE", "VN", "CN", "MX"], rows)
    ).astype(object)
    start = dt.date(2025, 3, 12).toordinal()
    days = rng.integers(0, dt.date(2026, 11, 25).toordinal() - start + 1, rows)
    metal = np.isin(np.array([c[:2] for c in codes]), ["72", "73", "74", "76", "84"])
    share = np.where(metal[pick] & (rng.random(rows) < 0.9), rng.random(rows).round(3), np.nan)
    korus = rng.choice(np.array([1, 0, -1]), rows, p=[0.7, 0.2, 0.1])
    value = rng.lognormal(9, 1.5, rows).round(2)
    bad = rng.random(rows)
    hts[bad < 0.001] = "87AB"  # malformed
    value[(bad >= 0.001) & (bad < 0.0015)] *= -1  # negative value
    origin[(bad >= 0.0015) & (bad < 0.002)] = "K9"  # not ISO 3166-1 alpha-2
    df = pl.DataFrame(
        {
            "hts": pl.Series(hts, dtype=pl.Utf8),
            "origin": pl.Series(origin, dtype=pl.Utf8),
            "entry_date": pl.Series(days + start).cast(pl.Int32) - dt.date(1970, 1, 1).toordinal(),
            "customs_value": value,
            "quantity": rng.lognormal(5, 1.2, rows).round(1),
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


def _read(path: Path) -> pl.DataFrame:
    if path.suffix == ".csv":
        return pl.read_csv(path, infer_schema=False)
    return pl.read_parquet(path)


def stage(name: str, path: Path, out: Path) -> dict:
    """Run one stage in this process and report its wall time and peak RSS."""
    from tiro.tariff.batch.stream import price_frame, run_batch  # imports are not the work timed

    if name == "engine":
        frame = _read(path)
        price_frame(frame.head(1))  # loads and validates the measure set: once per process
        started, cpu = time.perf_counter(), _cpu()
        priced, errors = price_frame(frame)
        rows = priced.height + errors.height
    elif name == "price":
        chunks, measures = _chunks_in_memory(path)
        started, cpu = time.perf_counter(), _cpu()
        rows = _price_chunks(chunks, measures)
    elif name == "stream":
        from tiro.tariff.measures.data import load_measure_set

        load_measure_set(None)  # rules are loaded once per process
        started, cpu = time.perf_counter(), _cpu()
        rows = _stream(path)
    else:
        started, cpu = time.perf_counter(), _cpu()
        rows = _read(path).height if name == "read" else run_batch(path, out).rows
    seconds, cpu = time.perf_counter() - started, _cpu() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "stage": name,
        "rows": rows,
        "seconds": seconds,
        "cpu_seconds": round(cpu, 3),
        "peak_rss_mb": round(peak_mb, 1),
    }


def _cpu() -> float:
    """User + system CPU seconds of this process (all threads): less sensitive than wall time
    to the other engineers' load on the shared machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _chunks_in_memory(path: Path) -> tuple[list[pl.DataFrame], object]:
    """The file as 1M-row chunks in memory (as the stream reads it) and the loaded rules."""
    from tiro.tariff.batch.stream import scan_lines
    from tiro.tariff.measures.data import load_measure_set

    chunks = list(scan_lines(path).collect_batches(chunk_size=1_000_000))
    return chunks, load_measure_set(None)


def _price_chunks(chunks: list[pl.DataFrame], measures: object) -> int:
    """Price chunks already in memory with one Pricer (as run_batch does), nothing written: the
    pricing cost alone, without the read running beside it on the other core."""
    from tiro.core.memory import keep_freed_memory
    from tiro.tariff.batch.stream import output_lines
    from tiro.tariff.pricing.engine import Pricer

    keep_freed_memory()
    pricer, rows = Pricer(measures), 0
    for chunk in chunks:
        output_lines(pricer.price(chunk, offset=rows))
        rows += chunk.height
    return rows


def _stream(path: Path) -> int:
    """Read in 1M-row chunks and price each (one Pricer, as ``run_batch`` does) without writing:
    the pricing cost of a file that does not fit in memory at once."""
    from tiro.core.memory import keep_freed_memory
    from tiro.tariff.batch.stream import output_lines, scan_lines
    from tiro.tariff.measures.data import load_measure_set
    from tiro.tariff.pricing.engine import Pricer

    keep_freed_memory()  # as run_batch does
    pricer, rows = Pricer(load_measure_set(None)), 0
    for chunk in scan_lines(path).collect_batches(chunk_size=1_000_000):
        output_lines(pricer.price(chunk, offset=rows))
        rows += chunk.height
    return rows


def _child(name: str, path: Path, out: Path) -> dict:
    cmd = [sys.executable, __file__, "--stage", name, "--input", str(path), "--out", str(out)]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(rows: int, fmt: str, workdir: Path, repeat: int, label: str, record_it: bool) -> dict:
    """Generate once, then run read / engine / batch ``repeat`` times each (interleaved)."""
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / f"zipf_{rows}.{fmt}"
    if not path.exists():
        make_sample(rows, path)
    out = workdir / f"priced_{rows}.parquet"
    runs: dict[str, list[dict]] = {s: [] for s in STAGES}
    for _ in range(repeat):
        for name in STAGES:
            if name == "engine" and rows > 2_000_000:
                continue  # the in-memory path holds the whole file; batch is the 10M figure
            runs[name].append(_child(name, path, out))
    med = {s: statistics.median(r["seconds"] for r in v) for s, v in runs.items() if v}
    cpu = {s: statistics.median(r["cpu_seconds"] for r in v) for s, v in runs.items() if v}
    peak = {s: max(r["peak_rss_mb"] for r in v) for s, v in runs.items() if v}
    load = os.getloadavg()[0]
    record = {
        "date": dt.date.today().isoformat(),
        "label": label,
        "rows": rows,
        "format": fmt,
        "repeat": repeat,
        "seconds": {s: [round(r["seconds"], 3) for r in v] for s, v in runs.items() if v},
        "median_seconds": {s: round(v, 3) for s, v in med.items()},
        "median_cpu_seconds": {s: round(v, 3) for s, v in cpu.items()},
        "peak_rss_mb": peak,
        "lines_per_second_batch": round(rows / med["batch"]),
        "engine_to_read": round(med["engine"] / med["read"], 1) if "engine" in med else None,
        "price_to_read": round(med["price"] / med["read"], 1) if "price" in med else None,
        "stream_to_read": round(med["stream"] / med["read"], 1) if "stream" in med else None,
        "batch_to_read": round(med["batch"] / med["read"], 1),
        "load_average_1m_after": round(load, 2),
        "machine": f"{platform.machine()} cpus={len(os.sched_getaffinity(0))}",
        "polars": pl.__version__,
    }
    if record_it:
        RESULTS.parent.mkdir(exist_ok=True)
        with RESULTS.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record) + "\n")
    return record


FLOORS = {
    "floor_eager": "pl.read_csv(src, schema_overrides={'hts': pl.Utf8})"
    ".write_parquet(dst, compression='lz4')",
    "floor_stream": "pl.scan_csv(src, schema_overrides={'hts': pl.Utf8})"
    ".sink_parquet(dst, compression='lz4')",
}


def _timed(cmd: list[str]) -> tuple[float, float]:
    """(wall, CPU seconds) of one child process run to completion."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def whole(rows: int, workdir: Path, repeat: int, label: str, columns: str | None) -> dict:
    """Whole processes: the batch command beside the floor (see module docstring)."""
    workdir.mkdir(parents=True, exist_ok=True)
    src = workdir / f"zipf_{rows}.csv"
    if not src.exists():
        make_sample(rows, src)
    tiro = str(Path(sys.executable).with_name("tiro"))
    batch = [tiro, "tariff", "batch", str(src), "--out", str(workdir / "whole.parquet"), "--json"]
    if columns:
        batch += ["--columns", columns]
    cmds = {
        name: [
            sys.executable,
            "-c",
            f"import polars as pl; src, dst = {str(src)!r}, "
            f"{str(workdir / 'floor.parquet')!r}; {code}",
        ]
        for name, code in FLOORS.items()
    }
    cmds["batch"] = batch
    load_before = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in cmds}
    for _ in range(repeat):
        for name, cmd in cmds.items():
            runs[name].append(_timed(cmd))
    load_after = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    wall = {n: round(statistics.median(w for w, _ in r), 3) for n, r in runs.items()}
    cpu = {n: round(statistics.median(c for _, c in r), 3) for n, r in runs.items()}
    floor = min(wall["floor_eager"], wall["floor_stream"])
    floor_cpu = min(cpu["floor_eager"], cpu["floor_stream"])
    record = {
        "date": dt.date.today().isoformat(),
        "label": label,
        "rows": rows,
        "columns": columns or "default",
        "repeat": repeat,
        "wall_seconds": {n: [round(w, 3) for w, _ in r] for n, r in runs.items()},
        "cpu_seconds": {n: [round(c, 3) for _, c in r] for n, r in runs.items()},
        "median_wall": wall,
        "median_cpu": cpu,
        "batch_to_floor_wall": round(wall["batch"] / floor, 2),
        "batch_to_floor_cpu": round(cpu["batch"] / floor_cpu, 2),
        "target": 1.5,
        "uptime_before": load_before,
        "uptime_after": load_after,
        "machine": f"{platform.machine()} cpus={len(os.sched_getaffinity(0))}",
        "polars": pl.__version__,
    }
    return record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, action="append")
    parser.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    parser.add_argument("--workdir", type=Path, default=Path("var/bench/tariff"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--label", default="")
    parser.add_argument("--no-record", action="store_true", help="print, do not append")
    parser.add_argument("--whole", action="store_true", help="whole processes vs the floor")
    parser.add_argument("--columns", help="--whole: the batch's --columns (default: all)")
    parser.add_argument("--stage", choices=STAGES)
    parser.add_argument("--input", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.stage:
        print(json.dumps(stage(args.stage, args.input, args.out)))
        return
    for rows in args.rows or [1_000_000]:
        if args.whole:
            record = whole(rows, args.workdir, args.repeat, args.label, args.columns)
            if not args.no_record:
                with WHOLE_RESULTS.open("a", encoding="utf-8") as handle:
                    handle.write(json.dumps(record) + "\n")
            print(json.dumps(record))
            continue
        print(
            json.dumps(
                run(rows, args.format, args.workdir, args.repeat, args.label, not args.no_record)
            )
        )


if __name__ == "__main__":
    main()
