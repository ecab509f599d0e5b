"""Two approvals or two executions of one request at once: exactly one wins (both databases).

The transitions are ``UPDATE … WHERE state = expected``. On PostgreSQL the threads are held
at a barrier after both have read the request as ``pending``/``approved`` and before either
updates, so both pass every check and race on the update itself: the second waits on the
row lock, then finds no row in the expected state and is refused. SQLite serialises the two
write transactions from BEGIN IMMEDIATE, so the second sees the first's state when it reads.
The CLI test does the same with two real processes. Figures are printed for the report.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections import Counter

import pytest
from sqlalchemy import func, select

from tiro.core.audit import verify_chain
from tiro.core.db import get_engine, session_factory
from tiro.core.errors import Conflict
from tiro.core.models import AuditEntry
from tiro.manufacturing.library import requests
from tiro.manufacturing.library.tables import LibraryRequest

from .library_factories import approved, finalised, solder

pytestmark = pytest.mark.postgres
R = "manufacturing.library.request."


def _race(url: str, db_backend: str, monkeypatch, calls) -> tuple[list, bool]:
    """Run each ``calls[i](session)`` in its own thread and session at the same moment."""
    met = {"both_read": False}
    if db_backend == "postgresql":
        barrier = threading.Barrier(len(calls), timeout=20)
        real = requests.guarded_transition

        def held(session, request_id, expected, *args, **kwargs):
            if expected in ("pending", "approved"):
                barrier.wait()  # every thread has read the request in the expected state
                met["both_read"] = True
            return real(session, request_id, expected, *args, **kwargs)

        monkeypatch.setattr(requests, "guarded_transition", held)
    start = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def worker(i: int) -> None:
        session = session_factory(get_engine(url))()
        start.wait()
        try:
            outcomes[i] = calls[i](session)
        except Exception as exc:  # the loser's Conflict is the point
            outcomes[i] = exc
        finally:
            session.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return outcomes, met["both_read"]


def _audit_counts(session) -> Counter:
    rows = session.execute(
        select(AuditEntry.action, func.count()).where(AuditEntry.action.like(R + "%"))
        .group_by(AuditEntry.action)
    ).all()  # fmt: skip
    return Counter(dict(rows))


def test_two_concurrent_approvals_one_wins(lib, configured, db_backend, monkeypatch, capsys):
    contract_id = finalised(lib, solder(lib))
    r = requests.submit(session=lib, actor="ana", contract_id=contract_id,
                        recipe={"kind": "aggregate", "group_by": ["Mask"]})  # fmt: skip
    calls = [lambda s, who=who: requests.approve(session=s, actor=who, request_id=r["id"])
             for who in ("sam", "admin")]  # fmt: skip
    outcomes, raced = _race(configured, db_backend, monkeypatch, calls)
    wins = [o for o in outcomes if isinstance(o, dict)]
    losses = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(wins) == 1 and len(losses) == 1, outcomes
    assert wins[0]["state"] == "approved"
    assert "needs pending" in losses[0].message
    lib.expire_all()
    row = lib.get(LibraryRequest, r["id"])
    assert row.state == "approved" and row.decided_by == wins[0]["decided_by"]
    counts = _audit_counts(lib)
    assert counts[R + "approve"] == 1 and counts[R + "approve.refused"] == 1
    assert db_backend == "sqlite" or raced  # on PostgreSQL both had read 'pending'
    with capsys.disabled():
        print(f"\n[library approvals, {db_backend}] threads=2 approved=1 refused=1 "
              f"both_read_pending={raced} winner={row.decided_by} chain_ok={verify_chain(lib).ok}")  # fmt: skip


def test_two_concurrent_executions_run_the_sandbox_once(
    lib, configured, db_backend, monkeypatch, capsys
):
    request_id = approved(lib, finalised(lib, solder(lib)))
    calls = [lambda s, who=who: requests.execute(session=s, actor=who, request_id=request_id)
             for who in ("sam", "ana")]  # fmt: skip
    outcomes, raced = _race(configured, db_backend, monkeypatch, calls)
    wins = [o for o in outcomes if isinstance(o, dict)]
    losses = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(wins) == 1 and len(losses) == 1, outcomes
    assert wins[0]["state"] == "released" and wins[0]["result_rows"] == 5
    counts = _audit_counts(lib)
    assert counts[R + "execute"] == counts[R + "release"] == 1
    assert counts[R + "execute.refused"] == 1 and counts[R + "withhold"] == 0
    assert db_backend == "sqlite" or raced
    with capsys.disabled():
        print(f"\n[library executions, {db_backend}] threads=2 released=1 refused=1 "
              f"sandbox_runs={counts[R + 'execute']} both_read_approved={raced} "
              f"chain_ok={verify_chain(lib).ok}")  # fmt: skip


def test_two_processes_approving_at_once_one_wins(lib, configured, db_backend, tmp_path, capsys):
    contract_id = finalised(lib, solder(lib))
    r = requests.submit(session=lib, actor="ana", contract_id=contract_id,
                        recipe={"kind": "aggregate", "group_by": ["Mask"]})  # fmt: skip
    env = {**os.environ, "TIRO_DATABASE_URL": configured, "TIRO_DATA_DIR": str(tmp_path / "var")}
    tiro = [os.path.join(os.path.dirname(sys.executable), "tiro")]  # the installed script
    procs = [
        subprocess.Popen([*tiro, "manufacturing", "requests", "approve", str(r["id"]),
                          "--actor", who, "--json"], env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for who in ("sam", "admin")
    ]  # fmt: skip
    results = [(p.wait(120), p.stdout.read(), p.stderr.read()) for p in procs]
    codes = sorted(code for code, _, _ in results)
    assert codes == [0, 4], results
    loser = next(err for code, _, err in results if code == 4)
    assert loser.count("\n") == 1 and loser.startswith("error: request: request ")
    lib.expire_all()
    assert lib.get(LibraryRequest, r["id"]).state == "approved"
    counts = _audit_counts(lib)
    assert counts[R + "approve"] == 1 and counts[R + "approve.refused"] == 1
    with capsys.disabled():
        print(
            f"\n[library approvals, 2 processes, {db_backend}] exit codes={codes} "
            f"refusal={loser.strip()!r}"
        )
