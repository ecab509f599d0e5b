"""Latency of ``POST /api/v1/tariff/quote`` under 1, 8 and 32 concurrent clients (issue 11 item 5).

The server is started as ``tiro serve`` starts it (uvicorn, one process, the app factory) on a
free loopback port, with a temporary data directory whose SQLite database is migrated and seeded
first (``tiro db upgrade``, ``tiro db seed``). Clients are ``httpx`` async tasks in this process,
each sending its next request as soon as the last one is answered (closed loop). Bodies vary per
request — HTS codes of several chapters and regimes, origins, entry dates across the shipped
revisions, a random customs value and, for a third of them, a metal share — so an answer cache
keyed by the body could not serve them. Each level is preceded by a warm-up that is not
recorded. p50/p95/p99 are of every request's wall time at the client; non-200 answers are counted
(and make the run fail). The load average (``uptime``) before and after is recorded: the machine
is shared, and a client on the same two cores as the server costs CPU too.

    .venv/bin/python bench/tariff_quote_latency.py [--requests 600] [--label after]

Records go to bench/results/tariff_quote_latency.jsonl. Target: p99 < 50 ms at 32 clients.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "tariff_quote_latency.jsonl"
TIRO = str(Path(sys.executable).with_name("tiro"))
LEVELS = (1, 8, 32)
CODES = (
    "8703.23.01",  # passenger cars (Section 232 autos)
    "8708.99.81",  # auto parts
    "7326.90.86",  # steel articles (metal share)
    "7606.12.30",  # aluminium plate
    "8507.60.00",  # lithium-ion batteries
    "8471.50.01",  # computers
    "8542.32.00",  # memory chips
    "3304.99.50.00",  # cosmetics
    "9401.61.40.11",  # upholstered seats (wood)
    "8802.40.01",  # aircraft
    "3004.90.92",  # medicaments
    "8450.11.00",  # washing machines
)
METALS = ("73", "76", "72", "74")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def bodies(count: int, seed: int) -> list[dict]:
    """``count`` quote bodies, seeded (a *sample* of requests, not data)."""
    rng = random.Random(seed)
    start = dt.date(2025, 3, 12).toordinal()
    span = dt.date(2026, 11, 30).toordinal() - start
    out = []
    for _ in range(count):
        code = rng.choice(CODES)
        body = {
            "hts": code,
            "origin": rng.choice(("KR", "KR", "KR", "JP", "DE", "VN")),
            "entry_date": dt.date.fromordinal(start + rng.randrange(span)).isoformat(),
            "customs_value": round(rng.lognormvariate(9, 1.5), 2),
            "korus": rng.choice((True, False, None)),
        }
        if code[:2] in METALS or rng.random() < 0.2:
            body["metal_share"] = round(rng.random(), 3)
        out.append(body)
    return out


def start_server(workdir: Path) -> tuple[subprocess.Popen, str]:
    """Migrate and seed a fresh SQLite data directory, then ``tiro serve`` on a free port."""
    env = {**os.environ, "TIRO_DATA_DIR": str(workdir), "TIRO_LOG_LEVEL": "warning"}
    env.pop("TIRO_DATABASE_URL", None)
    for step in (["db", "upgrade"], ["db", "seed"]):
        subprocess.run([TIRO, *step], env=env, check=True, capture_output=True)
    port = _free_port()
    server = subprocess.Popen(
        [TIRO, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"server exited: {server.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{base}/api/v1/health", timeout=1) as answer:
                if answer.status == 200:
                    return server, base
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("server did not become healthy in 60 s")


def _server_cpu(pid: int) -> float:
    """User + system CPU seconds of the server process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def level(base: str, clients: int, work: list[dict]) -> tuple[list[float], int]:
    """Send ``work`` with ``clients`` concurrent closed-loop clients: (latencies s, non-200)."""
    latencies: list[float] = []
    failures = 0
    queue = iter(work)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:

        async def one_client() -> None:
            nonlocal failures
            for body in queue:
                started = time.perf_counter()
                answer = await client.post("/api/v1/tariff/quote", json=body)
                latencies.append(time.perf_counter() - started)
                if answer.status_code != 200:
                    failures += 1

        await asyncio.gather(*(one_client() for _ in range(clients)))
    return latencies, failures


def _quantile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=1000, method="inclusive")[round(q * 1000) - 1]


def run(requests: int, warmup: int, label: str, seed: int) -> dict:
    """Start the server, run each level, return the record."""
    uptime_before = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="tiro-latency-") as tmp:
        server, base = start_server(Path(tmp))
        try:
            results = {}
            for i, clients in enumerate(LEVELS):
                asyncio.run(level(base, clients, bodies(warmup, seed + 100 + i)))
                cpu = _server_cpu(server.pid)
                started = time.perf_counter()
                lat, failures = asyncio.run(level(base, clients, bodies(requests, seed + i)))
                wall = time.perf_counter() - started
                results[str(clients)] = {
                    "requests": len(lat),
                    "non_200": failures,
                    "p50_ms": round(_quantile(lat, 0.50) * 1000, 2),
                    "p95_ms": round(_quantile(lat, 0.95) * 1000, 2),
                    "p99_ms": round(_quantile(lat, 0.99) * 1000, 2),
                    "max_ms": round(max(lat) * 1000, 2),
                    "throughput_rps": round(len(lat) / wall, 1),
                    "server_cpu_ms_per_request": round(
                        (_server_cpu(server.pid) - cpu) * 1000 / len(lat), 2
                    ),
                }
        finally:
            server.terminate()
            server.wait(timeout=20)
    uptime_after = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    return {
        "date": dt.date.today().isoformat(),
        "label": label,
        "requests_per_level": requests,
        "warmup_per_level": warmup,
        "levels": results,
        "target": "p99 < 50 ms at 32 clients",
        "met": results["32"]["p99_ms"] < 50,
        "uptime_before": uptime_before,
        "uptime_after": uptime_after,
        "machine": f"{platform.machine()} cpus={len(os.sched_getaffinity(0))}",
        "python": platform.python_version(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=600, help="recorded requests per level")
    parser.add_argument("--warmup", type=int, default=60, help="unrecorded requests per level")
    parser.add_argument("--seed", type=int, default=20261205)
    parser.add_argument("--label", default="")
    parser.add_argument("--no-record", action="store_true", help="print, do not append")
    args = parser.parse_args()
    record = run(args.requests, args.warmup, args.label, args.seed)
    if not args.no_record:
        RESULTS.parent.mkdir(exist_ok=True)
        with RESULTS.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record) + "\n")
    for clients, r in record["levels"].items():
        print(
            f"{clients:>3} clients: p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, "
            f"p99 {r['p99_ms']} ms, {r['throughput_rps']} req/s, "
            f"server CPU {r['server_cpu_ms_per_request']} ms/req, non-200 {r['non_200']}"
        )
    print(record["uptime_before"], "|", record["uptime_after"])
    if any(r["non_200"] for r in record["levels"].values()):
        sys.exit("some requests were not answered 200")


if __name__ == "__main__":
    main()
