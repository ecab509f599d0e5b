"""``--help`` shows no ``<bool>`` beside a plain flag (issue 10 item 7); typed options keep theirs."""

from __future__ import annotations

import re

import pytest


@pytest.mark.parametrize(
    "args", [["--help"], ["tariff", "quote", "--help"], ["energy", "alert", "evaluate", "--help"]]
)
def test_flags_show_no_type(cli, args):
    result = cli(args)
    assert result.exit_code == 0
    assert "<bool>" not in result.stdout
    flag_lines = [line for line in result.stdout.splitlines() if "--help" in line]
    assert flag_lines and all("<" not in line for line in flag_lines)


def test_options_that_take_a_value_keep_their_type(cli):
    text = cli(["tariff", "quote", "--help"]).stdout
    value = next(line for line in text.splitlines() if "--value" in line)
    korus = next(line for line in text.splitlines() if "--korus" in line)
    assert "<float>" in value
    assert "--no-korus" in korus and "<" not in korus


def test_no_help_text_is_cut_at_80_columns(cli, monkeypatch):
    """Every command's --help at 80 columns: nothing ends in "…" (rich cut Korean lines)."""
    import typer

    from tiro.cli.docs import walk_commands
    from tiro.cli.main import app

    monkeypatch.setenv("COLUMNS", "80")
    names = [name.split()[1:] for name, _ in walk_commands(typer.main.get_command(app))]
    cut = {}
    for args in names:
        text = cli([*args, "--help"]).stdout
        # a cut is "…" glued to a word and followed by a gap or the frame; an ellipsis the
        # author wrote ("champion, challenger, …") follows a space
        lines = [line for line in text.splitlines() if re.search(r"[^\s,(]…(\s|│|$)", line)]
        if lines:
            cut[" ".join(args)] = lines
    assert cut == {}
    trade = " ".join(cli(["trade", "--help"]).stdout.replace("│", " ").split())
    assert "Share in two periods and the change in percentage points." in trade
