"""The ``tiro`` entry point: core commands plus one sub-app per domain found in tiro.cli.

Sub-apps are imported only when their command runs (:mod:`tiro.cli.lazy`): ``tiro --version``
and ``tiro --help`` must not pay for SQLAlchemy, Polars or a tariff engine (issue 10).
"""

from __future__ import annotations

import importlib.util
import sys

import typer

from tiro import __version__
from tiro.cli import help_format  # noqa: F401  (no <bool> beside a flag in --help)
from tiro.cli.lazy import LazyApp, LazyGroup
from tiro.core.errors import TiroError
from tiro.domains import DOMAINS

SUBAPPS: tuple[LazyApp, ...] = (
    LazyApp(
        "params",
        "tiro.cli.params",
        "app",
        "Policy parameters: dated, sourced values (policy as code).",
    ),
    LazyApp(
        "facts",
        "tiro.cli.facts",
        "app",
        "Facts stated in the report (2026-05-27), each with its section.",
    ),
    LazyApp("db", "tiro.cli.admin", "db_app", "Database: migrations and reference data."),
    LazyApp("users", "tiro.cli.admin", "users_app", "Users, roles and API tokens."),
    LazyApp("audit", "tiro.cli.admin", "audit_app", "The append-only, hash-chained audit trail."),
    LazyApp("docs", "tiro.cli.docs", "app", "Documentation generated from the code."),
    LazyApp(
        "tariff",
        "tiro.cli.tariff",
        "app",
        "미국 관세 US tariff on Korean goods: quote a line, price a file, compare deal scenarios.",
    ),
    LazyApp(
        "invest",
        "tiro.cli.invest",
        "app",
        "한미 전략적 투자 MOU: project pipeline, pre-review, reasonableness, capital calls.",
    ),
    LazyApp(
        "petrochem",
        "tiro.cli.petrochem",
        "app",
        "석유화학 구조개편 Petrochemical restructuring: crackers, projects, target, optimiser.",
    ),
    LazyApp(
        "energy",
        "tiro.cli.energy",
        "app",
        "에너지 위기 대응 Energy crisis room: stock cover, disruption scenarios, allocation.",
    ),
    LazyApp(
        "trade",
        "tiro.cli.trade",
        "app",
        "무역 통계 Trade statistics: vintaged flows, growth, shares, concentration, complexity.",
    ),
    LazyApp(
        "manufacturing",
        "tiro.cli.manufacturing",
        "app",
        "제조AI 대전환 M.AX: AI-factory KPIs, programme registry, quality and reliability models.",
    ),
)
"""Every sub-app with the help ``tiro --help`` shows (a test checks it against the app's own).
An entry whose module is not there (a domain still being built) is not listed."""


def _domain_apps() -> dict[str, LazyApp]:
    """The table above, plus any domain whose ``tiro.cli.<domain>`` module has landed since."""
    apps = {spec.name: spec for spec in SUBAPPS if importlib.util.find_spec(spec.module)}
    for domain in DOMAINS:
        if domain not in apps and importlib.util.find_spec(f"tiro.cli.{domain}"):
            apps[domain] = LazyApp(domain, f"tiro.cli.{domain}", "app", f"The {domain} domain.")
    return apps


class RootGroup(LazyGroup):
    """The ``tiro`` group: ``serve`` eagerly, everything else from :data:`SUBAPPS`."""

    lazy_apps = _domain_apps()


app = typer.Typer(
    name="tiro",
    cls=RootGroup,
    help="tiro — 산업·통상·자원 정책 엔진 (Korea's industry, trade and resources policy as software).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


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
    workers: int = typer.Option(
        1, "--workers", min=1, max=64, help="Server processes (uvicorn workers), own caches each."
    ),
) -> None:
    """Start the HTTP API and the dashboard."""
    from tiro.api.serving import serve as run_server
    from tiro.core.settings import get_settings

    settings = get_settings()
    run_server(
        host=host or settings.host,
        port=port or settings.port,
        log_level=settings.log_level,
        workers=workers,
    )


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
            message = " ".join(exc.format_message().split())
            if message:  # blank for a bare `tiro` or `tiro trade`: its help is already printed
                typer.echo(f"error: {message}", err=True)
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
