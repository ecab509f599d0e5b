"""The session, service call and arguments shared by the data library's command modules."""

from __future__ import annotations

from typing import Any

import typer

from tiro.cli.output import console

ASSET = typer.Argument(..., help="Asset id or name.")
CONTRACT = typer.Argument(..., help="Contract id.")
REQUEST = typer.Argument(..., help="Compute request id.")


def _session():  # type: ignore[no-untyped-def]
    from tiro.core.db import session_factory

    return session_factory()()


def call(service: Any, **kwargs: Any) -> Any:
    """Run one library service in a fresh session (each step commits its own transaction)."""
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from tiro.core.db import missing_table_problem

    session = _session()
    try:
        return service(session=session, **kwargs)
    except (OperationalError, ProgrammingError) as exc:
        session.rollback()
        raise (missing_table_problem(exc) or exc) from exc
    finally:
        session.close()


def lib(module: str) -> Any:
    """``tiro.manufacturing.library.<module>``, imported when a command runs (lazy CLI)."""
    import importlib

    return importlib.import_module(f"tiro.manufacturing.library.{module}")


def say(fmt: str) -> Any:
    """A renderer printing one line made from the answer's fields."""
    return lambda d: console.print(fmt.format(**d))
