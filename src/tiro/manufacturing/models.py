"""SQL tables of the manufacturing domain: the model registry and the tacit-knowledge rules.

A registered model version is immutable: its metrics, coefficients, recipe, dataset content
hash and code version are written once. Aliases (``champion``) point at a version and move.
Rules are versioned the same way: an edit is a new version, the old one stays.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, CheckConstraint, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tiro.core.db import Base, TimestampMixin
from tiro.manufacturing.library import tables as _library_tables  # noqa: F401 - registers them

MODEL_KINDS = ("classification", "poisson", "negbin", "linear", "weibull")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class RegisteredModel(TimestampMixin, Base):
    """One version of a named model, with what it was trained on and how well it did."""

    __tablename__ = "manufacturing_models"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    dataset: Mapped[str] = mapped_column(String(80))
    dataset_hash: Mapped[str] = mapped_column(String(64))
    code_version: Mapped[str] = mapped_column(String(60))
    recipe: Mapped[dict[str, Any]] = mapped_column(JSON)
    metrics: Mapped[dict[str, Any]] = mapped_column(JSON)
    coefficients: Mapped[dict[str, Any]] = mapped_column(JSON)
    registered_by: Mapped[str] = mapped_column(String(120))

    __table_args__ = (
        UniqueConstraint("name", "version", name="uq_manufacturing_models_name_version"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint(_in("kind", MODEL_KINDS), name="kind_known"),
        CheckConstraint("length(dataset_hash) = 64", name="hash_sha256"),
    )


class ModelAlias(TimestampMixin, Base):
    """A movable name (``champion``, ``challenger``) for one version of a model."""

    __tablename__ = "manufacturing_model_aliases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    alias: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        UniqueConstraint("name", "alias", name="uq_manufacturing_model_aliases_name_alias"),
        CheckConstraint("version >= 1", name="version_positive"),
    )


class TacitRule(TimestampMixin, Base):
    """One version of an expert's rule of thumb (암묵지) over process parameters."""

    __tablename__ = "manufacturing_rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule_id: Mapped[str] = mapped_column(String(60))
    version: Mapped[int] = mapped_column(Integer)
    author: Mapped[str] = mapped_column(String(120))
    statement: Mapped[str] = mapped_column(Text)
    dataset: Mapped[str] = mapped_column(String(80))
    conditions: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    outcome: Mapped[dict[str, Any]] = mapped_column(JSON)
    recorded_by: Mapped[str] = mapped_column(String(120))

    __table_args__ = (
        UniqueConstraint("rule_id", "version", name="uq_manufacturing_rules_rule_id_version"),
        CheckConstraint("version >= 1", name="version_positive"),
    )
