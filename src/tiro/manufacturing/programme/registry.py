"""Programme registry: counts by date from the records, beside the report's totals (M.AX 현황).

Counts are computed from the records (members joined on or before the date, projects started
on or before it), never copied from the facts; the facts are shown next to them so a reader
sees whether the records reproduce the published figures.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from tiro.core.parameters import ParameterTree
from tiro.manufacturing import reference
from tiro.manufacturing.programme import kpi
from tiro.manufacturing.programme.sample import SampleRegistry

AI_FACTORY_TARGET = "manufacturing.programme.ai_factory_target"


def project_status(projects: pl.DataFrame, on: dt.date) -> pl.DataFrame:
    """Each project's status on the date: planned, building (started) or operating (live)."""
    return projects.with_columns(
        status=pl.when(pl.col("start") > on)
        .then(pl.lit("planned"))
        .when(pl.col("go_live") > on)
        .then(pl.lit("building"))
        .otherwise(pl.lit("operating"))
    )


def counts(reg: SampleRegistry, on: dt.date) -> dict:
    """Members, divisions, MINI alliances and AI factories on ``on``, from the records."""
    orgs = reg.organisations.filter(pl.col("joined") <= on)
    divisions = reference.divisions().filter(pl.col("since") <= on)
    div_members = reg.division_members.filter(pl.col("since") <= on)
    minis = reference.mini_alliances().filter(pl.col("since") <= on)
    mini_members = reg.mini_members.filter(pl.col("since") <= on)
    started = reg.projects.filter(pl.col("start") <= on)
    status = project_status(reg.projects, on)
    win_win = started.filter("win_win")["project_id"]
    firms = reg.project_links.filter(pl.col("project_id").is_in(win_win.implode()))
    return {
        "date": on.isoformat(),
        "data_label": "sample",
        "members": orgs.height,
        "members_by_type": dict(sorted(orgs.group_by("type").len().iter_rows())),
        "divisions": divisions.height,
        "division_members": dict(sorted(div_members.group_by("division").len().iter_rows())),
        "mini_alliances": minis.height,
        "mini_members": dict(sorted(mini_members.group_by("mini").len().iter_rows())),
        "ai_factories": started.height,
        "ai_factories_by_status": dict(sorted(status.group_by("status").len().iter_rows())),
        "ai_factories_by_sector": dict(sorted(started.group_by("sector").len().iter_rows())),
        "win_win_projects": win_win.len(),
        "win_win_firms": firms["org_id"].n_unique(),
    }


def facts_beside(reg: SampleRegistry) -> list[dict]:
    """Each published total beside the count of the records on its date."""
    rows = []
    for kind, column in (("members", "members"), ("ai_factories", "ai_factories")):
        for m in reference.milestones(kind):
            got = counts(reg, m["date"])[column]
            rows.append({"what": kind, "date": m["date"].isoformat(), "published": m["value"],
                         "qualifier": m.get("qualifier", "exact"), "records": got,
                         "agrees": got >= m["value"] if m.get("qualifier") else got == m["value"],
                         "source": m["source"]})  # fmt: skip
    for m in reference.milestones("win_win_projects"):
        c = counts(reg, m["date"])
        for what, key in (("win_win_projects", "projects"), ("win_win_firms", "firms")):
            at_least = m.get("qualifier") == "at_least"
            rows.append({"what": what, "date": m["date"].isoformat(), "published": m[key],
                         "qualifier": m.get("qualifier", "exact"), "records": c[what],
                         "agrees": c[what] >= m[key] if at_least else c[what] == m[key],
                         "source": m["source"]})  # fmt: skip
    return rows


def progress(reg: SampleRegistry, params: ParameterTree, on: dt.date) -> dict:
    """Programme progress on ``on``: AI factories against the dated target, and the KPI
    aggregates of every measurement taken by then, against the effect targets."""
    c = counts(reg, on)
    target = params.explain(AI_FACTORY_TARGET, on) if on >= _first(params) else None
    measured = reg.measurements.filter(pl.col("measured_on") <= on)
    effects = kpi.effects(measured, params, on) if measured.height else measured
    agg = kpi.aggregate(effects).to_dicts() if measured.height else []
    return {
        "date": on.isoformat(),
        "data_label": "sample",
        "ai_factories": c["ai_factories"],
        "ai_factory_target": None if target is None else target.value,
        "ai_factory_share_of_target": None if target is None else c["ai_factories"] / target.value,
        "kpis": agg,
        "measurements": measured.height,
    }


def _first(params: ParameterTree) -> dt.date:
    return params.series(AI_FACTORY_TARGET)[0].effective_from


def projects_on(
    reg: SampleRegistry, on: dt.date, sector: str | None = None, win_win: bool | None = None
) -> pl.DataFrame:
    """AI-factory projects with their status on ``on``, anchor and suppliers (sample records)."""
    if sector is not None and sector not in reference.sectors():
        from tiro.core.errors import InvalidInput

        raise InvalidInput(
            f"unknown sector {sector!r}; known: {', '.join(reference.sectors())}", field="sector"
        )
    links = reg.project_links.group_by("project_id", maintain_order=True).agg(
        anchor=pl.col("org_id").filter(pl.col("role") == "anchor").first(),
        suppliers=pl.col("org_id").filter(pl.col("role") == "supplier"),
    )
    t = project_status(reg.projects, on).join(links, on="project_id", how="left")
    if sector is not None:
        t = t.filter(pl.col("sector") == sector)
    if win_win is not None:
        t = t.filter(pl.col("win_win") == win_win)
    return t.sort("start", "project_id")
