"""Bad input on the MOU registry and scheduler, found by T-BREAK feeding every command junk.

Each case was accepted (or refused with a database rule's name instead of the field) before
its fix: a review step dated in 2199 that then locked the project out of every later step, a
capital of USD 0.40 that reached the CHECK constraint, a name longer than its column or with a
NUL in it, a priority beyond the column, a year given twice in ``--capital`` (the last one
silently won), and a pipeline line given twice (its amount was called twice).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tiro.core.errors import InvalidInput
from tiro.core.parameters import get_params
from tiro.invest import service

API = "/api/v1/invest"
BN = 1_000_000_000
HEADER = "project,priority,requested_year,amount_usd\n"


def _submit(session, **over):  # type: ignore[no-untyped-def]
    args = dict(session=session, params=get_params(), actor="t", name="P", sector="energy",
                sponsor="S", capital={"2027": 3e9}, cash_flows=[3e9] * 5, on=dt.date(2026, 3, 2))  # fmt: skip
    return service.submit(**{**args, **over})


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"capital": {"2027": 0.4}}, "capital.2027"),  # rounds to 0 whole dollars
        ({"name": "x" * 161}, "name"),
        ({"name": "a\x00b"}, "name"),
        ({"sponsor": "s" * 161}, "sponsor"),
        ({"us_spv": "v" * 161}, "us_spv"),
        ({"priority": 2**31}, "priority"),
        ({"on": dt.date.today() + dt.timedelta(days=1)}, "on"),
    ],
)
def test_submit_refuses_naming_the_field(session, db_backend, over, field):
    with pytest.raises(InvalidInput) as err:
        _submit(session, **over)
    assert err.value.field == field


@pytest.mark.postgres
def test_a_future_dated_step_is_refused_and_leaves_the_project_movable(session, db_backend):
    got = _submit(session)
    later = dt.date.today() + dt.timedelta(days=1)
    with pytest.raises(InvalidInput) as err:
        service.advance(session=session, params=get_params(), actor="t", role="operator",
                        project=got["id"], to="screened", reason="r", on=later)  # fmt: skip
    assert err.value.field == "on"
    moved = service.advance(session=session, params=get_params(), actor="t", role="operator",
                            project=got["id"], to="screened", reason="r", on=dt.date(2026, 3, 3))  # fmt: skip
    assert moved["state"] == "screened"


def test_api_refuses_a_sub_dollar_capital_and_a_future_step(api_client, auth_headers):
    analyst = auth_headers("analyst")
    body = {"name": "P", "sector": "energy", "sponsor": "S", "capital": {"2027": 0.4},
            "cash_flows": [1e9], "on": "2026-03-02"}  # fmt: skip
    r = api_client.post(f"{API}/projects", json=body, headers=analyst)
    assert r.status_code == 422 and r.json()["field"] == "capital.2027", r.text
    r = api_client.post(f"{API}/projects", json={**body, "capital": {"2027": 1e9}}, headers=analyst)
    assert r.status_code == 201, r.text
    step = {"to": "screened", "reason": "r", "on": "2199-01-01"}
    r = api_client.post(f"{API}/projects/{r.json()['id']}/advance", json=step,
                        headers=auth_headers("operator"))  # fmt: skip
    assert r.status_code == 422 and r.json()["field"] == "on", r.text


def test_cli_refuses_a_year_given_twice_in_capital(cli):
    r = cli(["invest", "submit", "--name", "D", "--sector", "energy", "--sponsor", "s",
             "--capital", "2027=1e9,2027=2e9", "--cash-flows", "1", "--on", "2026-03-02"])  # fmt: skip
    assert r.exit_code == 2, r.stdout
    assert r.stderr.strip().startswith("error: --capital:") and "2027" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("content", "field", "words"),
    [
        (HEADER + "A,1,2026,15e9\nB,1,2026,1e9\nA,1,2026,15e9\n", "pipeline", "line 4"),
        (
            "project,priority,requested_year,amount_usd,project\nA,1,2026,1e9,B\n",
            "project",
            "twice",
        ),
        ((HEADER + "A,1,2026,1e9\n").encode("utf-16"), "pipeline", "UTF-16"),
    ],
)
def test_pipeline_file_refusals(cli, tmp_path, content, field, words):
    path = tmp_path / "p.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    r = cli(["invest", "schedule", "--pipeline", str(path), "--json"])
    assert r.exit_code == 2, r.stdout
    assert r.stderr.startswith(f"error: {field}:") and words in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_a_pipeline_line_given_twice_over_http_is_refused_not_called_twice(api_client):
    line = {"project": "A", "priority": 1, "requested_year": 2026, "amount_usd": 15 * BN}
    r = api_client.post(f"{API}/schedule", json={"pipeline": [line, line]})
    assert r.status_code == 422 and r.json()["field"] == "pipeline", r.text
    # The same project in two years is two requests, not a duplicate: 15 + 15 under 20 per year.
    r = api_client.post(f"{API}/schedule",
                        json={"pipeline": [line, {**line, "requested_year": 2027}]})  # fmt: skip
    assert r.status_code == 200 and r.json()["by_year"] == {"2026": 15 * BN, "2027": 15 * BN}


def test_bom_pipeline_is_read(cli, tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER + "A,1,2026,1e9\n").encode())
    r = cli(["invest", "schedule", "--pipeline", str(path), "--json"])
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["by_year"] == {"2026": 1e9}


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"notes": "a\x00b"}, "notes"),
        ({"korean_suppliers": ["ok", "x\x00"]}, "korean_suppliers"),
        ({"documents": [{"title": "t\x00"}]}, "documents"),
    ],
)
def test_a_nul_anywhere_in_a_submission_is_refused_on_both_backends(
    session, db_backend, over, field
):
    """SQLite stored a NUL byte that PostgreSQL refuses (422 without a field): one answer now."""
    with pytest.raises(InvalidInput) as err:
        _submit(session, **over)
    assert err.value.field == field


def test_an_unknown_sector_filter_is_refused_not_an_empty_registry(cli, api_client):
    """``--sector bogus`` printed [] with exit 0, as if no project were in a real sector."""
    r = cli(["invest", "projects", "--sector", "bogus", "--json"])
    assert r.exit_code == 2 and r.stderr.startswith("error: --sector:"), r.stderr
    r = api_client.get(f"{API}/projects", params={"sector": "bogus"})
    assert r.status_code == 422 and r.json()["field"] == "sector", r.text
    r = cli(["invest", "projects", "--sector", "energy", "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout) == []  # a known sector, none submitted yet
