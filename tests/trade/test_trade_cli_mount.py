"""Every trade command is reachable as ``tiro trade <name>`` after the CLI split into modules."""

from __future__ import annotations

import json

import pytest

# The nowcast/FDI/programme side (formerly trade_more) and the indicator side, by name.
COMMANDS = {
    "facts", "import", "flows",
    "indicators", "balance", "shares", "share-change", "contributions",
    "concentration", "complexity", "rca", "similarity", "complementarity", "diversification",
    "rank",
    "items",
    "working-days", "nowcast", "adjust", "project",
    "fdi", "programmes",
}  # fmt: skip


def test_trade_app_lists_every_command_once():
    import typer

    from tiro.cli.main import app

    group = typer.main.get_command(app).commands["trade"]
    assert set(group.commands) == COMMANDS
    from tiro.cli import trade

    names = [c.name for c in trade.app.registered_commands]
    assert len(names) == len(set(names)) == len(COMMANDS)


@pytest.mark.parametrize(
    "name", ["working-days", "items", "nowcast", "adjust", "project", "fdi", "programmes"]
)
def test_formerly_separate_commands_answer_help_under_tiro_trade(cli, name):
    result = cli(["trade", name, "--help"])
    assert result.exit_code == 0, result.stderr
    assert f"tiro trade {name}" in result.stdout


def test_working_days_contract_through_the_mounted_command(cli):
    result = cli(["trade", "working-days", "--month", "2025-11", "--json"])
    assert result.exit_code == 0, result.stderr
    # November 2025 has no public holiday; 1 Nov is a Saturday: Saturdays 1, 8, 15, 22, 29
    # (5 x 0.5 = 2.5), Sundays 2, 9, 16, 23, 30, weekdays 30 - 10 = 20 -> 22.5 working days.
    assert json.loads(result.stdout) == {"month": "2025-11", "working_days": 22.5}
