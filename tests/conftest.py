"""Shared fixtures: databases on SQLite and PostgreSQL, the API, the CLI, a browser.

PostgreSQL comes from ``TIRO_TEST_POSTGRES_URL`` (``make test`` starts a server and sets it).
Without it the PostgreSQL variants are skipped locally; with ``CI=true`` they fail instead,
so CI can never pass by skipping them.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from tests.servers import run_tiro, serve

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
PG_URL = os.environ.get("TIRO_TEST_POSTGRES_URL", "")
CHROMIUM = os.environ.get("TIRO_CHROMIUM", "/usr/bin/chromium")


def _missing(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: a missing service is a failure, not a skip)")
    pytest.skip(reason)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked ``postgres`` run on both databases; the rest on SQLite only."""
    if "db_backend" in metafunc.fixturenames:
        backends = ["sqlite"]
        if metafunc.definition.get_closest_marker("postgres"):
            backends.append("postgresql")
        metafunc.parametrize("db_backend", backends, indirect=True)


@pytest.fixture
def db_backend(request: pytest.FixtureRequest) -> str:
    return request.param


def _postgres_admin() -> sa.Engine:
    if not PG_URL:
        _missing("TIRO_TEST_POSTGRES_URL is not set (run `make test` to start PostgreSQL)")
    engine = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as exc:
        _missing(f"PostgreSQL at TIRO_TEST_POSTGRES_URL is not reachable: {exc.orig}")
    return engine


@pytest.fixture
def db_url(db_backend: str, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated database of the requested backend; dropped afterwards."""
    from tiro.core import migrate
    from tiro.core.db import _engine_for

    if db_backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'tiro-test.db'}"
        migrate.upgrade(url)
        yield url
        _engine_for(url).dispose()
        return
    admin = _postgres_admin()
    name = f"tiro_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    migrate.upgrade(url)
    yield url
    _engine_for(url).dispose()
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def session(db_url: str) -> Iterator[sa.orm.Session]:
    """A session on the fresh database; the test commits or not as it likes."""
    from tiro.core.db import get_engine, session_factory

    s = session_factory(get_engine(db_url))()
    yield s
    s.rollback()
    s.close()


@pytest.fixture
def configured(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the process settings (CLI, services) at the test database."""
    from tiro.core.settings import get_settings

    monkeypatch.setenv("TIRO_DATABASE_URL", db_url)
    monkeypatch.setenv("TIRO_DATA_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    yield db_url
    get_settings.cache_clear()


@pytest.fixture
def api_client(configured: str):
    """A TestClient on the app bound to the test database."""
    from fastapi.testclient import TestClient

    from tiro.api.app import create_app

    with TestClient(create_app(configured)) as client:
        yield client


@pytest.fixture
def auth_headers(configured: str) -> Callable[[str], dict[str, str]]:
    """Factory: a new user of the given role on the test database, as a bearer header."""
    from tiro.core import auth
    from tiro.core.db import get_engine, session_scope

    def make(role: str) -> dict[str, str]:
        with session_scope(get_engine(configured)) as s:
            name = f"{role}-{uuid.uuid4().hex[:6]}"
            auth.add_user(session=s, name=name, role=role, actor="test")
            token = auth.issue_token(session=s, name=name, actor="test")
        return {"Authorization": f"Bearer {token}"}

    return make


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(configured: str) -> Callable[[list[str]], CliResult]:
    """Run ``tiro ARGS`` in-process against the test database, like a shell would."""

    def run(args: list[str]) -> CliResult:
        return CliResult(*run_tiro(args))

    return run


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real uvicorn server on a migrated, seeded SQLite database; yields its base URL."""
    from tiro.api.app import create_app
    from tiro.core import migrate
    from tiro.core.db import get_engine
    from tiro.core.reference import seed_reference_data

    url = f"sqlite:///{tmp_path_factory.mktemp('live') / 'tiro.db'}"
    migrate.upgrade(url)
    seed_reference_data(actor="test", engine=get_engine(url))
    with serve(create_app(url)) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        _missing(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server: str):
    """A fresh page; ``page.base_url`` is the live server."""
    context = browser.new_context(base_url=live_server, locale="ko-KR")
    pg = context.new_page()
    pg.base_url = live_server
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.js_errors = errors
    yield pg
    context.close()
