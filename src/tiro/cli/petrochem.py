"""``tiro petrochem``: 석유화학 구조개편 — registry, targets, projects, economics, optimiser.

Thin shell over tiro.petrochem; project workflow commands live in tiro.cli.petrochem_projects.
"""

from __future__ import annotations

from pathlib import Path

import typer

from tiro.cli.output import JSON_OPTION, console, emit, table
from tiro.cli.petrochem_common import DATE, SCENARIO, parse_date

app = typer.Typer(
    help="석유화학 구조개편 Petrochemical restructuring: crackers, projects, target, optimiser.",
    no_args_is_help=True,
)


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
        if not export.parent.is_dir():
            raise InvalidInput(f"folder {export.parent} does not exist", field="--export")
        registry.status_on(units, events, on).write_csv(export)

    def render(d: dict) -> None:
        rows = [[k, f"{v:,.0f}"] for k, v in d[f"by_{by}"].items()]
        console.print(table(f"Ethylene capacity on {d['date']} (kt/y)", [by, "kt/y"], rows))
        console.print(f"[bold]total {d['total_kt']:,.0f} kt/y[/bold]")

    emit(data, as_json, render)


@app.command("target")
def target_cmd(
    date: str | None = DATE,
    scenario: str | None = SCENARIO,
    as_json: bool = JSON_OPTION,
) -> None:
    """감축 목표 Progress against the 2.7-3.7 Mt/y target: gross cuts beside the net change."""
    from tiro.core.parameters import get_params
    from tiro.petrochem import project_data, registry, targets

    on = parse_date(date)
    units = registry.load_units()
    events = registry.load_events(units)
    actions = project_data.actions_on(project_data.load_projects(units), on)
    data = targets.progress(units, events, actions, get_params(scenario), on)

    def render(d: dict) -> None:
        g, n = d["gross"], d["net"]
        rows = [
            ["target (low-high)", f"{d['target_kt']['low']:,.0f}-{d['target_kt']['high']:,.0f}"],
            ["base incl. planned units", f"{d['base_kt']:,.0f}"],
            ["gross cut approved", f"{g['approved_cut_kt']:,.0f}"],
            ["gross cut proposed", f"{g['proposed_cut_kt']:,.0f}"],
            ["planned additions started", f"{n['planned_additions_started_kt']:,.0f}"],
            ["net change since agreement", f"{n['net_change_kt']:+,.0f}"],
        ]
        console.print(table(f"NCC cut target on {d['date']} (kt/y)", ["", "kt/y"], rows))

    emit(data, as_json, render)
