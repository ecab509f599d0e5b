"""A user's own scenario file: every defect is a one-line refusal, never a traceback.

Issue 9 item 4 (duplicate keys, as in the parameter tree) and item 1 (non-finite values in a
parameter overlay); a malformed ``overrides`` used to crash with AttributeError.
"""

from __future__ import annotations

import pytest

from tiro.core.errors import ParameterFileError, TiroError
from tiro.core.parameters import load_tree

REF = "reference: {title: t, section: '1'}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "description: x\noverrides:\n  tariff.us.reciprocal.kr:\n"
            f"    2026-01-01: {{value: 0.2, {REF}}}\n    2026-01-01: {{value: 0.3, {REF}}}\n",
            "duplicate key 2026-01-01 at line 5",
        ),
        (
            "description: x\ndescription: y\noverrides: {}\n",
            "duplicate key 'description' at line 2",
        ),
        ("description: x\noverrides: [1, 2]\n", "overrides must map parameter paths"),
        (
            "description: x\noverrides:\n  tariff.us.reciprocal.kr:\n"
            f"    2026-01-01: {{value: .nan, {REF}}}\n",
            "not a finite number",
        ),
        ("description: [x\n", "not valid YAML"),
    ],
)
def test_bad_user_scenario_files_are_refused(tree_root, tmp_path, text, expected):
    mine = tmp_path / "mine.yaml"
    mine.write_text(text, encoding="utf-8")
    with pytest.raises(ParameterFileError) as caught:
        load_tree(tree_root).with_scenario(mine)
    assert caught.value.field == "scenario" and expected in caught.value.message
    assert "\n" not in caught.value.one_line()


def test_cli_names_the_duplicate_key_on_one_line(cli, tree_root, tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "description: x\noverrides:\n  tariff.us.reciprocal.kr:\n"
        f"    2026-01-01: {{value: 0.2, {REF}}}\n    2026-01-01: {{value: 0.3, {REF}}}\n",
        encoding="utf-8",
    )
    result = cli(
        [
            "params",
            "show",
            "tariff.us.reciprocal.kr",
            "--date",
            "2026-02-01",
            "--scenario",
            str(mine),
        ]
    )
    assert result.exit_code == ParameterFileError.exit_code
    lines = result.stderr.strip().splitlines()
    assert (
        len(lines) == 1 and "duplicate key" in lines[0] and lines[0].startswith("error: scenario")
    )
    assert issubclass(ParameterFileError, TiroError)
