"""The child's audit hook (PEP 578): a tripwire that ends the child on a forbidden act.

The hook is installed after the child has read its data and imported what the recipe needs,
and just before the recipe runs; ``sys.addaudithook`` hooks cannot be removed. On a
refused event it writes a fixed-form refusal (the event's name only, never its arguments,
which user code controls) to the result pipe and ends the process with ``os._exit`` — the
code cannot catch it and carry on.

PEP 578 is explicit that audit hooks are not a sandbox: native code (Polars' Rust readers
and writers, numpy) does not raise events, and determined Python can reach objects the hook
does not see. The boundaries are the process, its rlimits and, where available, the
namespaces (:mod:`.isolation`); this hook makes the ordinary routes (sockets, urllib,
subprocess, fork, ctypes, writing or reading files outside the run's directory) fail loudly
and early, also where namespaces are unavailable.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable

REFUSED_EXACT = frozenset(
    {
        "subprocess.Popen", "os.system", "os.posix_spawn", "os.spawn", "os.fork",
        "os.forkpty", "os.exec", "os.kill", "os.killpg", "signal.pthread_kill", "pty.spawn",
        "sys.addaudithook", "sys._current_frames", "gc.get_objects", "gc.get_referrers",
        "gc.get_referents", "sys.setprofile", "sys.settrace", "os.startfile",
        "webbrowser.open", "shutil.rmtree", "os.add_dll_directory",
    }
)  # fmt: skip
REFUSED_PREFIX = ("socket.", "ctypes.", "urllib.", "http.", "ftplib.", "smtplib.", "winreg.")
PATH_EVENTS = frozenset(
    {
        "os.remove", "os.rename", "os.rmdir", "os.mkdir", "os.chmod", "os.chown",
        "os.truncate", "os.utime", "os.link", "os.symlink", "os.chflags", "os.setxattr",
        "os.removexattr", "shutil.copyfile", "shutil.move", "shutil.copytree",
    }
)  # fmt: skip
DANGEROUS_MODULES = frozenset(
    {
        "ctypes", "_ctypes", "cffi", "_cffi_backend", "socket", "_socket", "ssl", "_ssl",
        "select", "selectors", "subprocess", "_posixsubprocess", "multiprocessing",
        "concurrent", "asyncio", "http", "urllib", "ftplib", "smtplib", "poplib", "imaplib",
        "telnetlib", "nntplib", "xmlrpc", "socketserver", "webbrowser", "pty", "mmap",
        "resource", "signal", "_signal", "faulthandler", "tracemalloc", "importlib.machinery",
        "zipimport", "sqlite3", "_sqlite3",
        "requests", "httpx", "urllib3", "aiohttp", "paramiko", "psutil",
    }
)  # fmt: skip
"""Modules user code may not import (top-level name or the exact dotted name)."""

KEEP_LOADED = frozenset({"ctypes", "_ctypes"})
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
EXIT_REFUSED = 70


def _no_fork_exec(*_: object) -> None:
    raise PermissionError("process creation is not allowed in the sandbox")


def _within(path: str, roots: tuple[str, ...]) -> bool:
    real = os.path.realpath(path)
    return any(real == r or real.startswith(r + os.sep) for r in roots)


def install(tmp: str, result_fd: int, read_roots: Iterable[str]) -> None:
    """Install the hook: writes only inside ``tmp``, reads inside ``tmp`` or ``read_roots``."""
    write_roots = (os.path.realpath(tmp),)
    reads = tuple(sorted({os.path.realpath(r) for r in (*read_roots, tmp)}))
    dev_ok = ("/dev/null", "/dev/urandom", "/dev/random")

    def refuse(event: str) -> None:
        try:
            os.write(result_fd, b"E" + json.dumps({"code": "refused", "event": event}).encode())
        finally:
            os._exit(EXIT_REFUSED)

    def hook(event: str, args: tuple) -> None:
        if event in REFUSED_EXACT or event.startswith(REFUSED_PREFIX):
            refuse(event)
        elif event == "import":
            name = str(args[0])
            if name in DANGEROUS_MODULES or name.split(".")[0] in DANGEROUS_MODULES:
                refuse(f"import {name}" if len(name) <= 60 else "import")
        elif event == "open":
            path, mode, flags = args[0], args[1], args[2]
            if not isinstance(path, str | bytes):
                return  # an already-open descriptor: its rights were fixed when it opened
            path = os.fsdecode(path)
            writing = (mode is not None and any(c in str(mode) for c in "wax+")) or (
                isinstance(flags, int) and flags & WRITE_FLAGS
            )
            if writing and not _within(path, write_roots):
                refuse("open for writing outside the run directory")
            if not writing and path not in dev_ok and not _within(path, reads):
                refuse("open for reading outside the run directory")
        elif event in PATH_EVENTS:
            paths = [a for a in args if isinstance(a, str | bytes)]
            if any(not _within(os.fsdecode(p), write_roots) for p in paths):
                refuse(f"{event} outside the run directory")

    # A module already imported raises no "import" event; forget the dangerous ones so that
    # user code importing them goes through the import system, and the hook, again. ctypes
    # stays (numpy and Polars reach for it lazily, e.g. in to_numpy): every use of it raises
    # a ctypes.* event, which is refused.
    # Other modules keep references (polars holds ``subprocess``), and ``_fork_exec`` raises
    # no audit event: take it out of the module itself (found by trying, see the tests).
    loaded = sys.modules.get("subprocess")
    if loaded is not None and hasattr(loaded, "_fork_exec"):
        loaded._fork_exec = _no_fork_exec
    for name in [m for m in sys.modules if m.split(".")[0] in DANGEROUS_MODULES - KEEP_LOADED]:
        del sys.modules[name]
    sys.addaudithook(hook)
