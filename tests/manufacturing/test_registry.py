"""Programme registry (issue 16 item 1): counts by date against hand sums of the records."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest

from tiro.core.parameters import get_params
from tiro.manufacturing import reference
from tiro.manufacturing.programme import registry, sample

DAYS = [dt.date(2025, 9, 9), dt.date(2025, 9, 10), dt.date(2025, 12, 24), dt.date(2026, 1, 31),
        dt.date(2026, 2, 1), dt.date(2026, 5, 27), dt.date(2026, 12, 31)]  # fmt: skip


@pytest.fixture(scope="module")
def reg():
    return sample.generate()


@pytest.mark.parametrize("on", DAYS)
def test_counts_are_hand_sums_of_the_records(reg, on):
    got = registry.counts(reg, on)
    orgs = reg.organisations.to_dicts()
    assert got["members"] == sum(1 for o in orgs if o["joined"] <= on)
    projects = reg.projects.to_dicts()
    assert got["ai_factories"] == sum(1 for p in projects if p["start"] <= on)
    ww = {p["project_id"] for p in projects if p["start"] <= on and p["win_win"]}
    assert got["win_win_projects"] == len(ww)
    firms = {ln["org_id"] for ln in reg.project_links.to_dicts() if ln["project_id"] in ww}
    assert got["win_win_firms"] == len(firms)
    divs = [d for d in reference.programme()["divisions"] if d["since"] <= on]
    assert got["divisions"] == len(divs)
    members = [m for m in reg.division_members.to_dicts() if m["since"] <= on]
    for division, n in got["division_members"].items():
        assert n == sum(1 for m in members if m["division"] == division)
    statuses = got["ai_factories_by_status"]
    assert statuses.get("planned", 0) == sum(1 for p in projects if p["start"] > on)


def test_the_report_totals_are_reproduced_by_the_records(reg):
    rows = registry.facts_beside(reg)
    assert all(r["agrees"] for r in rows), [r for r in rows if not r["agrees"]]
    by = {(r["what"], r["date"]): r["records"] for r in rows}
    assert by[("members", "2025-09-10")] == 1000
    assert by[("members", "2026-05-27")] == 1500
    assert by[("ai_factories", "2025-12-31")] == 102
    assert by[("ai_factories", "2026-12-31")] >= 200
    assert (by[("win_win_projects", "2025-12-31")], by[("win_win_firms", "2025-12-31")]) == (2, 6)
    assert by[("win_win_firms", "2026-12-31")] >= 20


def test_divisions_ten_then_eleven_and_mini_alliances(reg):
    assert registry.counts(reg, dt.date(2026, 1, 31))["divisions"] == 10
    assert registry.counts(reg, dt.date(2026, 2, 1))["divisions"] == 11
    assert registry.counts(reg, dt.date(2026, 1, 31))["mini_alliances"] == 0
    assert registry.counts(reg, dt.date(2026, 2, 1))["mini_alliances"] == 10


def test_sample_is_deterministic_and_labelled():
    a, b = sample.generate.__wrapped__(), sample.generate.__wrapped__()
    for name in ("organisations", "projects", "project_links", "measurements"):
        assert getattr(a, name).equals(getattr(b, name)), name
    c = sample.generate.__wrapped__(seed=1)
    assert not a.projects.equals(c.projects)
    assert set(a.organisations["data_label"]) == {"sample"}
    assert set(a.projects["data_label"]) == {"sample"}
    assert set(a.measurements["data_label"]) == {"sample"}


def test_progress_against_the_dated_target(reg):
    on = dt.date(2026, 12, 5)
    got = registry.progress(reg, get_params(), on)
    started = reg.projects.filter(pl.col("start") <= on).height
    assert got["ai_factories"] == started
    assert got["ai_factory_target"] == 200
    assert got["ai_factory_share_of_target"] == pytest.approx(started / 200)
    n = reg.measurements.filter(pl.col("measured_on") <= on).height
    assert got["measurements"] == n == sum(k["n"] for k in got["kpis"])
    # before the target's first date there is no target, and no error
    early = registry.progress(reg, get_params(), dt.date(2025, 6, 1))
    assert early["ai_factory_target"] is None


def test_rnd_budget_by_year_is_an_even_split_marked_derived():
    ship = next(p for p in reference.rnd_programmes() if p["id"] == "autonomous_ship")
    assert ship["budget_krw_bn"] == 600 and len(ship["budget_by_year_krw_bn"]) == 7
    assert sum(ship["budget_by_year_krw_bn"].values()) == pytest.approx(600)
    assert ship["budget_by_year_derived"] is True


def test_cli_registry(cli):
    out = cli(["manufacturing", "registry", "--date", "2026-05-27", "--json"])
    assert out.exit_code == 0, out.stderr
    got = json.loads(out.stdout)
    assert got["members"] == 1500 and got["data_label"] == "sample"
    out = cli(["manufacturing", "registry", "--date", "2026-13-01", "--json"])
    assert out.exit_code != 0 and out.stderr.startswith("error: --date:")


def test_projects_with_status_and_win_win_links(reg):
    on = dt.date(2025, 12, 31)
    ww = registry.projects_on(reg, on, win_win=True).filter(pl.col("status") != "planned")
    assert ww.height == 2
    assert sum(1 + len(s) for s in ww["suppliers"]) == 6  # 2 anchors + 4 suppliers
    rows = registry.projects_on(reg, on, sector="battery").to_dicts()
    assert all(r["sector"] == "battery" for r in rows)
    assert {r["status"] for r in rows if r["start"] > on} <= {"planned"}
    with pytest.raises(Exception) as err:
        registry.projects_on(reg, on, sector="bakery")
    assert getattr(err.value, "field", None) == "sector"


def test_cli_projects(cli):
    out = cli(["manufacturing", "projects", "--date", "2026-12-31", "--win-win", "--json"])
    assert out.exit_code == 0, out.stderr
    assert len(json.loads(out.stdout)) == 5
    out = cli(["manufacturing", "projects", "--sector", "bakery", "--json"])
    assert out.exit_code != 0 and out.stderr.startswith("error: sector:")
