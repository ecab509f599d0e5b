"""The library from the command line: the whole life cycle on rpart:solder with k = 5, and bad
input — one stderr line naming the field, a non-zero exit, an audited refusal, nothing changed.
"""

from __future__ import annotations

import json

import polars as pl
import pytest
import sqlalchemy as sa

from tiro.core.db import get_engine
from tiro.manufacturing.quality import datasets

LIB = ["manufacturing"]
PEOPLE = (("admin", "admin", None, None), ("olivia", "operator", "hanbit-pcb", "owner"),
          ("sam", "operator", "hanbit-pcb", "steward"), ("ana", "analyst", "max-lab", "analyst"),
          ("aud", "viewer", "hanbit-pcb", "auditor"))  # fmt: skip
BY_MASK = (
    '{"kind": "aggregate", "group_by": ["Mask"], "metrics": [{"column": "skips", "fn": "mean"}]}'
)


@pytest.fixture
def tiro(cli, request):
    """``tiro(actor, *args)`` → parsed JSON; a non-zero exit fails the test with its stderr.

    After each test ``tiro audit verify`` must pass (except where the test tampers).
    """

    def run(actor: str | None, *args: str) -> dict | list:
        extra = ["--actor", actor] if actor else []
        result = cli([*LIB, *args, *extra, "--json"])
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)

    for name, role, _, _ in PEOPLE:
        assert cli(["users", "add", name, "--role", role]).exit_code == 0
    for name, _, org, role in PEOPLE:
        if org:
            run("admin", "members", "add", name, "--organisation", org, "--role", role)
    yield run
    if "tampered" not in request.node.name:
        assert cli(["audit", "verify"]).exit_code == 0


def _setup(tiro) -> int:
    tiro("olivia", "assets", "register", "--dataset", "rpart:solder", "--organisation",
         "hanbit-pcb", "--description", "wave-soldering experiment")  # fmt: skip
    tiro("olivia", "policies", "set", "rpart:solder", "--purpose", "quality_improvement",
         "--organisation", "max-lab", "--expires", "2099-12-31", "--min-group-size", "5",
         "--max-rows", "100")  # fmt: skip
    c = tiro("ana", "contracts", "request", "rpart:solder", "--purpose", "quality_improvement")
    for step, who in (("offer", "olivia"), ("agree", "ana"), ("finalise", "sam")):
        c = tiro(who, "contracts", step, str(c["id"]))
    assert c["state"] == "finalised"
    return c["id"]


def test_the_life_cycle_from_the_command_line(tiro, cli) -> None:
    contract_id = _setup(tiro)
    r = tiro("ana", "requests", "submit", str(contract_id), "--recipe-json", BY_MASK)
    assert r["state"] == "pending" and r["mock_run"]["status"] == "ok"
    assert tiro("sam", "requests", "approve", str(r["id"]))["state"] == "approved"
    done = tiro("sam", "requests", "execute", str(r["id"]))
    assert (done["state"], done["result_rows"]) == ("released", 5)
    result = tiro("ana", "requests", "result", str(r["id"]))["result"]
    real = datasets.load("rpart:solder")
    n = dict(real.group_by("Mask").len().iter_rows())
    total = dict(real.group_by("Mask").agg(pl.col("skips").sum()).iter_rows())
    assert {row["Mask"]: row["n"] for row in result["rows"]} == n
    for row in result["rows"]:
        assert row["skips_mean"] == pytest.approx(total[row["Mask"]] / n[row["Mask"]])
    listed = tiro("aud", "requests", "list", "--state", "released")
    assert [x["id"] for x in listed] == [r["id"]] and "result" not in listed[0]
    trail = tiro("aud", "library", "audit", "--limit", "5")
    assert trail[0]["action"] == "manufacturing.library.request.release"
    verify = cli(["audit", "verify", "--json"])
    assert verify.exit_code == 0 and json.loads(verify.stdout)["ok"]


def test_no_command_prints_a_real_row(tiro, cli) -> None:
    _setup(tiro)
    real = {json.dumps(r, sort_keys=True) for r in datasets.load("rpart:solder").to_dicts()}
    outputs = [cli([*LIB, *args, "--actor", who, "--json"]).stdout for who, args in (
        ("ana", ["assets", "list"]), ("ana", ["assets", "show", "rpart:solder"]),
        ("ana", ["policies", "show", "rpart:solder"]), ("ana", ["contracts", "list"]),
        ("ana", ["contracts", "show", "1"]), ("aud", ["library", "audit", "--limit", "1000"]))]  # fmt: skip
    for text in outputs:
        data = json.loads(text)
        found = []

        def walk(node, found=found):
            if isinstance(node, dict):
                if json.dumps(node, sort_keys=True) in real:
                    found.append(node)
                for v in node.values():
                    walk(v)
            elif isinstance(node, list):
                for v in node:
                    walk(v)

        walk(data)
        assert found == []


def _library_counts(configured: str) -> dict[str, int]:
    with get_engine(configured).connect() as conn:
        return {t: conn.execute(sa.text(f"SELECT count(*) FROM manufacturing_library_{t}")).scalar()
                for t in ("assets", "policies", "contracts", "requests")}  # fmt: skip


def _audit_last(configured: str) -> str:
    with get_engine(configured).connect() as conn:
        return conn.execute(
            sa.text("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1")
        ).scalar()


@pytest.mark.parametrize(
    ("who", "args", "code", "line"),
    [
        ("ana", ["assets", "show", "nope"], 3, "error: asset: no asset 'nope' in the library"),
        ("ana", ["contracts", "agree", "2"], 4,
         "error: contract: contract 2 is requested; agree needs offered"),
        ("ana", ["contracts", "request", "rpart:solder", "--purpose", "marketing"], 5,
         "error: purpose: the policy of rpart:solder v1: 'marketing' is not a permitted purpose"),
        ("ana", ["requests", "submit", "1", "--recipe-json",
                 '{"kind": "aggregate", "group_by": ["Line"]}'], 2,
         "error: group_by[0]: unknown column 'Line'"),
        ("olivia", ["policies", "set", "rpart:solder", "--purpose", "x", "--organisation", "y",
                    "--expires", "2020-01-01"], 2, "error: expires_on: 2020-01-01 is before today"),
        ("sam", ["requests", "approve", "1"], 4, "error: request: request 1 is approved"),
        ("cli-nobody", ["assets", "list"], 5, "error: actor: 'cli-nobody' is not a tiro user"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_an_exit_code_an_audit_entry_and_no_change(
    tiro, cli, configured, who, args, code, line
) -> None:
    contract_id = _setup(tiro)
    r = tiro("ana", "requests", "submit", str(contract_id), "--recipe-json", BY_MASK)
    tiro("sam", "requests", "approve", str(r["id"]))
    tiro("ana", "contracts", "request", "rpart:solder", "--purpose", "quality_improvement")
    before = _library_counts(configured)
    result = cli([*LIB, *args, "--actor", who, "--json"])
    assert result.exit_code == code, result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(line), result.stderr
    assert result.stdout == ""
    assert _library_counts(configured) == before
    assert _audit_last(configured).endswith(".refused")


def test_cli_only_input_errors_name_their_option(tiro, cli, tmp_path) -> None:
    contract_id = _setup(tiro)
    bad = cli([*LIB, "requests", "submit", str(contract_id), "--recipe-json", "{nope",
               "--actor", "ana"])  # fmt: skip
    assert bad.exit_code == 2 and bad.stderr.startswith("error: recipe-json: not JSON")
    both = cli([*LIB, "assets", "register", "--organisation", "hanbit-pcb", "--actor", "olivia"])
    assert both.exit_code == 2 and both.stderr.startswith("error: dataset: give exactly one")
    txt = tmp_path / "x.txt"
    txt.write_text("a\n1\n")
    wrong = cli([*LIB, "assets", "register", "--file", str(txt), "--name", "x",
                 "--organisation", "hanbit-pcb", "--actor", "olivia"])  # fmt: skip
    assert wrong.exit_code == 2 and wrong.stderr.startswith("error: file: x.txt: only .csv")
    csv = tmp_path / "line3.csv"
    csv.write_text("station,temp_c,defects\nA,210.5,0\nB,215.0,2\n")
    ok = tiro("olivia", "assets", "register", "--file", str(csv), "--name", "line3",
              "--organisation", "hanbit-pcb")  # fmt: skip
    assert (ok["name"], ok["rows"], ok["source"]) == ("line3", 2, "file line3.csv")


def test_audit_verify_detects_a_tampered_library_entry(tiro, cli, configured, db_backend) -> None:
    _setup(tiro)
    assert cli(["audit", "verify"]).exit_code == 0
    with get_engine(configured).begin() as conn:
        conn.execute(sa.text("DROP TRIGGER IF EXISTS audit_log_no_update"))
        target = conn.execute(sa.text(
            "SELECT id FROM audit_log WHERE action = 'manufacturing.library.contract.offer'"
        )).scalar_one()  # fmt: skip
        conn.execute(sa.text("UPDATE audit_log SET actor = 'mallory' WHERE id = :i"), {"i": target})
    broken = cli(["audit", "verify", "--json"])
    assert broken.exit_code != 0
    assert json.loads(broken.stdout)["first_bad_id"] == target
    assert f"audit chain broken at entry {target}" in broken.stderr
