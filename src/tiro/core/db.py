"""Database engine, sessions and the declarative base shared by every domain.

SQLite is the embedded default; PostgreSQL is production. Writes on SQLite take the
database lock at BEGIN (``BEGIN IMMEDIATE``) so two writers serialise instead of one failing
half-way — the ledger invariants rely on that, as they rely on row locks on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.exc import DataError, IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from tiro.core.errors import Conflict, DatabaseNotReady, InvalidInput, TiroError
from tiro.core.settings import get_settings

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    """Timestamps are timezone-aware UTC."""
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    """Declarative base with a constraint naming convention (stable migration names)."""

    metadata = MetaData(naming_convention=NAMING)


class TimestampMixin:
    """created_at / updated_at on every table that holds state."""

    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


def is_sqlite(url: str) -> bool:
    """Whether a URL names the embedded SQLite backend."""
    return url.startswith("sqlite")


def make_engine(url: str) -> Engine:
    """An engine for a URL; SQLite gets foreign keys on and immediate write transactions."""
    if not is_sqlite(url):
        return create_engine(url, pool_pre_ping=True, future=True)
    if url.startswith("sqlite:///") and ":memory:" not in url:
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url, future=True, connect_args={"check_same_thread": False, "timeout": 30}
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None  # let SQLAlchemy's begin event issue BEGIN
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


@lru_cache(maxsize=8)
def _engine_for(url: str) -> Engine:
    return make_engine(url)


def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for the configured (or given) URL."""
    return _engine_for(url or get_settings().resolved_database_url())


def session_factory(engine: Engine | None = None) -> sessionmaker[Session]:
    """A sessionmaker bound to an engine (default: the configured one)."""
    return sessionmaker(bind=engine or get_engine(), expire_on_commit=False, future=True)


#: SQLSTATE (PostgreSQL) and message prefix (SQLite) of each kind of integrity violation.
_KINDS = (
    ("23514", "CHECK constraint failed", "CHECK"),
    ("23502", "NOT NULL constraint failed", "NOT NULL"),
    ("23505", "UNIQUE constraint failed", "UNIQUE"),
    ("23503", "FOREIGN KEY constraint failed", "FOREIGN KEY"),
)


def missing_table_problem(exc: OperationalError | ProgrammingError) -> TiroError | None:
    """A query on a table that does not exist: the database needs ``tiro db upgrade``.

    A fresh data directory, or one migrated by an older tiro, otherwise answers with the
    driver's SQL text; the user's next step is always the same command.
    """
    orig = exc.orig
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    message = " ".join(str(orig).split())
    if sqlstate == "42P01" or message.startswith("no such table"):
        table = message.split("no such table:")[-1].strip() if "no such table" in message else None
        if table is None:
            table = getattr(getattr(orig, "diag", None), "table_name", None)
        return DatabaseNotReady(
            f"the database has no table {table or ''} — run `tiro db upgrade` (and "
            "`tiro db seed` for the reference data)".replace("table  ", "table "),
            field="database",
        )
    return None


def integrity_problem(exc: IntegrityError | DataError) -> TiroError:
    """A database integrity violation as a typed error a user can act on, never a traceback.

    The ledgers' invariants live in CHECK constraints (DESIGN.md); when a value reaches one —
    through a parameter overlay or a path no service check anticipated — the caller hears
    which rule refused it: CHECK and NOT NULL are invalid input (422, exit 2), UNIQUE and
    FOREIGN KEY contradict the stored state (409, exit 4). Nothing was saved: the
    transaction is rolled back by whoever caught the original error.
    """
    if isinstance(exc, DataError):  # PostgreSQL: a value too long or too large for its column
        column = getattr(getattr(exc.orig, "diag", None), "column_name", None)
        reason = " ".join(str(exc.orig).split()).split(" CONTEXT:")[0][:200]
        return InvalidInput(f"a value does not fit its database column ({reason})", field=column)
    orig = exc.orig
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    message = " ".join(str(orig).split())
    diag = getattr(orig, "diag", None)
    kind, name = "integrity", None
    for state, prefix, label in _KINDS:
        if sqlstate == state or message.startswith(prefix):
            kind = label
            if message.startswith(prefix):  # SQLite names the rule after the prefix
                name = message[len(prefix) :].lstrip(": ").strip() or None
            break
    if diag is not None:
        name = getattr(diag, "constraint_name", None) or getattr(diag, "column_name", None) or name
    reason = f"the change breaks the database's {kind} rule" + (f" {name}" if name else "")
    if kind in {"UNIQUE", "FOREIGN KEY"}:
        return Conflict(f"{reason}; nothing was saved", field=name)
    return InvalidInput(
        f"{reason}; a value is outside what the ledger allows, nothing was saved", field=name
    )


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error.

    An integrity violation leaves as :func:`integrity_problem` (a one-line CLI error, a 4xx
    problem over HTTP), not as a driver exception with SQL in it.
    """
    session = session_factory(engine)()
    try:
        yield session
        session.commit()
    except (IntegrityError, DataError) as exc:
        session.rollback()
        raise integrity_problem(exc) from exc
    except (OperationalError, ProgrammingError) as exc:
        session.rollback()
        raise (missing_table_problem(exc) or exc) from exc
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
