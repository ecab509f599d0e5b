"""The ``tiro`` entry point: core commands plus one sub-app per domain found in tiro.cli."""

from __future__ import annotations

import importlib
import importlib.util
import sys

import typer

from tiro import __version__
from tiro.cli import admin, docs, facts, params
from tiro.core.errors import TiroError
from tiro.models import DOMAINS

app = typer.Typer(
    name="tiro",
    help="tiro — 산업·통상·자원 정책 엔진 (Korea's industry, trade and resources policy as software).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(params.app, name="params")
app.add_typer(admin.db_app, name="db")
app.add_typer(admin.users_app, name="users")
app.add_typer(admin.audit_app, name="audit")
app.add_typer(docs.app, name="docs")
app.add_typer(facts.app, name="facts")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tiro {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """tiro: policy engines for tariffs, petrochemicals, energy, trade and manufacturing."""


@app.command("serve")
def serve(
    host: str | None = typer.Option(None, "--host", help="Bind address (default from settings)."),
    port: int | None = typer.Option(None, "--port", help="Port (default from settings)."),
) -> None:
    """Start the HTTP API and the dashboard."""
    import uvicorn

    from tiro.core.settings import get_settings

    settings = get_settings()
    uvicorn.run(
        "tiro.api.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        log_level=settings.log_level,
    )


for _domain in DOMAINS:
    if importlib.util.find_spec(f"tiro.cli.{_domain}"):
        app.add_typer(importlib.import_module(f"tiro.cli.{_domain}").app, name=_domain)


def main() -> None:
    """Run the app; a TiroError becomes one line on stderr and its exit code."""
    from tiro.cli.finite_options import harden

    try:
        harden(typer.main.get_command(app))(standalone_mode=False)
    except TiroError as exc:
        typer.echo(f"error: {exc.one_line()}", err=True)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("error: aborted", err=True)
        sys.exit(1)
    except Exception as exc:
        # Usage errors (typer vendors its own click, so match by shape, not by class).
        if hasattr(exc, "format_message") and hasattr(exc, "exit_code"):
            typer.echo(f"error: {' '.join(exc.format_message().split())}", err=True)
            sys.exit(exc.exit_code)
        typer.echo(f"error: {_unexpected(exc)}", err=True)
        sys.exit(70)


def _unexpected(exc: BaseException) -> str:
    """One line for a failure no command anticipated: what kind, and what it said.

    A traceback helps no user; the kind and message let them (and us) find the cause.
    ``TIRO_DEBUG=1`` re-raises for a developer who wants the stack.
    """
    import os

    if os.environ.get("TIRO_DEBUG"):
        raise exc
    if isinstance(
        exc, FileNotFoundError | IsADirectoryError | PermissionError | NotADirectoryError
    ):
        return f"{exc.filename or 'path'}: {exc.strerror or exc}"
    if isinstance(exc, UnicodeDecodeError):
        return f"input: not valid UTF-8 text ({exc.reason} at byte {exc.start})"
    text = " ".join(str(exc).split()) or "no detail"
    return f"internal error ({type(exc).__name__}): {text[:300]}"
