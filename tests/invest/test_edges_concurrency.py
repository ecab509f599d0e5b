"""Two writers at once on the MOU registry, through a live API and through the CLI.

Found by T-BREAK's outsider review: ``advance`` read a project's state and wrote the next one
without locking the row, so on PostgreSQL (READ COMMITTED) two operators who moved the same
recommended project at the same moment both succeeded — one to ``selected``, one to
``declined`` — leaving two final steps and two audit entries for one decision. SQLite was
safe only because every transaction there starts with ``BEGIN IMMEDIATE``.

The cap side: the annual USD 20bn cap is enforced by the capital-call scheduler over the
selected projects, so however many selections land at once, every schedule read meanwhile
must keep each year at or under the cap and call each selected project's capital exactly once.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from tests.servers import serve

from tiro.core.db import get_engine, session_scope
from tiro.core.parameters import get_params
from tiro.invest import service

API = "/api/v1/invest"
BN = 1_000_000_000
CAP = 20 * BN
FLOWS = [3 * BN] * 10  # reasonable at the default rate: principal recovered in year 4
PATH = ("screened", "consulted", "recommended")
ON = "2026-03-02"


def _recommended(url: str, name: str, capital: dict[str, float]) -> int:
    """A project walked to ``recommended`` through the real services (dated 2026-03-02)."""
    import datetime as dt

    day = dt.date.fromisoformat(ON)
    params = get_params()
    with session_scope(get_engine(url)) as s:
        got = service.submit(
            session=s, params=params, actor="test", name=name, sector="energy", sponsor="S",
            capital=capital, cash_flows=FLOWS, on=day,
        )  # fmt: skip
        for step in PATH:
            service.advance(session=s, params=params, actor="test", role="operator",
                            project=got["id"], to=step, reason="test", on=day)  # fmt: skip
    return int(got["id"])


def _at_once(calls: list) -> list:  # type: ignore[type-arg]
    """Run every callable in its own thread, released together by a barrier."""
    barrier = threading.Barrier(len(calls))
    out: list = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        out[i] = calls[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return out


def _final_steps(url: str, project_id: int) -> list[str]:
    with get_engine(url).connect() as conn:
        return list(
            conn.execute(
                sa.text("SELECT to_state FROM invest_review_steps WHERE project_id = :p "
                        "AND to_state IN ('selected', 'declined', 'withdrawn') ORDER BY id"),
                {"p": project_id},
            ).scalars()
        )  # fmt: skip


def _audit_actions(url: str, project_id: int) -> list[str]:
    with get_engine(url).connect() as conn:
        return list(
            conn.execute(
                sa.text("SELECT action FROM audit_log WHERE entity = 'invest_project' "
                        "AND entity_id = :p AND action IN ('invest.advance.selected', "
                        "'invest.advance.declined')"),
                {"p": str(project_id)},
            ).scalars()
        )  # fmt: skip


@pytest.mark.postgres
def test_two_operators_deciding_one_project_at_once_make_one_decision(
    configured, db_backend, auth_headers
):
    from tiro.api.app import create_app

    pid = _recommended(configured, "Race plant", {"2027": 3 * BN})
    heads = [auth_headers("operator") for _ in range(6)]
    with serve(create_app(configured)) as base:

        def move(i: int):  # type: ignore[no-untyped-def]
            to = "selected" if i % 2 == 0 else "declined"
            with httpx.Client(base_url=base, headers=heads[i], timeout=60) as client:
                r = client.post(f"{API}/projects/{pid}/advance",
                                json={"to": to, "reason": f"operator {i}", "on": ON})  # fmt: skip
                return r.status_code

        codes = Counter(_at_once([lambda i=i: move(i) for i in range(6)]))
    assert codes == {200: 1, 409: 5}, (db_backend, codes)
    assert len(_final_steps(configured, pid)) == 1
    assert len(_audit_actions(configured, pid)) == 1


@pytest.mark.postgres
def test_concurrent_selections_never_break_the_cap_or_double_count(
    configured, db_backend, auth_headers
):
    """Eight projects of USD 6bn each selected at once while schedules are read.

    Independent check: 8 x 6 = 48bn requested for 2027 under a 20bn cap is paid
    20 (2027) + 20 (2028) + 8 (2029); every schedule read meanwhile has each year <= 20bn and
    calls each project it names exactly 6bn in all.
    """
    from tiro.api.app import create_app

    with session_scope(get_engine(configured)) as s:  # only this test's projects are selected
        assert s.execute(sa.text("SELECT count(*) FROM invest_projects")).scalar() == 0
    ids = [_recommended(configured, f"Cap plant {i}", {"2027": 6 * BN}) for i in range(8)]
    op = auth_headers("operator")
    with serve(create_app(configured)) as base:

        def select(pid: int):  # type: ignore[no-untyped-def]
            with httpx.Client(base_url=base, headers=op, timeout=60) as client:
                return client.post(f"{API}/projects/{pid}/advance",
                                   json={"to": "selected", "reason": "go", "on": ON}).status_code  # fmt: skip

        def schedule():  # type: ignore[no-untyped-def]
            with httpx.Client(base_url=base, timeout=60) as client:
                r = client.post(f"{API}/schedule", json={})
                return (r.status_code, r.json())

        calls = [lambda p=p: select(p) for p in ids] + [schedule for _ in range(4)]
        results = _at_once(calls)
        with httpx.Client(base_url=base, timeout=60) as client:
            final = client.post(f"{API}/schedule", json={}).json()
    assert results[:8] == [200] * 8
    for code, plan in results[8:]:
        if code == 409:  # read before any selection landed: nothing to schedule
            assert plan["field"] == "pipeline"
            continue
        assert code == 200, plan
        assert all(v <= CAP for v in plan["by_year"].values()), plan["by_year"]
        paid: Counter[str] = Counter()
        for call in plan["calls"]:
            paid[call["project"]] += call["amount"]
        assert all(v == 6 * BN for v in paid.values()), paid
    assert final["by_year"] == {"2027": 20 * BN, "2028": 20 * BN, "2029": 8 * BN}


def _tiro(url: str, data_dir: Path, *args: str) -> subprocess.Popen:  # type: ignore[type-arg]
    env = {**os.environ, "TIRO_DATABASE_URL": url, "TIRO_DATA_DIR": str(data_dir)}
    return subprocess.Popen(
        [str(Path(sys.executable).with_name("tiro")), *args], env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


@pytest.mark.postgres
def test_two_cli_processes_deciding_one_project_at_once(configured, db_backend, tmp_path):
    pid = _recommended(configured, "CLI race plant", {"2027": 2 * BN})
    procs = [
        _tiro(configured, tmp_path, "invest", "advance", str(pid), "--to", to, "--reason", "r",
              "--on", ON, "--actor", f"cli-{i}", "--json")
        for i, to in enumerate(["selected", "declined", "selected", "declined"])
    ]  # fmt: skip
    outs = [p.communicate(timeout=120) for p in procs]
    codes = sorted(p.returncode for p in procs)
    assert codes == [0, 4, 4, 4], (codes, [e for _, e in outs])
    for (_, err), p in zip(outs, procs, strict=True):
        if p.returncode:
            assert len(err.strip().splitlines()) == 1 and "cannot move" in err, err
    assert len(_final_steps(configured, pid)) == 1
    assert len(_audit_actions(configured, pid)) == 1


@pytest.mark.postgres
def test_two_analysts_submitting_one_name_at_once_make_one_project(
    configured, db_backend, auth_headers
):
    """The name is UNIQUE: the loser of the race hears 409 naming the rule, never a 500."""
    from tiro.api.app import create_app

    heads = [auth_headers("analyst") for _ in range(6)]
    body = {"name": "Same name", "sector": "energy", "sponsor": "S", "capital": {"2027": 1e9},
            "cash_flows": [1e9], "on": ON}  # fmt: skip
    with serve(create_app(configured)) as base:

        def post(i: int):  # type: ignore[no-untyped-def]
            with httpx.Client(base_url=base, headers=heads[i], timeout=60) as client:
                return client.post(f"{API}/projects", json=body).status_code

        codes = Counter(_at_once([lambda i=i: post(i) for i in range(6)]))
    assert codes == {201: 1, 409: 5}, (db_backend, codes)
    with get_engine(configured).connect() as conn:
        count = conn.execute(sa.text("SELECT count(*) FROM invest_projects")).scalar()
    assert count == 1
