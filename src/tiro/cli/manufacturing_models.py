"""``tiro manufacturing models|rules``: the model workbench and registry, tacit-knowledge rules."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import typer

from tiro.cli.output import JSON_OPTION, cli_actor, console, details, emit, table
from tiro.cli.petrochem_common import ACTOR

models_app = typer.Typer(
    help="모델 워크벤치 Train, cross-validate and register quality/reliability models.",
    no_args_is_help=True,
)
rules_app = typer.Typer(
    help="암묵지 Tacit-knowledge rules: record an expert's rule, score it against data.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Mount ``models`` and ``rules`` on the manufacturing app."""
    app.add_typer(models_app, name="models")
    app.add_typer(rules_app, name="rules")


def _metric_rows(metrics: dict) -> list[tuple[str, str]]:
    return [
        (k, f"{v:,.4f}" if isinstance(v, float) else str(v))
        for k, v in metrics.items()
        if not k.endswith("_fold_sd")
    ]


@models_app.command("datasets")
def datasets_cmd(as_json: bool = JSON_OPTION) -> None:
    """The offline datasets with rows, columns and content hash (SHA-256 of the CSV)."""
    from tiro.manufacturing.quality import datasets

    data = datasets.catalogue()
    rows = [[d["dataset"], str(d["rows"]), str(len(d["columns"])), d["content_hash"][:16]]
            for d in data]  # fmt: skip
    emit(data, as_json, lambda _: console.print(
        table("Datasets", ["dataset", "rows", "columns", "hash"], rows)))  # fmt: skip


@models_app.command("recipes")
def recipes_cmd(as_json: bool = JSON_OPTION) -> None:
    """The registered recipes: model kind, dataset, target and features."""
    from tiro.manufacturing.quality.workbench import RECIPES

    data = [{"recipe": name, **r.as_dict()} for name, r in RECIPES.items()]
    rows = [[d["recipe"], d["kind"], d["dataset"], d["target"]] for d in data]
    emit(data, as_json, lambda _: console.print(
        table("Recipes", ["recipe", "kind", "dataset", "target"], rows)))  # fmt: skip


@models_app.command("train")
def train_cmd(
    recipe: str = typer.Option(..., "--recipe", help="Recipe name (see `models recipes`)."),
    folds: int | None = typer.Option(None, "--folds", help="Cross-validation folds (2-20)."),
    seed: int | None = typer.Option(None, "--seed", help="Seed of the fold split."),
    l2: float | None = typer.Option(None, "--l2", help="L2 penalty (0 = plain MLE)."),
    expect_hash: str | None = typer.Option(
        None, "--expect-hash", help="Refuse unless the dataset's content hash is this one."
    ),
    register_as: str | None = typer.Option(
        None, "--register", help="Register the result as the next version of this model name."
    ),
    actor: str | None = ACTOR,
    as_json: bool = JSON_OPTION,
) -> None:
    """Cross-validate a recipe on its dataset, fit it on all rows, optionally register it."""
    from tiro.core.errors import Conflict, InvalidInput, NotFound
    from tiro.manufacturing.quality import datasets, workbench

    if recipe not in workbench.RECIPES:
        raise NotFound(
            f"unknown recipe {recipe!r}; known: {', '.join(workbench.RECIPES)}", field="--recipe"
        )
    if seed is not None and not 0 <= seed <= 2**32 - 1:
        raise InvalidInput("seed must be 0..4294967295", field="--seed")
    base = workbench.RECIPES[recipe]
    changes = {k: v for k, v in (("folds", folds), ("seed", seed), ("l2", l2)) if v is not None}
    chosen = dataclasses.replace(base, **changes)
    frame = datasets.load(chosen.dataset)
    digest = datasets.content_hash(frame)
    if expect_hash is not None and expect_hash != digest:
        raise Conflict(
            f"dataset {chosen.dataset} has content hash {digest}, not {expect_hash}",
            field="--expect-hash",
        )
    result = {"recipe_name": recipe, **workbench.train(frame, chosen, digest)}
    if register_as is not None:
        from tiro.core.db import session_scope
        from tiro.manufacturing import service

        with session_scope() as session:
            row = service.register(
                session=session, name=register_as, result=result, actor=cli_actor(actor)
            )
        result["registered"] = {"name": row["name"], "version": row["version"]}

    def render(d: dict) -> None:
        title = f"{recipe}: {d['recipe']['kind']} on {d['recipe']['dataset']}"
        console.print(details(title, _metric_rows(d["metrics"])))
        console.print(f"dataset hash {d['dataset_hash'][:16]}…  code {d['code_version']}")
        if "registered" in d:
            console.print(f"registered {d['registered']['name']} v{d['registered']['version']}")

    emit(result, as_json, render)


@models_app.command("list")
def list_cmd(as_json: bool = JSON_OPTION) -> None:
    """Every registered model version with its aliases and dataset."""
    from tiro.core.db import session_scope
    from tiro.manufacturing import service

    with session_scope() as session:
        data = service.list_models(session=session)
    rows = [[d["name"], str(d["version"]), d["kind"], d["dataset"], ",".join(d["aliases"])]
            for d in data]  # fmt: skip
    emit(data, as_json, lambda _: console.print(
        table("Model registry", ["name", "version", "kind", "dataset", "aliases"], rows)))  # fmt: skip


@models_app.command("show")
def show_cmd(
    name: str = typer.Argument(..., help="Model name."),
    version: int | None = typer.Option(None, "--version", help="Version (default latest)."),
    alias: str | None = typer.Option(None, "--alias", help="Alias, e.g. champion."),
    as_json: bool = JSON_OPTION,
) -> None:
    """One registered version (by number, alias, or the latest) with metrics and provenance."""
    from tiro.core.db import session_scope
    from tiro.manufacturing import service

    with session_scope() as session:
        data = service.get(session=session, name=name, version=version, alias=alias)

    def render(d: dict) -> None:
        head = [("version", str(d["version"])), ("aliases", ", ".join(d["aliases"]) or "—"),
                ("dataset", d["dataset"]), ("dataset hash", d["dataset_hash"]),
                ("code", d["code_version"])]  # fmt: skip
        console.print(details(f"{d['name']} ({d['kind']})", head + _metric_rows(d["metrics"])))

    emit(data, as_json, render)


@models_app.command("alias")
def alias_cmd(
    name: str = typer.Argument(..., help="Model name."),
    version: int = typer.Argument(..., help="Version the alias points at."),
    alias: str = typer.Argument(..., help="Alias, e.g. champion."),
    actor: str | None = ACTOR,
    as_json: bool = JSON_OPTION,
) -> None:
    """Point an alias (champion, challenger, …) at a version (audited)."""
    from tiro.core.db import session_scope
    from tiro.manufacturing import service

    with session_scope() as session:
        data = service.set_alias(
            session=session, name=name, alias=alias, version=version, actor=cli_actor(actor)
        )
    emit({k: data[k] for k in ("name", "version", "aliases")}, as_json)


@rules_app.command("list")
def rules_list_cmd(as_json: bool = JSON_OPTION) -> None:
    """The latest version of every recorded rule."""
    from tiro.core.db import session_scope
    from tiro.manufacturing import service

    with session_scope() as session:
        data = service.list_rules(session=session)
    rows = [[d["rule_id"], str(d["version"]), d["dataset"], d["statement"]] for d in data]
    emit(data, as_json, lambda _: console.print(
        table("Tacit-knowledge rules", ["rule", "v", "dataset", "statement"], rows)))  # fmt: skip


@rules_app.command("score")
def rules_score_cmd(
    rule_id: str = typer.Argument(..., help="Rule id."),
    version: int | None = typer.Option(None, "--version", help="Version (default latest)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """How often the rule applies (support), is right (precision) and beats chance (lift)."""
    from tiro.core.db import session_scope
    from tiro.manufacturing import service

    with session_scope() as session:
        data = service.score_rule(session=session, rule_id=rule_id, version=version)

    def render(d: dict) -> None:
        s = d["score"]
        fmt = {k: "—" if s[k] is None else f"{s[k]:.3f}" for k in
               ("support", "precision", "lift", "recall", "base_rate")}  # fmt: skip
        items = [("statement", d["statement"]), ("author", d["author"]),
                 ("rows / matched / hits", f"{s['rows']} / {s['matched']} / {s['hits']}"),
                 *fmt.items()]  # fmt: skip
        console.print(details(f"{d['rule_id']} v{d['version']} on {d['dataset']}", items))

    emit(data, as_json, render)


@rules_app.command("add")
def rules_add_cmd(
    file: Path = typer.Argument(
        ...,
        help="YAML file: rule_id, author, statement, dataset, "
        "conditions [{column, op, value}], outcome {column, op, value}.",
    ),
    actor: str | None = ACTOR,
    as_json: bool = JSON_OPTION,
) -> None:
    """Record a rule (a new version when its id exists), checked against its dataset."""
    from tiro.core.db import session_scope
    from tiro.core.errors import InvalidInput
    from tiro.core.validation import finite_tree
    from tiro.core.yaml_strict import read_user_yaml
    from tiro.manufacturing import service

    rule = read_user_yaml(file, field="FILE", what="rule key")
    if not isinstance(rule, dict):
        raise InvalidInput("the file must hold one rule (a mapping)", field="FILE")
    finite_tree(rule, "rule")
    with session_scope() as session:
        data = service.record_rule(session=session, rule=rule, actor=cli_actor(actor))
    emit(data, as_json)
