"""``tiro invest``: the JSON contracts and one-line refusals (issue 12 items 4, 5, 6)."""

from __future__ import annotations

import json

import pytest

from tiro.invest.reference import load_reference

BN = 1_000_000_000


def test_reasonableness_contract(cli):
    out = cli(["invest", "reasonableness", "--principal", "100", "--cash-flows", "60,60,60,60",
               "--discount-rate", "0.05", "--json"])  # fmt: skip
    assert out.exit_code == 0, out.stderr
    got = json.loads(out.stdout)
    assert list(got) == ["principal", "korea_cash_flows", "us_cash_flows",
                         "principal_recovered_year", "npv", "irr", "commercially_reasonable"]  # fmt: skip
    assert got["korea_cash_flows"] == [30, 30, 30, 14]
    assert got["principal_recovered_year"] == 4
    assert got["commercially_reasonable"] is False


def test_never_recovering_project_has_null_irr_on_the_cli(cli):
    out = cli(["invest", "reasonableness", "--principal", "100", "--cash-flows", "10,10,10",
               "--discount-rate", "0.05", "--json"])  # fmt: skip
    got = json.loads(out.stdout)
    assert got["irr"] is None and got["principal_recovered_year"] is None


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--principal", "0", "--cash-flows", "1"], "principal"),
        (["--principal", "-3", "--cash-flows", "1"], "principal"),
        (["--principal", "10", "--cash-flows", ""], "--cash-flows"),
        (["--principal", "10", "--cash-flows", "1,two"], "--cash-flows"),
        (["--principal", "10", "--cash-flows", "1,nan"], "--cash-flows"),
    ],
)
def test_reasonableness_refusals_are_one_line(cli, args, field):
    out = cli(["invest", "reasonableness", *args, "--json"])
    assert out.exit_code == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {field}:")
    assert out.stdout == ""


def test_schedule_contract_from_a_file_with_a_cap_what_if(cli, tmp_path):
    path = tmp_path / "pipeline.csv"
    path.write_text(
        "project,priority,requested_year,amount_usd\nA,3,2026,12000000000\nB,2,2026,15000000000\n",
        encoding="utf-8",
    )
    out = cli(["invest", "schedule", "--pipeline", str(path), "--json"])
    assert out.exit_code == 0, out.stderr
    got = json.loads(out.stdout)
    assert list(got) == ["calls", "by_year", "deferred", "first_year"]
    assert got["by_year"] == {"2026": 20 * BN, "2027": 7 * BN}
    assert got["deferred"] == [
        {"project": "B", "amount": 7 * BN, "from_year": 2026, "to_year": 2027}
    ]
    out = cli(["invest", "schedule", "--pipeline", str(path), "--cap", "1e10", "--json"])
    assert json.loads(out.stdout)["by_year"] == {"2026": 10 * BN, "2027": 10 * BN, "2028": 7 * BN}
    out = cli(["invest", "schedule", "--pipeline", str(path), "--cap", "0"])
    assert out.exit_code == 2 and out.stderr.startswith("error: --cap:")
    out = cli(["invest", "schedule", "--pipeline", str(path), "--defer", "Z=2027"])
    assert out.exit_code == 2 and out.stderr.startswith("error: defer:")


def test_registry_flow_on_the_cli(cli, configured):
    from tiro.core.db import get_engine, session_scope

    with session_scope(get_engine(configured)) as session:
        load_reference(session=session)
    out = cli(["invest", "submit", "--name", "CLI chip line", "--sector", "semiconductors",
               "--sponsor", "S", "--capital", "2027=3e9", "--cash-flows", "5e8,5e8,5e8",
               "--on", "2026-07-01", "--document", "Term sheet|https://example.org/ts",
               "--json"])  # fmt: skip
    assert out.exit_code == 0, out.stderr
    assert json.loads(out.stdout)["state"] == "submitted"
    assert json.loads(out.stdout)["documents"] == [
        {"title": "Term sheet", "href": "https://example.org/ts"}
    ]
    out = cli(["invest", "advance", "CLI chip line", "--to", "recommended", "--reason", "x"])
    assert out.exit_code == 4 and "allowed: screened" in out.stderr
    out = cli(["invest", "advance", "CLI chip line", "--to", "screened", "--reason", "ok",
               "--on", "2026-07-02", "--json"])  # fmt: skip
    assert json.loads(out.stdout)["steps"][-1]["body"] == "special_act"
    out = cli(["invest", "submit", "--name", "X", "--sector", "tourism", "--sponsor", "S",
               "--capital", "2027=3e9", "--cash-flows", "1"])  # fmt: skip
    assert out.exit_code == 2 and out.stderr.startswith("error: sector:")
    out = cli(["invest", "projects", "--state", "selected", "--json"])
    assert len(json.loads(out.stdout)) == 6
    out = cli(["invest", "schedule", "--json"])  # from the registry
    by_year = json.loads(out.stdout)["by_year"]
    assert max(by_year.values()) <= 20 * BN
    out = cli(["invest", "reasonableness", "--project", "1", "--json"])
    assert out.exit_code == 0, out.stderr
    out = cli(["invest", "advance", "no such", "--to", "screened", "--reason", "x"])
    assert out.exit_code == 3 and out.stderr.startswith("error: project:")
