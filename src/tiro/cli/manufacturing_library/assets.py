"""``tiro manufacturing assets|policies``: data assets (데이터 자산) and their usage policies.

An asset is registered from a shipped dataset or the user's own file; ``show`` gives its
metadata and synthetic mock twin, never its rows. A policy (이용 정책) is a new version of
the terms attached to one asset by its owner.
"""

from __future__ import annotations

from pathlib import Path

import typer

from tiro.cli.manufacturing_library.common import ASSET, call, lib, say
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
    data = call(lib("views").catalogue, actor=cli_actor(actor))

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
    data = call(lib("views").show_asset, actor=cli_actor(actor), asset=asset)
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

    assets = lib("assets")
    if (dataset is None) == (file is None):
        raise InvalidInput("give exactly one of --dataset or --file", field="dataset")
    if dataset is not None:
        data = call(assets.register_dataset, actor=cli_actor(actor), dataset=dataset,
                    organisation=organisation, name=name, description=description,
                    sensitivity=sensitivity)  # fmt: skip
    else:
        if name is None:
            raise InvalidInput("name the asset registered from a file", field="name")
        frame = assets.read_table_file(file)
        data = call(assets.register_asset, actor=cli_actor(actor), name=name,
                    organisation=organisation, frame=frame, source=f"file {file.name}",
                    description=description, sensitivity=sensitivity)  # fmt: skip
    emit(data, as_json, say("registered asset {id} {name} ({rows} rows, sha-256 {content_hash})"))


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
    data = call(lib("policies").set_policy, actor=cli_actor(actor), asset=asset,
                purposes=purpose, organisations=organisation,
                expires_on=parse_date(expires, "--expires"), min_group_size=min_group_size,
                max_rows=max_rows, allowed_model_types=model_type,
                public_categories=public_category)  # fmt: skip
    emit(data, as_json, say("policy v{version} set on {asset}"))


@policies_app.command("show")
def policies_show(
    asset: str = ASSET, actor: str | None = ACTOR, as_json: bool = JSON_OPTION
) -> None:
    """The asset's current policy and its earlier versions (members)."""
    data = call(lib("policies").show_policy, actor=cli_actor(actor), asset=asset)

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
