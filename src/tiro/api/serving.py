"""Starting the HTTP server (서버 기동): uvicorn, with the one fix several workers need.

uvicorn binds the listening socket itself when it runs several worker processes, and makes it
with ``socket.socket(family)`` — protocol 0. asyncio turns Nagle's algorithm off
(``TCP_NODELAY``) on an accepted connection only when the socket's protocol is
``IPPROTO_TCP``, so every worker answered with Nagle on: uvicorn writes the headers and the
body in two sends, the second waited for the client's delayed ACK, and each request took ~40 ms
more (measured: ``tiro serve --workers 2`` answered ~44 ms per request, even on a route that
does nothing, against ~1 ms with one process). With one process uvicorn lets asyncio make the
socket, which names the protocol; the override below names it for the workers too.
"""

from __future__ import annotations

import socket

import uvicorn
from uvicorn.supervisors import Multiprocess

APP = "tiro.api.app:create_app"


class TcpConfig(uvicorn.Config):
    """uvicorn's configuration whose bound TCP socket says it is TCP (see the module docstring)."""

    def bind_socket(self) -> socket.socket:
        sock = super().bind_socket()
        if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.proto == 0:
            tcp = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
            tcp.set_inheritable(True)
            return tcp
        return sock


def serve(host: str, port: int, log_level: str, workers: int = 1) -> None:
    """Run the API: one process as ``uvicorn.run`` would, or ``workers`` processes sharing one
    listening socket that turns Nagle off on every connection."""
    config = TcpConfig(
        APP, factory=True, host=host, port=port, log_level=log_level, workers=workers
    )
    if config.workers > 1:
        Multiprocess(config, sockets=[config.bind_socket()]).run()
        return
    uvicorn.Server(config).run()
