"""How a sandbox run ended, as (status, reason, output): the answer on the pipe, the exit.

Reasons come from a fixed vocabulary, each starting with the rule that decided it; only a
registered recipe's own error message (trusted code) is passed through. See
:mod:`.runner` for the statuses.
"""

from __future__ import annotations

import io
import json
import os
import signal
from typing import Any

import polars as pl

from tiro.manufacturing.library.sandbox import guard
from tiro.manufacturing.library.sandbox.limits import Limits

_RULES = (("socket.", "network"), ("urllib.", "network"), ("http.", "network"),
          ("ctypes.", "native_code"), ("import", "import"), ("open", "filesystem"),
          ("os.remove", "filesystem"), ("os.", "process"), ("subprocess", "process"),
          ("pty.", "process"), ("signal.", "process"))  # fmt: skip


def _refusal(event: Any) -> str:
    allowed = guard.REFUSED_EXACT | guard.PATH_EVENTS
    event = str(event)[:80]
    known = (
        event in allowed
        or event.startswith(guard.REFUSED_PREFIX)
        or event.startswith(("import ", "open for "))
        or event.endswith("run directory")
    )
    if not known:
        return "audit: refused an operation"
    if event.endswith("outside the run directory") and not event.startswith("open"):
        return f"filesystem: refused {event}"
    rule = next((r for prefix, r in _RULES if event.startswith(prefix)), "audit")
    return f"{rule}: refused {event}"


def verdict(payload: bytes, status: int | None, cpu: float, limits: Limits, user: bool) -> tuple:
    """(status, reason, output) from the answer and how the process ended."""
    signo = os.WTERMSIG(status) if status is not None and os.WIFSIGNALED(status) else None
    if signo in (signal.SIGXCPU, signal.SIGKILL) or cpu >= limits.cpu_seconds:
        return ("killed", f"cpu_seconds: stopped at the CPU-time limit of {limits.cpu_seconds:g} s "
                f"after {cpu:.2f} s", None)  # fmt: skip
    if signo == signal.SIGXFSZ:
        return ("killed", f"max_output_bytes: a file the code wrote exceeded "
                f"{limits.max_output_bytes} bytes", None)  # fmt: skip
    if signo is not None:
        name = signal.Signals(signo).name
        return ("killed", f"memory_mb: the process died of {name}, typically an allocation "
                f"refused at the memory limit of {limits.memory_mb} MB", None)  # fmt: skip
    tag, body = payload[:1], payload[1:]
    if tag == b"F":
        try:
            return ("ok", None, pl.read_ipc(io.BytesIO(body)))
        except Exception:
            return ("failed", "output: the answer is not a readable Arrow table", None)
    if tag == b"J":
        try:
            data = json.loads(body)
        except ValueError:
            return ("failed", "output: the answer is not valid JSON", None)
        if not isinstance(data, dict):
            return ("failed", "output: the answer is not a mapping", None)
        return ("ok", None, data)
    if tag == b"E":
        try:
            error = json.loads(body)
        except ValueError:
            error = {}
        return _error_verdict(error if isinstance(error, dict) else {}, limits, user)
    code = os.WEXITSTATUS(status) if status is not None and os.WIFEXITED(status) else None
    return ("failed", f"exit: the process ended with status {code} and no answer", None)


def _error_verdict(error: dict, limits: Limits, user: bool) -> tuple:
    code = error.get("code")
    if code == "refused":
        return ("killed", _refusal(error.get("event")), None)
    if code == "memory":
        return ("killed", f"memory_mb: an allocation was refused at the memory limit of "
                f"{limits.memory_mb} MB (MemoryError)", None)  # fmt: skip
    if code == "recipe_error" and not user:
        return ("failed", f"{error.get('field') or 'recipe'}: {error.get('message')}", None)
    if code == "bad_output":
        kind = str(error.get("type"))[:40]
        return ("failed", f"output: analyse returned {kind}, not a polars DataFrame or dict", None)
    if code == "error":
        kind = str(error.get("type"))[:40]
        line = error.get("line")
        where = f" on line {line}" if isinstance(line, int) else ""
        return ("failed", f"user_code: {kind}{where}" if user else f"recipe: {kind}", None)
    if code == "setup":
        return ("failed", "setup: the sandbox could not read the request or the data", None)
    return ("failed", "output: the answer is not in the sandbox's format", None)
