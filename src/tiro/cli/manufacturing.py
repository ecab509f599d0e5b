"""``tiro manufacturing``: 제조AI 대전환 M.AX — KPIs, reliability, registry, models, rules.

Thin shell over tiro.manufacturing; model and rule commands live in
tiro.cli.manufacturing_models.
"""

from __future__ import annotations

from typing import ClassVar

import typer

from tiro.cli import manufacturing_models
from tiro.cli.lazy import LazyApp, LazyGroup
from tiro.cli.output import JSON_OPTION, console, details, emit, table
from tiro.cli.petrochem_common import DATE, SCENARIO, parse_date

EXPLAIN = typer.Option(
    False, "--explain", help="JSON: add the working (standard errors, targets, sources)."
)

LIBRARY_APPS = (
    ("assets", "데이터 자산 Library assets: register a dataset or your own file; metadata and mock twin."),
    ("policies", "이용 정책 Usage policies: purposes, organisations, expiry, k, row limit, model types."),
    ("contracts", "이용 계약 Access contracts: requested → offered → agreed → finalised | terminated."),
    ("requests", "원격 분석 요청 Compute requests: submit (mock run), approve, execute, released result."),
    ("members", "라이브러리 역할 Library members: owner, analyst, steward, auditor per organisation."),
    ("library", "데이터 라이브러리 The data library: seed the shipped datasets, read its audit log."),
)  # fmt: skip
"""The data library's sub-apps (tiro.cli.manufacturing_library), with their own help lines."""


class ManufacturingGroup(LazyGroup):
    """``tiro manufacturing``: the data library's sub-apps load only when one is named."""

    lazy_apps: ClassVar[dict[str, LazyApp]] = {
        name: LazyApp(name, "tiro.cli.manufacturing_library", f"{name}_app", text)
        for name, text in LIBRARY_APPS
    }


app = typer.Typer(
    cls=ManufacturingGroup,
    help="제조AI 대전환 M.AX: AI-factory KPIs, programme registry, quality and reliability models.",
    no_args_is_help=True,
)
reliability_app = typer.Typer(
    help="신뢰성 Reliability life models (Weibull with right censoring).", no_args_is_help=True
)
app.add_typer(reliability_app, name="reliability")
manufacturing_models.register(app)


@app.command("kpi")
def kpi_cmd(
    kpi: str = typer.Option(..., "--kpi", help="KPI kind: cycle_time, work_time, defect_rate, …"),
    before: float = typer.Option(..., "--before", help="Value before the AI factory (> 0)."),
    after: float = typer.Option(..., "--after", help="Value after (≥ 0)."),
    date: str | None = DATE,
    scenario: str | None = SCENARIO,
    explain: bool = EXPLAIN,
    as_json: bool = JSON_OPTION,
) -> None:
    """성과지표 One before/after measurement → effect, direction and the target it meets.

    JSON: ``{"kpi", "effect", "direction", "meets_target"}``; ``--explain`` adds the values,
    the effect in the target group's terms, the target and the parameter it came from.
    """
    from tiro.core.parameters import get_params
    from tiro.manufacturing.programme import kpi as engine

    full = engine.one(kpi, before, after, get_params(scenario), parse_date(date))
    data = full if explain or not as_json else {k: full[k] for k in engine.CONTRACT}

    def render(d: dict) -> None:
        met = {True: "yes", False: "no", None: "no target"}[d["meets_target"]]
        target = "—" if d["target"] is None else f"{d['target']:+.1%} {d['target_group']}"
        group = "—" if d["group_effect"] is None else f"{d['group_effect']:+.2%}"
        console.print(
            details(
                f"{d['kpi']}: {d['before']:g} → {d['after']:g}",
                [
                    ("effect", f"{d['effect']:+.2%}"),
                    ("direction", d["direction"]),
                    ("in target terms", group),
                    ("target", target),
                    ("meets target", met),
                ],
            )
        )

    emit(data, as_json, render)


@app.command("kpi-kinds")
def kpi_kinds_cmd(as_json: bool = JSON_OPTION) -> None:
    """The KPI kinds, which way is better and the target group each is compared with."""
    from tiro.manufacturing.programme.kpi import KPI_KINDS

    data = [
        {"kpi": k.kind, "ko": k.ko, "en": k.en, "unit": k.unit, "better": k.better,
         "target_group": k.target_group}
        for k in KPI_KINDS.values()
    ]  # fmt: skip

    def render(rows: list[dict]) -> None:
        cols = ["kpi", "ko", "unit", "better", "target_group"]
        console.print(table("KPI kinds", cols, [[r[c] or "—" for c in cols] for r in rows]))

    emit(data, as_json, render)


@reliability_app.command("weibull")
def weibull_cmd(
    dataset: str = typer.Option(
        ..., "--dataset", help="Life data: reliability:automotive, reliability:electronics, …"
    ),
    explain: bool = EXPLAIN,
    as_json: bool = JSON_OPTION,
) -> None:
    """Weibull life fit by maximum likelihood with right censoring (α scale, β shape).

    JSON: ``{"alpha", "beta", "log_likelihood", "n_failures", "n_censored"}``; ``--explain``
    adds the standard errors (inverse observed information), the α-β covariance and the source.
    """
    from tiro.manufacturing.quality import life_data, weibull

    data = life_data.load(dataset)
    full = {**weibull.fit(data.failures, data.censored).as_dict(), "dataset": dataset,
            "source": data.source}  # fmt: skip
    out = full if explain or not as_json else {k: full[k] for k in weibull.CONTRACT}

    def render(d: dict) -> None:
        console.print(
            details(
                f"Weibull fit of {dataset}",
                [
                    ("alpha (scale)", f"{d['alpha']:,.1f} ± {d['alpha_se']:,.1f}"),
                    ("beta (shape)", f"{d['beta']:.4f} ± {d['beta_se']:.4f}"),
                    ("log-likelihood", f"{d['log_likelihood']:.4f}"),
                    ("failures / censored", f"{d['n_failures']} / {d['n_censored']}"),
                    ("source", d["source"]),
                ],
            )
        )

    emit(out, as_json, render)


@app.command("registry")
def registry_cmd(
    date: str | None = DATE,
    facts: bool = typer.Option(
        False, "--facts", help="Show each published total beside the records' count instead."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """M.AX 현황 Members, divisions, MINI alliances and AI factories on a date (sample records)."""
    from tiro.manufacturing.programme import registry, sample

    reg = sample.generate()
    if facts:
        rows = registry.facts_beside(reg)
        cols = ["what", "date", "published", "qualifier", "records", "agrees"]
        emit(
            rows,
            as_json,
            lambda d: console.print(
                table(
                    "Published totals vs the sample records",
                    cols,
                    [[str(r[c]) for c in cols] for r in d],
                )
            ),
        )
        return
    data = registry.counts(reg, parse_date(date))

    def render(d: dict) -> None:
        items = [(k, str(v)) for k, v in d.items() if not isinstance(v, dict)]
        console.print(details(f"M.AX programme on {d['date']} (sample records)", items))
        for key in ("ai_factories_by_status", "ai_factories_by_sector", "members_by_type"):
            rows = [[k, str(v)] for k, v in d[key].items()]
            console.print(table(key.replace("_", " "), ["", "count"], rows))

    emit(data, as_json, render)


@app.command("progress")
def progress_cmd(
    date: str | None = DATE,
    scenario: str | None = SCENARIO,
    as_json: bool = JSON_OPTION,
) -> None:
    """목표 대비 진도 AI factories against the dated target; KPI aggregates against targets."""
    from tiro.core.parameters import get_params
    from tiro.manufacturing.programme import registry, sample

    data = registry.progress(sample.generate(), get_params(scenario), parse_date(date))

    def render(d: dict) -> None:
        share = d["ai_factory_share_of_target"]
        console.print(
            f"AI factories {d['ai_factories']} of target {d['ai_factory_target']}"
            + ("" if share is None else f" ({share:.1%})")
            + " — sample records"
        )
        cols = ["kpi", "n", "median_effect", "weighted_effect", "target", "progress"]
        rows = [
            [r["kpi"], str(r["n"])]
            + ["—" if r[c] is None else f"{r[c]:+.1%}" for c in cols[2:5]]
            + ["—" if r["progress"] is None else f"{r['progress']:.1%}"]
            for r in d["kpis"]
        ]
        console.print(table("KPI effects of measured projects", cols, rows))

    emit(data, as_json, render)


@app.command("projects")
def projects_cmd(
    date: str | None = DATE,
    sector: str | None = typer.Option(None, "--sector", help="Only this sector (of the 12)."),
    win_win: bool = typer.Option(False, "--win-win", help="Only win-win (anchor + suppliers)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """AI 팩토리 AI-factory projects with status on a date, anchor and suppliers (sample)."""
    from tiro.manufacturing.programme import registry, sample

    rows = registry.projects_on(
        sample.generate(), parse_date(date), sector, True if win_win else None
    ).to_dicts()
    cols = ["project_id", "sector", "complex", "process", "start", "status", "anchor"]

    def render(d: list[dict]) -> None:
        body = [[str(r[c] or "—") for c in cols] for r in d]
        heads = ["project", *cols[1:]]
        console.print(table(f"AI-factory projects (sample): {len(d)}", heads, body))

    emit(rows, as_json, render)
