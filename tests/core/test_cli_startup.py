"""The root command loads a sub-app, and a heavy library, only when a command needs it.

Issue 10: ``tiro --version`` took seconds because the root imported SQLAlchemy, Alembic,
Polars and every domain's sub-app before parsing its arguments. What each command line
imports is checked in a fresh interpreter (``sys.modules`` after the command ran); the
timings themselves are in ``bench/cli_startup.py`` and ``bench/results/``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest
import typer

from tiro.cli.lazy import DeferredModule, LazyGroup, deferred
from tiro.cli.main import SUBAPPS, RootGroup, app
from tiro.domains import DOMAINS

HEAVY = (
    "sqlalchemy",
    "alembic",
    "polars",
    "numpy",
    "pyarrow",
    "fastapi",
    "uvicorn",
    "pydantic",
    "tiro.core.db",
    "tiro.cli.tariff",
    "tiro.cli.energy",
    "tiro.cli.trade",
    "tiro.tariff.batch.stream",
    "tiro.trade.service",
)

_PROBE = textwrap.dedent(
    """
    import contextlib, io, json, sys
    from tiro.cli.main import main
    heavy = json.loads(sys.argv[2])
    sys.argv = ["tiro", *json.loads(sys.argv[1])]
    code = 0
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            main()
    except SystemExit as exc:
        code = exc.code or 0
    print(json.dumps({"code": code, "loaded": sorted(m for m in heavy if m in sys.modules)}))
    """
)


def loaded_by(args: list[str]) -> list[str]:
    """The heavy modules a fresh interpreter holds after running ``tiro ARGS``."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(args), json.dumps(HEAVY)],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["code"] == 0, done.stderr
    return result["loaded"]


def test_version_and_help_import_no_domain_and_no_heavy_library():
    assert loaded_by(["--version"]) == []
    assert loaded_by(["--help"]) == []


def test_working_days_skips_the_database_layer_and_numpy():
    # Polars is the engine's own table library; SQLAlchemy (the flow store) and NumPy
    # (seasonal adjustment, complexity) belong to sibling commands.
    loaded = loaded_by(["trade", "working-days", "--month", "2026-02", "--json"])
    assert "tiro.cli.trade" in loaded
    for name in ("sqlalchemy", "alembic", "numpy", "pyarrow", "tiro.trade.service", "tiro.core.db"):
        assert name not in loaded


def test_tariff_quote_skips_the_batch_engine_and_the_database_layer():
    loaded = loaded_by(
        ["tariff", "quote", "--hts", "8703.23.01", "--date", "2025-12-01", "--value", "30000"]
    )
    assert "tiro.cli.tariff" in loaded
    for name in ("sqlalchemy", "alembic", "pyarrow", "tiro.tariff.batch.stream", "tiro.core.db"):
        assert name not in loaded
    assert "tiro.cli.trade" not in loaded and "tiro.cli.energy" not in loaded


def test_root_help_lists_every_sub_app_without_loading_it():
    root = typer.main.get_command(app)
    ctx = root.make_context("tiro", ["--help"], resilient_parsing=True)
    listed = root.list_commands(ctx)
    assert listed[0] == "serve"
    assert set(listed) == {"serve"} | set(RootGroup.lazy_apps)
    assert dict(root.commands) == {"serve": root.commands["serve"]}  # nothing imported yet


def test_every_domain_with_a_cli_module_is_listed():
    import importlib.util

    built = {d for d in DOMAINS if importlib.util.find_spec(f"tiro.cli.{d}")}
    assert built <= set(RootGroup.lazy_apps)
    assert {"tariff", "energy", "trade"} <= built


@pytest.mark.parametrize("name", sorted(RootGroup.lazy_apps))
def test_listed_help_is_the_sub_apps_own_help(name):
    """The one line in ``tiro --help`` comes from SUBAPPS; it must say what the app says."""
    group = typer.main.get_command(app)
    real = group.load(name)
    assert (real.help or "").strip() == RootGroup.lazy_apps[name].help, (
        f"update the help of {name!r} in tiro.cli.main.SUBAPPS"
    )
    assert real.name == name


def test_subapps_table_names_each_app_once():
    names = [spec.name for spec in SUBAPPS]
    assert len(names) == len(set(names))


def test_a_lazily_loaded_command_is_still_hardened(cli):
    result = cli(
        ["tariff", "quote", "--hts", "8703.23.01", "--date", "2025-12-01", "--value", "nan"]
    )
    assert result.exit_code != 0
    assert result.stderr.strip().splitlines() == ["error: --value: must be a number, not NaN"]


def test_a_typo_of_a_lazy_command_is_answered_with_a_suggestion(cli):
    result = cli(["tarif", "quote"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: No such command 'tarif'. Did you mean 'tariff'?"


def test_asking_the_commands_mapping_for_a_lazy_name_loads_it():
    group = typer.main.get_command(app)
    assert isinstance(group, LazyGroup)
    assert "trade" not in group.commands
    assert group.commands["trade"].name == "trade"
    assert "trade" in group.commands
    with pytest.raises(KeyError):
        group.commands["no-such-command"]


def test_deferred_stand_ins_import_at_first_use():
    dumps = deferred("json", "dumps")
    assert dumps({"a": 1}) == '{"a": 1}'
    assert dumps.__name__ == "dumps"
    engine = DeferredModule("json")
    assert engine.loads("[1, 2]") == [1, 2]


def test_batch_compression_default_matches_the_engine():
    from tiro.cli.tariff_files import COMPRESSION
    from tiro.tariff.batch.stream import COMPRESSION as ENGINE_COMPRESSION

    assert COMPRESSION == ENGINE_COMPRESSION


@pytest.mark.parametrize("args", [[], ["trade"]])
def test_a_bare_group_prints_its_help_and_no_empty_error_line(cli, args):
    result = cli(args)
    assert "Usage:" in result.stdout
    assert result.stderr.strip() == ""  # was "error: " with nothing after it


def test_user_and_audit_commands_do_not_load_alembic_or_every_domain():
    loaded = loaded_by(["users", "--help"])
    assert "alembic" not in loaded
    assert "tiro.tariff.batch.stream" not in loaded and "tiro.trade.service" not in loaded
