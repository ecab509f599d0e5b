"""Options and parsing shared by ``tiro energy swap`` and ``tiro energy alert``."""

from __future__ import annotations

import datetime as dt

import typer

from tiro.core.errors import InvalidInput

KEY = typer.Option(..., "--key", help="Idempotency key: the same key returns the first result.")
ACTOR = typer.Option(None, "--actor", help="Who acts (audited); default TIRO_USER or OS user.")
SCENARIO = typer.Option(None, "--params-scenario", help="Parameter scenario overlay.")


def parse_day(value: str | None, field: str) -> dt.date:
    """A YYYY-MM-DD option as a date (today when omitted); a bad date names its field."""
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{value!r} is not a date (YYYY-MM-DD)", field=field) from None
