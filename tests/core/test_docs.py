"""Documentation that cannot drift: every command, route, parameter and setting is documented,
and the committed reference pages are exactly what the code generates today."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from tiro.cli.docs import generate, walk_commands
from tiro.cli.main import app as cli_app
from tiro.core.parameters import get_params
from tiro.core.settings import Settings
from tiro.models import DOMAINS

ROOT = Path(__file__).resolve().parents[2]


def test_every_cli_command_has_help():
    undocumented = [
        name
        for name, command in walk_commands(typer.main.get_command(cli_app))
        if not (command.help or "").strip()
    ]
    assert undocumented == []


def test_every_cli_option_has_help():
    missing = [
        f"{name} {param.opts[0]}"
        for name, command in walk_commands(typer.main.get_command(cli_app))
        for param in command.params
        if param.param_type_name == "option" and param.opts[0] != "--help" and not param.help
    ]
    assert missing == []


def test_every_api_route_is_described():
    from tiro.api.app import create_app

    spec = create_app("sqlite://").openapi()
    bare = [
        f"{method.upper()} {path}"
        for path, ops in spec["paths"].items()
        for method, op in ops.items()
        if not (op.get("description") or "").strip()
    ]
    assert bare == []


def test_every_parameter_and_setting_is_described():
    params = get_params()
    assert [p for p in params.paths() if not params.leaf(p).description.strip()] == []
    assert [n for n, f in Settings.model_fields.items() if not f.description] == []


@pytest.mark.parametrize("domain", DOMAINS)
def test_each_built_domain_has_a_guide(domain):
    if not (ROOT / "src" / "tiro" / domain).is_dir():
        pytest.skip(f"{domain} is not built yet")
    assert (ROOT / "docs" / f"{domain}.md").exists()


@pytest.mark.parametrize("name", ["cli.md", "api.md", "params.md", "settings.md"])
def test_committed_reference_is_current(name):
    committed = ROOT / "docs" / "reference" / name
    assert committed.exists(), "run `tiro docs build` (make docs)"
    assert committed.read_text(encoding="utf-8") == generate()[name], (
        f"docs/reference/{name} is stale: run `make docs` and commit"
    )


def test_every_command_with_output_has_json():
    """DESIGN: every command has --json; only the server (no output of its own) is exempt."""
    exempt = {"tiro serve"}
    lacking = [
        name
        for name, command in walk_commands(typer.main.get_command(cli_app))
        if not hasattr(command, "commands")
        and name not in exempt
        and not any("--json" in p.opts for p in command.params if p.param_type_name == "option")
    ]
    assert lacking == []
