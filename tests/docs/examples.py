"""The shell examples of the README and docs/, found and run exactly as printed.

An example is a command in a ```bash``/```console`` block: in ``bash`` blocks every line that
is not a comment (with its ``\\`` continuation lines), in ``console`` blocks every line after
``$ `` (the lines up to the next ``$ `` are its printed output). ```text`` blocks hold
synopses with placeholders and are not run.

A page runs in one bash session, as a reader would type it after ``make run`` and the one
line ``source .venv/bin/activate``: in a scratch directory holding ``src`` and ``.venv`` as
links to the checkout (so relative paths in the examples resolve and their output files stay
out of the tree), on a fresh migrated and seeded database. ``curl`` reaches the page's
``tiro serve`` through ``--connect-to``: printed ``localhost:8000`` is dialled at the free port
the test server listens on, nothing in the command is rewritten.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV = Path(sys.prefix)  # the environment running the tests: the one `make` built
RUN_LANGS = {"bash", "console", "sh", "shell"}

# Not run by the page's session, because the harness does them itself: ``make`` is what set up
# the environment the examples run in, and ``tiro serve`` is started for the page (it blocks).
HARNESS = {"make run", "make test", "tiro serve"}


@dataclass(frozen=True)
class Example:
    """One command as printed, where it is printed, and what the page says it answers."""

    page: str
    line: int
    command: str
    output: str = ""

    @property
    def expects_error(self) -> bool:
        """A console example whose printed output is an ``error:`` line must fail like that."""
        return self.output.lstrip().startswith("error:")

    @property
    def head(self) -> str:
        """The command without its trailing comment: what the harness list is matched on."""
        return self.command.split("#", 1)[0].strip()


def pages() -> list[Path]:
    """README.md and every hand-written page of docs/ (the generated reference is not prose)."""
    docs = sorted(p for p in (ROOT / "docs").rglob("*.md") if "reference" not in p.parts)
    return [ROOT / "README.md", *docs]


def _blocks(text: str) -> list[tuple[str, int, list[str]]]:
    """(language, first line number, lines) of every fenced block."""
    found: list[tuple[str, int, list[str]]] = []
    lang: str | None = None
    start = 0
    body: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("```"):
            if lang is None:
                lang, start, body = line[3:].strip().lower(), number + 1, []
            else:
                found.append((lang, start, body))
                lang = None
            continue
        if lang is not None:
            body.append(line)
    return found


def examples(page: Path) -> list[Example]:
    """Every runnable example of ``page``, in reading order."""
    rel = page.relative_to(ROOT).as_posix()
    found: list[Example] = []
    for lang, start, body in _blocks(page.read_text(encoding="utf-8")):
        if lang not in RUN_LANGS:
            continue
        i = 0
        while i < len(body):
            line = body[i]
            number = start + i
            i += 1
            if lang == "console":
                if not line.startswith("$ "):
                    continue
                line = line[2:]
            elif not line.strip() or line.lstrip().startswith("#"):
                continue
            command = [line]
            while _incomplete("\n".join(command)) and i < len(body):
                command.append(body[i])
                i += 1
            output: list[str] = []
            if lang == "console":
                while i < len(body) and not body[i].startswith("$ "):
                    output.append(body[i])
                    i += 1
            found.append(Example(rel, number, "\n".join(command), "\n".join(output)))
    return found


def _incomplete(command: str) -> bool:
    """Whether bash would read another line: a trailing backslash or an open quote."""
    if command.split(" #", 1)[0].rstrip().endswith("\\"):
        return True
    try:
        shlex.split(command, comments=True)
    except ValueError:
        return True
    return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Ran:
    """What one example did."""

    example: Example
    code: int
    stdout: str
    stderr: str


def _script(items: list[Example], out: Path, port: int) -> str:
    """The page as one bash session; each example's streams and status go to files."""
    lines = [
        "set +e",
        # What the README asks a reader to type once, before the tour.
        "source .venv/bin/activate",
        "curl() { command curl --fail-with-body --connect-to localhost:8000:127.0.0.1:"
        f'{port} --connect-to 127.0.0.1:8000:127.0.0.1:{port} "$@"; }}',
    ]
    for n, item in enumerate(items):
        lines += [
            f"{{\n{item.command}\n}} >{out}/{n}.out 2>{out}/{n}.err </dev/null",
            f"echo $? >{out}/{n}.rc",
        ]
    return "\n".join(lines) + "\n"


def _wait_healthy(port: int, server: subprocess.Popen, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"tiro serve exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("tiro serve not healthy in time")


def run_page(page: Path, scratch: Path) -> list[Ran]:
    """Run every example of ``page`` in order; the harness lines are left to the harness."""
    items = [e for e in examples(page) if e.head not in HARNESS]
    (scratch / "src").symlink_to(ROOT / "src")
    (scratch / ".venv").symlink_to(VENV)
    out = scratch / ".examples"
    out.mkdir()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIRO_")}
    env.update(
        TIRO_DATA_DIR=str(scratch / "var"),
        TIRO_PORT=str(port),
        TIRO_HOST="127.0.0.1",
        COLUMNS="80",
        TERM="dumb",
    )
    tiro = str(VENV / "bin" / "tiro")
    for step in (["db", "upgrade"], ["db", "seed"]):  # what `make run` did before the tour
        subprocess.run([tiro, *step], cwd=scratch, env=env, check=True, capture_output=True)
    server = None
    if any(e.head.startswith("curl") for e in items):
        server = subprocess.Popen(
            [tiro, "serve"],
            cwd=scratch,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_healthy(port, server)
    try:
        subprocess.run(
            ["bash", "-c", _script(items, out, port)],
            cwd=scratch,
            env=env,
            check=False,
            timeout=1200,
        )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)

    def read(name: str) -> str:
        path = out / name
        return path.read_text(errors="replace") if path.exists() else ""

    return [
        Ran(item, int(read(f"{n}.rc").strip() or -1), read(f"{n}.out"), read(f"{n}.err"))
        for n, item in enumerate(items)
    ]


def problem(ran: Ran) -> str | None:
    """Why an example did not do what its page says, or None."""
    ex = ran.example
    where = f"{ex.page}:{ex.line}: {ex.command.splitlines()[0]}"
    if ex.expects_error:
        first = ran.stderr.strip().splitlines()[:1]
        if ran.code == 0 or not first or not first[0].startswith("error:"):
            return f"{where}: expected a one-line error, got exit {ran.code} {ran.stderr[-300:]!r}"
        return None
    if ran.code != 0:
        return f"{where}: exit {ran.code}: {(ran.stderr or ran.stdout).strip()[-400:]}"
    if ex.head.startswith("tiro") and "--json" in ex.head.split():
        try:
            json.loads(ran.stdout)
        except ValueError:
            return f"{where}: --json output is not JSON: {ran.stdout[:200]!r}"
    if re.search(r"Traceback \(most recent call last\)", ran.stderr):
        return f"{where}: printed a traceback"
    return None
