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


ROUTES = {
    "quote": ("POST", "/api/v1/tariff/quote"),
    "health": ("GET", "/api/v1/health"),
    "validate": ("POST", "/bench/validate"),
    "validate-async": ("POST", "/bench/validate-async"),
}
"""What a level requests: the quote, or a floor (``health``: no body; ``validate``: the quote
body parsed by its pydantic model and nothing priced, ``bench/quote_floor_app.py``)."""


def start_server(
    workdir: Path, route: str = "quote", workers: int = 1
) -> tuple[subprocess.Popen, str]:
    """Migrate and seed a fresh SQLite data directory, then ``tiro serve`` on a free port (the
    floor routes ``validate*``: uvicorn on ``bench/quote_floor_app.py``)."""
    env = {**os.environ, "TIRO_DATA_DIR": str(workdir), "TIRO_LOG_LEVEL": "warning"}
    env.pop("TIRO_DATABASE_URL", None)
    for step in (["db", "upgrade"], ["db", "seed"]):
        subprocess.run([TIRO, *step], env=env, check=True, capture_output=True)
    port = _free_port()
    command = [TIRO, "serve", "--host", "127.0.0.1", "--port", str(port)]
    if workers > 1:
        command += ["--workers", str(workers)]
    if route.startswith("validate"):
        command = [sys.executable, "-m", "uvicorn", "quote_floor_app:create", "--factory"]
        command += ["--app-dir", str(HERE), "--host", "127.0.0.1", "--port", str(port)]
        command += ["--log-level", "warning", "--workers", str(workers)]
    server = subprocess.Popen(
        command,
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


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (``--workers``: uvicorn's worker processes)."""
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            todo += [int(child) for child in task.read_text().split()]
    return out


def _server_cpu(pid: int) -> float:
    """User + system CPU seconds of the server process and its workers so far (Linux /proc)."""
    total = 0
    for each in _tree(pid):
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


async def level(
    base: str, clients: int, work: list[dict], route: str = "quote", client: str = "httpx"
) -> tuple[list[float], int]:
    """Send ``work`` with ``clients`` concurrent closed-loop clients: (latencies s, non-200)."""
    if client == "raw":
        return await raw_level(base, clients, work, route)
    latencies: list[float] = []
    failures = 0
    queue = iter(work)
    method, path = ROUTES[route]
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:

        async def one_client() -> None:
            nonlocal failures
            for body in queue:
                started = time.perf_counter()
                if method == "GET":
                    answer = await client.get(path)
                else:
                    answer = await client.post(path, json=body)
                latencies.append(time.perf_counter() - started)
                if answer.status_code != 200:
                    failures += 1

        await asyncio.gather(*(one_client() for _ in range(clients)))
    return latencies, failures


async def raw_level(
    base: str, clients: int, work: list[dict], route: str
) -> tuple[list[float], int]:
    """As ``level`` with a minimal HTTP/1.1 keep-alive client on asyncio streams (one
    connection per client, the body read by its Content-Length): httpx costs the bench ~1.5-3.5
    ms of CPU per request on the two cores the server also runs on, this about a tenth of it,
    so the server's latency is what is measured (``--client raw``)."""
    host, port = base.removeprefix("http://").split(":")
    method, path = ROUTES[route]
    latencies: list[float] = []
    failures = 0
    queue = iter(work)

    async def one_client() -> None:
        nonlocal failures
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            for body in queue:
                payload = b"" if method == "GET" else json.dumps(body).encode()
                head = (
                    f"{method} {path} HTTP/1.1\r\nHost: {host}\r\n"
                    f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
                )
                started = time.perf_counter()
                writer.write(head.encode() + payload)
                status_line = await reader.readline()
                length = 0
                while (line := await reader.readline()) not in (b"\r\n", b""):
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                await reader.readexactly(length)
                latencies.append(time.perf_counter() - started)
                if status_line.split()[1] != b"200":
                    failures += 1
        finally:
            writer.close()

    await asyncio.gather(*(one_client() for _ in range(clients)))
    return latencies, failures


def _quantile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=1000, method="inclusive")[round(q * 1000) - 1]


def run(
    requests: int,
    warmup: int,
    label: str,
    seed: int,
    route: str = "quote",
    workers: int = 1,
    client: str = "httpx",
) -> dict:
    """Start the server, run each level, return the record."""
    uptime_before = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="tiro-latency-") as tmp:
        server, base = start_server(Path(tmp), route, workers)
        try:
            results = {}
            for i, clients in enumerate(LEVELS):
                asyncio.run(level(base, clients, bodies(warmup, seed + 100 + i), route, client))
                cpu, own = _server_cpu(server.pid), time.process_time()
                started = time.perf_counter()
                lat, failures = asyncio.run(
                    level(base, clients, bodies(requests, seed + i), route, client)
                )
                wall = time.perf_counter() - started
                own = time.process_time() - own
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
                    "client_cpu_ms_per_request": round(own * 1000 / len(lat), 2),
                }
        finally:
            server.terminate()
            server.wait(timeout=20)
    uptime_after = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    return {
        "date": dt.date.today().isoformat(),
        "label": label,
        "route": " ".join(ROUTES[route]),
        "workers": workers,
        "client": client,
        "requests_per_level": requests,
        "warmup_per_level": warmup,
        "levels": results,
        "target": "p99 < 50 ms at 32 clients",
        "met": route == "quote" and results["32"]["p99_ms"] < 50,
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
    parser.add_argument("--route", choices=sorted(ROUTES), default="quote")
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    parser.add_argument("--client", choices=("httpx", "raw"), default="httpx")
    parser.add_argument("--no-record", action="store_true", help="print, do not append")
    args = parser.parse_args()
    record = run(
        args.requests, args.warmup, args.label, args.seed, args.route, args.workers, args.client
    )
    if not args.no_record:
        RESULTS.parent.mkdir(exist_ok=True)
        with RESULTS.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record) + "\n")
    for clients, r in record["levels"].items():
        print(
            f"{clients:>3} clients: p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, "
            f"p99 {r['p99_ms']} ms, {r['throughput_rps']} req/s, "
            f"server CPU {r['server_cpu_ms_per_request']} ms/req, "
            f"client CPU {r['client_cpu_ms_per_request']} ms/req, non-200 {r['non_200']}"
        )
    print(record["uptime_before"], "|", record["uptime_after"])
    if any(r["non_200"] for r in record["levels"].values()):
        sys.exit("some requests were not answered 200")


if __name__ == "__main__":
    main()
