"""``tiro serve``: the listening socket is TCP by protocol, so every accepted connection gets
``TCP_NODELAY`` from asyncio — with several workers too, where uvicorn made it protocol 0 and
each answer waited ~40 ms for the client's delayed ACK (bench/results/tariff_quote_latency.md)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tiro.api.serving import TcpConfig


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_bound_socket_and_its_connections_say_they_are_tcp() -> None:
    plain = socket.socket(socket.AF_INET)  # what uvicorn makes: protocol 0
    assert plain.proto == 0
    plain.close()
    config = TcpConfig("tiro.api.app:create_app", factory=True, host="127.0.0.1", port=0)
    listener = config.bind_socket()
    try:
        assert (listener.family, listener.proto) == (socket.AF_INET, socket.IPPROTO_TCP)
        listener.listen()
        client = socket.create_connection(listener.getsockname())
        conn, _ = listener.accept()
        # asyncio's _set_nodelay turns Nagle off only for a socket of protocol IPPROTO_TCP
        assert conn.proto == socket.IPPROTO_TCP
        conn.close()
        client.close()
    finally:
        listener.close()


def test_two_workers_answer(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "TIRO_DATA_DIR": str(tmp_path)}
    tiro = str(Path(sys.executable).with_name("tiro"))
    subprocess.run([tiro, "db", "upgrade"], env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [tiro, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            while True:
                try:
                    r = client.get("/api/v1/health")
                    break
                except httpx.TransportError:
                    assert time.monotonic() < deadline, "tiro serve --workers 2 did not start"
                    time.sleep(0.2)
            assert r.status_code == 200
            assert [client.get("/api/v1/health").status_code for _ in range(5)] == [200] * 5
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
