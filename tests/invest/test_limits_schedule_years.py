"""The capital-call schedule starts in the current year: a year already over cannot be called.

T-BREAK saw the registry schedule place calls in years before the current one. The spec
(tariff.md §4, MOU 2025-11-14): a call follows a US notice of a selected project and is paid
within 45 US business days of it — a plan cannot pay in a year that is over. The interfaces
pass today's year (``tiro.invest.calendar.today``, invest's one clock) to the scheduler; a
request for a past year is paid from the current year and listed as deferred.
"""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest

from tiro.invest import calendar
from tiro.invest.reference import load_reference
from tiro.invest.schedule import PAST_YEARS, solve

BN = 1_000_000_000
API = "/api/v1/invest"
ROWS = [("A", 3, 2025, 5 * BN), ("B", 2, 2026, 5 * BN), ("C", 1, 2027, 15 * BN)]


def _pipeline(rows=ROWS) -> pl.DataFrame:  # type: ignore[no-untyped-def]
    return pl.DataFrame(
        rows, schema=["project", "priority", "requested_year", "amount_usd"], orient="row"
    )


@pytest.fixture
def in_2027(monkeypatch):
    monkeypatch.setattr(calendar, "today", lambda: dt.date(2027, 3, 1))


def test_the_engine_floors_at_the_first_year_and_says_why():
    # cap 20bn; from 2027: A 5 (p3) and C 15 (p1) + B 5 (p2) = 25 > 20: the lowest priority
    # (C) gives 5bn to 2028. A and B were asked for years that are over: deferred to 2027.
    plan = solve(_pipeline(), lambda y: 20 * BN, first_year=2027)
    got = plan.contract()
    assert got["by_year"] == {"2027": 20 * BN, "2028": 5 * BN}
    assert got["calls"] == [
        {"project": "A", "year": 2027, "amount": 5 * BN},
        {"project": "B", "year": 2027, "amount": 5 * BN},
        {"project": "C", "year": 2027, "amount": 10 * BN},
        {"project": "C", "year": 2028, "amount": 5 * BN},
    ]
    assert got["deferred"] == [
        {"project": "A", "amount": 5 * BN, "from_year": 2025, "to_year": 2027},
        {"project": "B", "amount": 5 * BN, "from_year": 2026, "to_year": 2027},
        {"project": "C", "amount": 5 * BN, "from_year": 2027, "to_year": 2028},
    ]
    assert got["first_year"] == {"year": 2027, "reason": PAST_YEARS}
    # Without a first year (an engine call, no clock) the requests are honoured as given.
    plain = solve(_pipeline(), lambda y: 20 * BN).contract()
    assert plain["by_year"] == {"2025": 5 * BN, "2026": 5 * BN, "2027": 15 * BN}
    assert "first_year" not in plain


def test_a_deferral_past_the_first_year_still_wins():
    plan = solve(_pipeline(), lambda y: 20 * BN, earliest={"A": 2029}, first_year=2027)
    assert plan.calls.filter(pl.col("project") == "A")["year"].to_list() == [2029]


def test_the_cli_schedule_starts_this_year(cli, tmp_path, in_2027):
    path = tmp_path / "p.csv"
    path.write_text("project,priority,requested_year,amount_usd\n"
                    + "".join(f"{p},{r},{y},{a}\n" for p, r, y, a in ROWS))  # fmt: skip
    out = cli(["invest", "schedule", "--pipeline", str(path), "--json"])
    assert out.exit_code == 0, out.stderr
    got = json.loads(out.stdout)
    assert min(c["year"] for c in got["calls"]) == 2027
    assert got["first_year"]["year"] == 2027
    human = cli(["invest", "schedule", "--pipeline", str(path)])
    assert "calls start in 2027" in " ".join(human.stdout.split())


@pytest.fixture
def seeded(configured):
    from tiro.core.db import get_engine, session_scope

    with session_scope(get_engine(configured)) as session:
        load_reference(session=session)
    return configured


def test_the_registry_schedule_over_http_starts_this_year(api_client, seeded, monkeypatch):
    before = api_client.post(f"{API}/schedule", json={})
    assert before.status_code == 200, before.text
    asked = min(int(y) for y in before.json()["by_year"])
    later = max(asked, calendar.today().year) + 2  # a "today" after the first call year
    monkeypatch.setattr(calendar, "today", lambda: dt.date(later, 6, 1))
    r = api_client.post(f"{API}/schedule", json={})
    assert r.status_code == 200, r.text
    got = r.json()
    assert min(int(y) for y in got["by_year"]) == later
    assert all(c["year"] >= later for c in got["calls"])
    assert got["first_year"]["year"] == later
    assert sum(got["by_year"].values()) == pytest.approx(sum(before.json()["by_year"].values()))
