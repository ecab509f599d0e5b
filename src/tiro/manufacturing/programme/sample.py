"""Deterministic sample records of the M.AX programme, built around the published totals.

No public register of the alliance's members or of the AI-factory projects exists to ship, so
this module generates them from a fixed seed: every row is labelled ``sample``. The records are
built so that counting them reproduces the facts in ``programme.yaml`` exactly: 1,000 members
on the launch day (2025-09-10), 1,300 on 2025-12-24, 1,500 on 2026-05-27; 102 AI factories
started in 2025 and more than 200 by the end of 2026; 2 win-win projects with 6 firms in 2025,
5 with 20+ firms by the end of 2026. Everything else (names, sectors, regions, dates inside
each interval, KPI values) is invented and says so.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from functools import cache

import numpy as np
import polars as pl

from tiro.manufacturing import reference

SEED = 20260527
"""The generator's seed (the report's date): the same records on every machine."""

ORG_TYPES = ("manufacturer", "ai_firm", "university", "institute", "association")
REGIONS = (
    "Seoul", "Gyeonggi", "Incheon", "Busan", "Ulsan", "Gyeongnam", "Gyeongbuk", "Daegu",
    "Gwangju", "Jeonnam", "Jeonbuk", "Chungnam", "Chungbuk", "Daejeon", "Gangwon",
)  # fmt: skip
PROCESSES = ("inspection", "welding", "assembly", "machining", "plating", "coating", "mixing",
             "packaging", "etching", "molding")  # fmt: skip
LABEL = "sample"


@dataclass(frozen=True)
class SampleRegistry:
    """The generated tables: organisations, division and MINI memberships, projects, links, KPIs."""

    organisations: pl.DataFrame
    division_members: pl.DataFrame
    mini_members: pl.DataFrame
    projects: pl.DataFrame
    project_links: pl.DataFrame
    measurements: pl.DataFrame


def _days(rng: np.random.Generator, first: dt.date, last: dt.date, n: int) -> list[dt.date]:
    span = (last - first).days
    offsets = np.sort(rng.integers(0, span + 1, size=n))
    return [first + dt.timedelta(days=int(d)) for d in offsets]


def _join_dates(rng: np.random.Generator) -> list[dt.date]:
    """Join dates so the count on each milestone date equals the milestone exactly."""
    marks = reference.milestones("members")
    dates = [marks[0]["date"]] * marks[0]["value"]
    for before, after in itertools.pairwise(marks):
        first = before["date"] + dt.timedelta(days=1)
        dates += _days(rng, first, after["date"], after["value"] - before["value"])
    return dates


def _organisations(rng: np.random.Generator) -> pl.DataFrame:
    joined = _join_dates(rng)
    n = len(joined)
    sectors = reference.sectors()
    return pl.DataFrame(
        {
            "org_id": [f"org-{i:04d}" for i in range(1, n + 1)],
            "name": [f"Sample organisation {i:04d}" for i in range(1, n + 1)],
            "type": rng.choice(ORG_TYPES, size=n, p=[0.6, 0.2, 0.08, 0.08, 0.04]).tolist(),
            "sector": rng.choice(sectors, size=n).tolist(),
            "region": rng.choice(REGIONS, size=n).tolist(),
            "joined": joined,
            "data_label": [LABEL] * n,
        }
    )


def _division_members(rng: np.random.Generator, orgs: pl.DataFrame) -> pl.DataFrame:
    """Each member sits in one or two divisions open on (or after) the day it joined."""
    divs = reference.divisions()
    rows = []
    for org_id, joined in orgs.select("org_id", "joined").iter_rows():
        open_divs = divs.filter(pl.col("since") <= max(joined, dt.date(2026, 2, 1)))
        k = int(rng.integers(1, 3))
        for div in rng.choice(open_divs["id"].to_list(), size=k, replace=False):
            since = max(joined, divs.filter(pl.col("id") == div)["since"][0])
            rows.append({"org_id": org_id, "division": str(div), "since": since})
    return pl.DataFrame(rows)


def _mini_members(rng: np.random.Generator, orgs: pl.DataFrame) -> pl.DataFrame:
    """A third of the members in each MINI alliance's sectors join it."""
    rows = []
    for m in reference.mini_alliances().iter_rows(named=True):
        pool = orgs.filter(pl.col("sector").is_in(m["sectors"].split(",")))
        pick = pool.filter(pl.Series(rng.random(pool.height) < 1 / 3))
        for org_id, joined in pick.select("org_id", "joined").iter_rows():
            rows.append({"org_id": org_id, "mini": m["id"], "since": max(joined, m["since"])})
    return pl.DataFrame(rows)


def _projects(rng: np.random.Generator, orgs: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """AI factories: 102 started in 2025, 103 in 2026 (205 ≥ 200); the first 2 and 3 of each
    year are win-win projects of an anchor with 2 (2025) or 4 (2026) suppliers."""
    makers = orgs.filter(pl.col("type") == "manufacturer")
    plan = [(2025, 102, 2, 2), (2026, 103, 3, 4)]
    rows, links = [], []
    sectors = reference.sectors()
    minis = reference.mini_alliances()["id"].to_list()
    number = 0
    for year, count, win_win, suppliers in plan:
        starts = _days(rng, dt.date(year, 1, 1), dt.date(year, 12, 31), count)
        for j, start in enumerate(starts):
            number += 1
            pid = f"aif-{number:03d}"
            anchor = makers["org_id"][int(rng.integers(makers.height))]
            rows.append(
                {
                    "project_id": pid,
                    "name": f"Sample AI factory {number:03d}",
                    "sector": str(rng.choice(sectors)),
                    "complex": str(rng.choice(minis)) if rng.random() < 0.3 else None,
                    "process": str(rng.choice(PROCESSES)),
                    "start": start,
                    "go_live": start + dt.timedelta(days=int(rng.integers(120, 301))),
                    "win_win": j < win_win,
                    "data_label": LABEL,
                }
            )
            links.append({"project_id": pid, "org_id": anchor, "role": "anchor"})
            if j < win_win:
                others = makers.filter(pl.col("org_id") != anchor)["org_id"].to_list()
                for org in rng.choice(others, size=suppliers, replace=False):
                    links.append({"project_id": pid, "org_id": str(org), "role": "supplier"})
    return pl.DataFrame(rows), pl.DataFrame(links)


#: KPI kinds sampled for a live project, with the mean and spread of the sampled effect.
_KPI_DRAWS = (
    ("cycle_time", 8.0, -0.20, 0.08),
    ("defect_rate", 0.03, -0.45, 0.15),
    ("unit_cost", 10_000.0, -0.18, 0.07),
    ("output_per_hour", 100.0, 0.25, 0.10),
)


def _measurements(rng: np.random.Generator, projects: pl.DataFrame) -> pl.DataFrame:
    """Two KPIs per project, measured at go-live; invented values labelled sample."""
    rows = []
    for pid, go_live in projects.select("project_id", "go_live").iter_rows():
        value = float(np.round(rng.lognormal(np.log(20.0), 0.8), 2))  # KRW bn of output
        for i in rng.choice(len(_KPI_DRAWS), size=2, replace=False):
            kind, base, mean, spread = _KPI_DRAWS[int(i)]
            effect = float(np.clip(rng.normal(mean, spread), -0.95, 1.5))
            before = float(np.round(base * rng.uniform(0.7, 1.3), 4))
            after = float(np.round(before * (1 + effect), 4))
            rows.append({"project_id": pid, "kpi": kind, "before": before, "after": after,
                         "measured_on": go_live, "weight": value, "data_label": LABEL})  # fmt: skip
    return pl.DataFrame(rows)


@cache
def generate(seed: int = SEED) -> SampleRegistry:
    """The sample registry for ``seed`` (cached: the same seed always gives the same rows)."""
    rng = np.random.default_rng(seed)
    orgs = _organisations(rng)
    divisions = _division_members(rng, orgs)
    minis = _mini_members(rng, orgs)
    projects, links = _projects(rng, orgs)
    return SampleRegistry(orgs, divisions, minis, projects, links, _measurements(rng, projects))
