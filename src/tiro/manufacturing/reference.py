"""The M.AX programme's reference data: divisions, MINI alliances, sectors, milestones, R&D.

Read from ``data/manufacturing/programme.yaml`` (facts with their sources; see its header).
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl

from tiro.core.yaml_strict import load_yaml

PROGRAMME_FILE = (
    Path(__file__).resolve().parent.parent / "data" / "manufacturing" / "programme.yaml"
)


@cache
def programme() -> dict[str, Any]:
    """The whole reference file, parsed once."""
    return load_yaml(PROGRAMME_FILE)


def _day(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def divisions() -> pl.DataFrame:
    """The alliance divisions (분과) with the date each started."""
    rows = [{**d, "since": _day(d["since"])} for d in programme()["divisions"]]
    return pl.DataFrame(rows)


def mini_alliances() -> pl.DataFrame:
    """The 10 MINI alliances at industrial complexes, with their sectors."""
    rows = [
        {**m, "sectors": ",".join(m["sectors"]), "since": _day(m["since"])}
        for m in programme()["mini_alliances"]
    ]
    return pl.DataFrame(rows)


def sectors() -> list[str]:
    """The 12 AI-factory sectors (four named by the report, the rest assumed; see the file)."""
    return [s["id"] for s in programme()["sectors"]]


def milestones(kind: str) -> list[dict[str, Any]]:
    """The published totals of one kind (members, ai_factories, win_win_projects)."""
    return [{**m, "date": _day(m["date"])} for m in programme()["milestones"][kind]]


def rnd_programmes() -> list[dict[str, Any]]:
    """Product-AX R&D programmes with the budget by year (an even split, marked derived)."""
    out = []
    for p in programme()["rnd_programmes"]:
        years = list(range(p["start"], p["end"] + 1))
        total = p["budget_krw_bn"]
        by_year = None if total is None else {y: total / len(years) for y in years}
        out.append({**p, "budget_by_year_krw_bn": by_year, "budget_by_year_derived": True})
    return out


SEEDED_MODELS = {"solder-defect-count": "solder_defect_count", "automotive-life": "automotive_life"}
"""Models ``tiro db seed`` trains on the real datasets and registers as ``champion`` (both
fit in well under a second); the slower recipes are trained on request."""


def load_reference(*, session: object) -> dict[str, int]:
    """``tiro db seed``: the example tacit-knowledge rules and two champion models, once."""
    from tiro.manufacturing import service
    from tiro.manufacturing.quality import datasets, workbench

    added = service.seed_rules(session=session)
    for name, recipe_name in SEEDED_MODELS.items():
        if service.list_versions(session=session, name=name):
            continue
        recipe = workbench.RECIPES[recipe_name]
        result = workbench.train(datasets.load(recipe.dataset), recipe)
        row = service.register(session=session, name=name, result=result, actor="tiro-seed")
        service.set_alias(session=session, name=name, alias="champion", version=row["version"],
                          actor="tiro-seed")  # fmt: skip
        added += 1
    return {"rules+models": added}
