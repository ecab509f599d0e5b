"""``tiro petrochem``: 석유화학 구조개편 — registry, targets, projects, economics, optimiser.

Thin shell over tiro.petrochem; project workflow commands live in tiro.cli.petrochem_projects.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from tiro.cli import petrochem_projects
from tiro.cli.output import JSON_OPTION, console, emit, plain_zero, table
from tiro.cli.petrochem_common import DATE, SCENARIO, parse_date
from tiro.petrochem.limits import check_target_kt

app = typer.Typer(
    help="석유화학 구조개편 Petrochemical restructuring: crackers, projects, target, optimiser.",
    no_args_is_help=True,
)
petrochem_projects.register(app)


@app.command("capacity")
def capacity_cmd(
    date: str | None = DATE,
    by: str = typer.Option("complex", "--by", help="Table rows: complex or company."),
    units_file: Path | None = typer.Option(None, "--units", help="A units CSV (shipped schema)."),
    events_file: Path | None = typer.Option(
        None, "--events", help="A unit-events CSV (shipped schema)."
    ),
    export: Path | None = typer.Option(
        None, "--export", help="Write each unit's status and capacity on the date to this CSV."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """에틸렌 설비 Ethylene capacity (kt/y) of units operating or idle on a date."""
    from tiro.core.errors import InvalidInput
    from tiro.petrochem import registry

    if by not in ("complex", "company"):
        raise InvalidInput(f"{by!r} is not complex or company", field="--by")
    on = parse_date(date)
    units = registry.load_units(units_file)
    events = registry.load_events(units, events_file)
    data = registry.capacity_totals(units, events, on)
    if export is not None:
        if export.is_dir():
            raise InvalidInput(f"{export} is a directory, not a file name", field="--export")
        if export.suffix.lower() != ".csv":  # a CSV over any other file is never what was meant
            raise InvalidInput(f"{export.name} does not end in .csv", field="--export")
        if not export.parent.is_dir():
            raise InvalidInput(f"folder {export.parent} does not exist", field="--export")
        registry.status_on(units, events, on).write_csv(export)

    def render(d: dict) -> None:
        rows = [[k, f"{v:,.0f}"] for k, v in d[f"by_{by}"].items()]
        console.print(table(f"Ethylene capacity on {d['date']} (kt/y)", [by, "kt/y"], rows))
        console.print(f"[bold]total {d['total_kt']:,.0f} kt/y[/bold]")

    emit(data, as_json, render)


PROJECTS = typer.Option(
    "shipped", "--projects", help="Project states from: shipped (the report's history) or db."
)


def _load(on: dt.date, source: str = "shipped") -> tuple:
    """The shipped units, their events and the project actions on ``on`` (file or database)."""
    from tiro.core.errors import InvalidInput
    from tiro.petrochem import project_data, registry

    if source not in ("shipped", "db"):
        raise InvalidInput(f"{source!r} is not shipped or db", field="--projects")
    units = registry.load_units()
    events = registry.load_events(units)
    if source == "db":
        from tiro.core.db import session_scope
        from tiro.petrochem import service

        with session_scope() as session:
            return units, events, service.actions_table(session=session, on=on)
    return units, events, project_data.actions_on(project_data.load_projects(units), on)


@app.command("target")
def target_cmd(
    date: str | None = DATE,
    scenario: str | None = SCENARIO,
    projects: str = PROJECTS,
    as_json: bool = JSON_OPTION,
) -> None:
    """감축 목표 Progress against the 2.7-3.7 Mt/y target: gross cuts beside the net change."""
    from tiro.core.parameters import get_params
    from tiro.petrochem import targets

    on = parse_date(date)
    units, events, actions = _load(on, projects)
    data = targets.progress(units, events, actions, get_params(scenario), on)

    def render(d: dict) -> None:
        g, n = d["gross"], d["net"]
        rows = [
            ["target (low-high)", f"{d['target_kt']['low']:,.0f}-{d['target_kt']['high']:,.0f}"],
            ["base incl. planned units", f"{d['base_kt']:,.0f}"],
            ["gross cut approved", f"{g['approved_cut_kt']:,.0f}"],
            ["gross cut proposed", f"{g['proposed_cut_kt']:,.0f}"],
            ["planned additions started", f"{n['planned_additions_started_kt']:,.0f}"],
            ["net change since agreement", plain_zero(f"{n['net_change_kt']:+,.0f}")],
        ]
        console.print(table(f"NCC cut target on {d['date']} (kt/y)", ["", "kt/y"], rows))

    emit(data, as_json, render)


@app.command("optimize")
def optimize_cmd(
    target_kt: float = typer.Option(..., "--target-kt", help="Cut to reach, kt/y of ethylene."),
    date: str | None = DATE,
    scenario: str | None = SCENARIO,
    projects: str = PROJECTS,
    as_json: bool = JSON_OPTION,
) -> None:
    """설비 합리화 최적화 Least-cost keep/suspend/close per cracker (MILP, HiGHS)."""
    from tiro.core.parameters import get_params
    from tiro.petrochem import planning

    target_kt = check_target_kt(target_kt, "--target-kt")
    on = parse_date(date)
    units, events, actions = _load(on, projects)
    data = planning.run(
        units=units, events=events, actions=actions, params=get_params(scenario), on=on,
        target_kt=target_kt,
    )  # fmt: skip

    def render(d: dict) -> None:
        if d["status"] != "optimal":
            console.print(f"[bold red]{d['status']}[/bold red]: {d['explanation']}")
            return
        rows = [
            [
                u["unit"],
                u["complex"],
                u["action"],
                f"{u['capacity_kt']:,.0f}",
                f"{u['cost_musd']:,.1f}",
            ]
            for u in d["units"]
            if u["action"] != "keep"
        ]
        console.print(
            table(
                f"Cut {d['cut_kt']:,.0f} kt/y for target {d['target_kt']:,.0f} ({d['solve_seconds']} s)",
                ["unit", "complex", "action", "kt/y", "USD m/y"],
                rows,
            )
        )
        c = d["comparison"]
        console.print(
            f"cost {d['cost']:,.1f} USD m/y; negotiated projects {c['negotiated_cut_kt']:,.0f} kt "
            f"at {c['negotiated_cost']:,.1f} (optimum of that size {c['optimum_same_cut_cost']}); "
            f"China-style rule cuts {d['rule_based']['cut_kt']:,.0f} kt"
        )

    emit(data, as_json, render)


@app.command("economics")
def economics_cmd(
    date: str | None = DATE,
    scenario: str | None = SCENARIO,
    as_json: bool = JSON_OPTION,
) -> None:
    """분해설비 경제성 Net cash cost per t of ethylene by cracker, spread, margin, cost curve."""
    from tiro.core.parameters import get_params
    from tiro.petrochem import economics, registry

    on = parse_date(date)
    units = registry.load_units()
    state = registry.status_on(units, registry.load_events(units), on).filter("counted")
    curve = economics.merit_order(
        economics.unit_costs(state.select(units.columns), get_params(scenario), on)
    )
    columns = ["unit", "complex", "capacity_kt", "feed_usd_t", "credits_usd_t", "utilities_usd_t",
               "fixed_usd_t", "net_cash_cost_usd_t", "margin_usd_t", "cumulative_kt"]  # fmt: skip
    data = {
        "date": on.isoformat(),
        "spread_usd_t": float(curve["spread_usd_t"][0]) if curve.height else None,
        "units": curve.select(columns).to_dicts(),
    }

    def render(d: dict) -> None:
        rows = [
            [r[c] if isinstance(r[c], str) else f"{r[c]:,.0f}" for c in columns] for r in d["units"]
        ]
        console.print(table(f"Cost curve on {d['date']} (USD/t ethylene)", columns, rows))

    emit(data, as_json, render)


@app.command("indicators")
def indicators_cmd(
    date: str | None = DATE,
    china_pe_ss: float | None = typer.Option(
        None, "--china-pe-ss", help="China PE self-sufficiency scenario (0.84 = 2024)."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """구조 지표 Export ratio, commodity share, China dependence, balance and a China scenario."""
    from tiro.core.parameters import get_params
    from tiro.petrochem import indicators, registry

    on = parse_date(date)
    units = registry.load_units()
    total = registry.capacity_totals(units, registry.load_events(units), on)["total_kt"]
    data = {
        "indicators": indicators.indicators(),
        "balance": indicators.balance(total, get_params(), on, china_pe_ss),
    }
    emit(data, as_json)
