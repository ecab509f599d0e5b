"""Options and parsing shared by the ``tiro petrochem`` commands."""

from __future__ import annotations

import datetime as dt

import typer

from tiro.core.errors import InvalidInput
from tiro.petrochem.limits import check_date

DATE = typer.Option(None, "--date", help="Date (YYYY-MM-DD; default today).")
SCENARIO = typer.Option(None, "--scenario", help="Parameter scenario overlay (name or YAML file).")
ACTOR = typer.Option(None, "--actor", help="Who acts (audited); default TIRO_USER or OS user.")


def parse_date(value: str | None, field: str = "--date") -> dt.date:
    """A YYYY-MM-DD option as a date (today when omitted); a bad one names its option."""
    if value is None:
        return dt.date.today()
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{value!r} is not a date (YYYY-MM-DD)", field=field) from None
    return check_date(day, field)  # the API's range too
