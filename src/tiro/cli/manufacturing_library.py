"""``tiro manufacturing assets|policies|contracts|requests|members|library``: the data library.

Thin shell over tiro.manufacturing.library: parse, call one service, print. Every command
acts as ``--actor`` (default TIRO_USER, else the OS user), which must be a tiro user with a
library role; every change and every refusal is audited. No command prints an asset's rows:
``assets show`` gives metadata and the synthetic mock twin, ``requests result`` only a
released result. The sub-apps are mounted lazily by tiro.cli.manufacturing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from tiro.cli.output import JSON_OPTION, cli_actor, console, details, emit, records, table
from tiro.cli.petrochem_common import ACTOR, parse_date

assets_app = typer.Typer(
    help="데이터 자산 Library assets: register a dataset or your own file; metadata and mock twin.",
    no_args_is_help=True,
)
policies_app = typer.Typer(
    help="이용 정책 Usage policies: purposes, organisations, expiry, k, row limit, model types.",
    no_args_is_help=True,
)
contracts_app = typer.Typer(
    help="이용 계약 Access contracts: requested → offered → agreed → finalised | terminated.",
    no_args_is_help=True,
)
requests_app = typer.Typer(
    help="원격 분석 요청 Compute requests: submit (mock run), approve, execute, released result.",
    no_args_is_help=True,
)
members_app = typer.Typer(
    help="라이브러리 역할 Library members: owner, analyst, steward, auditor per organisation.",
    no_args_is_help=True,
)
library_app = typer.Typer(
    help="데이터 라이브러리 The data library: seed the shipped datasets, read its audit log.",
    no_args_is_help=True,
)

ASSET = typer.Argument(..., help="Asset id or name.")
CONTRACT = typer.Argument(..., help="Contract id.")
REQUEST = typer.Argument(..., help="Compute request id.")


def _session():  # type: ignore[no-untyped-def]
    from tiro.core.db import session_factory

    return session_factory()()


def _call(service: Any, **kwargs: Any) -> Any:
    """Run one library service in a fresh session (each step commits its own transaction)."""
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from tiro.core.db import missing_table_problem

    session = _session()
    try:
        return service(session=session, **kwargs)
    except (OperationalError, ProgrammingError) as exc:
        session.rollback()
        raise (missing_table_problem(exc) or exc) from exc
    finally:
        session.close()


def _lib(module: str) -> Any:
    import importlib

    return importlib.import_module(f"tiro.manufacturing.library.{module}")


def _say(fmt: str) -> Any:
    return lambda d: console.print(fmt.format(**d))


# ---- members ---------------------------------------------------------------------------


@members_app.command("add")
def members_add(
    user: str = typer.Argument(..., help="A tiro user (see `tiro users add`)."),
    organisation: str = typer.Option(..., "--organisation", help="Organisation name."),
    role: str = typer.Option(..., "--role", help="owner, analyst, steward or auditor."),
    actor: str | None = ACTOR,
    as_json: bool = JSON_OPTION,
) -> None:
    """Give a user a library role in an organisation (admins; owners add analysts/auditors)."""
    data = _call(_lib("members").add_member, actor=cli_actor(actor), user=user,
                 organisation=organisation, role=role)  # fmt: skip
    emit(data, as_json, _say("{user} is {role} of {organisation}"))


@members_app.command("list")
def members_list(
    organisation: str | None = typer.Option(None, "--organisation", help="Only this one."),
    actor: str | None = ACTOR,
    as_json: bool = JSON_OPTION,
) -> None:
    """Library memberships."""
    data = _call(_lib("members").list_members, actor=cli_actor(actor), organisation=organisation)
    emit(data, as_json, lambda d: console.print(records("library members", d)))


# ---- assets ----------------------------------------------------------------------------


def _asset_render(d: dict) -> None:
    policy = d.get("policy")
    terms = policy["terms"] if policy else None
    items = [("organisation", d["organisation"]), ("source", d["source"]),
             ("description", d["description"]), ("sensitivity", d["sensitivity"]),
             ("rows", f"{d['rows']:,}"), ("sha-256", d["content_hash"]),
             ("schema", ", ".join(f"{c['name']} {c['dtype']}" for c in d["schema"])),
             ("label", d.get("label") or "—"),
             ("policy", "none" if terms is None else
              f"v{policy['version']}: purposes {', '.join(terms['purposes'])}; organisations "
              f"{', '.join(terms['organisations'])}; expires {terms['expires_on']}; "
              f"k={terms['min_group_size']}, max rows {terms['max_rows']}")]  # fmt: skip
    console.print(details(f"asset {d['id']} {d['name']}", items))
    mock = d.get("mock", {}).get("rows") or []
    if mock:
        console.print(records(f"mock twin (synthetic, not real rows): first {min(5, len(mock))}",
                              mock[:5]))  # fmt: skip


@assets_app.command("list")
def assets_list(actor: str | None = ACTOR, as_json: bool = JSON_OPTION) -> None:
    """The catalogue: every asset's metadata, current policy and mock twin (members)."""
    data = _call(_lib("views").catalogue, actor=cli_actor(actor))

    def render(rows: list[dict]) -> None:
        cols = ["id", "name", "organisation", "rows", "sensitivity", "policy", "label"]
        body = [[str(r["id"]), r["name"], r["organisation"], f"{r['rows']:,}", r["sensitivity"],
                 f"v{r['policy']['version']}" if r["policy"] else "none", r["label"] or ""]
                for r in rows]  # fmt: skip
        console.print(table(f"library assets: {len(rows)}", cols, body))

    emit(data, as_json, render)


@assets_app.command("show")
def assets_show(asset: str = ASSET, actor: str | None = ACTOR, as_json: bool = JSON_OPTION) -> None:
    """One asset: metadata, schema, hash, current policy and mock twin — never real rows."""
    data = _call(_lib("views").show_asset, actor=cli_actor(actor), asset=asset)
    emit(data, as_json, _asset_render)


@assets_app.command("register")
def assets_register(
    organisation: str = typer.Option(..., "--organisation", help="Owner organisation."),
    dataset: str | None = typer.Option(
        None, "--dataset", help="A shipped dataset: rpart:solder, modeldata:chem_proc_yield, …"
    ),
    file: Path | None = typer.Option(None, "--file", help="Your own .csv or .parquet file."),
    name: str | None = typer.Option(None, "--name", help="Asset name (default: the dataset)."),
    description: str | None = typer.Option(None, "--description", help="What the data is."),
    sensitivity: str = typer.Option(
        "confidential", "--sensitivity", help="public, internal, confidential or restricted."
    ),
    actor: str | None = ACTOR,
    as_json: bool = JSON_OPTION,
) -> None:
    """Copy a dataset or file into the library (Parquet, SHA-256 recorded, mock twin made)."""
    from tiro.core.errors import InvalidInput

    assets = _lib("assets")
    if (dataset is None) == (file is None):
        raise InvalidInput("give exactly one of --dataset or --file", field="dataset")
    if dataset is not None:
        data = _call(assets.register_dataset, actor=cli_actor(actor), dataset=dataset,
                     organisation=organisation, name=name, description=description,
                     sensitivity=sensitivity)  # fmt: skip
    else:
        if name is None:
            raise InvalidInput("name the asset registered from a file", field="name")
        frame = assets.read_table_file(file)
        data = _call(assets.register_asset, actor=cli_actor(actor), name=name,
                     organisation=organisation, frame=frame, source=f"file {file.name}",
                     description=description, sensitivity=sensitivity)  # fmt: skip
    emit(data, as_json, _say("registered asset {id} {name} ({rows} rows, sha-256 {content_hash})"))


# ---- policies --------------------------------------------------------------------------


@policies_app.command("set")
def policies_set(
    asset: str = ASSET,
    purpose: list[str] = typer.Option(..., "--purpose", help="A permitted purpose (repeat)."),
    organisation: list[str] = typer.Option(
        ..., "--organisation", help="A permitted member organisation (repeat)."
    ),
    expires: str = typer.Option(..., "--expires", help="Expiry date (YYYY-MM-DD)."),
    min_group_size: int | None = typer.Option(
        None, "--min-group-size", help="k: smallest group a result may describe (default param)."
    ),
    max_rows: int | None = typer.Option(
        None, "--max-rows", help="Most rows a released result may have (default param)."
    ),
    model_type: list[str] = typer.Option(
        [], "--model-type", help="Allowed model type (repeat): classification, poisson, …"
    ),
    public_category: list[str] = typer.Option(
        [], "--public-category", help="Text column whose labels are not sensitive (repeat)."
    ),
    actor: str | None = ACTOR,
    as_json: bool = JSON_OPTION,
) -> None:
    """Attach a new policy version to an asset (the asset's owner)."""
    data = _call(_lib("policies").set_policy, actor=cli_actor(actor), asset=asset,
                 purposes=purpose, organisations=organisation,
                 expires_on=parse_date(expires, "--expires"), min_group_size=min_group_size,
                 max_rows=max_rows, allowed_model_types=model_type,
                 public_categories=public_category)  # fmt: skip
    emit(data, as_json, _say("policy v{version} set on {asset}"))


@policies_app.command("show")
def policies_show(
    asset: str = ASSET, actor: str | None = ACTOR, as_json: bool = JSON_OPTION
) -> None:
    """The asset's current policy and its earlier versions (members)."""
    data = _call(_lib("policies").show_policy, actor=cli_actor(actor), asset=asset)

    def render(d: dict) -> None:
        t = d["terms"]
        console.print(details(f"policy v{d['version']} of {d['asset']}", [
            ("purposes", ", ".join(t["purposes"])),
            ("organisations", ", ".join(t["organisations"])),
            ("expires", str(t["expires_on"])), ("k (min group)", str(t["min_group_size"])),
            ("max rows", str(t["max_rows"])),
            ("model types", ", ".join(t["allowed_model_types"]) or "none"),
            ("label", d["label"] or "—"), ("set by", d["set_by"])]))  # fmt: skip

    emit(data, as_json, render)


# ---- contracts -------------------------------------------------------------------------


def _contract_line(d: dict) -> None:
    console.print(f"contract {d['id']} on {d['asset']} for {d['organisation']} "
                  f"({d['purpose']}): {d['state']}")  # fmt: skip


@contracts_app.command("request")
def contracts_request(
    asset: str = ASSET,
    purpose: str = typer.Option(..., "--purpose", help="What the data will be used for."),
    organisation: str | None = typer.Option(
        None, "--organisation", help="Your organisation (default: your only one)."
    ),
    actor: str | None = ACTOR,
    as_json: bool = JSON_OPTION,
) -> None:
    """An analyst requests access to an asset for a purpose."""
    data = _call(_lib("contracts").request_contract, actor=cli_actor(actor), asset=asset,
                 purpose=purpose, organisation=organisation)  # fmt: skip
    emit(data, as_json, _contract_line)


def _contract_step(step: str, help_text: str) -> None:
    def command(
        contract_id: int = CONTRACT, actor: str | None = ACTOR, as_json: bool = JSON_OPTION
    ) -> None:
        data = _call(getattr(_lib("contracts"), step), actor=cli_actor(actor),
                     contract_id=contract_id)  # fmt: skip
        emit(data, as_json, _contract_line)

    command.__doc__ = help_text
    contracts_app.command(step)(command)


_contract_step("offer", "The owner offers the asset's current policy (frozen into the contract).")
_contract_step("agree", "The consumer's analyst agrees to the offered terms.")
_contract_step("finalise", "The owner or steward finalises an agreed contract.")


@contracts_app.command("terminate")
def contracts_terminate(
    contract_id: int = CONTRACT,
    reason: str = typer.Option(..., "--reason", help="Why the contract ends."),
    actor: str | None = ACTOR,
    as_json: bool = JSON_OPTION,
) -> None:
    """Either side ends a contract; no compute request may run under it afterwards."""
    data = _call(_lib("contracts").terminate, actor=cli_actor(actor), contract_id=contract_id,
                 reason=reason)  # fmt: skip
    emit(data, as_json, _contract_line)


@contracts_app.command("list")
def contracts_list(
    state: str | None = typer.Option(None, "--state", help="Only contracts in this state."),
    actor: str | None = ACTOR,
    as_json: bool = JSON_OPTION,
) -> None:
    """Contracts you are party to (auditors: all)."""
    data = _call(_lib("views").list_contracts, actor=cli_actor(actor), state=state)
    cols = ["id", "asset", "organisation", "purpose", "state", "expires_on"]
    emit(data, as_json, lambda rows: console.print(table(
        f"contracts: {len(rows)}", cols, [[str(r[c] or "") for c in cols] for r in rows])))  # fmt: skip


@contracts_app.command("show")
def contracts_show(
    contract_id: int = CONTRACT, actor: str | None = ACTOR, as_json: bool = JSON_OPTION
) -> None:
    """One contract with its terms snapshot."""
    data = _call(_lib("views").show_contract, actor=cli_actor(actor), contract_id=contract_id)
    emit(data, as_json, lambda d: console.print(details(
        f"contract {d['id']}", [(k, json.dumps(v, default=str) if isinstance(v, dict) else str(v))
                                for k, v in d.items() if k != "id"])))  # fmt: skip


# ---- compute requests ------------------------------------------------------------------


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
    data = _call(_lib("requests").submit, actor=cli_actor(actor), contract_id=contract_id,
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
    data = _call(_lib("requests").approve, actor=cli_actor(actor), request_id=request_id,
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
    data = _call(_lib("requests").reject, actor=cli_actor(actor), request_id=request_id,
                 note=note)  # fmt: skip
    emit(data, as_json, _request_line)


@requests_app.command("execute")
def requests_execute(
    request_id: int = REQUEST, actor: str | None = ACTOR, as_json: bool = JSON_OPTION
) -> None:
    """Run an approved request in the sandbox on the real data; release or withhold."""
    data = _call(_lib("requests").execute, actor=cli_actor(actor), request_id=request_id)
    emit(data, as_json, _request_line)


@requests_app.command("recover")
def requests_recover(
    request_id: int = REQUEST, actor: str | None = ACTOR, as_json: bool = JSON_OPTION
) -> None:
    """Withhold a request an interrupted execution left running (after twice the wall limit)."""
    data = _call(_lib("requests").recover, actor=cli_actor(actor), request_id=request_id)
    emit(data, as_json, _request_line)


@requests_app.command("list")
def requests_list(
    state: str | None = typer.Option(None, "--state", help="Only requests in this state."),
    contract: int | None = typer.Option(None, "--contract", help="Only this contract's."),
    actor: str | None = ACTOR,
    as_json: bool = JSON_OPTION,
) -> None:
    """Compute requests under contracts you are party to (metadata; auditors: all)."""
    data = _call(_lib("views").list_requests, actor=cli_actor(actor), state=state,
                 contract_id=contract)  # fmt: skip
    cols = ["id", "contract_id", "recipe_kind", "state", "submitted_by", "decided_by"]
    emit(data, as_json, lambda rows: console.print(table(
        f"compute requests: {len(rows)}", cols, [[str(r[c] or "") for c in cols] for r in rows])))  # fmt: skip


@requests_app.command("show")
def requests_show(
    request_id: int = REQUEST, actor: str | None = ACTOR, as_json: bool = JSON_OPTION
) -> None:
    """One request's metadata: state, mock run, decision, reasons, resources used."""
    data = _call(_lib("views").show_request, actor=cli_actor(actor), request_id=request_id)
    emit(data, as_json, _request_line)


@requests_app.command("result")
def requests_result(
    request_id: int = REQUEST, actor: str | None = ACTOR, as_json: bool = JSON_OPTION
) -> None:
    """A released result (the contract's analysts, the asset's owners and stewards)."""
    data = _call(_lib("views").request_result, actor=cli_actor(actor), request_id=request_id)

    def render(d: dict) -> None:
        result = d["result"]
        if result["kind"] == "table":
            console.print(records(f"request {d['id']}: released result", result["rows"]))
        else:
            console.print(details(f"request {d['id']}: released result",
                                  [(k, json.dumps(v)) for k, v in result["values"].items()]))  # fmt: skip

    emit(data, as_json, render)


# ---- library ---------------------------------------------------------------------------


@library_app.command("seed")
def library_seed(as_json: bool = JSON_OPTION) -> None:
    """Register the shipped real datasets as assets with sample owners and policies (once)."""
    data = _call(_lib("seed").seed_library)
    emit(data, as_json, lambda d: console.print(records("library seed", d)))


@library_app.command("audit")
def library_audit(
    limit: int = typer.Option(50, "--limit", help="Newest entries to show (1-1000)."),
    actor: str | None = ACTOR,
    as_json: bool = JSON_OPTION,
) -> None:
    """The library's audit entries, newest first (auditors and admins)."""
    data = _call(_lib("views").audit_trail, actor=cli_actor(actor), limit=limit)
    cols = ["id", "at", "actor", "action", "entity_id"]
    emit(data, as_json, lambda rows: console.print(table(
        f"library audit: {len(rows)}", cols, [[str(r[c]) for c in cols] for r in rows])))  # fmt: skip
