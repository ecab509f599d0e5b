"""Run one recipe on one asset in a separate, limited process and collect its answer.

Each run gets a fresh temp directory (mode 0700) holding a read-only copy of the asset and
the request; the child (``python -I -m …child``, a clean environment with one thread per
numeric library) starts there with rlimits set in ``preexec_fn``, inside the namespaces of
:mod:`.isolation` when the machine allows them. The parent reads the result pipe and the
child's stderr until the child exits, the wall clock runs out (the whole process group is
killed) or the answer exceeds ``max_output_bytes`` (killed, unread). The directory is
removed afterwards, whatever happened; the asset's SHA-256 is compared before and after.

Statuses: ``ok`` (an answer), ``failed`` (the recipe or code raised, or its answer is not a
table or mapping), ``killed`` (a limit or the audit hook stopped it). Each reason starts
with the rule that decided it: ``cpu_seconds``, ``memory_mb``, ``wall_seconds``,
``max_output_bytes``, ``network``, ``process``, ``filesystem``, ``import``,
``native_code``, ``audit``, ``asset_modified``, a recipe's field, ``user_code``, ``output``.
A user-code failure reports only the builtin exception type and line number: text the code
makes could carry data.

Contract kept; additions: ``limits`` may be omitted (the parameters' values today),
``run_frame`` for in-memory tables, and ``SandboxResult.isolation`` (``root``, ``namespaces`` or
``audit hook and rlimits only``) plus ``usage()``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import polars as pl

from tiro.core.errors import NotFound
from tiro.manufacturing.library.recipes import Recipe, UserCodeRecipe, recipe_json
from tiro.manufacturing.library.sandbox.isolation import (
    SANDBOX_PATH,
    isolation_mode,
    namespace_prefix,
    root_prefix,
)
from tiro.manufacturing.library.sandbox.limits import Limits, default_limits, preexec
from tiro.manufacturing.library.sandbox.verdict import verdict

CHILD = "tiro.manufacturing.library.sandbox.child"
STDERR_TAIL = 16_384
THREAD_VARS = ("POLARS_MAX_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
               "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS", "RAYON_NUM_THREADS")  # fmt: skip


@dataclass(frozen=True)
class SandboxResult:
    """What came back: the answer only when ``status`` is ``ok``; the measured usage always."""

    status: Literal["ok", "failed", "killed"]
    reason: str | None
    output: pl.DataFrame | dict | None
    cpu_seconds: float
    max_rss_mb: float
    wall_seconds: float
    isolation: str = "namespaces"

    def usage(self) -> dict[str, Any]:
        """JSON-ready status, reason and measurements (no output)."""
        return {
            "status": self.status, "reason": self.reason, "cpu_seconds": self.cpu_seconds,
            "max_rss_mb": self.max_rss_mb, "wall_seconds": self.wall_seconds,
            "isolation": self.isolation,
        }  # fmt: skip


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _env(run_dir: Path) -> dict[str, str]:
    env = {"PATH": SANDBOX_PATH, "HOME": str(run_dir), "TMPDIR": str(run_dir),
           "LANG": "C.UTF-8", "MPLBACKEND": "Agg", "MALLOC_ARENA_MAX": "1"}  # fmt: skip
    return {**env, **dict.fromkeys(THREAD_VARS, "1")}


def _hidden(data_path: Path, run_dir: Path) -> tuple[Path, ...]:
    """Directories to cover in the child: the asset's and the library's data directory,
    unless one holds something the child needs (Python, tiro, its own run directory)."""
    import tiro
    from tiro.core.settings import get_settings

    needed = [run_dir, Path(sys.prefix), Path(sys.base_prefix), Path(sys.executable),
              Path(tiro.__file__).parent]  # fmt: skip
    needed = [p.resolve() for p in needed]
    out: list[Path] = []
    for d in (data_path.parent, get_settings().data_dir):
        d = d.resolve()
        if d.is_dir() and d not in out and not any(n == d or d in n.parents for n in needed):
            out.append(d)
    return tuple(out)


def run(recipe: Recipe, data_path: Path, *, limits: Limits | None = None) -> SandboxResult:
    """Run ``recipe`` on the table in ``data_path`` (Parquet, CSV or Arrow IPC) in the sandbox."""
    limits = limits or default_limits()
    data_path = Path(data_path)
    if not data_path.is_file():
        raise NotFound(f"no data file {data_path.name!r}", field="data_path")
    before = _sha256(data_path)
    tmp = Path(tempfile.mkdtemp(prefix="tiro-sandbox-"))
    try:
        run_dir = tmp / "run"
        run_dir.mkdir(mode=0o700)
        suffix = data_path.suffix if data_path.suffix in (".parquet", ".csv") else ".arrow"
        local = run_dir / f"data{suffix}"
        shutil.copyfile(data_path, local)
        local.chmod(0o444)
        request = {"recipe": recipe_json(recipe), "data": local.name}
        (run_dir / "request.json").write_text(json.dumps(request))
        mode = isolation_mode()
        if mode == "root":
            prefix = root_prefix(run_dir)
        elif mode == "namespaces":
            prefix = namespace_prefix(run_dir, _hidden(data_path, run_dir))
        else:
            prefix = []
        result = _spawn(recipe, run_dir, limits, prefix, mode or "audit hook and rlimits only")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if _sha256(data_path) != before:
        return SandboxResult("failed", "asset_modified: the asset file changed during the run",
                             None, result.cpu_seconds, result.max_rss_mb, result.wall_seconds,
                             result.isolation)  # fmt: skip
    return result


def run_frame(
    recipe: Recipe, frame: pl.DataFrame, *, limits: Limits | None = None
) -> SandboxResult:
    """Run on an in-memory table (a mock twin) through the same sandbox: written to a
    private temp Parquet file first."""
    with tempfile.TemporaryDirectory(prefix="tiro-frame-") as tmp:
        path = Path(tmp) / "frame.parquet"
        frame.write_parquet(path)
        return run(recipe, path, limits=limits)


def _spawn(
    recipe: Recipe, run_dir: Path, limits: Limits, prefix: list[str], isolation: str
) -> SandboxResult:
    read_fd, write_fd = os.pipe()
    command = [sys.executable, "-I", "-m", CHILD, str(write_fd)]
    command = [*prefix, *command]
    started = time.monotonic()
    with (run_dir / "request.json").open("rb") as request:
        proc = subprocess.Popen(
            command, stdin=request, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            cwd=run_dir, env=_env(run_dir), pass_fds=(write_fd,), close_fds=True,
            preexec_fn=preexec(limits), start_new_session=True,
        )  # fmt: skip
    os.close(write_fd)
    out, stop, status, usage = _collect(proc, read_fd, limits, started)
    wall = time.monotonic() - started
    cpu = usage.ru_utime + usage.ru_stime if usage else 0.0
    rss = usage.ru_maxrss / 1024 if usage else 0.0
    ended = stop or verdict(out, status, cpu, limits, isinstance(recipe, UserCodeRecipe))
    kind, reason, output = ended
    return SandboxResult(
        kind, reason, output, round(cpu, 3), round(rss, 1), round(wall, 3), isolation
    )


def _collect(proc: subprocess.Popen, read_fd: int, limits: Limits, started: float) -> tuple:
    """Read the pipes until the child exits; enforce the wall clock and the output cap."""
    chunks: list[bytes] = []
    size = 0
    stop = None
    sel = selectors.DefaultSelector()
    sel.register(read_fd, selectors.EVENT_READ, "out")
    assert proc.stderr is not None
    sel.register(proc.stderr.fileno(), selectors.EVENT_READ, "err")
    status, usage = None, None
    open_fds = 2
    try:
        while True:
            remaining = limits.wall_seconds - (time.monotonic() - started)
            if remaining <= 0:
                stop = ("killed", f"wall_seconds: stopped at the wall-clock limit of "
                        f"{limits.wall_seconds:g} s", None)  # fmt: skip
                break
            for key, _ in sel.select(timeout=min(remaining, 0.05)) if open_fds else ():
                data = os.read(key.fd, 65536)
                if not data:
                    sel.unregister(key.fd)
                    open_fds -= 1
                elif key.data == "out":
                    size += len(data)
                    chunks.append(data)
                    if size > limits.max_output_bytes + 1:
                        stop = ("killed", f"max_output_bytes: the answer exceeded "
                                f"{limits.max_output_bytes} bytes", None)  # fmt: skip
                        break
            if stop:
                break
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                proc.returncode = status
                _drain(read_fd, chunks, limits)
                with contextlib.suppress(ProcessLookupError):  # anything it left behind
                    os.killpg(proc.pid, signal.SIGKILL)
                break
            if not open_fds:
                time.sleep(0.01)
    finally:
        if proc.returncode is None:
            status, usage = _kill(proc)
            proc.returncode = status
        sel.close()
        os.close(read_fd)
        proc.stderr.close()
    payload = b"".join(chunks)
    if stop is None and len(payload) > limits.max_output_bytes + 1:
        stop = ("killed", f"max_output_bytes: the answer exceeded {limits.max_output_bytes} bytes",
                None)  # fmt: skip
    return payload, stop, status, usage


def _drain(fd: int, chunks: list[bytes], limits: Limits) -> None:
    os.set_blocking(fd, False)
    total = sum(map(len, chunks))
    while total <= limits.max_output_bytes + 1:
        try:
            data = os.read(fd, 65536)
        except BlockingIOError:
            return
        if not data:
            return
        chunks.append(data)
        total += len(data)


def _kill(proc: subprocess.Popen) -> tuple[int, Any]:
    """Kill the run and reap it: ``unshare``'s own child first, so that ``unshare`` reaps it
    and the usage it reports includes the child's CPU time; then the whole process group."""
    try:
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
    except OSError:
        children = []
    for child in children:
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(child), signal.SIGKILL)
    deadline = time.monotonic() + 1.0
    while children and time.monotonic() < deadline:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            return status, usage
        time.sleep(0.01)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    _, status, usage = os.wait4(proc.pid, 0)
    return status, usage
