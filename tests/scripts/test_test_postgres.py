"""scripts/test-postgres.sh: one server per checkout, on a free port, gone when the suite ends.

Issue 10 item 5: the old script used /tmp/tiro-pgtest and port 55432 for every checkout on the
machine and left the server running after ``make test``.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "test-postgres.sh"


def _script_in(checkout: Path) -> Path:
    (checkout / "scripts").mkdir(parents=True)
    return Path(shutil.copy2(SCRIPT, checkout / "scripts" / SCRIPT.name))


def test_each_checkout_has_its_own_directory(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIRO_TEST_PG")}
    dirs = {
        subprocess.run(
            [_script_in(tmp_path / name), "dir"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for name in ("one", "two")
    }
    assert len(dirs) == 2
    assert "/tmp/tiro-pgtest" not in dirs


@pytest.mark.skipif(not glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reason="no PostgreSQL")
def test_run_gives_a_free_port_and_stops_the_server_afterwards():
    # Under /tmp, not pytest's 0700 tmp_path: the server runs as the postgres user when root.
    base = Path(tempfile.mkdtemp(prefix="tiro-pgtest-test-", dir="/tmp"))
    base.chmod(0o755)
    try:
        _run_and_keep(base / "pg")
    finally:
        shutil.rmtree(base, ignore_errors=True)


@pytest.mark.skipif(not glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reason="no PostgreSQL")
def test_a_server_that_cannot_start_fails_the_run():
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIRO_")}
    env["TIRO_TEST_PG_DIR"] = "/proc/tiro-cannot-be-here"
    done = subprocess.run(
        [str(SCRIPT), "run", "--", "true"], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0, "a failed start must not run the suite without its database"


def _run_and_keep(pg_dir: Path) -> None:
    tmp_path = pg_dir.parent
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIRO_")}
    env["TIRO_TEST_PG_DIR"] = str(pg_dir)
    script = str(SCRIPT)
    done = subprocess.run(
        [script, "run", "--", "sh", "-c", 'echo "$TIRO_TEST_POSTGRES_URL"; exit 3'],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 3, done.stderr  # the command's status, not the script's
    url = done.stdout.strip()
    assert url.startswith("postgresql+psycopg://tiro@127.0.0.1:")
    port = url.rsplit(":", 1)[1].split("/")[0]
    assert (tmp_path / "pg" / "tiro-port").read_text().strip() == port  # picked free, remembered
    status = subprocess.run([script, "status"], env=env, capture_output=True, text=True)
    assert status.returncode != 0, "the server was left running"

    env["TIRO_KEEP_POSTGRES"] = "1"
    kept = subprocess.run([script, "run", "--", "true"], env=env, capture_output=True, text=True)
    assert kept.returncode == 0, kept.stderr
    try:
        assert subprocess.run([script, "status"], env=env, capture_output=True).returncode == 0
    finally:
        subprocess.run([script, "stop"], env=env, check=True)
    assert subprocess.run([script, "status"], env=env, capture_output=True).returncode != 0
