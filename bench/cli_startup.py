"""Start-up time of the ``tiro`` command, as a user meets it: whole processes, not imports.

Each command runs ``--runs`` times (10 by default) as a fresh process and the median wall
time is reported, in two conditions the issue asks for:

* ``warm``: the bytecode cache is warm (one untimed run first), Python may write it;
* ``dontwrite``: ``PYTHONDONTWRITEBYTECODE=1`` — Python reads the cache compiled at install
  (``uv pip install --compile-bytecode``) but never writes one, as on a read-only install.

The median CPU time (user + system of the child) is reported beside the wall time: on a
shared two-core machine the wall time carries other people's load, the CPU time much less.
``--server`` also times ``tiro serve`` from launch to the first healthy ``/api/v1/health``.

Run: ``.venv/bin/python bench/cli_startup.py [--runs 10] [--server] [--label before]``;
results are appended to ``bench/results/cli_startup.jsonl``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIRO = str(Path(sys.executable).with_name("tiro"))

COMMANDS: dict[str, list[str]] = {
    "--version": ["--version"],
    "--help": ["--help"],
    "tariff quote": [
        "tariff",
        "quote",
        "--hts",
        "8703.23.01",
        "--origin",
        "KR",
        "--date",
        "2025-12-01",
        "--value",
        "30000",
        "--no-korus",
        "--json",
    ],
    "trade working-days": ["trade", "working-days", "--month", "2026-02", "--json"],
}

TARGETS_S = {"--version": 0.3, "--help": 0.3, "tariff quote": 1.5, "trade working-days": 1.5}


def _one(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one whole ``tiro`` process; a failed command is an error."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([TIRO, *args], env=env, capture_output=True, cwd=ROOT)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"tiro {' '.join(args)} failed: {done.stderr.decode()[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def time_command(args: list[str], runs: int, env: dict[str, str]) -> dict[str, float]:
    """Median (and spread) of ``runs`` whole-process runs after one untimed warm-up."""
    _one(args, env)
    walls, cpus = zip(*(_one(args, env) for _ in range(runs)), strict=True)
    return {
        "median_s": round(statistics.median(walls), 3),
        "min_s": round(min(walls), 3),
        "max_s": round(max(walls), 3),
        "median_cpu_s": round(statistics.median(cpus), 3),
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def time_server(timeout: float = 60.0) -> float:
    """Seconds from launching ``tiro serve`` to a 200 from ``/api/v1/health``."""
    port = _free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "TIRO_DATA_DIR": data_dir}
        subprocess.run([TIRO, "db", "upgrade"], env=env, check=True, capture_output=True)
        start = time.perf_counter()
        server = subprocess.Popen(
            [TIRO, "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            url = f"http://127.0.0.1:{port}/api/v1/health"
            while time.perf_counter() - start < timeout:
                try:
                    with urllib.request.urlopen(url, timeout=1) as reply:
                        if reply.status == 200:
                            return round(time.perf_counter() - start, 3)
                except OSError:
                    time.sleep(0.05)
            raise SystemExit(f"server not healthy after {timeout} s")
        finally:
            server.terminate()
            server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--label", default="")
    parser.add_argument("--server", action="store_true", help="also time tiro serve")
    parser.add_argument("--only", action="append", help="command name(s) to time")
    parser.add_argument("--out", default=str(ROOT / "bench/results/cli_startup.jsonl"))
    opts = parser.parse_args()

    base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    modes = {"warm": base, "dontwrite": {**base, "PYTHONDONTWRITEBYTECODE": "1"}}
    record: dict[str, object] = {
        "label": opts.label,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip(),
        "source": os.environ.get("PYTHONPATH") or "checkout (editable install)",
        "runs": opts.runs,
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "results": {},
    }
    for name, args in COMMANDS.items():
        if opts.only and name not in opts.only:
            continue
        for mode, env in modes.items():
            figures = time_command(args, opts.runs, env)
            figures["target_s"] = TARGETS_S[name]
            record["results"][f"{name} [{mode}]"] = figures  # type: ignore[index]
            print(f"{name:20} {mode:9} {figures}", flush=True)
    if opts.server:
        record["serve_to_healthy_s"] = time_server()
        print(f"serve -> healthy: {record['serve_to_healthy_s']} s")
    with open(opts.out, "a", encoding="utf-8") as out:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
