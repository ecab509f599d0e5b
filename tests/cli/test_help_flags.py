"""``--help`` shows no ``<bool>`` beside a plain flag (issue 10 item 7); typed options keep theirs."""

from __future__ import annotations

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
