"""The CLI contracts of the foundation: params show/lint, db, users, audit."""

from __future__ import annotations

import json

import pytest
from tests.core.param_trees import make_tree, write


def test_version(cli):
    result = cli(["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == "tiro 0.1.0"


def test_params_show_json_contract(cli, tree_root):
    result = cli(["params", "show", "tariff.us.reciprocal.kr", "--date", "2025-09-01", "--json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["path"] == "tariff.us.reciprocal.kr"
    assert data["value"] == 0.15
    assert data["unit"] == "/1"
    assert data["effective_from"] == "2025-08-07"
    assert data["reference"] == {
        "title": "Executive Order of 2025-07-31, Annex I",
        "href": "https://www.federalregister.gov/d/2025-14896",
    }


def test_params_show_scenario(cli, tree_root):
    result = cli(
        [
            "params",
            "show",
            "tariff.us.reciprocal.kr",
            "--date",
            "2026-01-01",
            "--scenario",
            "no_deal",
            "--json",
        ]
    )
    assert json.loads(result.stdout)["value"] == 0.25


@pytest.mark.parametrize(
    "args",
    [
        ["params", "show", "tariff.us.nothing", "--date", "2025-09-01", "--json"],
        ["params", "show", "tariff.us.reciprocal.kr", "--date", "2025-01-01", "--json"],
        ["params", "show", "tariff.us.reciprocal.kr", "--date", "not-a-date", "--json"],
    ],
)
def test_params_show_errors_are_one_line_on_stderr(cli, tree_root, args):
    result = cli(args)
    assert result.exit_code != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")


def test_params_lint_clean_and_broken(cli, tmp_path):
    root = make_tree(tmp_path / "lint")
    ok = cli(["params", "lint", "--root", str(root), "--json"])
    assert ok.exit_code == 0 and json.loads(ok.stdout)["ok"] is True
    write(root, "x/no_ref.yaml", "description: d\nunit: /1\nvalues:\n  2025-01-01:\n    value: 1\n")
    bad = cli(["params", "lint", "--root", str(root)])
    assert bad.exit_code != 0
    assert "no_ref.yaml" in bad.stderr and "reference" in bad.stderr


def test_users_tokens_and_audit_verify(cli):
    assert cli(["users", "add", "kim", "--role", "operator", "--json"]).exit_code == 0
    token = json.loads(cli(["users", "token", "kim", "--json"]).stdout)["token"]
    assert token.startswith("tiro_") and len(token) > 40
    duplicate = cli(["users", "add", "kim", "--role", "viewer"])
    assert duplicate.exit_code != 0 and "already exists" in duplicate.stderr
    bad_role = cli(["users", "add", "lee", "--role", "king"])
    assert bad_role.exit_code != 0 and bad_role.stderr.startswith("error: role:")
    report = json.loads(cli(["audit", "verify", "--json"]).stdout)
    assert report == {"entries": 2, "ok": True, "first_bad_id": None, "reason": None}


def test_facts_show_and_unknown(cli):
    import json as _json

    data = _json.loads(cli(["facts", "show", "trade.exports.total_2025", "--json"]).stdout)
    assert data["value"] == 709.3 and data["unit"] == "currency-USD-bn"
    missing = cli(["facts", "show", "trade.exports.nothing"])
    assert missing.exit_code == 3 and missing.stderr.startswith("error: key:")


def test_usage_errors_are_one_line(cli):
    result = cli(["params", "show", "tariff.us.reciprocal.kr"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: Missing option '--date'."


def test_commands_without_a_bespoke_table_still_print_a_table(capsys):
    from tiro.cli.output import emit

    emit([{"key": "us_china", "share": 0.35752}], as_json=False)
    out = capsys.readouterr().out
    assert "us_china" in out and "0.3575" in out and "{" not in out
    emit({"hhi": 0.125, "n": 8}, as_json=False)
    out = capsys.readouterr().out
    assert "hhi" in out and "0.125" in out and "{" not in out
