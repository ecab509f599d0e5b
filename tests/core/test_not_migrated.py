"""A database that was never migrated answers with the command that fixes it, not SQL."""

from __future__ import annotations

import os
import subprocess
import sys

from fastapi.testclient import TestClient

from tiro.api.app import create_app


def test_cli_on_an_unmigrated_database_says_run_db_upgrade(tmp_path) -> None:
    env = {**os.environ, "TIRO_DATA_DIR": str(tmp_path), "TIRO_DATABASE_URL": ""}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from tiro.cli.main import main; main()",
            "energy",
            "alert",
            "history",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 6
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "energy_alert_decisions" in lines[0] and "tiro db upgrade" in lines[0]
    assert "SELECT" not in lines[0]


def test_api_on_an_unmigrated_database_is_a_503_problem(tmp_path) -> None:
    client = TestClient(create_app(f"sqlite:///{tmp_path / 'empty.db'}"))
    answer = client.get("/api/v1/energy/alerts/history", params={"resource": "crude"})
    assert answer.status_code == 503
    body = answer.json()
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert body["type"] == "urn:tiro:error:DatabaseNotReady"
    assert "tiro db upgrade" in body["detail"] and "SELECT" not in body["detail"]
