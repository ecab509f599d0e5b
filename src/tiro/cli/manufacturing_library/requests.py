"""``tiro manufacturing requests``: compute requests (원격 분석 요청) under a contract.

submit (validated, run on the mock twin) → approve | reject → execute (sandbox on the real
data) → released | withheld; ``result`` prints a released result only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from tiro.cli.manufacturing_library.common import CONTRACT, REQUEST, call, lib
from tiro.cli.output import JSON_OPTION, cli_actor, console, details, emit, records, table
from tiro.cli.petrochem_common import ACTOR

requests_app = typer.Typer(
    help="원격 분석 요청 Compute requests: submit (mock run), approve, execute, released result.",
    no_args_is_help=True,
)


def _request_line(d: dict) -> None:
    extra = f" — {d['withheld_reason']}" if d.get("withheld_reason") else ""
    console.print(f"request {d['id']} ({d['recipe_kind']}) under contract {d['contract_id']}: "
                  f"{d['state']}{extra}")  # fmt: skip


def _recipe(path: Path | None, inline: str | None) -> Any:
    from tiro.core.errors import InvalidInput
    from tiro.core.yaml_strict import read_user_yaml

    if (path is None) == (inline is None):
        raise InvalidInput(
            "give exactly one of --recipe FILE or --recipe-json TEXT", field="recipe"
        )
    if path is not None:
        return read_user_yaml(path, field="recipe")

    def refuse(value: str) -> None:
        raise InvalidInput(f"{value} is not a number", field="recipe-json")

    try:
        return json.loads(inline, parse_constant=refuse)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"not JSON: {exc.msg} at {exc.pos}", field="recipe-json") from None


@requests_app.command("submit")
def requests_submit(
    contract_id: int = CONTRACT,
    recipe: Path | None = typer.Option(None, "--recipe", help="Recipe file (YAML or JSON)."),
    recipe_json: str | None = typer.Option(None, "--recipe-json", help="Recipe as JSON text."),
    actor: str | None = ACTOR,
    as_json: bool = JSON_OPTION,
) -> None:
    """Submit a recipe under a finalised contract; it runs on the mock twin first."""
    spec = _recipe(recipe, recipe_json)
    data = call(lib("requests").submit, actor=cli_actor(actor), contract_id=contract_id,
                recipe=spec)  # fmt: skip
    emit(data, as_json, _request_line)


@requests_app.command("approve")
def requests_approve(
    request_id: int = REQUEST,
    note: str | None = typer.Option(None, "--note", help="Why (optional)."),
    actor: str | None = ACTOR,
    as_json: bool = JSON_OPTION,
) -> None:
    """A steward or owner of the asset's organisation approves a pending request."""
    data = call(lib("requests").approve, actor=cli_actor(actor), request_id=request_id,
                note=note)  # fmt: skip
    emit(data, as_json, _request_line)


@requests_app.command("reject")
def requests_reject(
    request_id: int = REQUEST,
    note: str = typer.Option(..., "--note", help="Why the request is rejected."),
    actor: str | None = ACTOR,
    as_json: bool = JSON_OPTION,
) -> None:
    """A steward or owner rejects a pending request, with the reason."""
    data = call(lib("requests").reject, actor=cli_actor(actor), request_id=request_id,
                note=note)  # fmt: skip
    emit(data, as_json, _request_line)


@requests_app.command("execute")
def requests_execute(
    request_id: int = REQUEST, actor: str | None = ACTOR, as_json: bool = JSON_OPTION
) -> None:
    """Run an approved request in the sandbox on the real data; release or withhold."""
    data = call(lib("requests").execute, actor=cli_actor(actor), request_id=request_id)
    emit(data, as_json, _request_line)


@requests_app.command("recover")
def requests_recover(
    request_id: int = REQUEST, actor: str | None = ACTOR, as_json: bool = JSON_OPTION
) -> None:
    """Withhold a request an interrupted execution left running (after twice the wall limit)."""
    data = call(lib("requests").recover, actor=cli_actor(actor), request_id=request_id)
    emit(data, as_json, _request_line)


@requests_app.command("list")
def requests_list(
    state: str | None = typer.Option(None, "--state", help="Only requests in this state."),
    contract: int | None = typer.Option(None, "--contract", help="Only this contract's."),
    actor: str | None = ACTOR,
    as_json: bool = JSON_OPTION,
) -> None:
    """Compute requests under contracts you are party to (metadata; auditors: all)."""
    data = call(lib("views").list_requests, actor=cli_actor(actor), state=state,
                contract_id=contract)  # fmt: skip
    cols = ["id", "contract_id", "recipe_kind", "state", "submitted_by", "decided_by"]
    emit(data, as_json, lambda rows: console.print(table(
        f"compute requests: {len(rows)}", cols, [[str(r[c] or "") for c in cols] for r in rows])))  # fmt: skip


@requests_app.command("show")
def requests_show(
    request_id: int = REQUEST, actor: str | None = ACTOR, as_json: bool = JSON_OPTION
) -> None:
    """One request's metadata: state, mock run, decision, reasons, resources used."""
    data = call(lib("views").show_request, actor=cli_actor(actor), request_id=request_id)
    emit(data, as_json, _request_line)


@requests_app.command("result")
def requests_result(
    request_id: int = REQUEST, actor: str | None = ACTOR, as_json: bool = JSON_OPTION
) -> None:
    """A released result (the contract's analysts, the asset's owners and stewards)."""
    data = call(lib("views").request_result, actor=cli_actor(actor), request_id=request_id)

    def render(d: dict) -> None:
        result = d["result"]
        if result["kind"] == "table":
            console.print(records(f"request {d['id']}: released result", result["rows"]))
        else:
            console.print(details(f"request {d['id']}: released result",
                                  [(k, json.dumps(v)) for k, v in result["values"].items()]))  # fmt: skip

    emit(data, as_json, render)
