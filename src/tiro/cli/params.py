"""``tiro params``: read and lint the policy parameter tree."""

from __future__ import annotations

from pathlib import Path

import typer

from tiro.cli.output import JSON_OPTION, console, emit, table
from tiro.core.errors import ParameterFileError
from tiro.core.parameter_files import PARAMS_ROOT, lint_tree
from tiro.core.parameters import get_params, leaf_row

app = typer.Typer(help="Policy parameters: dated, sourced values (policy as code).")


@app.command("show")
def show(
    path: str = typer.Argument(..., help="Dotted parameter path, e.g. tariff.us.reciprocal.kr"),
    date: str = typer.Option(..., "--date", help="Date the value is wanted for (YYYY-MM-DD)."),
    scenario: str | None = typer.Option(None, "--scenario", help="Scenario name or YAML file."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Show the value of a parameter in force on a date, with its reference."""
    params = get_params(scenario)
    explanation = params.explain(path, date)
    data = {
        "path": explanation.path,
        "value": explanation.value,
        "unit": explanation.unit,
        "effective_from": explanation.effective_from.isoformat(),
        "reference": {
            "title": explanation.reference.get("title"),
            "href": explanation.reference.get("href"),
            **{k: v for k, v in explanation.reference.items() if k not in {"title", "href"}},
        },
        "derived": explanation.derived,
        "scenario": explanation.scenario,
    }

    def render(d: dict) -> None:
        ref = d["reference"]
        console.print(
            table(
                d["path"],
                ["value", "unit", "effective from", "reference"],
                [[d["value"], d["unit"], d["effective_from"], ref.get("href") or ref.get("title")]],
            )
        )

    emit(data, as_json, render)


@app.command("list")
def list_(
    prefix: str = typer.Argument("", help="Only paths starting with this prefix."),
    as_json: bool = JSON_OPTION,
) -> None:
    """List parameter paths with their description, unit and declared range."""
    params = get_params()
    rows = [leaf_row(params.leaf(p)) for p in params.paths(prefix)]
    emit(
        rows,
        as_json,
        lambda r: console.print(
            table(
                "parameters",
                ["path", "unit", "range", "description"],
                [[x["path"], x["unit"], _range_text(x["range"]), x["description"]] for x in r],
            )
        ),
    )


def _range_text(bounds: dict | None) -> str:
    if bounds is None:
        return ""
    low, high = bounds["min"], bounds["max"]
    return f"{'' if low is None else low}–{'' if high is None else high}"


@app.command("series")
def series(
    path: str = typer.Argument(..., help="Dotted parameter path."),
    scenario: str | None = typer.Option(None, "--scenario", help="Scenario name or YAML file."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Every dated value of a parameter, oldest first."""
    values = get_params(scenario).series(path)
    rows = [
        {"effective_from": v.effective_from.isoformat(), "value": v.value, "reference": v.reference}
        for v in values
    ]
    emit(
        {"path": path, "values": rows},
        as_json,
        lambda d: console.print(
            table(
                path,
                ["effective from", "value", "reference"],
                [
                    [r["effective_from"], r["value"], r["reference"].get("title")]
                    for r in d["values"]
                ],
            )
        ),
    )


@app.command("lint")
def lint(
    root: Path = typer.Option(PARAMS_ROOT, "--root", help="Parameter tree to check."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Check every parameter file: references, units, duplicate keys, date order, breakdowns,
    finite values inside each leaf's declared range."""
    findings = lint_tree(root)
    emit(
        {"root": str(root), "ok": not findings, "problems": findings},
        as_json,
        lambda d: console.print("parameter tree is clean" if d["ok"] else "\n".join(findings)),
    )
    if findings:
        raise ParameterFileError(f"{len(findings)} problem(s); first: {findings[0]}")
