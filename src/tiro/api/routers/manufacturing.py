"""Manufacturing AI routes (``/api/v1/manufacturing``): 제조AI 대전환 M.AX, report section 5.

Reads and single computations need no token. Training a model and recording a rule need the
analyst role, moving a model alias the operator role; each write is audited as the caller.
The programme registry is the seeded sample (labelled ``sample``) beside the report's totals.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from pydantic import Field
from sqlalchemy.orm import Session

from tiro.api.deps import SCENARIO_QUERY, get_session, http_params, require_role
from tiro.core.errors import Conflict, InvalidInput
from tiro.core.models import User
from tiro.core.validation import FiniteFloat, InputModel, finite_tree
from tiro.manufacturing import reference, service
from tiro.manufacturing.programme import kpi, registry, sample
from tiro.manufacturing.quality import datasets, life_data, weibull, workbench

router = APIRouter(prefix="/api/v1/manufacturing", tags=["manufacturing: M.AX"])

EARLIEST, LATEST = dt.date(1950, 1, 1), dt.date(2100, 12, 31)
DATE_QUERY = Query(None, description="Date (YYYY-MM-DD, 1950-2100; default today).")
NAME = r"^[a-z0-9][a-z0-9_-]{0,59}$"
ALIAS = r"^[a-z][a-z0-9_-]{0,39}$"
MODEL_NAME = Path(..., description="Model name.", pattern=NAME, max_length=60)
RULE_ID = Path(..., description="Rule id.", pattern=NAME, max_length=60)
VERSION_QUERY = Query(None, ge=1, le=1_000_000, description="Version (default: the latest).")
KPI_KIND = Literal[tuple(kpi.KPI_KINDS)]  # type: ignore[valid-type]
DATASET = Literal[datasets.DATASETS]  # type: ignore[valid-type]
LIFE_DATASET = Literal[life_data.DATASETS]  # type: ignore[valid-type]
RECIPE = Literal[tuple(workbench.RECIPES)]  # type: ignore[valid-type]


def _day(value: dt.date | None, field: str = "date") -> dt.date:
    on = value or dt.date.today()
    if not EARLIEST <= on <= LATEST:
        raise InvalidInput(f"{on} is outside {EARLIEST}..{LATEST}", field=field)
    return on


@router.get("/kpi", summary="One before/after measurement → effect and target (성과지표)")
def kpi_one(
    kind: KPI_KIND = Query(..., alias="kpi", description="KPI kind."),
    before: float = Query(..., gt=0, le=1e12, description="Value before (> 0)."),
    after: float = Query(..., ge=0, le=1e12, description="Value after (≥ 0)."),
    date: dt.date | None = DATE_QUERY,
    scenario: str | None = SCENARIO_QUERY,
) -> dict:
    """``{kpi, effect, direction, meets_target}`` plus the working: 8 h → 7 h is −0.125."""
    return kpi.one(kind, before, after, http_params(scenario), _day(date))


@router.get("/kpi/kinds", summary="KPI kinds, their better direction and target group")
def kpi_kinds() -> list[dict]:
    """Every KPI kind with unit, which way is better and the target group it is held to."""
    return [dataclasses.asdict(k) for k in kpi.KPI_KINDS.values()]


class Measurement(InputModel):
    """One project's before/after value of one KPI."""

    kpi: KPI_KIND = Field(..., description="KPI kind.")
    before: FiniteFloat = Field(..., gt=0, le=1e12, description="Value before (> 0).")
    after: FiniteFloat = Field(..., ge=0, le=1e12, description="Value after (≥ 0).")
    weight: FiniteFloat | None = Field(
        None, ge=0, le=1e12, description="Weight for the value-weighted mean (e.g. output value)."
    )
    project: str | None = Field(None, max_length=60, description="Project id (kept as given).")


class EffectsBody(InputModel):
    """Measurements of a programme and the date the targets are read on."""

    measurements: list[Measurement] = Field(..., min_length=1, max_length=10_000)
    date: dt.date | None = Field(None, description="Date of the targets (default today).")


@router.post("/kpi/effects", summary="Effects of many measurements and programme aggregates")
def kpi_effects(body: EffectsBody, scenario: str | None = SCENARIO_QUERY) -> dict:
    """Each measurement's effect and target check; per KPI the median and weighted effect."""
    import polars as pl

    rows = [m.model_dump() for m in body.measurements]
    frame = pl.DataFrame(rows, schema={"kpi": pl.Utf8, "before": pl.Float64,
                                       "after": pl.Float64, "weight": pl.Float64,
                                       "project": pl.Utf8})  # fmt: skip
    on = _day(body.date)
    effects = kpi.effects(frame, http_params(scenario), on)
    return {"date": on.isoformat(), "effects": effects.to_dicts(),
            "aggregates": kpi.aggregate(effects).to_dicts()}  # fmt: skip


@router.get("/registry", summary="Programme counts on a date (sample records)")
def registry_counts(date: dt.date | None = DATE_QUERY) -> dict:
    """Members, divisions, MINI alliances, AI factories and win-win projects on the date."""
    return registry.counts(sample.generate(), _day(date))


@router.get("/registry/projects", summary="AI-factory projects with status (sample records)")
def registry_projects(
    date: dt.date | None = DATE_QUERY,
    sector: str | None = Query(None, pattern=r"^[a-z_]{1,30}$", description="One of the 12."),
    win_win: bool | None = Query(None, description="Only win-win (true) or only others (false)."),
    limit: int = Query(500, ge=1, le=500, description="At most this many projects."),
) -> list[dict]:
    """Projects with sector, complex, process, start, go-live, status, anchor and suppliers."""
    rows = registry.projects_on(sample.generate(), _day(date), sector, win_win)
    return rows.head(limit).to_dicts()


@router.get("/registry/facts", summary="The report's totals beside the records' counts")
def registry_facts() -> list[dict]:
    """Each published total (with source) and whether the sample records reproduce it."""
    return registry.facts_beside(sample.generate())


@router.get("/registry/rnd", summary="Product-AX R&D programmes with budgets (제품AX R&D)")
def rnd() -> list[dict]:
    """R&D programmes with period, total budget and the (derived, even) budget by year."""
    return [
        {**p, "budget_by_year_krw_bn": None if p["budget_by_year_krw_bn"] is None
         else {str(y): v for y, v in p["budget_by_year_krw_bn"].items()}}
        for p in reference.rnd_programmes()
    ]  # fmt: skip


@router.get("/progress", summary="Progress against the AI-factory and effect targets")
def progress(date: dt.date | None = DATE_QUERY, scenario: str | None = SCENARIO_QUERY) -> dict:
    """AI factories against the dated target; KPI aggregates against the effect targets."""
    return registry.progress(sample.generate(), http_params(scenario), _day(date))


@router.get("/reliability/weibull", summary="Weibull life fit with right censoring (MLE)")
def weibull_fit(
    dataset: LIFE_DATASET = Query(..., description="Life dataset, e.g. reliability:automotive."),
) -> dict:
    """``{alpha, beta, log_likelihood, n_failures, n_censored}`` then standard errors."""
    data = life_data.load(dataset)
    return {**weibull.fit(data.failures, data.censored).as_dict(), "dataset": dataset,
            "source": data.source}  # fmt: skip


@router.get("/datasets", summary="Offline datasets with their content hashes")
def dataset_list() -> list[dict]:
    """Every dataset: rows, columns and SHA-256 content hash."""
    return datasets.catalogue()


@router.get("/recipes", summary="Model recipes (kind, dataset, target, features)")
def recipe_list() -> list[dict]:
    """Every registered recipe."""
    return [{"recipe": n, **r.as_dict()} for n, r in workbench.RECIPES.items()]


class TrainBody(InputModel):
    """Which recipe to train, optional overrides, and whether to register the result."""

    recipe: RECIPE = Field(..., description="Recipe name.")
    folds: int | None = Field(None, ge=2, le=20, description="Cross-validation folds.")
    seed: int | None = Field(None, ge=0, le=2**32 - 1, description="Seed of the fold split.")
    l2: FiniteFloat | None = Field(None, ge=0, le=1e6, description="L2 penalty.")
    expect_hash: str | None = Field(
        None, pattern=r"^[0-9a-f]{64}$", description="Refuse unless the dataset has this hash."
    )
    register_as: str | None = Field(
        None, pattern=NAME, max_length=60, description="Register as the next version of this."
    )


@router.post("/models/train", summary="Train and cross-validate a recipe; optionally register")
def train(
    body: TrainBody,
    user: User = Depends(require_role("analyst")),
    session: Session = Depends(get_session, scope="function"),
) -> dict:
    """Out-of-fold metrics, coefficients, dataset hash and code version (analyst)."""
    base = workbench.RECIPES[body.recipe]
    changes = {k: v for k in ("folds", "seed", "l2") if (v := getattr(body, k)) is not None}
    chosen = dataclasses.replace(base, **changes)
    frame = datasets.load(chosen.dataset)
    digest = datasets.content_hash(frame)
    if body.expect_hash is not None and body.expect_hash != digest:
        raise Conflict(f"dataset {chosen.dataset} has content hash {digest}", field="expect_hash")
    result: dict[str, Any] = {"recipe_name": body.recipe, **workbench.train(frame, chosen, digest)}
    if body.register_as is not None:
        row = service.register(
            session=session, name=body.register_as, result=result, actor=user.name
        )
        result["registered"] = {"name": row["name"], "version": row["version"]}
    return result


@router.get("/models", summary="The model registry (every version)")
def models(session: Session = Depends(get_session, scope="function")) -> list[dict]:
    """Every registered version with metrics, dataset hash, code version and aliases."""
    return service.list_models(session=session)


@router.get("/models/{name}", summary="One registered model by version or alias")
def model(
    name: str = MODEL_NAME,
    version: int | None = VERSION_QUERY,
    alias: str | None = Query(None, pattern=ALIAS, max_length=40, description="e.g. champion."),
    session: Session = Depends(get_session, scope="function"),
) -> dict:
    """A version by number, by alias, or the latest; an unknown alias is 404."""
    if version is not None and alias is not None:
        raise InvalidInput("give a version or an alias, not both", field="alias")
    return service.get(session=session, name=name, version=version, alias=alias)


class AliasBody(InputModel):
    """Point an alias at a version."""

    alias: str = Field(..., pattern=ALIAS, max_length=40, description="Alias, e.g. champion.")
    version: int = Field(..., ge=1, le=1_000_000, description="Version it points at.")


@router.post("/models/{name}/aliases", summary="Point an alias at a version", status_code=201)
def set_alias(
    body: AliasBody,
    name: str = MODEL_NAME,
    user: User = Depends(require_role("operator")),
    session: Session = Depends(get_session, scope="function"),
) -> dict:
    """Move ``champion`` (or any alias) to a version (operator, audited)."""
    return service.set_alias(
        session=session, name=name, alias=body.alias, version=body.version, actor=user.name
    )


@router.get("/rules", summary="Tacit-knowledge rules (latest versions)")
def rule_list(session: Session = Depends(get_session, scope="function")) -> list[dict]:
    """The latest version of every recorded rule."""
    return service.list_rules(session=session)


@router.get("/rules/{rule_id}/score", summary="Score a rule against its data")
def rule_score(
    rule_id: str = RULE_ID,
    version: int | None = VERSION_QUERY,
    session: Session = Depends(get_session, scope="function"),
) -> dict:
    """Support, precision, lift and recall of the rule on its dataset."""
    return service.score_rule(session=session, rule_id=rule_id, version=version)


class Clause(InputModel):
    """``column op value`` over a dataset column."""

    column: str = Field(..., max_length=80, description="Dataset column.")
    op: Literal[">", ">=", "<", "<=", "==", "!=", "in"] = Field(..., description="Operator.")
    value: FiniteFloat | str | list[FiniteFloat | str] = Field(
        ..., description="A number, text, or a list for 'in'."
    )


class RuleBody(InputModel):
    """An expert's rule: conditions → outcome over one dataset, with its author."""

    rule_id: str = Field(..., pattern=NAME, max_length=60, description="Rule id.")
    author: str = Field(..., min_length=1, max_length=120, description="Whose knowledge it is.")
    statement: str = Field(..., min_length=1, max_length=2000, description="The rule in words.")
    dataset: DATASET = Field(..., description="Dataset the rule is tested on.")
    conditions: list[Clause] = Field(..., min_length=1, max_length=20)
    outcome: Clause


@router.post("/rules", summary="Record a rule (a new version if its id exists)", status_code=201)
def rule_record(
    body: RuleBody,
    user: User = Depends(require_role("analyst")),
    session: Session = Depends(get_session, scope="function"),
) -> dict:
    """Checked against the dataset's columns (unknown column: 422 naming it), audited."""
    rule = finite_tree(body.model_dump(), "rule")
    if any(isinstance(c["value"], list) and len(c["value"]) > 100 for c in rule["conditions"]):
        raise InvalidInput("'in' takes at most 100 values", field="conditions")
    return service.record_rule(session=session, rule=rule, actor=user.name)
