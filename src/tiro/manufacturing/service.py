"""Model registry and tacit-knowledge rules in SQL: versions, aliases, audit (모델 레지스트리).

Every write is one transaction with an audit row in the hash chain. A model is registered
only if the dataset it names still has the content hash it was trained on: a result whose
hash differs (other bytes, an edited file, a forged result) is refused and nothing is written.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tiro.core.audit import record_audit
from tiro.core.errors import Conflict, InvalidInput, NotFound
from tiro.core.yaml_strict import load_yaml
from tiro.manufacturing.knowledge import rules
from tiro.manufacturing.models import ModelAlias, RegisteredModel, TacitRule
from tiro.manufacturing.quality import datasets

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
ALIAS = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
RULES_FILE = Path(__file__).resolve().parent.parent / "data" / "manufacturing" / "rules.yaml"


def _check_name(value: str, pattern: re.Pattern, field: str) -> str:
    if not isinstance(value, str) or not pattern.match(value):
        raise InvalidInput(f"{value!r} must match {pattern.pattern}", field=field)
    return value


def model_row(m: RegisteredModel, aliases: list[str] | None = None) -> dict[str, Any]:
    """A registered version as plain data."""
    return {
        "name": m.name, "version": m.version, "kind": m.kind, "dataset": m.dataset,
        "dataset_hash": m.dataset_hash, "code_version": m.code_version, "recipe": m.recipe,
        "metrics": m.metrics, "coefficients": m.coefficients, "registered_by": m.registered_by,
        "registered_at": m.created_at, "aliases": sorted(aliases or []),
    }  # fmt: skip


def register(*, session: Session, name: str, result: dict[str, Any], actor: str) -> dict:
    """Register a workbench result as the next version of ``name`` (audited).

    Refused (409, nothing written) when the named dataset's content hash today differs from
    the hash the result was trained on.
    """
    _check_name(name, NAME, "name")
    dataset = result["recipe"]["dataset"]
    current = datasets.content_hash(datasets.load(dataset))
    if result["dataset_hash"] != current:
        raise Conflict(
            f"dataset {dataset} has content hash {current[:12]}…, the model was trained on "
            f"{str(result['dataset_hash'])[:12]}…: retrain on the current data",
            field="dataset_hash",
        )
    last = session.execute(
        select(func.max(RegisteredModel.version)).where(RegisteredModel.name == name)
    ).scalar_one_or_none()
    row = RegisteredModel(
        name=name, version=(last or 0) + 1, kind=result["recipe"]["kind"], dataset=dataset,
        dataset_hash=current, code_version=result["code_version"], recipe=result["recipe"],
        metrics=result["metrics"], coefficients=result["coefficients"], registered_by=actor,
    )  # fmt: skip
    session.add(row)
    session.flush()
    record_audit(session, actor=actor, action="model.register", entity="manufacturing_model",
                 entity_id=f"{name}/{row.version}",
                 after={"dataset": dataset, "dataset_hash": current,
                        "code_version": row.code_version})  # fmt: skip
    return model_row(row)


def _aliases(session: Session, name: str) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for a in session.scalars(select(ModelAlias).where(ModelAlias.name == name)):
        out.setdefault(a.version, []).append(a.alias)
    return out


def set_alias(*, session: Session, name: str, alias: str, version: int, actor: str) -> dict:
    """Point ``alias`` (e.g. ``champion``) of ``name`` at ``version`` (audited)."""
    _check_name(alias, ALIAS, "alias")
    model = get(session=session, name=name, version=version)
    existing = session.scalars(
        select(ModelAlias).where(ModelAlias.name == name, ModelAlias.alias == alias)
    ).one_or_none()
    before = None if existing is None else {"version": existing.version}
    if existing is None:
        session.add(ModelAlias(name=name, alias=alias, version=version))
    else:
        existing.version = version
    session.flush()
    record_audit(session, actor=actor, action="model.alias", entity="manufacturing_model",
                 entity_id=f"{name}@{alias}", before=before,
                 after={"version": version})  # fmt: skip
    return {**model, "aliases": sorted({*model["aliases"], alias})}


def get(
    *, session: Session, name: str, version: int | None = None, alias: str | None = None
) -> dict:
    """One version by number or alias (default: the latest); unknown ones are 404."""
    _check_name(name, NAME, "name")
    if alias is not None:
        _check_name(alias, ALIAS, "alias")
        row = session.scalars(
            select(ModelAlias).where(ModelAlias.name == name, ModelAlias.alias == alias)
        ).one_or_none()
        if row is None:
            raise NotFound(f"model {name!r} has no alias {alias!r}", field="alias")
        version = row.version
    query = select(RegisteredModel).where(RegisteredModel.name == name)
    if version is not None:
        query = query.where(RegisteredModel.version == version)
    model = session.scalars(query.order_by(RegisteredModel.version.desc()).limit(1)).first()
    if model is None:
        field = "version" if version is not None else "name"
        raise NotFound(f"no model {name!r}" + (f" version {version}" if version else ""),
                       field=field)  # fmt: skip
    return model_row(model, _aliases(session, name).get(model.version))


def list_versions(*, session: Session, name: str) -> list[int]:
    """The version numbers registered under ``name`` (empty when none)."""
    return list(
        session.scalars(select(RegisteredModel.version).where(RegisteredModel.name == name))
    )


def list_models(*, session: Session) -> list[dict]:
    """Every registered version, newest first within each name, without coefficients."""
    rows = session.scalars(
        select(RegisteredModel).order_by(RegisteredModel.name, RegisteredModel.version.desc())
    ).all()
    aliases: dict[str, dict[int, list[str]]] = {}
    out = []
    for m in rows:
        if m.name not in aliases:
            aliases[m.name] = _aliases(session, m.name)
        data = model_row(m, aliases[m.name].get(m.version))
        data.pop("coefficients")
        out.append(data)
    return out


# ----- tacit-knowledge rules ------------------------------------------------------------
def rule_row(r: TacitRule) -> dict[str, Any]:
    """A rule version as plain data."""
    return {
        "rule_id": r.rule_id, "version": r.version, "author": r.author,
        "statement": r.statement, "dataset": r.dataset, "conditions": r.conditions,
        "outcome": r.outcome, "recorded_by": r.recorded_by, "recorded_at": r.created_at,
    }  # fmt: skip


def record_rule(*, session: Session, rule: dict[str, Any], actor: str) -> dict:
    """Record a rule as the next version of its ``rule_id`` (audited), after checking every
    clause against its dataset's columns: a rule over unknown columns is refused."""
    rule_id = _check_name(rule.get("rule_id"), NAME, "rule_id")
    for key, limit in (("author", 120), ("statement", 2000)):
        value = rule.get(key)
        if not isinstance(value, str) or not value.strip() or len(value) > limit:
            raise InvalidInput(f"{key} must be text of 1-{limit} characters", field=key)
    frame = datasets.load(rule.get("dataset"))
    rules.check_rule(frame, rule.get("conditions"), rule.get("outcome"))
    last = session.execute(
        select(func.max(TacitRule.version)).where(TacitRule.rule_id == rule_id)
    ).scalar_one_or_none()
    row = TacitRule(
        rule_id=rule_id, version=(last or 0) + 1, author=rule["author"].strip(),
        statement=rule["statement"].strip(), dataset=rule["dataset"],
        conditions=rule["conditions"], outcome=rule["outcome"], recorded_by=actor,
    )  # fmt: skip
    session.add(row)
    session.flush()
    record_audit(session, actor=actor, action="rule.record", entity="manufacturing_rule",
                 entity_id=f"{rule_id}/{row.version}", after=rule_row(row))  # fmt: skip
    return rule_row(row)


def get_rule(*, session: Session, rule_id: str, version: int | None = None) -> dict:
    """One rule version (default: the latest)."""
    _check_name(rule_id, NAME, "rule_id")
    query = select(TacitRule).where(TacitRule.rule_id == rule_id)
    if version is not None:
        query = query.where(TacitRule.version == version)
    row = session.scalars(query.order_by(TacitRule.version.desc()).limit(1)).first()
    if row is None:
        raise NotFound(f"no rule {rule_id!r}" + (f" version {version}" if version else ""),
                       field="version" if version else "rule_id")  # fmt: skip
    return rule_row(row)


def list_rules(*, session: Session) -> list[dict]:
    """The latest version of every rule."""
    rows = session.scalars(select(TacitRule).order_by(TacitRule.rule_id, TacitRule.version)).all()
    latest = {r.rule_id: r for r in rows}
    return [rule_row(r) for r in latest.values()]


def score_rule(*, session: Session, rule_id: str, version: int | None = None) -> dict:
    """A recorded rule scored against its dataset (support, precision, lift, recall)."""
    rule = get_rule(session=session, rule_id=rule_id, version=version)
    frame = datasets.load(rule["dataset"])
    return {**rule, "score": rules.score(frame, rule["conditions"], rule["outcome"]),
            "dataset_hash": datasets.content_hash(frame)}  # fmt: skip


def seed_rules(*, session: Session, actor: str = "tiro-seed") -> int:
    """The example rules of ``data/manufacturing/rules.yaml``, each once (version 1)."""
    added = 0
    for rule in load_yaml(RULES_FILE):
        exists = session.scalars(
            select(TacitRule.id).where(TacitRule.rule_id == rule["rule_id"]).limit(1)
        ).first()
        if exists is None:
            record_rule(session=session, rule=rule, actor=actor)
            added += 1
    return added
