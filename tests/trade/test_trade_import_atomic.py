"""Issue 9 item 15: an import and its audit row land together or not at all, and the store's
clash check cannot be raced by concurrent processes."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import sqlalchemy as sa

from tiro.core.errors import Conflict, DatabaseNotReady
from tiro.trade.io_csv import read_plain_csv
from tiro.trade.service import import_flows
from tiro.trade.store import FlowStore

FLOW = b"""period,reporter,partner,product,flow,value,vintage,release_date
2025-07,KOR,USA,TOTAL,X,10330000000,provisional,2025-08-01
"""


OTHER = b"""period,reporter,partner,product,flow,value,vintage,release_date
2025-07,KOR,CHN,TOTAL,X,11050000000,provisional,2025-08-01
"""


def _files(root: Path) -> list[str]:
    return sorted(p.name for p in root.glob("*.parquet")) if root.exists() else []


def test_unmigrated_database_writes_nothing_and_says_why(tmp_path):
    from tiro.core.db import session_factory

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    store = FlowStore(tmp_path / "flows")
    session = session_factory(engine)()
    with pytest.raises(DatabaseNotReady) as err:
        import_flows(flows=read_plain_csv(FLOW), store=store, label="t", session=session)
    session.close()
    assert err.value.field == "database"
    assert "tiro db upgrade" in err.value.message and "nothing was imported" in err.value.message
    assert _files(store.root) == []  # no batch, no temporary file
    # a retry after migrating is a clean first import, not "already stored"
    from tiro.core import migrate

    migrate.upgrade(f"sqlite:///{tmp_path / 'empty.db'}")
    session = session_factory(engine)()
    receipt = import_flows(flows=read_plain_csv(FLOW), store=store, label="t", session=session)
    rows = session.execute(sa.text("SELECT entity_id FROM audit_log")).scalars().all()
    session.close()
    assert rows == [receipt.batch_id] and len(_files(store.root)) == 1


def test_cli_import_on_unmigrated_data_dir_is_one_line_and_writes_nothing(tmp_path):
    data = tmp_path / "var"
    source = tmp_path / "flows.csv"
    source.write_bytes(FLOW)
    env = {**os.environ, "TIRO_DATA_DIR": str(data), "TIRO_DATABASE_URL": ""}
    tiro = Path(sys.executable).with_name("tiro")
    done = subprocess.run(
        [str(tiro), "trade", "import", str(source)], env=env, capture_output=True, text=True
    )
    assert done.returncode == DatabaseNotReady.exit_code, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: database:"), done.stderr
    assert _files(data / "trade" / "flows") == []


def test_a_failed_commit_removes_the_published_batch(tmp_path):
    store = FlowStore(tmp_path)

    def fail() -> None:
        raise RuntimeError("commit lost")

    with pytest.raises(RuntimeError):
        store.append(read_plain_csv(FLOW), commit=fail)
    assert _files(tmp_path) == []
    store.append(read_plain_csv(FLOW))  # and the flow can then be imported
    assert len(_files(tmp_path)) == 1


WORKER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from tiro.core.errors import Conflict, DatabaseNotReady
    from tiro.trade.io_csv import read_plain_csv
    from tiro.trade.store import FlowStore
    root, go = Path(sys.argv[1]), Path(sys.argv[2])
    flows = read_plain_csv(sys.argv[3].encode())
    # A clash check as slow as on a large store (0.3 s): without a lock spanning check and
    # rename, every process passes the check before any has written (8 copies stored).
    check = FlowStore._clashes

    def slow_check(self, batch):
        found = check(self, batch)
        time.sleep(0.3)
        return found

    FlowStore._clashes = slow_check
    while not go.exists():
        time.sleep(0.005)
    try:
        FlowStore(root).append(flows)
        print("stored")
    except Conflict:
        print("conflict")
    """
)


def test_eight_processes_appending_the_same_flow_store_one_copy(tmp_path):
    root, go = tmp_path / "flows", tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(root), str(go), FLOW.decode()],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(8)
    ]
    # let every worker import and parse before they race for the store; the first import
    # into an empty store skips the check, so seed it with another flow first
    FlowStore(root).append(read_plain_csv(OTHER))
    import time

    time.sleep(3)
    go.touch()
    outcomes = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        outcomes.append(out.strip())
    assert sorted(outcomes) == ["conflict"] * 7 + ["stored"]
    assert len(_files(root)) == 2  # the seed and one copy of the raced flow
    stored = FlowStore(root).all_vintages(partner="USA")
    assert stored.height == 1 and stored["release_date"].to_list() == [dt.date(2025, 8, 1)]


def test_a_corrupt_batch_is_named_without_its_directory(tmp_path):
    store = FlowStore(tmp_path / "it's here")  # a quote in the path must not break the SQL
    store.append(read_plain_csv(FLOW))
    (store.root / "batch-broken.parquet").write_bytes(b"garbage")
    for action in (store.latest, lambda: store.append(read_plain_csv(OTHER))):
        with pytest.raises(Conflict) as err:
            action()
        assert err.value.field == "store"
        assert "batch-broken.parquet" in err.value.message
        assert str(tmp_path) not in err.value.message
    assert len(_files(store.root)) == 2  # nothing added by the refused append
